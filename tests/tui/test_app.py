"""App-wide behaviour: help, keymap and theme from config, the command palette, saved views."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import select
from textual.command import Command, CommandList, CommandPalette
from textual.widgets import DataTable, Input, Static

from pfpp_tui.config import Settings, load_settings, save_settings
from pfpp_tui.models import Pilot
from pfpp_tui.paths import config_path
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.help import HelpScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.record_table import RecordTable


async def _palette(pilot: object, app: PfppApp, text: str) -> None:
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.pause(0.3)  # type: ignore[attr-defined]
    await settle(pilot)


async def test_question_mark_lists_every_binding_with_ids(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {table.get_row_at(i)[2] for i in range(table.row_count)}
        assert {"record.new", "record.edit", "record.delete", "section.filter", "app.undo",
                "section.pilots", "app.quit", "record.open", "table.down"} <= ids  # fmt: skip
        await pilot.press("escape")
        assert isinstance(app.screen, SectionScreen)


async def test_keymap_from_config_remaps_bindings(seeded_path: tuple[Path, Seeded]) -> None:
    save_settings(Settings(keymap={"record.new": "a", "section.pilots": "p"}))
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "pilots"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)


async def test_broken_config_warns_and_uses_defaults(seeded_path: tuple[Path, Seeded]) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("theme = [unclosed", encoding="utf-8")
    assert load_settings().problem
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)


async def test_theme_from_palette_is_persisted(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, app, "Theme: high contrast")
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "pfpp-high-contrast"
    assert tomllib.loads(config_path().read_text())["theme"] == "pfpp-high-contrast"
    again = PfppApp(str(seeded_path[0]))
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "pfpp-high-contrast"


def _palette_titles(app: PfppApp) -> list[str]:
    listed = app.screen.query_one(CommandList)
    options = [listed.get_option_at_index(i) for i in range(listed.option_count)]
    return [str(option.hit.text) for option in options if isinstance(option, Command)]


@pytest.mark.parametrize("typed", ["", "theme"])
async def test_palette_lists_one_set_of_theme_commands(
    seeded_path: tuple[Path, Seeded], typed: str
) -> None:
    """Textual's own "Theme" picker used to sit beside ours: one way to change theme, not two."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, app, typed)
        titles = _palette_titles(app)
        themes = [t for t in titles if t.lower().startswith("theme")]
        assert sorted(themes) == ["Theme: dark", "Theme: high contrast", "Theme: light"]
        if not typed:
            assert {"Quit", "Keys", "Screenshot"} <= set(titles)  # Textual's others stay


async def test_palette_goes_to_a_person_by_fuzzy_name(seeded_path: tuple[Path, Seeded]) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, app, "ngozi okafr")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordViewScreen)
        assert (app.screen.detail.table, app.screen.detail.id) == ("contact", seeded.ids["okafor"])
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(RecordTable).highlighted_id == seeded.ids["okafor"]


@pytest.mark.parametrize(("text", "table"), [("New pilot", "pilot"), ("New barrier", "barrier")])
async def test_palette_new_record(
    seeded_path: tuple[Path, Seeded], check_db: Database, text: str, table: str
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, app, text)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen) and app.screen.table == table
        if table == "pilot":
            app.screen.query_one("#field-name", Input).value = "Bradford"
            await pilot.press("ctrl+s")
            await settle(pilot)
            with check_db.read() as session:
                assert session.exec(select(Pilot).where(Pilot.name == "Bradford")).one()


async def test_views_save_and_open(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "slash", *"status:open")
        await settle(pilot)
        await pilot.press("enter")
        await _palette(pilot, app, "View: save")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"open actions", "enter")
        await settle(pilot)
        assert load_settings().views == {"actions": {"open actions": "status:open"}}
        await pilot.press("escape")  # clear the filter
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.filter_text == ""
        await _palette(pilot, app, "View: open open actions")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.filter_text == "status:open"
        assert screen.query_one("#filter", Input).value == "status:open"


async def test_unusable_database_is_reported_not_crashed(tmp_path: Path) -> None:
    app = PfppApp(str(tmp_path))  # a directory
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = str(app.screen.query_one("#start-message", Static).render())
        assert "Cannot open the database" in message and "directory" in message
        await pilot.press("1")  # sections stay closed, nothing crashes
        await settle(pilot)
        assert app.is_running


async def test_unusable_database_is_reported_when_launched_into_a_section(tmp_path: Path) -> None:
    app = PfppApp(str(tmp_path), section="contacts")  # a directory; People composes first
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = str(app.screen.query_one("#start-message", Static).render())
        assert "Cannot open the database" in message and "directory" in message
        await pilot.press("n", "1")  # the section behind it stays closed, nothing crashes
        await settle(pilot)
        assert app.is_running
        await pilot.press("q")
        await settle(pilot)
        assert not app.is_running


async def test_launched_into_a_section_it_is_the_first_screen_with_rows(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.section.key == "contacts"
        assert app.current_mode == "contacts" and len(app.screen_stack) == 1  # no start screen
        assert screen.query_one(RecordTable).rows
        await pilot.press("0")
        await settle(pilot)
        assert app.current_mode == "overview"


async def test_a_slow_database_shows_the_section_loading_then_its_rows(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    import pfpp_tui.store.db.database as database_module
    import pfpp_tui.tui.app as app_module

    opening = threading.Event()

    def slow_open(location: object) -> Database:
        opening.wait(30)  # a busy disk or a far server: the real database, opened late
        return open_database(location)  # type: ignore[arg-type]

    monkeypatch.setattr(database_module, "open_database", slow_open)
    monkeypatch.setattr(app_module, "OPEN_WAIT_S", 0.05)
    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SectionScreen) and not app.is_open
        assert "Loading…" in screen.query_one(RecordTable).empty_text
        await pilot.press("slash", *"patel", "enter")  # before it opens: held, not lost
        assert app.screen is screen and screen.filter_text == ""
        opening.set()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen) and app.is_open
        table = screen.query_one(RecordTable)
        assert screen.filter_text == "patel" and screen.total is not None
        assert all("patel" in " ".join(row.cells).lower() for row in table.rows.values())
