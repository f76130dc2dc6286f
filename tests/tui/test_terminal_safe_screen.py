"""No escape sequence reaches the TUI's screen (issue 17.5).

The app is opened on a database whose user text (names, roles, titles, notes...) holds ESC
sequences, OSC 52, C1 CSI, CR, DEL and bidi overrides, written there directly as another tool
would. Every line the compositor renders -- the section tables, the detail pane, the full
record view, and every other screen showing user text (overview, triage, review, agreement,
history, meeting log, the edit form) -- must be free of those characters, and show them
visibly instead. The edit form's values stay exactly as stored.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Input, OptionList

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.safe_screen import safe_strip
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.widgets.record_table import RecordTable
from tests.hostile_db import PAYLOAD, build_hostile_db, forbidden_in


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


SCREENS = {
    "overview": ("0",),
    "triage": ("6", "t"),
    "review": ("1", "R"),
    "agreement": ("1", "a"),
    "history of a person": ("2", "h"),
    "meeting log": ("4", "m"),
    "edit form": ("2", "e"),
}


@pytest.mark.parametrize("screen", sorted(SCREENS))
async def test_every_screen_showing_user_text_is_safe(tmp_path: Path, screen: str) -> None:
    path = build_hostile_db(tmp_path / "hostile.db")
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await settle(pilot)
        text = screen_text(app)
        assert forbidden_in(text) == []
        assert "␛" in text


async def test_the_edit_form_keeps_the_stored_value(tmp_path: Path) -> None:
    path = build_hostile_db(tmp_path / "hostile.db")
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        values = [widget.value for widget in app.screen.query(Input)]
        assert any(value.endswith(PAYLOAD) for value in values)  # ESC and all, as stored


def test_a_safe_strip_keeps_its_width_and_untouched_strips_stay_the_same_object() -> None:
    plain = Strip([Segment("plain text")])
    assert safe_strip(plain) is plain
    hostile = Strip([Segment("ab\x1b[2Jcd\u202e"), Segment("tail")])
    shown = safe_strip(hostile)
    assert shown.cell_length == hostile.cell_length
    assert forbidden_in(shown.text) == [] and shown.text.startswith("ab␛[2Jcd")


async def test_linked_record_names_are_text_not_markup(tmp_path: Path) -> None:
    """A str option prompt is Textual markup: "[c](javascript:...)" would lose its "[c]" and
    "[@click=...]" would become an action. The record view's links show names as text."""
    path = build_hostile_db(tmp_path / "hostile.db")
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        links = app.screen.query_one("#record-links", OptionList)
        assert links.option_count > 0
        text = "".join(links.render_line(y).text for y in range(links.size.height))
        assert "[c](javascript:alert(1))" in text
