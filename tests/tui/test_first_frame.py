"""The first frame (issue 19): the overview's pilots show before the ORM loads, then the rest.

The app reads the first screen's rows with plain ``sqlite3`` (``store.first_rows``) and opens
the database properly after the first frame, in a thread. Held here: what is loaded by then
(none of SQLAlchemy, SQLModel, pydantic, Alembic, the models, the drivers, the file formats),
that the rows are the overview's, that the rest fills in, and that keys typed meanwhile wait
and are handled in order.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import DataTable, Static

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.widgets.overview import OverviewPanel

NOT_BEFORE_THE_FIRST_FRAME = [
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "alembic",
    "psycopg",
    "openpyxl",
    "phonenumbers",
    "vobject",
    "rapidfuzz",
    "pfpp_tui.models",
    "pfpp_tui.store.db.database",
    "pfpp_tui.store.listing.browse",
    "pfpp_tui.tui.screens.section",
    "pfpp_tui.tui.commands",
]

# Runs the app headless on a database and notes, as the database starts to open (right after
# the first frame), which modules are loaded and how many pilots the overview shows.
PROBE = """
import asyncio, json, sys
from pfpp_tui.tui.app import PfppApp

seen = {}
opening = PfppApp._open

def noting(self):
    seen["modules"] = sorted(sys.modules)
    seen["rows"] = self.screen.query_one("#overview-pilots").row_count
    opening(self)

PfppApp._open = noting

async def main():
    app = PfppApp(sys.argv[1], settings_path=None)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.is_open:
            await pilot.pause()
        await pilot.press("q")

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_first_frame_loads_no_orm_and_shows_the_pilots(
    seeded_path: tuple[Path, Seeded], tmp_path: Path
) -> None:
    env_home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(seeded_path[0])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PFPP_CONFIG": str(env_home / "config.toml"), "PATH": "", "HOME": str(env_home)},
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rows"] == pilot_count(seeded_path[0]) > 0
    loaded = set(seen["modules"])
    early = [m for m in NOT_BEFORE_THE_FIRST_FRAME if m in loaded]
    assert early == []


def pilot_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        count = int(conn.execute("SELECT count(*) FROM pilot").fetchone()[0])
    conn.close()
    return count


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The database opens only when the test says so."""
    gate = threading.Event()
    opening = PfppApp._open

    def waiting(self: PfppApp) -> None:
        gate.wait(30)
        opening(self)

    monkeypatch.setattr(PfppApp, "_open", waiting)
    return gate


async def test_the_overview_shows_its_pilots_then_the_rest(
    seeded_path: tuple[Path, Seeded], gated: threading.Event
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OverviewScreen) and not app.is_open
        panel = screen.query_one(OverviewPanel)
        assert panel.query_one("#overview-pilots", DataTable).row_count == pilot_count(
            seeded_path[0]
        )
        assert panel.data is None
        gated.set()
        await settle(pilot)
        assert app.is_open and app.screen is screen
        assert panel.data is not None and panel.data.pilots == panel.first
        counts = str(screen.query_one("#overview-body", Static).render())
        assert "Pilots" in counts and "Counting" not in counts


async def test_keys_typed_while_the_database_opens_are_handled_in_order(
    seeded_path: tuple[Path, Seeded], gated: threading.Event
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#overview-pilots", DataTable)
        assert pilot_count(seeded_path[0]) >= 2
        await pilot.press("j", "2")
        assert table.cursor_row == 0 and not app.is_open  # held
        gated.set()
        await settle(pilot)
        # In order: the cursor moved on the overview, then People was shown.
        assert table.cursor_row == 1
        assert app.current_mode == "contacts"


async def test_ctrl_q_quits_at_once_while_the_database_opens(
    seeded_path: tuple[Path, Seeded], gated: threading.Event
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running and not app.is_open
    gated.set()
