"""Joining a workflow's change to the app's ``ctrl+z`` stack.

Owns: finding the history batch a use-case function wrote under (every ``Database.write`` gives
its changes one batch id, but the workflow functions return the record, not the batch) and
handing it to the host app. Screens call these from their own code so they still work in the
small test host apps, which keep no undo stack. Reads only; never undoes anything itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from pfpp_tui.store.database import Database
from pfpp_tui.store.history import history_for, last_change


def batch_of(db: Database, table: str, row_id: int) -> str | None:
    """The batch of the newest change to a record: the one a workflow has just written."""
    with db.read() as session:
        change = last_change(session, table=table, row_id=row_id)
        return change.batch if change is not None else None


def batch_since(db: Database, since: datetime, *places: tuple[str, int | None]) -> str | None:
    """The batch of the newest change at or after ``since`` in any of ``places``.

    For saves that may touch only linked rows (an agreement's partners) or nothing at all:
    an older change must never be offered for undo. ``places`` are (table, row id or None).
    """
    with db.read() as session:
        for table, row_id in places:
            rows = history_for(session, table=table, row_id=row_id, limit=1)
            if rows and rows[0].at >= since:
                return rows[0].batch
    return None


@runtime_checkable
class ShowsStoredData(Protocol):
    """A screen showing stored records that the app's ``ctrl+z`` may have just changed: the
    app calls ``reload_after_change`` after an undo so the screen shows the new state."""

    def reload_after_change(self) -> None: ...


def remember(app: Any, batch: str | None, description: str) -> None:
    """Offer ``batch`` to the app's ``ctrl+z`` when the app keeps an undo stack."""
    keep = getattr(app, "remember", None)
    if batch and callable(keep):
        keep(batch, description)


def forget(app: Any, batch: str | None) -> None:
    """A change undone another way (triage's ``u``): ``ctrl+z`` must not undo it twice."""
    drop = getattr(app, "forget", None)
    if batch and callable(drop):
        drop(batch)
