"""Bulk imports other than contacts: one all-or-nothing import written in short transactions.

Owns how ``pfpp import funding`` and ``pfpp import assessments`` reach the database without
holding the write lock for the whole import (50,000 funding rows in one transaction kept an
editor's save waiting 33.6 s; issue 17.10). The design is the contact import's
(``store.imports.contact_import_stage``), for imports whose rows are few enough to write through
``store.db.records`` with a history row each:

1. the caller plans in a read transaction (no lock) and notes the newest history id;
2. one short transaction checks that nothing the plan read has changed since (a history row
   on one of ``depends_on``'s tables after the mark: plan again) and writes the
   ``import_batch`` record (state ``publishing``, its writer, a heartbeat, ``options.table``);
3. the planned writes go in ``CHUNK`` at a time, each step at most ``STEP_S`` long, every
   history row in the import's one batch, pausing ``YIELD_S`` between steps so a waiting
   writer's busy handler gets its turn;
4. one short transaction sets the state to ``done``.

Anything failing after step 2 -- a row someone changed meanwhile (plan again), a full disk --
takes back what was written (``take_back``) before the error reaches the caller. A kill leaves
the batch ``publishing`` with a writer that is gone: ``recover``, run by the next open and the
next import, takes it back. So after the next open the import is there whole or not at all.
While it writes, other programs see its rows arrive a step at a time (README says so).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, insert, text
from sqlalchemy import select as select_rows
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pfpp_tui.errors import NotFoundError, PfppError, StaleEditError, ValidationFailedError
from pfpp_tui.models import Change, ChangeOp, ChangeSource, ImportBatch, utcnow
from pfpp_tui.store.db.changes import PendingChange, decode_changes, record_changes
from pfpp_tui.store.db.database import Database, current_actor
from pfpp_tui.store.db.record_rules import check_rules
from pfpp_tui.store.db.records import (
    _BOOKKEEPING,
    TABLES,
    _comparable,
    _integrity_message,
    _validated,
    row_values,
)
from pfpp_tui.store.imports import contact_import_stage as stage

CHUNK = 1000  # rows per step at most ...
STEP_S = 0.1  # ... and at most this long under the write lock (checked between statements)
INSERTS_AT_ONCE = 250  # new rows per INSERT statement
YIELD_S = stage.YIELD_S  # the pause between steps: a waiting writer gets in
MAX_PLANS = 5  # overtaken this many times in a row: give up, nothing written
KEPT_REASON = stage.KEPT_REASON
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Write:
    """One planned row: a new one (``row_id`` None) or changes to an existing one, which must
    still be at ``version`` (else someone changed it since planning: plan again)."""

    row_id: int | None
    values: dict[str, Any]
    version: int | None = None


class OvertakenError(Exception):
    """Something the plan relied on changed before or while it was written; nothing was."""


def history_mark(session: Session) -> int:
    """The newest history id, noted when planning (``publish`` compares it)."""
    found = session.execute(text("SELECT coalesce(max(id), 0) FROM change")).scalar()
    return int(found or 0)


def _changed_since(session: Session, mark: int, tables: Sequence[str]) -> bool:
    hit = session.execute(
        text("SELECT 1 FROM change WHERE id > :mark AND table_name IN :tables LIMIT 1").bindparams(
            bindparam("tables", expanding=True)
        ),
        {"mark": mark, "tables": list(tables)},
    ).first()
    return hit is not None


def publish(
    db: Database,
    table: str,
    writes: Sequence[Write],
    *,
    mark: int,
    depends_on: Sequence[str],
    batch: str,
    files: list[dict[str, Any]],
    reason: str,
) -> None:
    """Write ``writes`` to ``table`` as one import, a step at a time; all of it or nothing.

    Raises ``OvertakenError`` (nothing written) when a table in ``depends_on`` changed after
    ``mark`` or a planned row changed while the import wrote: the caller plans again.
    """
    db.refuse_if_read_only()
    actor = current_actor()
    context: dict[str, Any] = {
        "source": ChangeSource.IMPORT,
        "actor": actor,
        "batch": batch,
        "reason": reason,
    }
    with db.write(**context) as session:
        if _changed_since(session, mark, depends_on):
            raise OvertakenError("changed since planning")
        record = ImportBatch(
            change_mark=history_mark(session),
            batch=batch,
            state=stage.PUBLISHING,
            actor=actor,
            source=ChangeSource.IMPORT.value,
            reason=reason,
            files=json.dumps(files, ensure_ascii=False),
            options=json.dumps({"table": table}),
            owner=stage.owner_tag(),
        )
        session.add(record)
        session.flush()
        assert record.id is not None
        batch_id = record.id
    try:
        _steps(db, table, writes, batch_id, context)
        with db.write(**context) as session:
            done = session.get(ImportBatch, batch_id)
            assert done is not None
            done.state, done.heartbeat = stage.DONE, utcnow()
            session.add(done)
    except (StaleEditError, NotFoundError) as exc:  # a planned row changed or went: plan again
        take_back(db, batch_id)
        raise OvertakenError(str(exc)) from exc
    except BaseException:
        take_back(db, batch_id)
        raise


def _steps(
    db: Database, table: str, writes: Sequence[Write], batch_id: int, context: dict[str, Any]
) -> None:
    at = 0
    while at < len(writes):
        with db.write(**context) as session:
            began, step = time.monotonic(), 0
            while at < len(writes) and step < CHUNK and time.monotonic() - began < STEP_S:
                # A run of new rows, or of changed ones: one statement (or a few) for it.
                inserting = writes[at].row_id is None
                end = at
                while (
                    end < len(writes)
                    and end - at < min(INSERTS_AT_ONCE, CHUNK - step)
                    and (writes[end].row_id is None) == inserting
                ):
                    end += 1
                if inserting:
                    _insert_many(session, table, [w.values for w in writes[at:end]])
                else:
                    _update_many(session, table, writes[at:end])
                step += end - at
                at = end
            beat = session.get(ImportBatch, batch_id)
            assert beat is not None
            beat.heartbeat = utcnow()
            session.add(beat)
        time.sleep(YIELD_S)  # a writer waiting since this step began gets its turn


def _update_many(session: Session, table: str, writes: Sequence[Write]) -> None:
    """Changes to existing rows as ``records.update_row`` makes them (checked, the version
    expected, a new version and a history row each when something changes), with one read,
    one ``UPDATE`` per set of changed columns and one history insert for the whole run.

    The rows are read ``FOR UPDATE`` (PostgreSQL; SQLite's write lock is already held), so
    nobody changes them between the version check and the write."""
    model, _ = TABLES[table]
    target: Table = model.__table__  # type: ignore[attr-defined]
    ids = [w.row_id for w in writes]
    current = {
        int(row.id): row
        for row in session.execute(
            select_rows(target).where(target.c.id.in_(ids)).with_for_update()
        )
    }
    now = utcnow()
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    pending: list[PendingChange] = []
    for write in writes:
        assert write.row_id is not None
        row = current.get(write.row_id)
        if row is None:
            raise NotFoundError(f"{table} {write.row_id} does not exist (deleted by someone else?)")
        if write.version is not None and row.version != write.version:
            raise StaleEditError(table, write.row_id, None, None)
        before = {k: v for k, v in row._mapping.items() if k not in _BOOKKEEPING}
        data = _validated(table, {**before, **write.values})
        diff = {
            k: (before.get(k), v)
            for k, v in data.items()
            if _comparable(before.get(k)) != _comparable(v)
        }
        if not diff:
            continue
        check_rules(session, table, data, changed=set(diff))
        columns = tuple(sorted(diff))
        groups.setdefault(columns, []).append(
            {**{k: new for k, (_, new) in diff.items()}, "b_id": write.row_id,
             "b_version": row.version, "version": row.version + 1, "updated_at": now}
        )  # fmt: skip
        history = {k: pair for k, pair in diff.items() if k != "email_key"}
        pending.append(PendingChange(table, write.row_id, ChangeOp.UPDATE, history))
    for columns, rows in groups.items():
        del columns  # the parameters' names are the columns set
        stmt = target.update().where(
            target.c.id == bindparam("b_id"), target.c.version == bindparam("b_version")
        )
        try:
            session.execute(stmt, rows)
        except IntegrityError as exc:
            raise ValidationFailedError(_integrity_message(table, exc)) from None
    record_changes(session, pending)


def _insert_many(session: Session, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """New rows as ``records.insert_row`` writes them (checked, versioned, a history row
    each), in one INSERT ... RETURNING and one history insert instead of an ORM object each."""
    model, _ = TABLES[table]
    target: Table = model.__table__  # type: ignore[attr-defined]
    now = utcnow()
    checked = [_validated(table, values) for values in rows]
    for data in checked:
        check_rules(session, table, data)
    stmt = insert(target).returning(target.c.id, sort_by_parameter_order=True)
    try:
        ids = session.execute(
            stmt, [{**data, "created_at": now, "updated_at": now, "version": 1} for data in checked]
        ).scalars()
    except IntegrityError as exc:
        raise ValidationFailedError(_integrity_message(table, exc)) from None
    record_changes(
        session,
        (
            PendingChange(
                table,
                int(row_id),
                ChangeOp.CREATE,
                {k: (None, v) for k, v in data.items() if v not in (None, "", False)},
            )
            for row_id, data in zip(list(ids), checked, strict=True)
        ),
    )


def until_not_overtaken(plan_and_write: Callable[[], T], *, what: str) -> T:
    """Call ``plan_and_write()`` until it is not overtaken (at most ``MAX_PLANS`` times)."""
    for _ in range(MAX_PLANS):
        try:
            return plan_and_write()
        except OvertakenError:
            continue
    raise PfppError(f"{what} kept changing while importing; nothing was written, run it again")


def take_back(db: Database, batch_id: int) -> None:
    """Undo a write that did not finish, newest row first, a chunk per transaction: a row it
    created is deleted, a row it changed gets its old values (and version) back. Safe to
    repeat after a kill.

    A row someone changed after the import wrote it (their history row is later, in another
    batch) is kept as it is, its import history row moved out of the batch with a reason, so
    their work is never undone. Nothing links to the rows these imports write.
    """
    with db.read() as session:
        record = session.get(ImportBatch, batch_id)
        if record is None:
            return
        batch = record.batch
    while True:
        with db.write(source=ChangeSource.SYSTEM) as session:
            changes = list(
                session.exec(
                    select(Change)
                    .where(Change.batch == batch)
                    .order_by(Change.id.desc())  # type: ignore[union-attr]
                    .limit(CHUNK)
                )
            )
            if not changes:
                break
            for change in changes:
                _take_back_one(session, change, batch)
    with db.write(source=ChangeSource.SYSTEM) as session:
        session.execute(text("DELETE FROM import_batch WHERE id = :b"), {"b": batch_id})


def _take_back_one(session: Session, change: Change, batch: str) -> None:
    later = session.execute(
        text(
            "SELECT 1 FROM change WHERE table_name = :t AND row_id = :r AND id > :i"
            " AND (batch IS NULL OR batch != :b) LIMIT 1"
        ),
        {"t": change.table_name, "r": change.row_id, "i": change.id, "b": batch},
    ).first()
    if later is not None:
        change.batch, change.reason = None, KEPT_REASON
        session.add(change)
        return
    op = ChangeOp(change.op)
    if op is ChangeOp.CREATE:
        session.execute(
            text(f"DELETE FROM {change.table_name} WHERE id = :r"), {"r": change.row_id}
        )
    elif op is ChangeOp.UPDATE:
        row = session.get(TABLES[change.table_name][0], change.row_id)
        if row is None:  # gone since without a history row (a pilot's cascade): nothing to undo
            session.delete(change)
            return
        old = {k: before for k, (before, _after) in decode_changes(change.changes).items()}
        shaped = _validated(change.table_name, {**row_values(row), **old})
        for name in old:
            setattr(row, name, shaped[name])
        row.version -= 1  # type: ignore[attr-defined]
        session.add(row)
        session.flush()
    session.delete(change)


def recover(db: Database) -> int:
    """Take back every unfinished bulk import (not a contact import) whose writer is gone."""
    with db.read() as session:
        unfinished = [
            (row.id, row.owner, row.heartbeat)
            for row in session.exec(select(ImportBatch).where(ImportBatch.state != stage.DONE))
            if not stage.is_contact_batch(row.options)
        ]
    settled = 0
    for batch_id, owner, heartbeat in unfinished:
        if batch_id is not None and stage._writer_gone(owner, heartbeat):
            take_back(db, batch_id)
            settled += 1
    return settled


def recover_all(db: Database) -> int:
    """Settle every import a kill interrupted: contact imports' and the others'."""
    return stage.recover(db) + recover(db)
