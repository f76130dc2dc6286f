"""The workflow keys and insight commands driven through the real app (``PfppApp.run_test``).

Each test presses the keys a user would — ``m`` ``t`` ``R`` ``a`` ``h`` ``0`` and the palette —
on a seeded SQLite file, then checks the screen that opened, its widgets, and the rows stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import TODAY, Seeded  # type: ignore[import-not-found]
from sqlmodel import col, func, select
from textual import events
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from pfpp_tui.models import (
    Action,
    Barrier,
    ChangeSource,
    Meeting,
    MeetingAttendee,
    MeetingKind,
)
from pfpp_tui.shapes.partnership import Agreement
from pfpp_tui.store.db.changes import record_history
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.insight.partnership_health import add_assessment
from pfpp_tui.store.work.partnership import get_agreement, save_agreement
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.coverage import CoverageScreen
from pfpp_tui.tui.screens.history import HistoryScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.screens.patterns import PatternsScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from pfpp_tui.tui.widgets.overview import OverviewPanel
from pfpp_tui.tui.widgets.partnership_ratings import PartnershipRatings
from pfpp_tui.tui.widgets.record_table import RecordTable


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


async def _on_luton(pilot: Any, app: PfppApp) -> None:
    """Pilots section, cursor on Luton (sorted by name: Hackney, Luton)."""
    await settle(pilot)
    await pilot.press("1")
    await settle(pilot)
    await pilot.press("j")
    await settle(pilot)
    assert isinstance(app.screen, SectionScreen)
    assert app.screen.looking_at().label == "Luton"


async def _palette(pilot: Any, app: PfppApp, text: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    await settle(pilot)
    await pilot.pause(0.3)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_m_logs_a_meeting_for_the_pilot_in_view_and_ctrl_z_undoes_it(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    luton = seeded.ids["luton"]
    before = _count(check_db, Meeting, col(Meeting.pilot_id) == luton)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _on_luton(pilot, app)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingLogScreen)
        assert screen.pilot is not None and screen.pilot.id == luton
        assert screen.query_one("#pilot", Input).value == "Luton"
        await pilot.press(*"patel", "enter")  # focus starts on attendees: the pilot is known
        await settle(pilot)
        assert [a.contact_id for a in screen.attendees] == [seeded.ids["patel"]]
        await pilot.press("enter")  # empty attendee field: on to the notes
        await pilot.press(*"- [ ] Ring the outreach team @patel due:+1w")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert _count(check_db, Meeting, col(Meeting.pilot_id) == luton) == before + 1
        with check_db.read() as session:
            meeting = session.exec(select(Meeting).order_by(col(Meeting.id).desc())).first()
            assert meeting is not None and meeting.pilot_id == luton
            meeting_id = meeting.id
        assert _count(check_db, MeetingAttendee, col(MeetingAttendee.meeting_id) == meeting_id) == 1
        assert _count(check_db, Action, col(Action.meeting_id) == meeting_id) == 1
        assert app.undo_stack and "logged meeting" in app.undo_stack[-1][1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert _count(check_db, Meeting, col(Meeting.pilot_id) == luton) == before
        assert _count(check_db, Action, col(Action.meeting_id) == meeting_id) == 0


def _new_barrier(path: Path, pilot_id: int) -> int:
    db = open_database(path)
    try:
        values = {"pilot_id": pilot_id, "title": "No single contact for street culture",
                  "raised_on": TODAY - timedelta(days=2)}  # fmt: skip
        return int(create_record(db, table="barrier", values=values, source=ChangeSource.SAMPLE).id)
    finally:
        db.dispose()


async def test_t_triages_with_priority_keys_and_ctrl_z_after_leaving_undoes(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    barrier_id = _new_barrier(path, seeded.ids["luton"])

    def barrier() -> dict[str, str]:
        with check_db.read() as session:
            row = session.get(Barrier, barrier_id)
            assert row is not None
            return {"category": row.category, "severity": row.severity, "status": row.status}

    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")  # from any section
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BarrierTriageScreen)
        assert screen.context is not None and screen.context.id == barrier_id
        await pilot.press("3")  # funding — not section 3
        await settle(pilot)
        assert app.screen is screen and app.current_mode == "meetings"
        assert barrier()["category"] == "funding"
        await pilot.press("h")  # severity high — not history
        await settle(pilot)
        assert app.screen is screen and barrier()["severity"] == "high"
        await pilot.press("0")  # other — not the overview
        await settle(pilot)
        assert app.screen is screen and barrier()["category"] == "other"
        await pilot.press("ctrl+z")  # inside triage: the last triage decision
        await settle(pilot)
        assert barrier()["category"] == "funding"
        await pilot.press("enter")  # triaged: leaves the queue
        await settle(pilot)
        assert barrier()["status"] == "triaged"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        descriptions = [d for _, d in app.undo_stack]
        assert len(descriptions) == 3
        assert all(d.startswith(f"triage of barrier {barrier_id} ") for d in descriptions)
        await pilot.press("ctrl+z")  # after leaving: through the history
        await settle(pilot)
        assert barrier()["status"] == "new"


async def test_shift_r_reviews_the_highlighted_pilot_with_agreements_past_review(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    luton = seeded.ids["luton"]
    save_agreement(
        check_db,
        Agreement(
            pilot_id=luton,
            pilot="Luton",
            purpose="Street culture",
            review_date=TODAY - timedelta(days=10),
        ),
        source=ChangeSource.CLI,
    )
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _on_luton(pilot, app)
        await pilot.press("R")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.pilot_id == luton
        assert screen.agenda is not None
        body = str(screen.query_one("#review-body", Static).render())
        assert "Agreements past their review date" in body
        assert "Luton pre-partnership agreement" in body
        first = screen.agenda.items[0]
        assert (first.table, first.id) == ("action", seeded.ids["overdue"])
        await pilot.press("d", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
    with check_db.read() as session:
        action = session.get(Action, seeded.ids["overdue"])
        assert action is not None and action.status == "done"
        review = session.exec(select(Meeting).where(col(Meeting.kind) == MeetingKind.REVIEW)).one()
        assert review.pilot_id == luton and "Done" in review.decisions


async def test_shift_r_on_an_organisation_and_on_nothing(seeded_path: tuple[Path, Seeded]) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")  # Organisations, sorted by name: DESNZ, Home Office, Luton BC
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.organisation_id == seeded.ids["home_office"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("T")  # teams: a review does not apply
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "teams"


async def test_a_opens_the_pilot_agreement_from_a_pilot_or_a_person(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _on_luton(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.pilot_id == seeded.ids["luton"]
        title = str(screen.query_one("#agreement-title", Static).render())
        assert "Luton" in title and "no agreement yet" in title
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("2", "j")  # People, newest first: Okafor, Jones — Jones works on Luton
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert app.screen.looking_at().label == "Gareth Jones"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.pilot_id == seeded.ids["luton"]


async def test_a_saved_agreement_joins_ctrl_z(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    luton = seeded.ids["luton"]
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _on_luton(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"Street culture together")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get_agreement(check_db, luton).purpose == "Street culture together"
        await pilot.press("escape")
        await settle(pilot)
        assert app.undo_stack and "agreement" in app.undo_stack[-1][1]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert get_agreement(check_db, luton).id is None


async def test_h_shows_the_history_of_the_highlighted_and_the_open_record(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    luton = seeded.ids["luton"]
    with check_db.read() as session:
        # The pilot's own rows and its members' (contact_pilot), newest first.
        expected = record_history(session, table="pilot", row_id=luton)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _on_luton(pilot, app)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(expected) >= 1
        first = table.row_count - 1
        assert table.get_row_at(first)[3] == "created"
        assert table.get_row_at(first)[1] == expected[first].actor
        table.move_cursor(row=first)
        await settle(pilot)
        changes = str(screen.query_one("#history-changes", Static).render())
        assert "Name: — → Luton" in changes  # the field by its label
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the full record, then its history
        await settle(pilot)
        assert isinstance(app.screen, RecordViewScreen)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen) and app.screen.row_id == luton


async def test_0_shows_the_overview_numbers_and_enter_opens_the_pilot(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        panel = app.screen.query_one(OverviewPanel)
        assert panel.data is not None
        overdue = _count(check_db, Action, col(Action.status) != "done",
                         col(Action.due_date) < date.today())  # fmt: skip
        status = str(panel.query_one("#overview-status", Static).render())
        assert status.startswith(f"2 pilots · 2 open actions ({overdue} overdue)")
        table = panel.query_one("#overview-pilots", DataTable)
        assert table.row_count == 2
        names = [str(table.get_row_at(i)[0]) for i in range(2)]
        for _ in range(names.index("Luton")):
            await pilot.press("j")  # j/k move here as in every section
        await settle(pilot)
        assert table.cursor_row == names.index("Luton")
        assert app.screen.looking_at().pilot is not None
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "pilots"
        assert isinstance(app.screen, RecordViewScreen)
        assert app.screen.detail.id == seeded.ids["luton"]


async def test_palette_opens_the_insight_screens(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await _palette(pilot, app, "Insight: coverage")
        assert isinstance(app.screen, CoverageScreen)
        assert app.screen.matrix is not None
        assert [name for _, name in app.screen.matrix.pilots] == ["Hackney", "Luton"]
        await pilot.press("escape")
        await settle(pilot)
        await _palette(pilot, app, "Insight: barrier patterns")
        assert isinstance(app.screen, PatternsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)


async def test_slash_then_a_burst_of_keys_all_land_in_the_filter(
    seeded_path: tuple[Path, Seeded],
) -> None:
    """A terminal delivers "/pilot:luton" in one read: no letter may reach the table keys."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        for char in "/pilot:luton":
            key = {"/": "slash", ":": "colon"}.get(char, char)
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await settle(pilot)
        await pilot.pause(0.2)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen), "a letter opened a form"
        assert not isinstance(screen, RecordFormScreen)
        assert screen.query_one("#filter", Input).value == "pilot:luton"
        assert screen.filter_text == "pilot:luton"
        assert screen.query_one(RecordTable).total == 2  # Jones and Patel


async def test_pilot_detail_shows_partnership_ratings(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    for day, history in ((date(2024, 1, 10), 2), (date(2024, 6, 10), 4)):
        add_assessment(check_db, {"pilot_id": seeded.ids["luton"], "assessed_on": day,
                                  "assessor_name": "Facilitator", "history_rating": history,
                                  "attitudes_rating": 3, "vcs_rating": 3, "capacity_rating": 2},
                       source=ChangeSource.CLI)  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        ratings = app.screen.query_one(PartnershipRatings)
        assert ratings.display and ratings.summary is None  # Hackney: not assessed
        assert "not assessed yet" in str(ratings.render())
        await pilot.press("j")
        await settle(pilot)
        assert ratings.display and ratings.summary is not None
        assert ratings.summary.latest.ratings["history"] == 4
        assert ratings.summary.change["history"] == 2
        assert "▲ +2" in str(ratings.render())
        await pilot.press("2")
        await settle(pilot)
        assert not app.screen.query_one(PartnershipRatings).display  # people have none


async def test_records_name_organisations_as_they_were_then(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """DESNZ was BEIS until 7 Feb 2023: a 2022 barrier, meeting and grant say so."""
    path, seeded = seeded_path
    ids = seeded.ids

    def add(table: str, **values: Any) -> int:
        record = create_record(check_db, table=table, values=values, source=ChangeSource.SAMPLE)
        return int(record.id)

    add("barrier", pilot_id=ids["hackney"], title="Warm homes grant rules", status="escalated",
        raised_on=date(2022, 6, 1), escalated_to_organisation_id=ids["desnz"])  # fmt: skip
    official = add("contact", first_name="Rhys", last_name="Owen",
                   organisation_id=ids["desnz"])  # fmt: skip
    meeting = add("meeting", pilot_id=ids["hackney"], title="Fuel poverty deep-dive",
                  held_at=datetime(2022, 5, 4, 10, 0))  # fmt: skip
    add("meeting_attendee", meeting_id=meeting, contact_id=official)
    add("funding_flow", pilot_id=ids["hackney"], pot="Home upgrade", amount_gbp=90000,
        financial_year="2022-23", source_organisation_id=ids["desnz"])  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def pane() -> str:
            body = app.screen.query_one("#detail-body", Static).render()
            return f"{body}\n{app.screen.query_one('#detail-links', Static).render()}"

        await pilot.press("6")  # barriers, newest first: the 2022 one was added last
        await settle(pilot)
        assert "Department for Business, Energy and Industrial Strategy (now Department for " \
               "Energy Security and Net Zero)" in pane()  # fmt: skip
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        row = next(i for i, r in table.rows.items() if r.id == meeting)
        table.cursor = row
        await settle(pilot)
        assert "Rhys Owen · BEIS (now DESNZ)" in pane()
        await pilot.press("1")  # Hackney is first
        await settle(pilot)
        assert "2022-23 BEIS (now DESNZ): Home upgrade £90,000" in pane()
