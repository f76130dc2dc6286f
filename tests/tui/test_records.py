"""Forms, delete/archive, undo and the full record: each asserted on screen and in the database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import select
from textual.widgets import Input, OptionList, Static

from pfpp_tui.models import Action, ChangeSource, Contact, Pilot
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import get_record, update_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.dialogs import ConfirmScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.link_input import LinkInput
from pfpp_tui.tui.widgets.record_table import RecordTable


async def _open(pilot: object, *keys: str) -> None:
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await settle(pilot)


def _form(app: PfppApp) -> RecordFormScreen:
    assert isinstance(app.screen, RecordFormScreen)
    return app.screen


async def _type(pilot: object, app: PfppApp, field: str, text: str) -> None:
    widget = app.screen.query_one(f"#field-{field}")
    target = widget.query_one(Input) if isinstance(widget, LinkInput) else widget
    assert isinstance(target, Input)
    target.focus()
    target.value = ""
    await pilot.press(*text)  # type: ignore[attr-defined]
    await settle(pilot)


def _hint(app: PfppApp, field: str) -> str:
    return str(app.screen.query_one(f"#hint-{field}", Static).render())


async def test_new_pilot_saved_only_when_valid(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "1")
        await _open(pilot, "n")
        _form(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Name is required" in _hint(app, "name")
        await _type(pilot, app, "start_date", "soon")
        assert "not a date" in _hint(app, "start_date")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        with check_db.read() as session:
            assert len(list(session.exec(select(Pilot)))) == 2  # nothing saved
        await _type(pilot, app, "name", "Wakefield")
        await _type(pilot, app, "start_date", "+2w")
        assert "→" in _hint(app, "start_date")
        await _type(pilot, app, "lead_organisation_id", "luton boro")
        options = app.screen.query_one("#field-lead_organisation_id").query_one(OptionList)
        assert options.option_count >= 1
        await pilot.press("enter")  # picks the highlighted suggestion
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        with check_db.read() as session:
            row = session.exec(select(Pilot).where(Pilot.name == "Wakefield")).one()
            assert row.start_date == date.today() + timedelta(weeks=2)
            assert row.lead_organisation_id == seeded_path[1].ids["luton_bc"]
        assert app.undo_stack and app.undo_stack[-1][1].startswith("added pilot")


async def test_edit_action_and_undo(seeded_path: tuple[Path, Seeded], check_db: Database) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "5")  # newest first: "Circulate minutes"
        table = app.screen.query_one(RecordTable)
        assert table.highlighted_id == seeded.ids["done"]
        await _open(pilot, "e")
        await _type(pilot, app, "title", "Circulate minutes to partners")
        await _type(pilot, app, "due_date", "2026-12-01")
        await pilot.press("ctrl+s")
        await settle(pilot)
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes to partners"
        assert action["due_date"] == date(2026, 12, 1)
        await pilot.press("ctrl+z")
        await settle(pilot)
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes"
        assert app.undo_stack == []
        await pilot.press("ctrl+z")  # nothing left: says so, keeps running
        await settle(pilot)
        assert app.is_running


async def test_stale_edit_is_refused_and_reload_offered(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "1")  # Hackney first
        await _open(pilot, "e")
        update_record(check_db, table="pilot", row_id=seeded.ids["hackney"],
                      changes={"notes": "changed elsewhere"}, source=ChangeSource.CLI)  # fmt: skip
        await _type(pilot, app, "project_name", "Ageing Well")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "was changed by tester" in str(app.screen.query_one("#form-error", Static).render())
        assert not app.screen.query_one("#reload").has_class("hidden")
        assert (
            get_record(check_db, table="pilot", row_id=seeded.ids["hackney"])["project_name"] == ""
        )
        await pilot.click("#reload")
        await settle(pilot)
        notes = app.screen.query_one("#field-notes", Input)
        assert notes.value == "changed elsewhere"
        await _type(pilot, app, "project_name", "Ageing Well")
        await pilot.press("ctrl+s")
        await settle(pilot)
        record = get_record(check_db, table="pilot", row_id=seeded.ids["hackney"])
        assert (record["project_name"], record["notes"]) == ("Ageing Well", "changed elsewhere")


async def test_delete_with_confirmation_then_undo(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "6")
        await _open(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await _open(pilot, "n")  # backs out
        with check_db.read() as session:
            assert session.exec(select(Action)).first() is not None
        await _open(pilot, "d")
        await _open(pilot, "y")
        assert app.screen.query_one(RecordTable).total == 0
        from pfpp_tui.errors import NotFoundError

        try:
            get_record(check_db, table="barrier", row_id=seeded.ids["barrier"])
            raise AssertionError("barrier should be gone")
        except NotFoundError:
            pass
        await _open(pilot, "ctrl+z")
        back = get_record(check_db, table="barrier", row_id=seeded.ids["barrier"])
        assert back["title"] == "Police data cannot be shared with outreach"
        assert app.screen.query_one(RecordTable).total == 1


async def test_people_are_archived_not_deleted(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "2")
        row_id = app.screen.query_one(RecordTable).highlighted_id
        await _open(pilot, "d")
        assert "Archive" in str(app.screen.query_one("#question", Static).render())
        await _open(pilot, "y")
        with check_db.read() as session:
            contact = session.get(Contact, row_id)
            assert contact is not None and contact.archived
        cells = app.screen.query_one(RecordTable).rows[0].cells
        assert cells[0].endswith("(archived)")


async def test_enter_opens_full_record_and_links_navigate(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, _seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "1")
        await _open(pilot, "j")  # Luton
        await _open(pilot, "enter")
        assert isinstance(app.screen, RecordViewScreen)
        assert app.screen.detail.title == "Luton"
        links = app.screen.links
        target = next(i for i in links if i.table == "action")
        await _open(pilot, *["down"] * links.index(target), "enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordViewScreen)
        assert (app.screen.detail.table, app.screen.detail.id) == ("action", target.id)
        await _open(pilot, "escape")
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "actions"


async def test_new_meeting_with_natural_datetime(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    from pfpp_tui.models import Meeting

    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "4")
        await _open(pilot, "n")
        await _type(pilot, app, "title", "Hackney check-in")
        await _type(pilot, app, "held_at", "tomorrow 14:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        with check_db.read() as session:
            meeting = session.exec(select(Meeting).where(Meeting.title == "Hackney check-in")).one()
            assert meeting.held_at.date() == date.today() + timedelta(days=1)
            assert (meeting.held_at.hour, meeting.held_at.minute) == (14, 30)


async def test_delete_warns_about_linked_records(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _open(pilot, "1", "j")  # Luton: partners, meetings, actions, barrier, funding
        await _open(pilot, "d")
        question = str(app.screen.query_one("#question", Static).render())
        assert "Linked from" in question and "action" in question
        await _open(pilot, "escape")
        assert get_record(check_db, table="pilot", row_id=seeded_path[1].ids["luton"])
