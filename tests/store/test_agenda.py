"""Review mode in the store: the agenda's five sections and saving a review all-or-nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.models import Action, Barrier, ChangeSource, Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.agenda import (
    AgendaSection,
    ReviewDecision,
    ReviewOp,
    build_agenda,
    save_review,
)
from tests.workflow_seed import TODAY, World, days_ago, seed_world


def _programme(w: World) -> World:
    luton = w["luton"]
    w.add(
        "m_old",
        "meeting",
        pilot_id=luton,
        held_at=days_ago(90),
        title="Kick-off",
        decisions="Use the VCS alliance as the front door",
    )
    w.add(
        "m_recent",
        "meeting",
        pilot_id=luton,
        held_at=days_ago(5),
        title="Check-in",
        decisions="Agreed to pool the two grants\nAsk DWP for a named contact",
    )
    w.add("att_cara", "meeting_attendee", meeting_id=w["m_recent"], contact_id=w["cara"])
    w.add("att_ben", "meeting_attendee", meeting_id=w["m_old"], contact_id=w["ben"])
    w.add(
        "overdue",
        "action",
        pilot_id=luton,
        title="Send the DSA",
        owner_id=w["ada"],
        due_date=TODAY - timedelta(days=3),
    )
    w.add(
        "soon",
        "action",
        pilot_id=luton,
        title="Map the funding",
        owner_id=w["cara"],
        due_date=TODAY + timedelta(days=7),
    )
    w.add("later", "action", pilot_id=luton, title="Evaluate", due_date=TODAY + timedelta(days=40))
    w.add(
        "done",
        "action",
        pilot_id=luton,
        title="Old",
        status="done",
        due_date=TODAY - timedelta(days=9),
    )
    w.add(
        "stale",
        "barrier",
        pilot_id=luton,
        title="Grants too small",
        category="funding",
        raised_on=TODAY - timedelta(days=45),
        status="triaged",
    )
    w.add("fresh", "barrier", pilot_id=luton, title="Fresh one", raised_on=TODAY)
    w.add(
        "esc",
        "barrier",
        pilot_id=luton,
        title="No HO contact",
        raised_on=TODAY,
        status="escalated",
        escalated_to_organisation_id=w["ho"],
    )
    return w


def test_pilot_agenda_has_every_section(any_db: Database) -> None:
    w = _programme(seed_world(any_db))
    agenda = build_agenda(any_db, pilot_id=w["luton"])
    ids = {s: [i.id for i in agenda.in_section(s)] for s in AgendaSection}
    assert ids[AgendaSection.OVERDUE] == [w["overdue"]]
    assert ids[AgendaSection.DUE_SOON] == [w["soon"]]
    assert ids[AgendaSection.BARRIERS] == [w["stale"], w["esc"]]
    # Ben last met 90 days ago, Eve never; Cara met 5 days ago.
    assert ids[AgendaSection.PEOPLE] == [w["eve"], w["ben"]]
    decisions = [i.label for i in agenda.in_section(AgendaSection.DECISIONS)]
    assert decisions[-2:] == ["Agreed to pool the two grants", "Ask DWP for a named contact"]
    assert agenda.review_title == "Review — Luton"
    # Details read as words, as the review screen shows them (stored values stay raw).
    overdue = agenda.in_section(AgendaSection.OVERDUE)[0].detail
    assert overdue.endswith(" · Open")
    stale = agenda.in_section(AgendaSection.BARRIERS)[0].detail
    assert stale.startswith("Triaged · Funding · Medium · raised ")


def test_organisation_agenda_by_staff_and_escalations(any_db: Database) -> None:
    w = _programme(seed_world(any_db))
    agenda = build_agenda(any_db, organisation_id=w["ho"])
    assert [i.id for i in agenda.in_section(AgendaSection.OVERDUE)] == [w["overdue"]]
    assert [i.id for i in agenda.in_section(AgendaSection.BARRIERS)] == [w["esc"]]
    assert {i.id for i in agenda.in_section(AgendaSection.PEOPLE)} == {w["ada"], w["dan"]}
    with pytest.raises(ValidationFailedError):
        build_agenda(any_db)


def test_saving_a_review_applies_decisions_and_resets_decisions_since(any_db: Database) -> None:
    w = _programme(seed_world(any_db))
    agenda = build_agenda(any_db, pilot_id=w["luton"])
    decisions = [
        ReviewDecision(ReviewOp.DONE, "action", w["overdue"], "Send the DSA"),
        ReviewDecision(
            ReviewOp.NEW_DUE,
            "action",
            w["soon"],
            "Map the funding",
            new_date=TODAY + timedelta(days=21),
        ),
        ReviewDecision(
            ReviewOp.REASSIGN,
            "action",
            w["soon"],
            "Map the funding",
            owner_id=w["eve"],
            owner_label="Eve Patel",
        ),
        ReviewDecision(
            ReviewOp.ESCALATE,
            "barrier",
            w["stale"],
            "Grants too small",
            organisation_id=w["desnz"],
            target_label="DESNZ",
            text="pool them",
        ),
        ReviewDecision(ReviewOp.NOTE, "", None, "", text="Next review in a month"),
    ]
    meeting_id = save_review(
        any_db,
        agenda=agenda,
        held_at=days_ago(0, 15),
        decisions=decisions,
        source=ChangeSource.TUI,
        attendee_ids=[w["cara"]],
    )
    with any_db.read() as s:
        meeting = s.get(Meeting, meeting_id)
        assert meeting is not None and meeting.kind == "review"
        assert meeting.title == "Review — Luton"
        assert meeting.decisions.splitlines()[0] == f"Done: action {w['overdue']} (Send the DSA)"
        assert meeting.decisions.splitlines()[-1] == "Next review in a month"
        overdue = s.get(Action, w["overdue"])
        soon = s.get(Action, w["soon"])
        stale = s.get(Barrier, w["stale"])
        assert overdue is not None and overdue.status == "done"
        assert soon is not None and soon.owner_id == w["eve"]
        assert soon.due_date == TODAY + timedelta(days=21)
        assert stale is not None and stale.status == "escalated"
    after = build_agenda(any_db, pilot_id=w["luton"])
    assert after.in_section(AgendaSection.DECISIONS) == ()
    assert after.in_section(AgendaSection.OVERDUE) == ()


def test_a_refused_decision_saves_nothing(any_db: Database) -> None:
    w = _programme(seed_world(any_db))
    agenda = build_agenda(any_db, pilot_id=w["luton"])
    decisions = [
        ReviewDecision(ReviewOp.DONE, "action", w["overdue"], "Send the DSA"),
        ReviewDecision(
            ReviewOp.NEW_DUE,
            "action",
            w["soon"],
            "Map the funding",
            new_date=TODAY - timedelta(days=1),
        ),
    ]
    with pytest.raises(ValidationFailedError, match="past"):
        save_review(
            any_db, agenda=agenda, held_at=days_ago(0), decisions=decisions, source=ChangeSource.TUI
        )
    with any_db.read() as s:
        assert s.get(Action, w["overdue"]).status == "open"  # type: ignore[union-attr]
        reviews = s.exec(select(Meeting).where(col(Meeting.kind) == "review")).all()
        assert reviews == []


# Luton's decisions in the committed sample.db: its four meetings, oldest first.
LUTON_DECISIONS = [
    ("Keep street outreach data as the main focus until the spring",
     "2022-11-16 Luton theory-of-change workshop"),
    ("Ask MHCLG for a named contact on street outreach data",
     "2022-11-16 Luton theory-of-change workshop"),
    ("Keep health outreach van as the main focus until the spring",
     "2023-07-04 Luton check-in: health outreach van"),
    ("Move the partnership board to six-weekly", "2023-07-04 Luton check-in: health outreach van"),
    ("Share the action log with all partners after each meeting",
     "2023-07-04 Luton check-in: health outreach van"),
    ("Ask MHCLG for a named contact on night shelter capacity",
     "2023-09-13 Site visit to Luton: night shelter capacity"),
    ("Record every new grant in the funding map",
     "2023-09-13 Site visit to Luton: night shelter capacity"),
    ("Move the partnership board to six-weekly",
     "2023-09-13 Site visit to Luton: night shelter capacity"),
    ("Agree the revised theory of change", "2023-10-19 Luton check-in: weekly case conference"),
    ("Share the action log with all partners after each meeting",
     "2023-10-19 Luton check-in: weekly case conference"),
    ("Record every new grant in the funding map",
     "2023-10-19 Luton check-in: weekly case conference"),
]  # fmt: skip


def test_luton_decisions_on_the_sample_are_every_meeting_of_the_pilot(sample_db: Database) -> None:
    """A tester saw only the first meeting's two decisions on ``R`` for Luton (demo copy).

    The store lists all eleven and a meeting logged today: Luton has no review of its own (the
    programme board's quarterly review, pilot-less, is not Luton's). What hid the rest was the
    review screen, which does not scroll to items below the fold (reported to its owner).
    """
    from datetime import date, datetime

    from pfpp_tui.sample.anchor import SAMPLE_ANCHOR
    from pfpp_tui.store.directory.workflow_lookup import pilot_by_name
    from pfpp_tui.store.work.meeting_log import log_meeting

    with sample_db.read() as session:
        luton = pilot_by_name(session, "Luton").id
    agenda = build_agenda(sample_db, pilot_id=luton, today=SAMPLE_ANCHOR)
    assert agenda.last_review is None
    decisions = agenda.in_section(AgendaSection.DECISIONS)
    assert [(i.label, i.detail) for i in decisions] == LUTON_DECISIONS
    assert {i.table for i in decisions} == {"meeting"}

    held = datetime(2023, 11, 8, 10)
    log_meeting(
        sample_db,
        pilot_id=luton,
        held_at=held,
        kind="pilot_check_in",
        title="Luton check-in today",
        attendee_ids=[],
        notes="= Agreed to pool the two grants",
        source=ChangeSource.CLI,
    )
    agenda = build_agenda(sample_db, pilot_id=luton, today=date(2023, 11, 8))
    assert [(i.label, i.detail) for i in agenda.in_section(AgendaSection.DECISIONS)] == [
        *LUTON_DECISIONS,
        ("Agreed to pool the two grants", "2023-11-08 Luton check-in today"),
    ]
