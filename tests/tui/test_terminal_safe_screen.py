"""No escape sequence reaches the TUI's screen (issue 17.5).

The app is opened on a database whose user text (names, roles, titles, notes...) holds ESC
sequences, OSC 52, C1 CSI, CR, DEL and bidi overrides, written there directly as another tool
would. Every line the compositor renders -- the section table, the detail pane, the full record
view -- must be free of those characters, and show them visibly instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.widgets.record_table import RecordTable
from tests.hostile_db import build_hostile_db, forbidden_in


def screen_text(app: PfppApp) -> str:
    """Every character the screen would send to the terminal, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


@pytest.mark.parametrize(("key", "rows"), [("1", 2), ("2", 5), ("4", 2), ("6", 4)])
async def test_section_table_and_detail_pane_show_controls_visibly(
    tmp_path: Path, key: str, rows: int
) -> None:
    path = build_hostile_db(tmp_path / "hostile.db")
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert table.total == rows
        text = screen_text(app)
        assert forbidden_in(text) == []
        assert "␛[2J" in text  # shown, not sent


async def test_full_record_view_shows_controls_visibly(tmp_path: Path) -> None:
    path = build_hostile_db(tmp_path / "hostile.db")
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordViewScreen)
        text = screen_text(app)
        assert forbidden_in(text) == []
        assert "␛]52;c;" in text and "\\u202e" in text
