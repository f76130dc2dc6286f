"""Toasts name the record they are about ("Added Emma Nowak"), not its table and id."""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import Input

from pfpp_tui.tui.app import PfppApp


def _toasts(app: PfppApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_adding_editing_and_deleting_name_the_record(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")  # a new person
        await settle(pilot)
        app.screen.query_one("#field-first_name", Input).value = "Emma"
        app.screen.query_one("#field-last_name", Input).value = "Nowak"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Added Emma Nowak — ctrl+z undoes" in _toasts(app)
        assert app.undo_stack[-1][1] == "added Emma Nowak"
        await pilot.press("5", "e")  # newest action first: "Circulate minutes"
        await settle(pilot)
        app.screen.query_one("#field-title", Input).value = "Circulate minutes to partners"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Saved action “Circulate minutes to partners” — ctrl+z undoes" in _toasts(app)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Deleted action “Circulate minutes to partners” — ctrl+z undoes" in _toasts(app)
        assert not any(" action 3" in t or "contact " in t for t in _toasts(app))
