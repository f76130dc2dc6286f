"""Sections stay fresh and honest: reloaded when shown again, truthful headers, keys on screen.

Each test drives the real app on a real seeded SQLite file, waits for the workers, and asserts
on the widgets and on the rows stored (read through a second connection).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlalchemy import func
from sqlmodel import col, select
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, Static

from pfpp_tui.models import Action, ChangeSource, Contact, Organisation
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.listing.browse import count_rows, fetch_page
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.commands import PfppCommands, article
from pfpp_tui.tui.screens.help import HelpScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.section import SectionScreen, rows_text, sort_text
from pfpp_tui.tui.widgets.key_bar import KeyBar
from pfpp_tui.tui.widgets.record_table import RecordTable


def _section(app: PfppApp) -> SectionScreen:
    screen = app.screen
    assert isinstance(screen, SectionScreen)
    return screen


def _title(app: PfppApp) -> str:
    return str(_section(app).query_one("#section-title", Static).render())


def _detail(app: PfppApp) -> str:
    return str(_section(app).query_one("#detail-body", Static).render())


def _ids(app: PfppApp) -> list[int]:
    table = _section(app).query_one(RecordTable)
    return [table.rows[i].id for i in sorted(table.rows)]


def _count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


async def _keys(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


# --- 1. stale tables ---------------------------------------------------------------------


async def test_undone_creation_leaves_the_section_it_was_made_in(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """The tester's repro: 5, n, a title, ctrl+s, 6, ctrl+z, 5 — the row must be gone."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5", "n")
        assert isinstance(app.screen, RecordFormScreen)
        title = app.screen.query_one("#field-title", Input)
        title.focus()
        await _keys(pilot, *"Repro stale row")
        await _keys(pilot, "ctrl+s")
        with check_db.read() as session:
            new_id = session.exec(select(Action.id).where(Action.title == "Repro stale row")).one()
        assert _ids(app)[0] == new_id and "4 rows" in _title(app)
        await _keys(pilot, "6", "ctrl+z")
        assert _count(check_db, Action, col(Action.id) == new_id) == 0
        await _keys(pilot, "5")
        assert new_id not in _ids(app)
        assert _ids(app) == [r.id for r in fetch_page(check_db, "actions").rows]
        assert "3 rows" in _title(app) and count_rows(check_db, "actions") == 3
        assert "Repro stale row" not in _detail(app)


async def test_a_change_made_elsewhere_shows_when_the_section_is_shown_again(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """Someone else (another connection) adds an organisation while People is on screen."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "3")
        assert "3 rows" in _title(app)
        await _keys(pilot, "2")
        added = create_record(check_db, table="organisation", values={"name": "Aardvark Trust"},
                              source=ChangeSource.CLI)  # fmt: skip
        await _keys(pilot, "3")
        assert _count(check_db, Organisation) == 4
        assert "4 rows" in _title(app) and added.id in _ids(app)
        await _keys(pilot, "0")
        body = str(app.screen.query_one("#overview-body", Static).render())
        assert "Orgs & teams 4/1 team " in body  # counted again, and "1 team", not "1 teams"


async def test_actions_logged_in_a_meeting_show_in_actions(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path = seeded_path[0]
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5")  # Actions is alive (a mode) from here on
        before = list(_ids(app))
        await _keys(pilot, "1", "j", "m")  # Luton: log a meeting with one action
        assert isinstance(app.screen, MeetingLogScreen)
        await _keys(pilot, *"patel", "enter")
        await pilot.press("enter", *"- [ ] Ring the outreach team @patel due:+1w")
        await _keys(pilot, "ctrl+s")
        with check_db.read() as session:
            made = session.exec(
                select(Action.id, Action.title).order_by(col(Action.id).desc())
            ).first()
        assert made is not None and made[1].startswith("Ring the outreach team")
        await _keys(pilot, "5")
        assert _ids(app) == [made[0], *before]
        assert "4 rows" in _title(app)


async def test_reloads_only_when_shown_again_not_on_first_show_or_after_help(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5")
        screen = _section(app)
        assert screen.generation == 1  # loaded once: the first show is not loaded twice
        await _keys(pilot, "j")
        await _keys(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await _keys(pilot, "escape")
        assert screen.generation == 1  # a dialog that changed nothing: no reload
        await _keys(pilot, "0", "5")
        assert app.screen is screen and screen.generation == 2
        assert screen.query_one(RecordTable).cursor == 1  # the cursor stayed where it was


async def test_first_section_is_loaded_once(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _section(app).generation == 1


# --- 2. nothing matches ------------------------------------------------------------------


async def test_no_filter_match_empties_the_detail_pane(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5")
        assert "Circulate minutes" in _detail(app)
        await _keys(pilot, "slash", *"zzzqqq")
        assert count_rows(check_db, "actions", filter_text="zzzqqq") == 0
        assert _section(app).query_one(RecordTable).total == 0 and "0 rows" in _title(app)
        assert "Nothing matches" in _detail(app) and "Circulate" not in _detail(app)
        assert _section(app).looking_at().row_id is None
        await _keys(pilot, "escape", "escape")  # to the table, then clear the filter
        assert "Circulate minutes" in _detail(app)


# --- 3. the order the header names is the order shown -------------------------------------


async def test_people_are_newest_first_and_the_header_says_so(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "2")
        with check_db.read() as session:
            newest_first = list(session.exec(select(Contact.id).order_by(col(Contact.id).desc())))
        assert _ids(app) == newest_first
        assert "sorted by newest first" in _title(app)
        await _keys(pilot, "S")  # reverse
        assert _ids(app) == newest_first[::-1]
        assert "sorted by oldest first" in _title(app)
        await _keys(pilot, "s")  # by the first column, A to Z
        assert "sorted by Name" in _title(app) and "descending" not in _title(app)


def test_sort_and_row_wording() -> None:
    assert sort_text("", True) == "newest first" and sort_text("", False) == "oldest first"
    assert sort_text("When", True) == "When (descending)" and sort_text("Name", False) == "Name"
    assert (rows_text(0), rows_text(1), rows_text(1234)) == ("0 rows", "1 row", "1,234 rows")
    assert [article(n) for n in ("organisation", "action", "person")] == [
        "an organisation", "an action", "a person",
    ]  # fmt: skip


# --- 4. keys act only on what is on screen -----------------------------------------------


async def test_e_on_the_overview_does_not_edit_the_hidden_action(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5")
        actions = _section(app)
        assert actions.query_one(RecordTable).highlighted_id == seeded.ids["done"]
        await _keys(pilot, "0", "e")
        assert isinstance(app.screen, OverviewScreen) and len(app.screen_stack) == 1
        # A worker asked for on Actions ("e", "enter", "d") that answers after the user left:
        # no form, view or question about the hidden action opens over the overview.
        actions._edit(seeded.ids["done"])
        actions._load_detail(seeded.ids["done"], "open")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen) and len(app.screen_stack) == 1
        await _keys(pilot, "5", "e")  # on screen again, "e" edits it
        assert isinstance(app.screen, RecordFormScreen)


async def test_view_answered_on_screen_still_opens(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5", "enter")
        assert isinstance(app.screen, RecordViewScreen)


# --- 6. ctrl+p and ctrl+q can be remapped -------------------------------------------------


async def test_palette_and_ctrl_q_have_ids_and_can_be_remapped(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "2", "question_mark")
        table = app.screen.query_one(DataTable)
        rows = {table.get_row_at(i)[2]: table.get_row_at(i)[0] for i in range(table.row_count)}
        assert rows["app.palette"] == "^p" and rows["app.quit-ctrl"] == "^q"
        await _keys(pilot, "escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)  # the key is unchanged
        await _keys(pilot, "escape")
        app.set_keymap({"app.palette": "ctrl+k"})
        await _keys(pilot, "ctrl+p")
        assert isinstance(app.screen, SectionScreen)
        await _keys(pilot, "ctrl+k")
        assert isinstance(app.screen, CommandPalette)
        await _keys(pilot, "escape")
        bar = app.screen.query_one(KeyBar).markup()  # the hint follows the remapped key
        assert "[b]^k[/b] commands" in bar and "^p" not in bar
        await _keys(pilot, "ctrl+q")
        assert not app.is_running and app.return_code == 0


# --- 7. grammar in the palette ------------------------------------------------------------


async def test_palette_new_commands_use_an_before_a_vowel(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5", "ctrl+p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        provider = PfppCommands(palette)
        helps = {title: text for title, _command, text in provider._commands()}
        assert helps["New organisation"] == "Add an organisation in a form"
        assert helps["New action"] == "Add an action in a form"
        assert helps["New person"] == "Add a person in a form"
