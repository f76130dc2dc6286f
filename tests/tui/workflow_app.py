"""A tiny host App for the workflow screens' pilot tests (the real app wires them to keys)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from pfpp_tui.config import Settings
from pfpp_tui.errors import PfppError
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.browse import Page
from pfpp_tui.tui.key_order import KeysInOrderApp
from pfpp_tui.tui.navigation import close, navigate
from pfpp_tui.tui.workspace import Leaving, MeetingDrafts, provide

KEYS_LIMIT_S = 30.0  # a key still kept after this is a bug, not a slow machine


class HostApp(KeysInOrderApp):
    """Pushes one screen on start; records what it was dismissed with.

    It is the screen's ``Workspace`` too: changes offered to ``ctrl+z`` land in ``remembered``,
    and leaving a screen goes through the app's one guarded ``navigate``.
    """

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self._first = screen
        self.results: list[object] = []
        self.remembered: list[tuple[str, str]] = []
        self.change_count = 0
        self.settings = Settings()
        self._meeting_drafts: MeetingDrafts = {}
        provide(self, self)

    def on_mount(self) -> None:
        self.push_screen(self._first, self.results.append)

    # --- Workspace ---------------------------------------------------------------------------

    @property
    def db(self) -> Database:
        raise PfppError("the host app has no database of its own: the screen was handed one")

    @property
    def is_open(self) -> bool:
        return True

    @property
    def meeting_drafts(self) -> MeetingDrafts:
        return self._meeting_drafts

    def save_settings(self) -> None:
        pass

    def first_window(self, key: str, sort: str, descending: bool) -> Page | Exception | None:
        return None

    def remember(self, batch: str, description: str) -> None:
        self.remembered.append((batch, description))
        self.changed()

    def forget(self, batch: str) -> None:
        self.remembered = [entry for entry in self.remembered if entry[0] != batch]
        self.changed()

    def changed(self) -> None:
        self.change_count += 1

    def go_to(self, table: str, row_id: int) -> None:
        pass

    def show_section(self, mode: str) -> None:
        pass

    def navigate(self, then: Callable[[], object], *, leaving: Leaving) -> None:
        navigate(self, then, leaving=leaving)

    def close(self, screen: Screen[Any], result: object = None) -> None:
        close(self, screen, result)


async def settle(pilot: object) -> None:
    """Wait for every typed key to be dealt with and every worker, then for the messages they
    posted to be handled (a screen holding keys lets them go when its worker is done)."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app = pilot.app
    for _ in range(3):
        if isinstance(app, KeysInOrderApp):
            await asyncio.wait_for(app.keys_delivered(), KEYS_LIMIT_S)
        await app.workers.wait_for_complete()
        await pilot.pause()
