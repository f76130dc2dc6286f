"""Pilot-test fixtures: a seeded real database file and an app opened on it."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.tui.key_order import KeysInOrderApp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import Seeded, seed_programme  # type: ignore[import-not-found]

SIZE = (150, 42)
KEYS_LIMIT_S = 30.0  # a key still kept after this is a bug, not a slow machine


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
    """Let messages flow, every typed key be dealt with and every worker finish (several
    rounds: workers start workers, and a screen holding keys lets them go when its worker is
    done)."""
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        if isinstance(app, KeysInOrderApp):
            await asyncio.wait_for(app.keys_delivered(), KEYS_LIMIT_S)
        with contextlib.suppress(WorkerCancelled):  # superseded by a newer request: fine
            await app.workers.wait_for_complete()
    await pilot.pause()
