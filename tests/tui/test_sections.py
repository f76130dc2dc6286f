"""Every section: keys 0-6, the virtual table, moving, sorting, the filter and the detail pane."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import Input, Static

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.browse import count_rows
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.record_table import RecordTable


def _app(path: Path) -> PfppApp:
    return PfppApp(str(path))


def _table(app: PfppApp) -> RecordTable:
    return app.screen.query_one(RecordTable)


def _detail_text(app: PfppApp) -> str:
    """The detail pane: title and fields, then the links (two widgets, ratings between)."""
    body = str(app.screen.query_one("#detail-body", Static).render())
    links = str(app.screen.query_one("#detail-links", Static).render())
    return f"{body}\n{links}" if links else body


async def test_opens_on_overview_with_counts(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        body = str(app.screen.query_one("#overview-body", Static).render())
        assert "People" in body and "overdue: 1" in body


@pytest.mark.parametrize(
    ("key", "section"),
    [("1", "pilots"), ("2", "contacts"), ("3", "organisations"), ("4", "meetings"),
     ("5", "actions"), ("6", "barriers")],
)  # fmt: skip
async def test_number_keys_open_sections_with_all_rows(
    seeded_path: tuple[Path, Seeded], check_db: Database, key: str, section: str
) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.section.key == section
        table = _table(app)
        assert table.total == count_rows(check_db, section) == len(table.rows)
        assert table.highlighted_id is not None
        assert _detail_text(app) != "Nothing highlighted."
        await pilot.press("0")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_j_k_and_arrows_move_and_detail_follows(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # pilots sorted by name: Hackney, Luton
        await settle(pilot)
        assert "Hackney" in _detail_text(app)
        await pilot.press("j")
        await settle(pilot)
        assert _table(app).cursor == 1 and "Luton" in _detail_text(app)
        assert "Open actions" in _detail_text(app) and "Partners" in _detail_text(app)
        await pilot.press("k")
        await pilot.press("down")
        await pilot.press("up")
        await settle(pilot)
        assert _table(app).cursor == 0 and "Hackney" in _detail_text(app)


async def test_sort_by_column_key_and_header_click(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert [r.cells[0] for r in _table(app).rows.values()] == ["Hackney", "Luton"]
        await pilot.press("S")  # reverse
        await settle(pilot)
        assert [r.cells[0] for r in _table(app).rows.values()] == ["Luton", "Hackney"]
        await pilot.press("s")  # next column: lead organisation
        await settle(pilot)
        assert _table(app).sort_key == "lead"
        await pilot.click(RecordTable, offset=(2, 0))  # header of the first column
        await settle(pilot)
        assert _table(app).sort_key == "name"


async def test_filter_updates_as_you_type(seeded_path: tuple[Path, Seeded]) -> None:
    path, seeded = seeded_path
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash")
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        for char in "pilot:luton":
            await pilot.press(char)
        await settle(pilot)
        assert {r.id for r in _table(app).rows.values()} == {
            seeded.ids["patel"],
            seeded.ids["jones"],
        }
        await pilot.press(*" anti-social")
        await settle(pilot)
        assert [r.id for r in _table(app).rows.values()] == [seeded.ids["patel"]]
        assert "1 row ·" in str(app.screen.query_one("#section-title", Static).render())
        await pilot.press("enter")  # back to the table
        assert isinstance(app.focused, RecordTable)
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert _table(app).total == 3


async def test_bad_filter_says_why_and_keeps_rows(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"severity:high")
        await settle(pilot)
        assert "cannot be filtered by severity" in str(
            app.screen.query_one("#filter-error", Static).render()
        )
        await pilot.press("escape")
        assert isinstance(app.focused, RecordTable)


async def test_number_keys_type_into_the_filter(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "slash", *"due<7d")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "actions"
        assert app.screen.filter_text == "due<7d"


async def test_organisations_and_teams_toggle(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "organisations"
        title = str(app.screen.query_one("#section-title", Static).render())
        assert "T: Teams" in title  # the hint names the key (t is barrier triage)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "teams"
        assert "Anti-social" in next(iter(_table(app).rows.values())).cells[0]
        await pilot.press("T")
        await settle(pilot)
        assert app.screen.section.key == "organisations"


async def test_escape_backs_out_to_overview(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_q_quits(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_section_keys_wait_while_a_dialog_is_open(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6", "d")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.current_mode == "barriers"


async def test_narrow_terminal_gives_the_table_the_room(seeded_path: tuple[Path, Seeded]) -> None:
    app = _app(seeded_path[0])
    async with app.run_test(size=(90, 30)) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        assert not app.screen.query_one("#detail").display
        assert _table(app).total == 3
