"""Saves that meet another program's write lock: they say so, fail in words, retry, or finish.

Another process holds ``BEGIN EXCLUSIVE`` (``tests.lock_holder``); the busy timeout is made
short through ``store.sqlite.BUSY_TIMEOUT_MS`` (set before the app connects).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.pilot import Pilot
from textual.widgets import Input, Static

from pfpp_tui.store import sqlite as sqlite_corner
from pfpp_tui.store.database import Database
from pfpp_tui.store.lock_wait import WAITING_TEXT
from pfpp_tui.store.records import get_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from tests.lock_holder import LockHolder


async def until(pilot: Pilot[None], what: Callable[[], bool], limit_s: float = 10.0) -> float:
    """Let the app run until ``what`` holds; how long it took (fails past ``limit_s``)."""
    start = time.monotonic()
    while not what():
        assert time.monotonic() - start < limit_s, "never happened"
        await pilot.pause()
    return time.monotonic() - start


def toasts(app: PfppApp) -> list[str]:
    return [n.message for n in app._notifications]


def form_status(app: PfppApp) -> str:
    return str(app.screen.query_one("#form-error", Static).render())


async def _edit_newest_action(pilot: Pilot[None], app: PfppApp, title: str) -> None:
    await settle(pilot)
    await pilot.press("5")  # newest first: "Circulate minutes"
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    field = app.screen.query_one("#field-title", Input)
    field.value = title


async def test_a_form_save_waits_then_fails_in_words_and_ctrl_s_retries(
    seeded_path: tuple[Path, Seeded], check_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, seeded = seeded_path
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 1500)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _edit_newest_action(pilot, app, "Circulate minutes to partners")
        with LockHolder(path):
            await pilot.press("ctrl+s")
            waited = await until(pilot, lambda: WAITING_TEXT in toasts(app))
            assert waited < 1.0
            assert WAITING_TEXT in form_status(app)
            await until(pilot, lambda: any(t.startswith("Not saved") for t in toasts(app)))
            await settle(pilot)
            failure = next(t for t in toasts(app) if t.startswith("Not saved"))
            assert f"edit of action {seeded.ids['done']}" in failure
            assert "another program kept the database locked" in failure
            assert "ctrl+s tries again" in failure
            assert WAITING_TEXT not in toasts(app)  # withdrawn once the wait ended
            # The form is still open with what was typed; nothing was written.
            assert isinstance(app.screen, RecordFormScreen)
            assert app.screen.query_one("#field-title", Input).value == (
                "Circulate minutes to partners"
            )
            action = get_record(check_db, table="action", row_id=seeded.ids["done"])
            assert action["title"] == "Circulate minutes"
        await pilot.press("ctrl+s")  # the lock is free now: the retry saves
        await settle(pilot)
        assert not isinstance(app.screen, RecordFormScreen)
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes to partners"


async def test_a_form_save_finishes_by_itself_when_the_lock_is_released(
    seeded_path: tuple[Path, Seeded], check_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, seeded = seeded_path
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 20_000)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _edit_newest_action(pilot, app, "Circulate minutes to partners")
        with LockHolder(path) as holder:
            await pilot.press("ctrl+s")
            await until(pilot, lambda: WAITING_TEXT in toasts(app))
            await pilot.press("ctrl+s")  # impatient: must not start a second save
            holder.release()
            await until(pilot, lambda: not isinstance(app.screen, RecordFormScreen))
        await settle(pilot)
        assert WAITING_TEXT not in toasts(app)
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes to partners"
        assert action["version"] == 2  # saved once, not twice
