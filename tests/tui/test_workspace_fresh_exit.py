"""A database that cannot be opened: the app says so, and quitting exits 1 (README: fixable
problems exit 1), from the app and through ``pfpp`` itself."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.pilot import Pilot
from textual.widgets import Static
from typer.testing import CliRunner

from pfpp_tui.cli.main import app as cli
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.listing.browse import count_rows
from pfpp_tui.tui.app import PfppApp

GARBAGE = "this is a text file, not a database\n" * 20


async def test_quitting_after_a_garbage_database_returns_1(tmp_path: Path) -> None:
    bad = tmp_path / "notadb.db"
    bad.write_text(GARBAGE, encoding="utf-8")
    app = PfppApp(str(bad))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = str(app.screen.query_one("#start-message", Static).render())
        assert "Cannot open the database" in message and "Press q to quit" in message
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 1
    assert bad.read_text(encoding="utf-8") == GARBAGE  # left as it was


async def test_quitting_a_good_database_returns_0(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


@pytest.fixture
def headless_quit(monkeypatch: pytest.MonkeyPatch) -> None:
    """``PfppApp.run`` as ``pfpp`` calls it, but headless, pressing q once it has settled."""
    original = PfppApp.run

    async def press_q(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("q")

    def run(self: PfppApp, **kwargs: Any) -> Any:
        return original(self, headless=True, size=SIZE, auto_pilot=press_q)

    monkeypatch.setattr(PfppApp, "run", run)


@pytest.mark.usefixtures("headless_quit")
def test_pfpp_exits_1_on_a_garbage_database(tmp_path: Path) -> None:
    bad = tmp_path / "notadb.db"
    bad.write_text(GARBAGE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--db", str(bad)])
    assert result.exit_code == 1, result.output
    assert bad.read_text(encoding="utf-8") == GARBAGE


@pytest.mark.usefixtures("headless_quit")
def test_pfpp_exits_0_on_a_good_database(seeded_path: tuple[Path, Seeded], tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copyfile(seeded_path[0], copy)
    result = CliRunner().invoke(cli, ["--db", str(copy)])
    assert result.exit_code == 0, result.output
    db = open_database(copy)
    try:
        assert count_rows(db, "actions") == 3  # opened, shown, nothing changed
    finally:
        db.dispose()
