"""SVG screenshots of the insight views over a database, for the README (issue 10).

Owns: hosting ``OverviewPanel`` and ``CoverageScreen`` in a headless app at a fixed size and
date, waiting for their workers, and saving what the terminal shows as SVG. The database is
opened read-only in spirit (nothing is written); ``scripts/screenshots.py`` is the entry point.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer

from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.tui.screens.coverage import CoverageScreen
from pfpp_tui.tui.widgets.overview import OverviewPanel

SIZE = (160, 48)


class _OverviewHost(App[None]):
    TITLE = "pfpp-tui — overview"

    def __init__(self, db: Database, today: date) -> None:
        super().__init__()
        self.db, self.today = db, today

    def compose(self) -> ComposeResult:
        yield OverviewPanel(self.db, today=self.today)
        yield Footer()


class _CoverageHost(App[None]):
    TITLE = "pfpp-tui — coverage"

    def __init__(self, db: Database, today: date) -> None:
        super().__init__()
        self.db, self.today = db, today

    def on_mount(self) -> None:
        self.push_screen(CoverageScreen(self.db, today=self.today))


async def _shoot(app: App[None], target: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        # A table sizes its columns on the refresh after its rows arrive.
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.2)
        app.save_screenshot(target.name, path=str(target.parent))


def save_insight_screenshots(database: str | Path, out_dir: Path, *, today: date) -> list[Path]:
    """Write ``overview.svg`` and ``coverage.svg`` into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    db = open_database(database)
    try:
        targets = [out_dir / "overview.svg", out_dir / "coverage.svg"]
        asyncio.run(_shoot(_OverviewHost(db, today), targets[0]))
        asyncio.run(_shoot(_CoverageHost(db, today), targets[1]))
    finally:
        db.dispose()
    return targets
