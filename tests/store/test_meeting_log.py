"""Logging a meeting: everything in the notes saved in one transaction, or nothing at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import (
    Action,
    Barrier,
    BarrierCategory,
    Change,
    ChangeSource,
    Contact,
    Meeting,
    MeetingAttendee,
)
from pfpp_tui.notes_markers import OwnerStatus
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.meeting_log import LoggedMeeting, NewPerson, log_meeting, preview_meeting
from tests.workflow_seed import TODAY, TYPICAL_NOTES, World, days_ago, seed_world


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _log(w: World, notes: str = TYPICAL_NOTES, **kw: object) -> LoggedMeeting:
    args: dict[str, object] = {
        "pilot_id": w["luton"],
        "held_at": days_ago(0, 14),
        "kind": "pilot_check_in",
        "title": "Luton check-in",
        "attendee_ids": [w[k] for k in ("ada", "ben", "cara", "dan", "eve")],
        "notes": notes,
        "source": ChangeSource.CLI,
    }
    args.update(kw)
    return log_meeting(w.db, **args)  # type: ignore[arg-type]


def test_a_typical_meeting_saves_everything_with_history(any_db: Database) -> None:
    w = seed_world(any_db)
    logged = _log(w)
    with any_db.read() as s:
        meeting = s.exec(select(Meeting)).one()
        assert meeting.title == "Luton check-in"
        assert meeting.decisions == "Agreed to pool the two grants"
        assert meeting.notes == TYPICAL_NOTES
        attendees = s.exec(select(MeetingAttendee.contact_id)).all()
        assert len(attendees) == 5
        actions = s.exec(select(Action).order_by(col(Action.id))).all()
        assert [a.owner_id for a in actions] == [w["ada"], w["cara"], w["ben"]]
        assert all(a.meeting_id == meeting.id and a.pilot_id == w["luton"] for a in actions)
        assert actions[0].due_date is not None and actions[0].due_date.weekday() == 4
        assert actions[2].due_date is None
        barrier = s.exec(select(Barrier)).one()
        assert barrier.category == BarrierCategory.STRUCTURE
        assert barrier.status == "new" and barrier.raised_on == TODAY
        assert barrier.meeting_id == meeting.id
        logged_changes = select(Change.batch).where(col(Change.source) == "cli")
        batches = set(s.exec(logged_changes).all())
        assert len(batches) == 1  # one gesture, one batch: undoable together
    assert logged.action_ids and len(logged.summary_lines()) == 2 + 5


def test_unknown_or_ambiguous_owner_saves_nothing(any_db: Database) -> None:
    w = seed_world(any_db)
    contacts = _count(any_db, Contact)
    for notes in ("- [ ] Chase it @nobody", "- [ ] Chase it @shah"):
        with pytest.raises(ValidationFailedError, match="line 1"):
            _log(w, notes, attendee_ids=[], new_people=[NewPerson("Fay", "Khan")])
    assert _count(any_db, Meeting) == 0
    assert _count(any_db, Action) == 0
    assert _count(any_db, Contact) == contacts


def test_attendees_break_an_owner_tie(any_db: Database) -> None:
    w = seed_world(any_db)
    preview = preview_meeting(any_db, notes="- [ ] x @shah", day=TODAY, attendee_ids=[w["bea"]])
    match = preview.owner_of(preview.actions[0])
    assert match is not None and match.status is OwnerStatus.RESOLVED
    assert match.contact_id == w["bea"]


def test_bad_input_is_refused(any_db: Database) -> None:
    w = seed_world(any_db)
    with pytest.raises(ValidationFailedError, match="title"):
        _log(w, title="   ")
    with pytest.raises(ValidationFailedError, match="kind"):
        _log(w, kind="picnic")
    with pytest.raises(ValidationFailedError, match="not a date"):
        _log(w, "- [ ] x due:someday")
    with pytest.raises(NotFoundError):
        _log(w, pilot_id=9999)
    with pytest.raises(NotFoundError):
        _log(w, attendee_ids=[9999])
    assert _count(any_db, Meeting) == 0


def test_new_people_are_created_and_can_own_actions(any_db: Database) -> None:
    w = seed_world(any_db)
    logged = _log(
        w,
        "- [ ] Draft the pre-partnership agreement @khan due:+1w",
        new_people=[NewPerson("Fay", "Khan", "fay.khan@vcs.example", w["lbc"])],
    )
    with any_db.read() as s:
        fay = s.exec(select(Contact).where(col(Contact.last_name) == "Khan")).one()
        action = s.exec(select(Action)).one()
        assert action.owner_id == fay.id
        assert logged.new_contact_ids == (fay.id,)
        assert fay.id in logged.attendee_ids


def test_done_actions_are_saved_done(db: Database) -> None:
    w = seed_world(db)
    _log(w, "[x] Circulate the slides @ada")
    with db.read() as s:
        action = s.exec(select(Action)).one()
        assert action.status == "done" and action.completed_on == TODAY
