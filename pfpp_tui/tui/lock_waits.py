"""Telling the user that a write waits on another program's lock, from the worker that writes.

Owns: ``telling_lock_waits`` — wrapped around a save worker's store call. When the store says
the write lock is held elsewhere (``store.db.lock_wait``: only when really so), a toast says
"Waiting for the database (another program is writing)…" and the screen's status line (if it
has one) says it too; the toast is withdrawn when the write ends, whatever the outcome, so it
never outlives the wait. ``not_saved`` is the one wording for a write that failed: what was not
saved, why, and that ``ctrl+s`` tries again.
Must not decide what a screen does on failure: it stays open with its values, by its own code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from textual.app import App
from textual.notifications import Notification, Notify

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.lock_wait import WAITING_TEXT, reporting_lock_waits


@contextmanager
def telling_lock_waits(
    app: App[Any], status: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Run a write (in a worker thread) that says so if it has to wait for the lock.

    ``status`` is called on the app's thread with the waiting text (a screen's status line).
    """
    shown: list[Notification] = []

    def waiting() -> None:
        note = Notification(
            WAITING_TEXT, "", "warning", timeout=sqlite_corner.busy_timeout_ms() / 1000 + 5
        )
        shown.append(note)
        app.post_message(Notify(note))  # thread-safe, as App.notify is
        if status is not None:
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                app.call_from_thread(status, WAITING_TEXT)

    try:
        with reporting_lock_waits(waiting):
            yield
    finally:
        for note in shown:
            with contextlib.suppress(RuntimeError):
                app.call_from_thread(_withdraw, app, note)


def _withdraw(app: App[Any], note: Notification) -> None:
    # Textual has no public way to take back one toast before its timeout.
    if note in app._notifications:
        app._unnotify(note)


def not_saved(what: str, error: BaseException, retry: str = "ctrl+s tries again") -> str:
    """The notification for a failed write: what, why, and how to try again."""
    return f"Not saved: {what} — {error}. {retry.capitalize()}."
