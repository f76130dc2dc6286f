"""Contact import, the write: one all-or-nothing import in short transactions.

Owns how an import reaches the database without holding the write lock for the whole import
(an editor's save would wait seconds behind 100,000 rows; issue 17.10). On one connection:

1. the new contacts are staged in a TEMP table (private to the connection; no lock on the
   database, nothing in the file) -- by the planning, ``contact_import_staged``;
2. one short transaction checks the plan still holds (``contact_import_plan.plan_still_holds``),
   writes the ``import_batch`` record (state ``publishing``, its writer and a heartbeat) and the
   new organisations and teams (``contact_import_write.create_places``);
3. the staged contacts go into ``contact`` ``CHUNK`` at a time (one ``INSERT ... SELECT`` each,
   so the search-index trigger runs inside one statement), each carrying the batch's id, with
   the pilot links of new contacts, pausing ``YIELD_S`` between steps (at most every
   ``YIELD_EVERY_S`` of writing) so a waiting writer's busy handler gets its turn;
4. one short transaction updates existing contacts, links existing ones, and sets the state to
   ``done`` (``contact_import_write.update_and_link``).

Anything failing after step 2 -- a contact changed since planning, a full disk -- takes back
what was written (``take_back``) before the error reaches the caller. A kill leaves the batch
``publishing`` with a writer that is gone: ``recover``, run by the next open and the next
import, takes it back, so after the next open the import is there whole or not at all (a live
import in another process is left alone). A staged contact whose e-mail someone saved meanwhile
is not written (theirs is kept; ``write_import`` says how many were).
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, text
from sqlmodel import Session, select

from pfpp_tui.models import ChangeSource, ImportBatch, utcnow
from pfpp_tui.shapes.contacts import INSERT_FIELDS
from pfpp_tui.store.db.database import Database, current_actor
from pfpp_tui.store.imports.contact_import_model import ImportPlan
from pfpp_tui.store.imports.contact_import_staged import STAGE, Sql
from pfpp_tui.store.imports.contact_import_write import create_places, update_and_link

CHUNK = 5000  # contacts per publishing transaction (tens of ms under the write lock)
YIELD_S = 0.02  # pause between publishing steps: a waiting writer's busy handler gets in
YIELD_EVERY_S = 0.1  # ... once this long has passed writing since the last pause
STALE_AFTER = timedelta(minutes=10)  # a writer on another host silent this long is gone
PUBLISHING, DONE = "publishing", "done"

_STAGE = STAGE  # the TEMP table the plan staged the new contacts in (fresh = 1)
_COLUMNS = ", ".join(INSERT_FIELDS)
_NOW = bindparam("now", type_=ImportBatch.__table__.c["heartbeat"].type)  # type: ignore[attr-defined]


def owner_tag() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _writer_gone(owner: str, heartbeat: Any) -> bool:
    host, _, pid = owner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return False
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False
    return bool(heartbeat is None or utcnow() - heartbeat > STALE_AFTER)


@contextmanager
def _step(conn: Connection, batch: str, actor: str) -> Iterator[Session]:
    """One write transaction on ``conn`` (BEGIN IMMEDIATE on SQLite), history attributed."""
    with Session(bind=conn, expire_on_commit=False) as session:
        session.info.update(
            pfpp_source=ChangeSource.IMPORT, pfpp_actor=actor, pfpp_batch=batch, pfpp_reason=""
        )
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _real(column: str, ids: list[int]) -> str:
    """SQL for a staged column's real id: planned id -n is the n-th new row's (``ids``)."""
    if not ids:
        return f"s.{column}"
    if ids == list(range(ids[0], ids[0] + len(ids))):
        return f"CASE WHEN s.{column} < 0 THEN {ids[0] - 1} - s.{column} ELSE s.{column} END"
    cases = " ".join(f"WHEN {-n} THEN {real}" for n, real in enumerate(ids, start=1))
    return f"CASE s.{column} {cases} ELSE s.{column} END"


def _publish_sql(real: dict[str, list[int]]) -> Any:
    selected = ", ".join(
        _real(name, real[name]) if name in real else f"s.{name}" for name in INSERT_FIELDS
    )
    return text(
        f"INSERT INTO contact ({_COLUMNS}, archived, created_at, updated_at, version,"
        f" import_batch_id) SELECT {selected}, :no, :now, :now, 1, :b FROM {_STAGE} s"
        " WHERE s.seq > :low AND s.seq <= :high AND s.fresh = 1 ORDER BY s.seq"
        # Someone saved the same e-mail meanwhile: theirs stays (one index probe, not two).
        " ON CONFLICT (email_key) DO NOTHING"
    ).bindparams(_NOW, bindparam("no", value=False))


_LINK = text(
    "INSERT INTO contact_pilot (contact_id, pilot_id, role, created_at, updated_at, version)"
    " SELECT id, :p, 'partner', :now, :now, 1 FROM contact"
    " WHERE import_batch_id = :b AND id > :before ORDER BY id"
).bindparams(_NOW)
_LINK_HISTORY = text(
    "INSERT INTO change (table_name, row_id, op, changes, at, actor, source, reason, batch)"
    " SELECT 'contact_pilot', id, 'create', '{\"contact_id\": [null, ' || CAST(contact_id AS"
    " VARCHAR(20)) || '], \"pilot_id\": [null, ' || CAST(pilot_id AS VARCHAR(20)) || '],"
    " \"role\": [null, \"partner\"]}', :now, :actor, 'import', '', :batch FROM contact_pilot"
    " WHERE pilot_id = :p AND contact_id IN"
    " (SELECT id FROM contact WHERE import_batch_id = :b AND id > :before) ORDER BY id"
).bindparams(_NOW)
_BEAT = text("UPDATE import_batch SET heartbeat = :now WHERE id = :b").bindparams(_NOW)


def write_import(
    db: Database,
    conn: Connection,
    plan: ImportPlan,
    *,
    batch: str,
    files: str,
    options: dict[str, Any],
    still_holds: Callable[[Session, ImportPlan], bool],
    history_mark: Callable[[Session], int],
) -> int | None:
    """Write ``plan``, its new contacts staged on ``conn`` (``contact_import_staged``): the
    number of new contacts written, or None when the plan was overtaken (``still_holds`` said
    no; nothing was written, plan again)."""
    db.refuse_if_read_only()
    actor = current_actor()
    with _step(conn, batch, actor) as session:
        mark = history_mark(session)
        if mark != plan.stamp and not still_holds(session, plan):
            return None
        record = ImportBatch(
            change_mark=mark,
            batch=batch,
            state=PUBLISHING,
            actor=actor,
            source=ChangeSource.IMPORT.value,
            files=files,
            options=json.dumps(options, ensure_ascii=False),
            owner=owner_tag(),
        )
        session.add(record)
        session.flush()
        assert record.id is not None
        batch_id = record.id
        real = create_places(session, plan, is_sqlite=db.is_sqlite)
    db.wrote()  # a SQLite file in rollback-journal mode moves to WAL now
    try:
        written = _publish(conn, plan, batch, batch_id, actor, real)
        with _step(conn, batch, actor) as session:
            update_and_link(session, plan, real, is_sqlite=db.is_sqlite)
            session.execute(
                text(
                    "UPDATE import_batch SET state = :done, heartbeat = :now,"
                    " contacts_added = :n WHERE id = :b"
                ).bindparams(_NOW),
                {"done": DONE, "now": utcnow(), "n": written, "b": batch_id},
            )
    except BaseException:
        take_back(db, batch_id)
        raise
    return written


def _publish(
    conn: Connection,
    plan: ImportPlan,
    batch: str,
    batch_id: int,
    actor: str,
    real: dict[str, list[int]],
) -> int:
    """The staged contacts into ``contact``, ``CHUNK`` per transaction; how many were written."""
    publish = _publish_sql(real)
    written = 0
    paused = time.monotonic()
    staged = Sql(conn, conn.dialect.name == "sqlite")
    top = staged.value(f"SELECT max(seq) FROM {_STAGE}")
    staged.commit()  # on PostgreSQL that read began a transaction; each chunk is its own
    for low in range(0, (top or 0) if plan.staged else 0, CHUNK):
        with _step(conn, batch, actor) as session:
            now = utcnow()
            before = session.execute(text("SELECT coalesce(max(id), 0) FROM contact")).scalar()
            params = {"now": now, "b": batch_id, "low": low, "high": low + CHUNK}
            done = session.execute(publish, params)
            written += done.rowcount  # type: ignore[attr-defined]
            if plan.pilot_id is not None:
                link = {"p": plan.pilot_id, "now": now, "b": batch_id, "before": before}
                session.execute(_LINK, link)
                session.execute(_LINK_HISTORY, {**link, "actor": actor, "batch": batch})
            session.execute(_BEAT, {"now": now, "b": batch_id})
        if time.monotonic() - paused >= YIELD_EVERY_S:
            time.sleep(YIELD_S)  # a writer waiting since this step began gets its turn
            paused = time.monotonic()
    return written


def take_back(db: Database, batch_id: int) -> None:
    """Undo a write that did not finish: its contacts (a chunk per transaction), then its
    organisations, teams, history rows and batch record. Safe to repeat after a kill.

    While the import was writing, its contacts were visible a chunk at a time, so someone may
    have used one meanwhile (made them a barrier's owner, an attendee, edited them). Deleting
    such a row would silently undo that person's work (``ON DELETE SET NULL`` / ``CASCADE``), so
    a row anything outside the import points at or changed is kept, as a record of its own with
    a history row that says why, and so are the organisations and teams it needs.
    """
    with db.read() as session:
        record = session.get(ImportBatch, batch_id)
        if record is None:
            return
        batch, mark = record.batch, record.change_mark
    kept_contacts: set[int] = set()
    while True:
        with db.write(source=ChangeSource.SYSTEM) as session:
            ids = [
                int(i)
                for i in session.execute(
                    text("SELECT id FROM contact WHERE import_batch_id = :b ORDER BY id LIMIT :n"),
                    {"b": batch_id, "n": CHUNK},
                ).scalars()
            ]
            if not ids:
                break
            used = _in_use(session, "contact", ids, batch, mark)
            kept_contacts |= used
            if used:
                _keep_contacts(session, sorted(used))
            gone = [i for i in ids if i not in used]
            if gone:
                session.execute(
                    text("DELETE FROM contact WHERE id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": gone},
                )
    with db.write(source=ChangeSource.SYSTEM) as session:
        for table in ("team", "organisation"):
            made = [
                int(i)
                for i in session.execute(
                    text(
                        "SELECT row_id FROM change WHERE batch = :batch AND table_name = :t"
                        " AND op = 'create'"
                    ),
                    {"batch": batch, "t": table},
                ).scalars()
            ]
            gone = [i for i in made if i not in _in_use(session, table, made, batch, mark)]
            if gone:
                session.execute(
                    text(f"DELETE FROM {table} WHERE id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": gone},
                )
        # History of rows that are gone goes with them; rows kept keep their creation, moved
        # out of this batch so that nothing later takes them for part of the import.
        tables = session.execute(
            text("SELECT DISTINCT table_name FROM change WHERE batch = :batch"), {"batch": batch}
        ).scalars()
        for table in list(tables):
            session.execute(
                text(
                    "DELETE FROM change WHERE batch = :batch AND table_name = :t"
                    f" AND row_id NOT IN (SELECT id FROM {table})"
                ),
                {"batch": batch, "t": table},
            )
        session.execute(
            text("UPDATE change SET batch = NULL, reason = :why WHERE batch = :batch"),
            {"batch": batch, "why": KEPT_REASON},
        )
        session.execute(text("DELETE FROM import_batch WHERE id = :b"), {"b": batch_id})


KEPT_REASON = "kept from an import that did not finish: someone used it while it was written"


def _in_use(session: Session, table: str, ids: list[int], batch: str, mark: int) -> set[int]:
    """Those of ``ids`` in ``table`` that a row outside the import points at, or that someone
    changed since the import was decided (history rows after ``mark``, in another batch)."""
    from sqlalchemy import select as sa_select
    from sqlmodel import SQLModel

    if not ids:
        return set()
    used: set[int] = set()
    for other in SQLModel.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table.name != table or fk.parent.table is not other:
                continue
            query = sa_select(fk.parent).distinct().where(fk.parent.in_(ids))
            if other.name == "contact_pilot":  # the import's own pilot links go with it
                query = query.where(
                    other.c.id.not_in(
                        sa_select(text("row_id"))
                        .select_from(text("change"))
                        .where(text("batch = :batch AND table_name = :t AND op = 'create'"))
                    )
                )
            found = session.execute(query, {"batch": batch, "t": other.name}).scalars()
            used.update(int(i) for i in found if i is not None)
    changed = session.execute(
        text(
            "SELECT DISTINCT row_id FROM change WHERE table_name = :t AND row_id IN :ids"
            " AND id > :mark AND (batch IS NULL OR batch != :batch)"
        ).bindparams(bindparam("ids", expanding=True)),
        {"t": table, "ids": ids, "mark": mark, "batch": batch},
    ).scalars()
    used.update(int(i) for i in changed)
    return used


def _keep_contacts(session: Session, ids: list[int]) -> None:
    """Make used contacts ordinary records, each with a creation row saying why."""
    from pfpp_tui.models import ChangeOp, Contact
    from pfpp_tui.store.db.changes import record_change
    from pfpp_tui.store.db.records import row_values

    for contact_id in ids:
        row = session.get(Contact, contact_id)
        if row is None:
            continue
        row.import_batch_id = None
        session.add(row)
        values = {k: (None, v) for k, v in row_values(row).items() if v not in (None, "")}
        record_change(
            session, table="contact", row_id=contact_id, op=ChangeOp.CREATE,
            changes=values, reason=KEPT_REASON,
        )  # fmt: skip
    session.flush()


def is_contact_batch(options: str) -> bool:
    """A contact import's batch: its options name no other table (``store.imports.bulk_import``'s
    do)."""
    try:
        table = json.loads(options or "{}").get("table", "contact")
    except (ValueError, AttributeError):
        table = "contact"
    return bool(table == "contact")


def recover(db: Database) -> int:
    """Take back every unfinished contact import whose writer is gone; how many it took back.

    Other imports' batches (funding, assessments) are ``store.imports.bulk_import.recover``'s."""
    with db.read() as session:
        unfinished = [
            (row.id, row.owner, row.heartbeat)
            for row in session.exec(select(ImportBatch).where(ImportBatch.state != DONE))
            if is_contact_batch(row.options)
        ]
    settled = 0
    for batch_id, owner, heartbeat in unfinished:
        if batch_id is not None and _writer_gone(owner, heartbeat):
            take_back(db, batch_id)
            settled += 1
    return settled
