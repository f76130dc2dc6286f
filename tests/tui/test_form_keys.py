"""Over the pop-up record form the section keys, ``q`` and ``?`` work as everywhere else.

Textual keeps the app's keys from a modal screen, so on the form (focus on a choice, not in a
text field) ``1``…``6``, ``0``, ``q`` and ``?`` did nothing at all, while the key bar beneath it
still offered the section's keys. Now they go the one guarded way: the Unsaved question first
when the form holds work; ``?`` lists the form's keys; and the form has its own key bar with
what works in front of the user. In a text field they are still letters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import DataTable, Input, Select, Static

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.help import HelpScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.widgets.key_bar import KeyBar

SMALL = (80, 24)
TITLE = "Rats in the bins"


async def _press(pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _painted(bar: KeyBar) -> str:
    return "\n".join("".join(s.text for s in bar.render_line(y)) for y in range(bar.size.height))


def _question(app: PfppApp) -> str:
    assert isinstance(app.screen, DiscardChangesScreen), app.screen
    return str(app.screen.query_one("#question", Static).render())


async def _new_barrier_on_a_choice(pilot: Any, app: PfppApp) -> RecordFormScreen:
    await settle(pilot)
    await _press(pilot, "6", "n")
    form = app.screen
    assert isinstance(form, RecordFormScreen)
    await _press(pilot, *TITLE)
    await _press(pilot, "tab")  # on to Category: a choice, not a text field
    assert isinstance(app.focused, Select)
    return form


async def test_section_keys_q_and_help_work_over_a_form_holding_work(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SMALL) as pilot:
        form = await _new_barrier_on_a_choice(pilot, app)
        title = form.query_one("#field-title", Input)
        for key in ("1", "0", "q"):
            await _press(pilot, key)
            assert _question(app) == (
                "Unsaved: a new barrier — y discard · n keep editing · ctrl+s save"
            ), key
            await _press(pilot, "n")
            assert app.screen is form and title.value == TITLE
        await _press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        ids = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"form.save", "form.cancel", "section.pilots", "app.quit"} <= ids
        await _press(pilot, "escape")
        assert app.screen is form and title.value == TITLE
        await _press(pilot, "4")
        assert _question(app).startswith("Unsaved: a new barrier")
        await _press(pilot, "y")
        assert form not in app.screen_stack and app.current_mode == "meetings"


async def test_in_a_text_field_they_are_letters(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "6", "n")
        form = app.screen
        assert isinstance(form, RecordFormScreen)
        await _press(pilot, *"q1?")
        assert app.screen is form and form.query_one("#field-title", Input).value == "q1?"


async def test_the_form_shows_its_own_keys_not_the_section_beneath(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SMALL) as pilot:
        form = await _new_barrier_on_a_choice(pilot, app)
        bar = form.query_one(KeyBar)
        # Over the section's two-line bar, all of it, at the bottom of the screen.
        assert bar.region.bottom == SMALL[1] and bar.region.height == 2
        text = _painted(bar)
        for item in ("^s Save", "esc Cancel", "0-6 sections", "q Quit", "^p commands", "? Keys"):
            assert item in text, text
        for beneath in ("/ Filter", "⏎ Open", "n New", "d Delete"):
            assert beneath not in text, text
        await _press(pilot, "shift+tab")  # back in the title: digits and q are letters there
        text = _painted(bar)
        assert "^s Save" in text and "0-6 sections" not in text and "q Quit" not in text
