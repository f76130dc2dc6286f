"""Pilot-test fixtures: a seeded real database file and an app opened on it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from pfpp_tui.store.db.database import Database, open_database

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import Seeded, seed_programme  # type: ignore[import-not-found]

SIZE = (150, 42)


@pytest.fixture
def seeded_path(tmp_path: Path) -> Iterator[tuple[Path, Seeded]]:
    path = tmp_path / "t.db"
    db = open_database(path)
    seeded = seed_programme(db)
    db.dispose()
    yield path, seeded


@pytest.fixture
def check_db(seeded_path: tuple[Path, Seeded]) -> Iterator[Database]:
    """A second connection to the same file, for asserting on stored rows."""
    db = open_database(seeded_path[0])
    yield db
    db.dispose()


async def settle(pilot: Pilot[None]) -> None:
    """Let messages flow and every worker finish (several rounds: workers start workers)."""
    for _ in range(4):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):  # superseded by a newer request: fine
            await pilot.app.workers.wait_for_complete()
    await pilot.pause()
