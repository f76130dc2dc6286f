"""The change history: written in the same transaction as the change it describes.

Who, where and why come from the write session (``Database.write`` puts them in
``session.info``), so a crash can never leave a change without its history row or the reverse.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlmodel import Session, col, select

from pfpp_tui.models import Change, ChangeOp, ChangeSource, utcnow

FieldChanges = Mapping[str, tuple[Any, Any]]


def to_json_value(value: Any) -> Any:
    """Make a column value JSON-safe in a way ``from_json_value`` can read back."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_changes(changes: FieldChanges) -> str:
    return json.dumps(
        {k: [to_json_value(old), to_json_value(new)] for k, (old, new) in changes.items()},
        ensure_ascii=False,
        sort_keys=True,
    )


def decode_changes(text: str) -> dict[str, tuple[Any, Any]]:
    raw = json.loads(text or "{}")
    return {k: (v[0], v[1]) for k, v in raw.items()}


@dataclass(frozen=True, slots=True)
class PendingChange:
    table: str
    row_id: int
    op: ChangeOp
    changes: FieldChanges


def _session_context(session: Session) -> dict[str, Any]:
    info = session.info
    if "pfpp_source" not in info:
        raise RuntimeError("history can only be written inside Database.write()")
    return {
        "actor": info["pfpp_actor"],
        "source": ChangeSource(info["pfpp_source"]).value,
        "batch": info.get("pfpp_batch"),
        "reason": info.get("pfpp_reason", ""),
    }


def record_change(
    session: Session,
    *,
    table: str,
    row_id: int,
    op: ChangeOp,
    changes: FieldChanges,
    reason: str | None = None,
) -> Change:
    context = _session_context(session)
    if reason is not None:
        context["reason"] = reason
    row = Change(
        table_name=table,
        row_id=row_id,
        op=ChangeOp(op).value,
        changes=encode_changes(changes),
        at=utcnow(),
        **context,
    )
    session.add(row)
    return row


def record_changes(session: Session, pending: Iterable[PendingChange]) -> int:
    """Bulk variant for imports: one executemany instead of one ORM object per row."""
    context = _session_context(session)
    now = utcnow()
    rows = [
        {
            "table_name": p.table,
            "row_id": p.row_id,
            "op": ChangeOp(p.op).value,
            "changes": encode_changes(p.changes),
            "at": now,
            **context,
        }
        for p in pending
    ]
    if rows:
        session.execute(Change.__table__.insert(), rows)  # type: ignore[attr-defined]
    return len(rows)


def history_for(
    session: Session, *, table: str | None = None, row_id: int | None = None, limit: int = 500
) -> list[Change]:
    stmt = select(Change)
    if table is not None:
        stmt = stmt.where(Change.table_name == table)
    if row_id is not None:
        stmt = stmt.where(Change.row_id == row_id)
    stmt = stmt.order_by(col(Change.id).desc()).limit(limit)
    return list(session.exec(stmt))


def last_change(session: Session, *, table: str, row_id: int) -> Change | None:
    rows = history_for(session, table=table, row_id=row_id, limit=1)
    return rows[0] if rows else None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One history row as plain values (safe across threads, easy to print or dump as JSON)."""

    id: int
    table: str
    row_id: int
    op: str
    at: datetime
    actor: str
    source: str
    reason: str
    batch: str | None
    changes: dict[str, tuple[Any, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "table": self.table,
            "row_id": self.row_id,
            "op": self.op,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "source": self.source,
            "reason": self.reason,
            "batch": self.batch,
            "changes": {k: [old, new] for k, (old, new) in self.changes.items()},
        }


def to_entry(row: Change) -> HistoryEntry:
    assert row.id is not None
    return HistoryEntry(
        id=row.id,
        table=row.table_name,
        row_id=row.row_id,
        op=row.op,
        at=row.at,
        actor=row.actor,
        source=row.source,
        reason=row.reason,
        batch=row.batch,
        changes=decode_changes(row.changes),
    )


def history_entries(
    session: Session, *, table: str | None = None, row_id: int | None = None, limit: int = 500
) -> list[HistoryEntry]:
    """Newest first, as plain values: what ``pfpp history`` and the TUI's history view show."""
    return [to_entry(row) for row in history_for(session, table=table, row_id=row_id, limit=limit)]
