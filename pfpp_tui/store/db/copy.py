"""Team mode: move a whole database between SQLite and PostgreSQL (``pfpp db copy``).

Owns ``copy_database`` and the canonical logical dump it verifies with. Both ends are opened
through ``open_database`` (so both are at this version's head); the target must be empty.
Every table is copied parents-first (``metadata.sorted_tables``), history included, with the
original ids. Self-references (an organisation's parent, a barrier's duplicate) may point
forward, so they are inserted empty and filled once the table is in. The whole copy is one
write transaction on the target: a failure leaves it empty. PostgreSQL sequences are then set
past the highest id, and the copy is verified, still inside that transaction, by per-table row
counts and a SHA-256 of the canonical dump of every row on both sides: a mismatch rolls the
copy back. The source is read in one snapshot (WAL read transaction on SQLite, REPEATABLE
READ on PostgreSQL), so others may keep writing to it meanwhile.

Copy is not a change to the data, so it writes no history rows of its own.

The contacts' text index (migration 0003, ``store.db.search_index``) is not a model table, so it is
never copied: on a SQLite target the triggers on ``contact`` fill it as the rows go in, and on
PostgreSQL the GIN index follows the rows by itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, select, text, update
from sqlmodel import SQLModel

import pfpp_tui.models  # noqa: F401  (registers every table)
from pfpp_tui.errors import DatabaseLocationError, PfppError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.migrate import current_revision

BATCH = 2000


class CopyVerificationError(PfppError):
    """The target does not hold exactly what the source holds."""


def copy_tables() -> list[Table]:
    """Every application table, parents before children."""
    return list(SQLModel.metadata.sorted_tables)


def canonical(value: Any) -> Any:
    """One engine-independent form per value: what the checksum is taken over."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical_rows(conn: Connection, table: Table) -> Iterator[list[Any]]:
    columns = sorted(table.columns, key=lambda c: c.name)
    stmt = select(*columns).order_by(*table.primary_key.columns)
    for row in conn.execute(stmt):
        yield [canonical(v) for v in row]


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    sha256: str


def digest(conn: Connection) -> dict[str, TableDigest]:
    """Per table: row count and SHA-256 of its canonical rows, in primary-key order."""
    result: dict[str, TableDigest] = {}
    for table in copy_tables():
        hasher = hashlib.sha256()
        count = 0
        for row in canonical_rows(conn, table):
            hasher.update(json.dumps(row, ensure_ascii=False).encode())
            hasher.update(b"\n")
            count += 1
        result[table.name] = TableDigest(rows=count, sha256=hasher.hexdigest())
    return result


def logical_dump(db: Database) -> dict[str, list[list[Any]]]:
    """Every row of every table in canonical form: what two equal databases share exactly."""
    with db.engine.connect() as conn:
        return {t.name: list(canonical_rows(conn, t)) for t in copy_tables()}


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    digests: dict[str, TableDigest] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def checksum(self) -> str:
        combined = hashlib.sha256()
        for name in sorted(self.digests):
            combined.update(f"{name}:{self.digests[name].sha256}\n".encode())
        return combined.hexdigest()


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0)
            for t in copy_tables()
        }


def _require_empty(target: Database) -> None:
    held = {name: n for name, n in row_counts(target).items() if n}
    if held:
        what = ", ".join(f"{n} {name}" for name, n in sorted(held.items()))
        raise DatabaseLocationError(
            f"{target.display_name}: already holds data ({what}); copy needs an empty database"
        )


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    pk = table.c.id
    deferred: list[dict[str, Any]] = []
    copied = 0
    result = source.execution_options(yield_per=BATCH).execute(select(table).order_by(pk))
    for partition in result.mappings().partitions(BATCH):
        rows = [dict(row) for row in partition]
        for row in rows:
            refs = {name: row[name] for name in self_refs if row[name] is not None}
            if refs:
                deferred.append({"_id": row["id"], **refs})
                for name in refs:
                    row[name] = None
        target.execute(table.insert(), rows)
        copied += len(rows)
    for refs in deferred:
        values = {k: v for k, v in refs.items() if k != "_id"}
        target.execute(update(table).where(pk == refs["_id"]).values(**values))
    return copied


def reset_sequences(conn: Connection) -> None:
    """After inserting explicit ids, make PostgreSQL hand out the next id past the largest."""
    quote = conn.dialect.identifier_preparer.quote
    for table in copy_tables():
        name = quote(table.name)
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            ),
            {"t": name},
        )


def copy_database(source: Database, target: Database) -> CopyReport:
    """Copy every row of ``source`` into the empty ``target`` and verify it; see module doc."""
    source_rev, target_rev = current_revision(source), current_revision(target)
    if source_rev != target_rev:
        raise DatabaseLocationError(
            f"schema revisions differ ({source_rev} vs {target_rev}); upgrade both first"
        )
    _require_empty(target)
    report = CopyReport()
    # One snapshot of the source for the copy and its checksum, even while others write.
    snapshot = {} if source.is_sqlite else {"isolation_level": "REPEATABLE READ"}
    with (
        source.engine.connect().execution_options(**snapshot) as src,
        target.write(source=ChangeSource.SYSTEM) as session,
    ):
        dst = session.connection()
        for table in copy_tables():
            report.rows[table.name] = _copy_table(src, dst, table)
        if not target.is_sqlite:
            reset_sequences(dst)
        # Verified inside the copy's transaction (and the source's read snapshot): a mismatch
        # rolls the whole copy back and leaves the target empty.
        verify_copy(digest(src), digest(dst), report, target.display_name)
        src.rollback()
    return report


def verify_copy(
    before: dict[str, TableDigest],
    after: dict[str, TableDigest],
    report: CopyReport,
    target_name: str,
) -> None:
    report.digests = after
    for name, expected in before.items():
        got = after[name]
        if got.rows != expected.rows:
            raise CopyVerificationError(
                f"{target_name}: {name} has {got.rows} rows, the source {expected.rows}; "
                "nothing was copied"
            )
        if got.sha256 != expected.sha256:
            raise CopyVerificationError(
                f"{target_name}: {name} rows differ from the source (checksum mismatch); "
                "nothing was copied"
            )
