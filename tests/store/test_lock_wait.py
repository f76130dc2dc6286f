"""A write that meets another program's write lock: says it waits, and fails in words.

The other program is a real process holding ``BEGIN EXCLUSIVE`` (``tests.lock_holder``); the
busy timeout is shortened through ``store.db.sqlite.BUSY_TIMEOUT_MS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pfpp_tui.errors import DatabaseBusyError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.lock_wait import reporting_lock_waits
from pfpp_tui.store.db.records import create_record, get_record
from tests.lock_holder import LockHolder


def _add(db: Database, name: str) -> int:
    record = create_record(
        db, table="contact", values={"first_name": name}, source=ChangeSource.TUI
    )
    return record.id


def test_a_free_lock_is_not_reported_as_a_wait(db: Database) -> None:
    waits: list[str] = []
    with reporting_lock_waits(lambda: waits.append("waiting")):
        _add(db, "Emma")
    assert waits == []


def test_a_held_lock_is_reported_then_fails_in_words(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 300)
    waits: list[str] = []
    with (
        LockHolder(db_path),
        reporting_lock_waits(lambda: waits.append("waiting")),
        pytest.raises(DatabaseBusyError, match=r"locked for 0\.3 s; nothing was saved"),
    ):
        _add(db, "Emma")
    assert waits == ["waiting"]
    # The connection's own timeout is back: the next write (lock free) saves.
    row_id = _add(db, "Emma")
    assert get_record(db, table="contact", row_id=row_id)["first_name"] == "Emma"


def test_a_lock_released_during_the_wait_lets_the_write_finish(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 20_000)
    with LockHolder(db_path) as holder, reporting_lock_waits(holder.release):
        row_id = _add(db, "Emma")  # told it waits, the other program lets go, the write goes on
    assert get_record(db, table="contact", row_id=row_id)["first_name"] == "Emma"


def test_without_a_reporter_a_held_lock_still_fails_in_words(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_corner, "BUSY_TIMEOUT_MS", 200)  # before connecting: it is
    db = open_database(db_path)  # set on each new connection
    try:
        with LockHolder(db_path), pytest.raises(DatabaseBusyError):
            _add(db, "Emma")
    finally:
        db.dispose()
