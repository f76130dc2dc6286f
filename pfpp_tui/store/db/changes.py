"""The change history: written in the same transaction as the change it describes.

Who, where and why come from the write session (``Database.write`` puts them in
``session.info``), so a crash can never leave a change without its history row or the reverse.

Reading: ``history_entries`` gives the rows of one table or record as they are;
``record_history`` gives one record's history as a user means it, its link rows' changes
included (a principle tag added to a barrier, a person added to a pilot) and put in words.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, col, select

from pfpp_tui.models import (
    Change,
    ChangeOp,
    ChangeSource,
    Contact,
    ImportBatch,
    Pilot,
    utcnow,
)
from pfpp_tui.shapes.contacts import INSERT_FIELDS

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
    # For a link row shown in its record's history: what changed, in words
    # ("principle trust added"); "" for a record's own rows.
    summary: str = ""

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
            "summary": self.summary,
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
    """Newest first, as plain values: what ``pfpp history`` and the TUI's history view show.

    A contact created by a bulk import has no creation row of its own: its creation is rebuilt
    from its import batch (``import_creation``) and shown as the oldest entry.
    """
    entries = [
        to_entry(row) for row in history_for(session, table=table, row_id=row_id, limit=limit)
    ]
    if table == "contact" and row_id is not None and len(entries) < limit:
        created = import_creation(session, row_id)
        if created is not None:
            entries.append(created)
    return entries


# The columns an import sets: what a contact was created with, rebuilt from its row.
IMPORTED_FIELDS = INSERT_FIELDS


def import_creation(session: Session, contact_id: int) -> HistoryEntry | None:
    """A bulk-imported contact's creation, as the history row the import did not write.

    Who, when, how and the batch come from the ``import_batch`` record; the values it was
    created with are the row as it is now with every later change taken back (newest first).
    None when the contact was not created by a bulk import (or has its own creation row).
    """
    contact = Contact.__table__  # type: ignore[attr-defined]
    row = session.execute(
        core_select(contact.c.import_batch_id, *(contact.c[f] for f in IMPORTED_FIELDS)).where(
            contact.c.id == contact_id
        )
    ).first()
    if row is None or row[0] is None:
        return None
    record = session.get(ImportBatch, row[0])
    if record is None:
        return None
    values: dict[str, Any] = dict(zip(IMPORTED_FIELDS, row[1:], strict=True))
    for change in history_for(session, table="contact", row_id=contact_id, limit=1_000_000):
        if (change.id or 0) <= record.change_mark:
            break  # older: another record that had this id before
        if change.op == ChangeOp.CREATE.value:
            return None  # it has a creation row of its own
        for key, (old, _new) in decode_changes(change.changes).items():
            if key in values:
                values[key] = old
    return HistoryEntry(
        id=0,
        table="contact",
        row_id=contact_id,
        op=ChangeOp.CREATE.value,
        at=record.at,
        actor=record.actor,
        source=record.source,
        reason=record.reason or f"imported from {_files_named(record.files)}",
        batch=record.batch,
        changes={k: (None, v) for k, v in sorted(values.items()) if v is not None and v != ""},
    )


def _files_named(files: str) -> str:
    names = [str(item.get("name", "")) for item in json.loads(files or "[]")]
    return ", ".join(name for name in names if name) or "a file"


# --- an undo's reason, in words ----------------------------------------------------------------

UNDO_REASON_PREFIX = (
    "undo "  # ``store.history.undo`` writes "undo <the undone batch>" as the reason
)


def undone_batch(entry: HistoryEntry) -> str | None:
    """The batch an undo row undid, or None for any other row."""
    if not entry.reason.startswith(UNDO_REASON_PREFIX):
        return None
    batch = entry.reason.removeprefix(UNDO_REASON_PREFIX).strip()
    return batch if len(batch) == 36 and batch.count("-") == 4 else None


def undone_changes(session: Session, entries: Iterable[HistoryEntry]) -> dict[str, HistoryEntry]:
    """For each undo among ``entries``: the first change of the batch it undid."""
    batches = {b for b in (undone_batch(e) for e in entries) if b is not None}
    if not batches:
        return {}
    stmt = select(Change).where(col(Change.batch).in_(sorted(batches))).order_by(col(Change.id))
    found: dict[str, HistoryEntry] = {}
    for row in session.exec(stmt):
        if row.batch is not None and row.batch not in found:
            found[row.batch] = to_entry(row)
    return found


def reason_in_words(entry: HistoryEntry, undone: Mapping[str, HistoryEntry]) -> str:
    """The reason as a reader takes it: an undo says whose change, when, and why it was made,
    never the batch id it is stored with."""
    batch = undone_batch(entry)
    if batch is None:
        return entry.reason
    first = undone.get(batch)
    if first is None:
        return "undo of an earlier change"
    why = f": {first.reason}" if first.reason and undone_batch(first) is None else ""
    return f"undo of {first.actor}'s change of {first.at:%Y-%m-%d %H:%M} UTC{why}"


# --- one record's history, its link rows included ----------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordLink:
    """A link table whose rows belong in the history of the record ``column`` points at."""

    table: str  # the link table: "barrier_principle"
    column: str  # its column naming the record: "barrier_id"
    other: str  # its column naming what the record is linked to: "principle"
    noun: str  # how a user calls that other side: "principle"


# Which link rows a record's history shows. Every table in ``store.db.records.LINK_TABLES`` is
# here (a test holds it); a contact's meeting attendance stays in ``pfpp person show``.
RECORD_LINKS: dict[str, tuple[RecordLink, ...]] = {
    "barrier": (RecordLink("barrier_principle", "barrier_id", "principle", "principle"),),
    "action": (RecordLink("action_principle", "action_id", "principle", "principle"),),
    "contact": (RecordLink("contact_pilot", "contact_id", "pilot_id", "pilot"),),
    "pilot": (RecordLink("contact_pilot", "pilot_id", "contact_id", "member"),),
    "meeting": (RecordLink("meeting_attendee", "meeting_id", "contact_id", "attendee"),),
}
_IN_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


def record_history(
    session: Session, *, table: str, row_id: int, limit: int = 500
) -> list[HistoryEntry]:
    """One record's history, newest first: its own rows and its link rows' (with a summary)."""
    entries = history_entries(session, table=table, row_id=row_id, limit=limit)
    names = _Names(session)
    for link in RECORD_LINKS.get(table, ()):
        entries.extend(_link_entries(session, link, row_id, names))
    entries.sort(key=lambda e: e.id, reverse=True)
    return entries[:limit]


def _same_id(value: Any, row_id: int) -> bool:
    return value is not None and str(value) == str(row_id)


def _link_entries(
    session: Session, link: RecordLink, parent_id: int, names: _Names
) -> list[HistoryEntry]:
    """The history rows of ``link.table`` rows that belonged to ``parent_id`` when written.

    The JSON is read in Python, not with SQL JSON functions (they differ between SQLite and
    PostgreSQL). A link row's create and delete name its record; an update names only what
    changed, so each row's changes are replayed in order to know whose row it was each time,
    and a row id reused for another record's link never leaks into this one's history.
    """
    sa_table = SQLModel.metadata.tables[link.table]
    current = {
        row.id: row
        for row in session.execute(
            core_select(sa_table).where(sa_table.c[link.column] == parent_id)
        )
    }
    named = select(Change.row_id).where(
        col(Change.table_name) == link.table,
        col(Change.changes).contains(str(parent_id), autoescape=True),
    )
    candidates = sorted({*current, *session.exec(named)})
    rows: list[Change] = []
    for start in range(0, len(candidates), _IN_CHUNK):
        chunk = candidates[start : start + _IN_CHUNK]
        stmt = select(Change).where(
            col(Change.table_name) == link.table, col(Change.row_id).in_(chunk)
        )
        rows.extend(session.exec(stmt))
    rows.sort(key=lambda r: r.id or 0)
    # Whose link row it is now: a row older than the history has no create to say so.
    owner: dict[int, Any] = {row_id: getattr(row, link.column) for row_id, row in current.items()}
    other: dict[int, Any] = {row_id: getattr(row, link.other) for row_id, row in current.items()}
    found: list[HistoryEntry] = []
    for row in rows:
        entry = to_entry(row)
        before = None if entry.op == ChangeOp.CREATE.value else owner.get(entry.row_id)
        after = before
        if link.column in entry.changes:
            old, new = entry.changes[link.column]
            before = None if entry.op == ChangeOp.CREATE.value else old
            after = new
        if entry.op == ChangeOp.DELETE.value:
            after = None
        if link.other in entry.changes:
            old, new = entry.changes[link.other]
            other[entry.row_id] = new if new is not None else old
        owner[entry.row_id] = after
        if _same_id(before, parent_id) or _same_id(after, parent_id):
            summary = _summary(
                link, entry, parent_id, before, after, other.get(entry.row_id), names
            )
            found.append(replace(entry, summary=summary))
    return found


def _summary(
    link: RecordLink,
    entry: HistoryEntry,
    parent_id: int,
    before: Any,
    after: Any,
    other: Any,
    names: _Names,
) -> str:
    """In words: "principle trust added", "member Ada Lovelace removed", "pilot Luton: role ..."."""
    what = f"{link.noun} {names.name(link.other, other)}"
    extras = {k: v for k, v in entry.changes.items() if k not in (link.column, link.other)}
    if not _same_id(before, parent_id):
        detail = ", ".join(f"{k} {_word(new)}" for k, (_, new) in sorted(extras.items()))
        return f"{what} added" + (f" ({detail})" if detail else "")
    if not _same_id(after, parent_id):
        return f"{what} removed"
    if link.other in entry.changes:
        old, new = entry.changes[link.other]
        return f"{link.noun} {names.name(link.other, old)} → {names.name(link.other, new)}"
    detail = ", ".join(
        f"{k} {_word(old)} → {_word(new)}" for k, (old, new) in sorted(extras.items())
    )
    return f"{what}: {detail or 'changed'}"


def _word(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


class _Names:
    """What a link's other side is called, looked up once per record history."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[str, Any], str] = {}

    def name(self, column: str, value: Any) -> str:
        if value is None:
            return "?"
        key = (column, value)
        if key not in self.cache:
            self.cache[key] = self._look_up(column, value)
        return self.cache[key]

    def _look_up(self, column: str, value: Any) -> str:
        if column == "pilot_id":
            pilot = self.session.get(Pilot, int(value))
            return pilot.name if pilot else f"{value} (deleted)"
        if column == "contact_id":
            contact = self.session.get(Contact, int(value))
            if contact is None:
                return f"contact {value} (deleted)"
            name = f"{contact.first_name} {contact.last_name}".strip()
            return name or contact.email or f"contact {value}"
        return str(value)
