"""``escape`` leaves every screen the one guarded way (``tui.navigation``), not only the screens
that can hold work: the record view, history, help, triage, an agreement being read, coverage
and barrier patterns each close through ``navigation.navigate`` (which asks first whenever the
screen left holds work), so a new way out cannot skip the guard unnoticed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]

from pfpp_tui.tui import navigation
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.coverage import CoverageScreen
from pfpp_tui.tui.screens.help import HelpScreen
from pfpp_tui.tui.screens.history import HistoryScreen
from pfpp_tui.tui.screens.patterns import PatternsScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen

# How a user opens each screen from the start, and what it is.
OPEN: dict[str, tuple[tuple[str, ...], type[Any]]] = {
    "record view": (("1", "enter"), RecordViewScreen),
    "history": (("1", "h"), HistoryScreen),
    "help": (("1", "question_mark"), HelpScreen),
    "triage": (("6", "t"), BarrierTriageScreen),
    "agreement": (("1", "j", "a"), AgreementScreen),
    "coverage": ((), CoverageScreen),
    "patterns": ((), PatternsScreen),
}
PUSHED: dict[str, Callable[[PfppApp], Any]] = {
    "coverage": lambda app: CoverageScreen(app.db),
    "patterns": lambda app: PatternsScreen(app.db),
}


@pytest.mark.parametrize("name", list(OPEN))
async def test_escape_closes_every_screen_through_the_guard(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    guarded: list[list[Any]] = []
    real = navigation.navigate

    def watched(app: Any, then: Callable[[], object], *, leaving: Any) -> None:
        guarded.append(list(leaving()))
        real(app, then, leaving=leaving)

    monkeypatch.setattr(navigation, "navigate", watched)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys, kind = OPEN[name]
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if name in PUSHED:
            await pilot.press("1")
            await settle(pilot)
            app.push_screen(PUSHED[name](app))
            await settle(pilot)
        screen = app.screen
        assert isinstance(screen, kind), screen
        guarded.clear()
        app.set_focus(None)
        await pilot.press("escape")
        await settle(pilot)
        assert screen not in app.screen_stack, f"{name}: escape did not close it"
        assert guarded == [[screen]], f"{name}: escape did not go through navigation"
        assert isinstance(app.screen, SectionScreen)
