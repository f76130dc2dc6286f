"""Saying, truthfully, that a write is waiting on another program's lock.

Owns: the per-thread callback a front end installs around a write (``reporting_lock_waits``)
and the rule that a wait which ran out is a ``DatabaseBusyError`` naming how long it waited.
The SQLite corner (``store.db.sqlite``) calls ``lock_wait_began`` only when its first, non-waiting
attempt to take the write lock was refused — so "waiting" is said only while really waiting.
PostgreSQL waits on row locks inside statements, where nothing can be detected; no signal there.
Must not import a front end: the callback is a plain function (a screen posts a message in it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pfpp_tui.errors import DatabaseBusyError

WAITING_TEXT = "Waiting for the database (another program is writing)…"

_on_wait: ContextVar[Callable[[], None] | None] = ContextVar("pfpp_on_lock_wait", default=None)


@contextmanager
def reporting_lock_waits(callback: Callable[[], None]) -> Iterator[None]:
    """Call ``callback`` (in this thread) whenever a write inside the block has to wait."""
    token = _on_wait.set(callback)
    try:
        yield
    finally:
        _on_wait.reset(token)


def wait_reporter() -> Callable[[], None] | None:
    """The callback installed in this thread, if any (read by ``store.db.sqlite``)."""
    return _on_wait.get()


def is_locked(exc: BaseException) -> bool:
    """SQLite's "database is locked" (SQLITE_BUSY): another connection holds the lock."""
    original = getattr(exc, "orig", None) or exc
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original).lower()


def busy_error(waited_ms: int) -> DatabaseBusyError:
    return DatabaseBusyError(
        f"another program kept the database locked for {waited_ms / 1000:g} s; nothing was saved"
    )
