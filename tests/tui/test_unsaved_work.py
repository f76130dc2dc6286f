"""The new/edit record form never throws typed work away without asking.

``escape`` then ``y`` discards (nothing stored, form gone), ``n`` (or ``escape`` again) keeps
editing with the text intact, ``ctrl+s`` saves; an unchanged form closes at once. Also: a long
value opens showing its start, not its last words.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input

from pfpp_tui.models import Barrier
from pfpp_tui.models import Pilot as PilotRow
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import get_record
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import World, seed_world

ADDED = " (fear of failure)"
LONG_TITLE = (
    "Risk aversion about trying something new with a place, in every department that would"
    " have to sign off the pooled budget before the pilot board meets again"
)


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _barrier(db: Database) -> tuple[World, int]:
    w = seed_world(db)
    row = w.add("risk", "barrier", title=LONG_TITLE, pilot_id=w["luton"], raised_on=date.today())
    return w, row


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_unchanged_form_closes_at_once(db: Database) -> None:
    _, row = _barrier(db)
    app = HostApp(RecordFormScreen(db, "barrier", get_record(db, table="barrier", row_id=row)))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, "escape")
        assert not isinstance(app.screen, (RecordFormScreen, DiscardChangesScreen))
    assert app.results == [None]


async def test_new_form_escape_asks_then_y_discards(db: Database) -> None:
    seed_world(db)
    before = _count(db, PilotRow)
    app = HostApp(RecordFormScreen(db, "pilot"))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, *"Wakefield")
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)
        assert "Unsaved: a new pilot — y discard · n keep editing · ctrl+s save" in str(
            app.screen.query_one("#question").render()
        )
        await _press(pilot, "y")
        assert not isinstance(app.screen, (RecordFormScreen, DiscardChangesScreen))
    assert app.results == [None]
    assert _count(db, PilotRow) == before


async def test_edit_form_escape_then_n_keeps_editing(db: Database) -> None:
    _, row = _barrier(db)
    app = HostApp(RecordFormScreen(db, "barrier", get_record(db, table="barrier", row_id=row)))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, *ADDED)  # added at the end of the title
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)
        await _press(pilot, "n")
        assert isinstance(app.screen, RecordFormScreen)
        assert app.screen.query_one("#field-title", Input).value == LONG_TITLE + ADDED
        await _press(pilot, "escape", "escape")  # escape in the prompt keeps editing too
        assert isinstance(app.screen, RecordFormScreen)
        assert app.results == []
    with db.read() as session:
        stored = session.get(Barrier, row)
        assert stored is not None and stored.title == LONG_TITLE


async def test_edit_form_escape_then_ctrl_s_saves(db: Database) -> None:
    _, row = _barrier(db)
    app = HostApp(RecordFormScreen(db, "barrier", get_record(db, table="barrier", row_id=row)))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, *ADDED)
        await _press(pilot, "escape", "ctrl+s")
        assert not isinstance(app.screen, (RecordFormScreen, DiscardChangesScreen))
    assert len(app.results) == 1 and app.results[0] is not None
    with db.read() as session:
        stored = session.get(Barrier, row)
        assert stored is not None and stored.title == LONG_TITLE + ADDED


async def test_changing_a_choice_or_tag_counts_as_a_change(db: Database) -> None:
    _, row = _barrier(db)
    app = HostApp(RecordFormScreen(db, "barrier", get_record(db, table="barrier", row_id=row)))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RecordFormScreen)
        assert not form.changed
        form.query_one("#field-principles").select("trust")  # type: ignore[attr-defined]
        await settle(pilot)
        assert form.changed
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)


async def test_edit_form_opens_with_the_cursor_at_the_end_and_nothing_selected(
    db: Database,
) -> None:
    """Typing into an edit form adds to the title: focus selected it all, and the first key
    replaced the whole title."""
    _, row = _barrier(db)
    app = HostApp(RecordFormScreen(db, "barrier", get_record(db, table="barrier", row_id=row)))
    async with app.run_test(size=(80, 50)) as pilot:
        await settle(pilot)
        title = app.screen.query_one("#field-title", Input)
        assert app.focused is title
        assert title.cursor_position == len(LONG_TITLE)
        assert title.selected_text == ""
        await _press(pilot, *ADDED)
        assert title.value == LONG_TITLE + ADDED
