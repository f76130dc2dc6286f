"""The TUI on a read-only database, and on another application's (issues 16.7 and 17.9).

Read-only: the app opens for browsing with a "read-only" mark beside the title and one notice
naming why; a save is refused with a ``read-only:`` line, the form keeps its values, and the
file is left byte for byte as it was. Another application's SQLite file is refused when the app
opens, in the same line the CLI prints, and left unchanged.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import Input, Static

from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


def notifications(app: PfppApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_read_only_database_opens_marked_and_refuses_a_save(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = seeded_path[0]
    monkeypatch.setenv("PFPP_READ_ONLY", "1")
    before = path.read_bytes()
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.db.read_only
        assert "read-only" in str(app.screen.query_one("#overview-body", Static).render())
        assert any(n.startswith(f"read-only: {path} (PFPP_READ_ONLY is set)") for n in
                   notifications(app))  # fmt: skip
        await pilot.press("1")
        await settle(pilot)
        title = str(app.screen.query_one("#section-title", Static).render())
        assert "Pilots" in title and "read-only" in title
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        name = app.screen.query_one("#field-name", Input)
        name.focus()
        await pilot.press(*"Wakefield")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)  # kept open with what was typed
        assert app.screen.query_one("#field-name", Input).value == "Wakefield"
        shown = str(app.screen.query_one("#form-error", Static).render()) + "".join(
            notifications(app)
        )
        assert f"read-only: {path} cannot be written" in shown
    assert path.read_bytes() == before
    assert side_files(path) == []


async def test_another_applications_database_is_refused_when_the_app_opens(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    for table in ("customers", "orders"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY)")
    conn.close()
    before = path.read_bytes()
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.open_failed
        shown = str(app.screen.query_one("#start-message", Static).render())
        assert "Cannot open the database" in shown
        assert "is not a pfpp database: it holds 2 tables (customers, orders)" in shown
    assert path.read_bytes() == before
    assert side_files(path) == []
