"""Readable at 80x24: cut cells end in "…", and a form shows its first error after ``ctrl+s``.

Each test drives the real app on a seeded SQLite file at the size a user reported and asserts on
what is painted or where it is: the widths the table hands each column, the painted cells, and
the screen region of the marked field against the form's visible region.
"""

from __future__ import annotations

from pathlib import Path

from conftest import settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen

SMALL = (80, 24)


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_ctrl_s_scrolls_the_form_to_its_only_error_and_focuses_it(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await _press(pilot, "1", "n")
        form = app.screen
        assert isinstance(form, RecordFormScreen)
        form.query_one("#field-name", Input).value = "Sefton"
        form.query_one("#field-end_date", Input).value = "not a date"
        form.query_one("#field-name", Input).focus()
        await settle(pilot)
        fields = form.query_one("#form-fields")
        hint = form.query_one("#hint-end_date", Static)
        assert not fields.region.contains_region(form.query_one("#row-end_date").region)

        await _press(pilot, "ctrl+s")

        assert isinstance(app.screen, RecordFormScreen)  # not saved
        assert hint.has_class("-error")
        assert app.focused is form.query_one("#field-end_date", Input)
        for shown in (form.query_one("#row-end_date"), hint):
            assert shown.region.height > 0
            assert fields.region.contains_region(shown.region), (shown, fields.region)
