"""Joining a workflow's change to the app's ``ctrl+z`` stack.

Owns: finding the history batch a use-case function wrote under (every ``Database.write`` gives
its changes one batch id, but the workflow functions return the record, not the batch) and
handing it to the session's ``Workspace``. Reads only; never undoes anything itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from pfpp_tui.store.db.changes import history_for, last_change
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.workspace import Workspace


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


def remember(workspace: Workspace, batch: str | None, description: str) -> None:
    """Offer ``batch`` to the session's ``ctrl+z`` (a save that wrote nothing has no batch)."""
    if batch:
        workspace.remember(batch, description)


def forget(workspace: Workspace, batch: str | None) -> None:
    """A change undone another way (triage's ``u``): ``ctrl+z`` must not undo it twice."""
    if batch:
        workspace.forget(batch)
