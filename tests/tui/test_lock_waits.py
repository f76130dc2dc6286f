"""Saves that meet another program's write lock: they say so, fail in words, retry, or finish.

Another process holds ``BEGIN EXCLUSIVE`` (``tests.lock_holder``); the busy timeout is made
short through ``store.db.sqlite.BUSY_TIMEOUT_MS`` (set before the app connects).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.lock_wait import WAITING_TEXT
from pfpp_tui.store.db.records import get_record
from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.store.work.partnership import get_agreement, pilot_id_named
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from tests.lock_holder import LockHolder
from tests.tui.test_import_flow import _open_dialog, _source
from tests.tui.test_review import _world as review_world
from tests.tui.test_triage import _barrier
from tests.tui.test_triage import _world as triage_world
from tests.tui.workflow_app import HostApp
from tests.tui.workflow_app import settle as wf_settle
from tests.workflow_seed import seed_world


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
            assert "edit of action “Circulate minutes”" in failure  # named, not numbered
            assert "another program kept the database locked" in failure
            assert "Ctrl+s tries again" in failure
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


# --- every other screen that writes: triage, review, meeting log, agreement, undo, import ----


async def _held_past_timeout(
    pilot: Pilot[None], path: Path, *keys: str, status: Callable[[], str] | None = None
) -> str:
    """Press ``keys`` while another program holds the lock past the timeout; the failure toast."""
    app = pilot.app
    with LockHolder(path):
        await pilot.press(*keys)
        waited = await until(pilot, lambda: WAITING_TEXT in _toasts(app))
        assert waited < 1.0
        if status is not None:
            assert WAITING_TEXT in status()
        await until(pilot, lambda: any(t.startswith("Not ") for t in _toasts(app)))
        await settle(pilot)
    assert WAITING_TEXT not in _toasts(app)
    return next(t for t in _toasts(app) if t.startswith("Not "))


def _toasts(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def _text(app: object, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


def _path(db: Database) -> Path:
    assert db.location.path is not None
    return db.location.path


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 1000)


async def test_triage_waits_fails_in_words_and_the_key_tries_again(
    db: Database, short_busy_timeout: None
) -> None:
    w = triage_world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await wf_settle(pilot)
        failure = await _held_past_timeout(
            pilot, _path(db), "2", status=lambda: _text(app, "#triage-error")
        )
        assert failure.startswith(f"Not saved: triage of barrier {w['b1']} — another program")
        assert _barrier(db, w["b1"]).category != "priorities"
        assert f"barrier {w['b1']}" in _text(app, "#triage-header")
        await pilot.press("2")
        await wf_settle(pilot)
        assert _barrier(db, w["b1"]).category == "priorities"


async def test_review_waits_fails_in_words_and_ctrl_s_tries_again(
    db: Database, short_busy_timeout: None
) -> None:
    w = review_world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await wf_settle(pilot)
        await pilot.press("d")  # the overdue action → done
        await wf_settle(pilot)
        failure = await _held_past_timeout(
            pilot, _path(db), "ctrl+s", status=lambda: _text(app, "#review-error")
        )
        assert failure.startswith("Not saved: 1 decision taken in the review of Luton — another")
        assert app.results == [] and isinstance(app.screen, ReviewScreen)
        assert len(app.screen.decisions) == 1
        await pilot.press("ctrl+s")
        await wf_settle(pilot)
    assert len(app.results) == 1 and isinstance(app.results[0], int)


async def test_meeting_log_waits_fails_in_words_and_ctrl_s_tries_again(
    db: Database, short_busy_timeout: None
) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await wf_settle(pilot)
        app.screen.query_one("#title", Input).value = "Pilot check-in — Luton"
        failure = await _held_past_timeout(
            pilot, _path(db), "ctrl+s", status=lambda: _text(app, "#log-error")
        )
        assert failure.startswith("Not saved: the meeting “Pilot check-in — Luton” — another")
        assert app.results == [] and isinstance(app.screen, MeetingLogScreen)
        await pilot.press("ctrl+s")
        await wf_settle(pilot)
    assert len(app.results) == 1 and isinstance(app.results[0], int)


async def test_agreement_waits_fails_in_words_and_ctrl_s_tries_again(
    sample_db: Database, short_busy_timeout: None
) -> None:
    pilot_id = pilot_id_named(sample_db, "Luton")
    app = HostApp(AgreementScreen(sample_db, pilot_id))
    async with app.run_test(size=(120, 40)) as pilot:
        await wf_settle(pilot)
        await pilot.press("e")
        await wf_settle(pilot)
        app.screen.query_one("#field-purpose", TextArea).text = "Fewer people sleeping rough."
        failure = await _held_past_timeout(
            pilot, _path(sample_db), "ctrl+s", status=lambda: _text(app, "#agreement-error")
        )
        assert failure.startswith("Not saved: the edit of the Luton agreement — another")
        assert app.screen.has_class("-editing")
        assert get_agreement(sample_db, pilot_id).version == 1
        await pilot.press("ctrl+s")
        await wf_settle(pilot)
        assert get_agreement(sample_db, pilot_id).purpose == "Fewer people sleeping rough."


async def test_undo_waits_fails_in_words_and_ctrl_z_tries_again(
    seeded_path: tuple[Path, Seeded], check_db: Database, short_busy_timeout: None
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _edit_newest_action(pilot, app, "Circulate minutes to partners")
        await pilot.press("ctrl+s")
        await settle(pilot)
        failure = await _held_past_timeout(pilot, path, "ctrl+z")
        edited = "saved action “Circulate minutes to partners”"
        assert failure.startswith(f"Not undone: {edited} — another")
        assert "Ctrl+z tries again" in failure
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes to partners"
        assert len(app.undo_stack) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)
        action = get_record(check_db, table="action", row_id=seeded.ids["done"])
        assert action["title"] == "Circulate minutes"


async def test_import_waits_fails_in_words_and_y_tries_again(
    seeded_path: tuple[Path, Seeded], check_db: Database, tmp_path: Path,
    short_busy_timeout: None,
) -> None:  # fmt: skip
    path, _seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        failure = await _held_past_timeout(
            pilot, path, "y", status=lambda: _text(app, "#import-summary")
        )
        assert failure.startswith("Not saved: the import from people.csv — another program")
        assert "Press y to try again" in _text(app, "#import-summary")
        await pilot.press("y")
        await settle(pilot)
        assert "2 added, 1 updated" in _text(app, "#import-summary")
