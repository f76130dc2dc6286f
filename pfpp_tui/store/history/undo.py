"""Undo through the change history: revert one batch of changes a user made.

Owns: writing a user gesture as one history batch (``save_in_batch`` / ``delete_in_batch`` —
the TUI keeps the batch ids of its session for ``ctrl+z``; ``batch_written`` says whether a
save wrote anything to keep), and reverting a batch (``undo_batch``): an update goes back to
its old values, a deleted row is re-created with its old id and values, a created row is
deleted. Newest change first, all in one transaction. A batch with no history (a save that
changed nothing) reverts nothing and says so, rather than blocking the undo list.
Its summary names the batch's main record (a barrier, not the tag rows saved with it).

A delete (``delete_in_batch``) first does, row by row and in the same batch, what the
database's ``ON DELETE`` rules would otherwise do silently: rows that would cascade (a meeting's
attendee list, a pilot's links) are deleted and links that would be set to NULL (an action's
owner) are cleared, each with its history row. So the history holds every row the delete
touched, and undoing it brings all of them back, links included.

It refuses, with a message naming the record, rather than clobber later work: when someone
changed the same record after the batch, when other records now link to a row it would delete,
when a re-created row's id has been taken, or when a record it would bring back or point at
again (a deleted row's organisation, an edit's old owner) has been deleted since.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select

from pfpp_tui.errors import NotFoundError, PfppError, ValidationFailedError
from pfpp_tui.models import Change, ChangeOp, ChangeSource, Contact, ImportBatch
from pfpp_tui.store.db.changes import (
    UNDO_REASON_PREFIX,
    PendingChange,
    decode_changes,
    record_change,
    record_changes,
)
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import (
    LINK_TABLES,
    TABLES,
    Record,
    _check_version,
    _integrity_message,
    _validated,
    delete_row,
    insert_row,
    load_row,
    to_record,
    update_row,
)
from pfpp_tui.words import counted


class UndoRefusedError(PfppError):
    """Undoing would overwrite or orphan later work; the message says which record and why."""


@dataclass(frozen=True, slots=True)
class UndoResult:
    batch: str
    reverted: int
    summary: str


def new_batch() -> str:
    return str(uuid.uuid4())


def save_in_batch(
    db: Database,
    *,
    table: str,
    values: Mapping[str, Any],
    row_id: int | None = None,
    expected_version: int | None = None,
    batch: str,
    source: ChangeSource = ChangeSource.TUI,
) -> Record:
    """Create (``row_id`` None) or update a record, its history rows tagged with ``batch``.

    An update that changes nothing writes nothing, so ``batch`` stays empty: ask
    ``batch_written`` before offering it to ``ctrl+z``.
    """
    with db.write(source=source, batch=batch) as session:
        if row_id is None:
            return to_record(table, insert_row(session, table, values))
        row = update_row(session, table, row_id, values, expected_version=expected_version)
        return to_record(table, row)


def delete_in_batch(
    db: Database,
    *,
    table: str,
    row_id: int,
    expected_version: int | None = None,
    batch: str,
    source: ChangeSource = ChangeSource.TUI,
) -> dict[str, Any]:
    with db.write(source=source, batch=batch) as session:
        return delete_with_dependents(session, table, row_id, expected_version=expected_version)


def _dependents(table: str) -> list[tuple[str, str, str]]:
    """(child table, foreign-key column, ON DELETE action) for every link to ``table``."""
    found: list[tuple[str, str, str]] = []
    for other in SQLModel.metadata.sorted_tables:
        if other.name not in TABLES:
            continue
        for fk in other.foreign_keys:
            if fk.column.table.name == table:
                found.append((other.name, fk.parent.name, (fk.ondelete or "").upper()))
    return found


def delete_with_dependents(
    session: Session, table: str, row_id: int, *, expected_version: int | None = None
) -> dict[str, Any]:
    """Delete a row after doing its ``ON DELETE`` cascades and SET NULLs with history rows."""
    row = load_row(session, table, row_id)
    _check_version(session, table, row, expected_version)
    for child, column, action in _dependents(table):
        if action not in ("CASCADE", "SET NULL"):
            continue  # RESTRICT / NO ACTION: the database refuses the delete, as it should
        model, _ = TABLES[child]
        ids = session.execute(
            sa_select(model.id)  # type: ignore[attr-defined]
            .where(getattr(model, column) == row_id)
            .order_by(model.id)  # type: ignore[attr-defined]
        ).scalars()
        for child_id in [int(i) for i in ids]:
            if child == table and child_id == row_id:
                continue
            if action == "CASCADE":
                delete_with_dependents(session, child, child_id)
            else:
                update_row(
                    session,
                    child,
                    child_id,
                    {column: None},
                    reason=f"link cleared: {table.replace('_', ' ')} {row_id} deleted",
                )
    return delete_row(session, table, row_id)


def batch_written(db: Database, batch: str) -> bool:
    """Whether any change was recorded under ``batch`` (a save that changed nothing: no)."""
    with db.read() as session:
        stmt = sa_select(func.count()).select_from(Change).where(col(Change.batch) == batch)
        return bool(session.execute(stmt).scalar_one()) or bool(_imported(session, batch)[1])


def _imported(session: Session, batch: str) -> tuple[ImportBatch | None, int]:
    """A bulk import's batch record and how many of the contacts it created are still there."""
    record = session.exec(select(ImportBatch).where(ImportBatch.batch == batch)).first()
    if record is None:
        return None, 0
    stmt = sa_select(func.count()).where(col(Contact.import_batch_id) == record.id)
    return record, int(session.execute(stmt).scalar_one())


def _delete_imported(session: Session, contact_id: int, batch: str, mark: int) -> None:
    """Take back one contact a bulk import created, unless later work depends on it."""
    creation = Change(
        id=mark,
        table_name="contact",
        row_id=contact_id,
        op=ChangeOp.CREATE.value,
        actor="",
        source=ChangeSource.IMPORT.value,
        batch=batch,
    )
    _revert(session, creation, batch)


def _imported_in_use(session: Session, record: ImportBatch, batch: str) -> set[int]:
    """The contacts ``record`` created that undoing it must not delete, in a few statements
    whatever their number: those changed after the import by a change that still stands (the
    rule ``_later_change`` applies to one row) and those other rows link to (``_referencing``)."""
    imported = sa_select(Contact.id).where(  # type: ignore[call-overload]
        col(Contact.import_batch_id) == record.id
    )
    stmt = sa_select(Change.row_id, Change.batch, Change.reason).where(  # type: ignore[call-overload]
        col(Change.table_name) == "contact",
        col(Change.row_id).in_(imported),
        col(Change.id) > record.change_mark,
        col(Change.batch) != batch,
    )
    later = [
        (int(row_id), later_batch)
        for row_id, later_batch, reason in session.execute(stmt)
        if not reason.startswith(UNDO_REASON)
    ]
    used: set[int] = set()
    if later:
        undone_stmt = select(Change.reason).where(col(Change.reason).startswith(UNDO_REASON))
        undone = {reason.removeprefix(UNDO_REASON) for reason in session.exec(undone_stmt)}
        used.update(row_id for row_id, later_batch in later if later_batch not in undone)
    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table.name == "contact" and other.name != "change":
                linked = sa_select(fk.parent).distinct().where(fk.parent.in_(imported))
                used.update(int(i) for i in session.execute(linked).scalars() if i is not None)
    return used


def _delete_all_imported(session: Session, record: ImportBatch, batch: str) -> None:
    """Take back every contact a bulk import created, set-based: refused as a whole, naming the
    contact the row-by-row undo would have stopped at, when later work depends on any of them;
    else one read, one ``DELETE`` and one history insert (a deletion row each, newest first)."""
    used = _imported_in_use(session, record, batch)
    if used:
        # The newest contact in use is where the row-by-row undo stops: let it say why.
        _delete_imported(session, max(used), batch, record.change_mark)
        raise UndoRefusedError(f"contact {max(used)} is in use — undo refused")  # not reached
    table = Contact.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in Contact.model_fields]
    rows = session.execute(
        sa_select(*columns).where(table.c.import_batch_id == record.id).order_by(table.c.id.desc())
    ).mappings()
    pending = [
        PendingChange(
            table="contact",
            row_id=int(row["id"]),
            op=ChangeOp.DELETE,
            changes={k: (v, None) for k, v in row.items() if k != "id"},
        )
        for row in rows
    ]
    session.execute(table.delete().where(table.c.import_batch_id == record.id))
    record_changes(session, pending)


def _links_free(session: Session, links: list[Change], batch: str) -> bool:
    """Whether none of an import's created pilot links was changed since by a change that still
    stands, or is linked to (the rules ``_revert`` applies to each), in a few statements."""
    created = {c.row_id: c.id or 0 for c in links}
    made = (
        sa_select(Change.row_id)  # type: ignore[call-overload]
        .where(col(Change.batch) == batch, col(Change.table_name) == "contact_pilot")
        .where(col(Change.op) == ChangeOp.CREATE.value)
    )
    stmt = sa_select(Change.row_id, Change.id, Change.batch, Change.reason).where(  # type: ignore[call-overload]
        col(Change.table_name) == "contact_pilot",
        col(Change.row_id).in_(made),
        col(Change.batch) != batch,
    )
    later = [
        later_batch
        for row_id, change_id, later_batch, reason in session.execute(stmt)
        if change_id > created.get(row_id, change_id) and not reason.startswith(UNDO_REASON)
    ]
    if later:
        undone_stmt = select(Change.reason).where(col(Change.reason).startswith(UNDO_REASON))
        undone = {reason.removeprefix(UNDO_REASON) for reason in session.exec(undone_stmt)}
        if any(b not in undone for b in later):
            return False
    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table.name == "contact_pilot" and other.name != "change":
                linked = sa_select(func.count()).where(fk.parent.in_(made))
                if session.execute(linked).scalar_one():
                    return False
    return True


def _delete_links(session: Session, links: list[Change]) -> bool:
    """Delete an import's pilot links as a set, a deletion history row each, newest first;
    False, having done nothing, when one is gone."""
    model = TABLES["contact_pilot"][0]
    table = model.__table__  # type: ignore[attr-defined]
    ids = [c.row_id for c in links]
    columns = [table.c[name] for name in model.model_fields]
    rows: dict[int, Any] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for row in session.execute(sa_select(*columns).where(table.c.id.in_(chunk))).mappings():
            rows[int(row["id"])] = row
    if len(rows) != len(set(ids)):
        return False
    pending = [
        PendingChange(
            table="contact_pilot",
            row_id=i,
            op=ChangeOp.DELETE,
            changes={k: (v, None) for k, v in rows[i].items() if k != "id"},
        )
        for i in ids
    ]
    for start in range(0, len(ids), 5000):
        session.execute(table.delete().where(table.c.id.in_(ids[start : start + 5000])))
    record_changes(session, pending)
    return True


def batch_changes(session: Session, batch: str) -> list[Change]:
    stmt = select(Change).where(col(Change.batch) == batch).order_by(col(Change.id).desc())
    return list(session.exec(stmt))


UNDO_REASON = UNDO_REASON_PREFIX  # an undo's reason: this, then the undone batch


def _later_change(session: Session, change: Change, batch: str) -> Change | None:
    """The newest later change to the same row that still stands (not undone, not an undo)."""
    stmt = (
        select(Change)
        .where(
            col(Change.table_name) == change.table_name,
            col(Change.row_id) == change.row_id,
            col(Change.id) > (change.id or 0),
            col(Change.batch) != batch,
        )
        .order_by(col(Change.id).desc())
    )
    later = [c for c in session.exec(stmt) if not c.reason.startswith(UNDO_REASON)]
    if not later:
        return None
    undone_stmt = select(Change.reason).where(col(Change.reason).startswith(UNDO_REASON))
    undone = {reason.removeprefix(UNDO_REASON) for reason in session.exec(undone_stmt)}
    standing = [c for c in later if c.batch not in undone]
    return standing[0] if standing else None


def _referencing(session: Session, table: str, row_id: int) -> list[str]:
    """Descriptions of rows in other tables whose foreign keys point at ``table``/``row_id``."""
    found: list[str] = []
    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table.name == table and other.name != "change":
                count = session.execute(
                    sa_select(func.count()).select_from(other).where(fk.parent == row_id)
                ).scalar_one()
                if count:
                    found.append(counted(count, f"{other.name.replace('_', ' ')} row"))
    return found


def links_to(db: Database, table: str, row_id: int) -> list[str]:
    """What links to a record ("3 contact rows"): asked before deleting it."""
    with db.read() as session:
        return _referencing(session, table, row_id)


def _describe(change: Change) -> str:
    return f"{change.table_name.replace('_', ' ')} {change.row_id}"


def _missing_links(session: Session, table: str, values: Mapping[str, Any]) -> list[str]:
    """The linked records ``values`` point at that no longer exist ("organisation 3")."""
    missing: list[str] = []
    for fk in SQLModel.metadata.tables[table].foreign_keys:
        target = values.get(fk.parent.name)
        parent = fk.column.table.name
        if target is None or parent not in TABLES:
            continue
        if session.get(TABLES[parent][0], target) is None:
            missing.append(f"{parent.replace('_', ' ')} {target} ({fk.parent.name})")
    return missing


def _recreate(session: Session, change: Change) -> None:
    model, _ = TABLES[change.table_name]
    if session.get(model, change.row_id) is not None:
        raise UndoRefusedError(f"{_describe(change)}: a new record has taken its id since")
    old = {k: old for k, (old, _new) in decode_changes(change.changes).items()}
    data = _validated(change.table_name, old)
    missing = _missing_links(session, change.table_name, data)
    if missing:
        raise UndoRefusedError(
            f"{_describe(change)} cannot come back: it belonged to {', '.join(missing)}, "
            "deleted since — undo refused rather than bring it back half-linked"
        )
    # Read before the flush: a failed flush expires every loaded object, ``change`` too.
    table, row_id, what = change.table_name, change.row_id, _describe(change)
    row = model(**data)
    row.id = row_id
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UndoRefusedError(
            f"{what} cannot come back: {_integrity_message(table, exc)}"
        ) from None
    record_change(
        session,
        table=table,
        row_id=row_id,
        op=ChangeOp.CREATE,
        changes={k: (None, v) for k, v in data.items() if v not in (None, "", False)},
    )


def _revert(session: Session, change: Change, batch: str) -> None:
    later = _later_change(session, change, batch)
    if later is not None:
        raise UndoRefusedError(
            f"{_describe(change)} was changed later by {later.actor} "
            f"at {later.at:%Y-%m-%d %H:%M} — undo refused so that change is not lost"
        )
    op = ChangeOp(change.op)
    if op is ChangeOp.UPDATE:
        old = {k: old for k, (old, _new) in decode_changes(change.changes).items()}
        load_row(session, change.table_name, change.row_id)
        missing = _missing_links(session, change.table_name, old)
        if missing:
            raise UndoRefusedError(
                f"{_describe(change)} cannot link again to {', '.join(missing)}: deleted since "
                "— undo refused"
            )
        update_row(session, change.table_name, change.row_id, old)
    elif op is ChangeOp.CREATE:
        links = _referencing(session, change.table_name, change.row_id)
        if links:
            raise UndoRefusedError(
                f"{_describe(change)} is now linked from {', '.join(links)} — "
                "undo refused so those links are not broken"
            )
        delete_row(session, change.table_name, change.row_id)
    else:
        _recreate(session, change)


def _links_from(change: Change, *, owning: bool = False) -> set[tuple[str, int]]:
    """(table, id) of the records a change's foreign-key values point at, old or new.

    ``owning``: only the links that own the row (``ON DELETE CASCADE``: a tag's barrier).
    """
    found: set[tuple[str, int]] = set()
    values = decode_changes(change.changes)
    for fk in SQLModel.metadata.tables[change.table_name].foreign_keys:
        if owning and (fk.ondelete or "").upper() != "CASCADE":
            continue
        for value in values.get(fk.parent.name, ()):
            if value is not None:
                found.add((fk.column.table.name, int(value)))
    return found


def _summary(changes: list[Change], *, imported: int = 0) -> str:
    """What undoing ``changes`` (newest first) did, named after the batch's main record.

    The main record is the oldest change that is not a link row (``LINK_TABLES``) and does not
    point at another row of the same batch, so a barrier saved with its principle tags, or a
    meeting deleted with its attendee rows, is named rather than the first row written. A batch
    of link rows alone (only a barrier's tags were edited) is named after the one record they
    all belong to, when there is one.
    """
    oldest_first = changes[::-1]
    if imported or (changes and all(c.source == ChangeSource.IMPORT.value for c in changes)):
        return _import_summary(changes, imported)
    touched = {(c.table_name, c.row_id) for c in changes}
    main = [
        c for c in oldest_first if c.table_name not in LINK_TABLES and not _links_from(c) & touched
    ]
    if not main and all(c.table_name in LINK_TABLES for c in changes):
        owners = set.intersection(*(_links_from(c, owning=True) for c in changes))
        if len(owners) == 1:
            (table, row_id), tables = owners.pop(), {c.table_name for c in changes}
            what = tables.pop().replace("_", " ") if len(tables) == 1 else "link"
            owner = f"{table.replace('_', ' ')} {row_id}"
            return f"Undid edit of {owner}: {counted(len(changes), f'{what} change')}"
    first = (main or oldest_first)[0]
    verb = {"create": "creation", "update": "edit", "delete": "deletion"}[first.op]
    summary = f"Undid {verb} of {_describe(first)}"
    if len(changes) > 1:
        summary += f" and {counted(len(changes) - 1, 'more change')}"
    return summary


def _import_summary(changes: list[Change], imported: int = 0) -> str:
    """An import is undone as a whole: say what it had added and changed, by kind."""
    added: dict[str, int] = {"contact": imported} if imported else {}
    for c in changes:
        if c.op == ChangeOp.CREATE.value:
            added[c.table_name] = added.get(c.table_name, 0) + 1
    updated = sum(1 for c in changes if c.op == ChangeOp.UPDATE.value)
    order = list(_IMPORT_NOUNS)
    kinds = sorted(added, key=lambda t: order.index(t) if t in order else len(order))
    parts = [f"{added[t]} {_IMPORT_NOUNS.get(t, (t, t))[added[t] != 1]}" for t in kinds]
    if updated:
        parts.append(f"{counted(updated, 'contact')} restored")
    return "Undid the import: " + (", ".join(parts) or counted(len(changes), "change"))


_IMPORT_NOUNS = {
    "contact": ("contact", "contacts"),
    "organisation": ("organisation", "organisations"),
    "team": ("team", "teams"),
    "contact_pilot": ("pilot link", "pilot links"),
}


NOTHING_RECORDED = "Nothing to undo there: that save changed nothing (taken off the undo list)"


def undo_batch(db: Database, batch: str, *, source: ChangeSource = ChangeSource.TUI) -> UndoResult:
    """Revert every change of ``batch`` (newest first) in one transaction, or none of them.

    A batch with no history rows (a save that changed nothing, or one purged since) has nothing
    to revert: that is not a refusal but a success with ``reverted`` 0, so an undo stack drops
    the entry instead of being stuck on it with every older change beneath it.
    """
    try:
        with db.write(source=source, batch=new_batch(), reason=UNDO_REASON + batch) as session:
            changes = batch_changes(session, batch)
            record, imported = _imported(session, batch)
            if not changes and not imported:
                return UndoResult(batch=batch, reverted=0, summary=NOTHING_RECORDED)
            summary = _summary(changes, imported=imported)
            # A bulk import's new contacts (no history row each) go after its later rows (their
            # pilot links, updates) and before its earlier ones (organisations, teams).
            later = [c for c in changes if c.table_name in ("contact", "contact_pilot")]
            links = [c for c in later if c.table_name == "contact_pilot" and c.op == "create"]
            # An import's pilot links (one per contact with ``--pilot``) go as a set, the rest
            # row by row; one in use or gone: all row by row, to stop where that stops.
            if (
                record is not None
                and len(links) > 1
                and _links_free(session, links, batch)
                and _delete_links(session, links)
            ):
                later = [c for c in later if c.op != "create" or c.table_name != "contact_pilot"]
            for change in later:
                _revert(session, change, batch)
            if record is not None and imported:
                _delete_all_imported(session, record, batch)
            for change in changes:
                if change.table_name not in ("contact", "contact_pilot"):
                    _revert(session, change, batch)
    except (ValidationFailedError, NotFoundError) as exc:
        raise UndoRefusedError(f"undo refused: {exc}") from None
    return UndoResult(batch=batch, reverted=len(changes) + imported, summary=summary)
