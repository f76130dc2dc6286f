"""A tiny host App for the workflow screens' pilot tests (the real app wires them to keys)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen


class HostApp(App[None]):
    """Pushes one screen on start; records what it was dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self._first = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self._first, self.results.append)


async def settle(pilot: object) -> None:
    """Wait for every worker, then for the messages they posted to be handled."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
