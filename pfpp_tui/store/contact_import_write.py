"""Contact import, writing: one transaction carries out an ``ImportPlan``, history included.

Owns the bulk write: organisations, teams, contacts, pilot links and one history row per created
or updated row (source ``import``, one batch), all inside the caller's ``Database.write``
session. On SQLite the bulk rows go through the DBAPI connection's ``executemany`` with ids
assigned under the write lock (BEGIN IMMEDIATE), and the creation history of the new contacts is
built by SQLite itself in one ``INSERT ... SELECT`` -- the JSON ``record_changes`` would write,
byte for byte, without a Python string per row. That is what keeps a 100,000-row import near
the raw-sqlite3 floor. PostgreSQL takes the portable SQLAlchemy Core path.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, text
from sqlmodel import Session, SQLModel

from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource, utcnow
from pfpp_tui.store.contact_import_model import FIELDS, INSERT_FIELDS, Existing, ImportPlan

IMPORT_CACHE_KIB = -65536  # negative: KiB, per SQLite's convention (64 MiB)
HISTORY_COLUMNS = (
    "table_name",
    "row_id",
    "op",
    "changes",
    "at",
    "actor",
    "source",
    "reason",
    "batch",
)
_encode = json.encoder.encode_basestring
_CONTACT_JSON_KEYS = tuple(sorted((*FIELDS, "email_key")))
_INTEGER_KEYS = frozenset({"organisation_id", "team_id"})


def _sqlite_contact_json() -> str:
    """SQL for ``_contact_create_json`` of a contact row: set fields only, sorted keys.

    ``json_quote`` escapes exactly as Python's ``json`` does with ``ensure_ascii=False``
    (a test holds the two equal on awkward text), and integers print the same in both.
    """
    parts = [
        f"CASE WHEN {key} IS NULL OR {key} = '' THEN '' ELSE ', \"{key}\": [null, ' || "
        + (key if key in _INTEGER_KEYS else f"json_quote({key})")
        + " || ']' END"
        for key in _CONTACT_JSON_KEYS
    ]
    return "'{' || substr(" + " || ".join(parts) + ", 3) || '}'"


# The "create" history of a block of new contacts, built by SQLite in one statement.
_SQLITE_CONTACT_HISTORY = (
    f"INSERT INTO change ({', '.join(HISTORY_COLUMNS)}) "
    f"SELECT 'contact', id, 'create', {_sqlite_contact_json()}, ?, ?, ?, ?, ? "
    "FROM contact WHERE id BETWEEN ? AND ? ORDER BY id"
)
_STAGE = "temp.pfpp_import_contact"


def _real_id(column: str, base: str) -> str:
    """A planned (negative) id as the real one: new rows were numbered from ``base`` + 1."""
    return f"CASE WHEN {column} < 0 THEN {base} - {column} ELSE {column} END"


# The staged rows into ``contact``, in plan order; ?1/?2: organisation/team id bases, ?3: now.
_SQLITE_CONTACT_INSERT = (
    f"INSERT INTO contact ({', '.join(INSERT_FIELDS)}, archived, created_at, updated_at, version)"
    " SELECT "
    + ", ".join(
        _real_id(name, "?1")
        if name == "organisation_id"
        else _real_id(name, "?2")
        if name == "team_id"
        else name
        for name in INSERT_FIELDS
    )
    + f", 0, ?3, ?3, 1 FROM {_STAGE} ORDER BY rowid"
)
_CONTACT_JSON_PREFIXES = tuple(f'"{key}": [null, ' for key in _CONTACT_JSON_KEYS)
_contact_json_values = itemgetter(*_CONTACT_JSON_KEYS)
_insert_values = itemgetter(*INSERT_FIELDS)


def create_json(values: dict[str, Any], email_key: str | None) -> str:
    """``{"field": [null, value]}`` for the set fields, sorted, as ``record_changes`` writes."""
    items = [(k, v) for k, v in values.items() if v not in (None, "")]
    if email_key:
        items.append(("email_key", email_key))
    items.sort()
    parts = [f"{_encode(k)}: [null, {v if isinstance(v, int) else _encode(v)}]" for k, v in items]
    return "{" + ", ".join(parts) + "}"


def contact_create_json(values: dict[str, Any]) -> str:
    """``create_json`` for a new contact (``values`` holds ``email_key``)."""
    parts = [
        prefix + (str(value) if type(value) is int else _encode(value)) + "]"
        for prefix, value in zip(_CONTACT_JSON_PREFIXES, _contact_json_values(values), strict=True)
        if value is not None and value != ""
    ]
    return "{" + ", ".join(parts) + "}"


def _update_json(existing: Existing) -> str:
    changes = {
        k: [existing.original[k], v]
        for k, v in existing.values.items()
        if v != existing.original[k]
    }
    return json.dumps(changes, ensure_ascii=False, sort_keys=True)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _raw(session: Session) -> Any:
    raw = session.connection().connection.driver_connection
    assert raw is not None
    return raw


def _next_id(session: Session, table: str) -> int:
    (top,) = _raw(session).execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()
    return int(top) + 1


def _insert_rows(
    session: Session, is_sqlite: bool, table: Table, columns: Sequence[str], rows: list[list[Any]]
) -> list[int]:
    """Insert ``rows`` and return their ids, in order."""
    if not rows:
        return []
    if is_sqlite:
        first = _next_id(session, table.name)
        ids = list(range(first, first + len(rows)))
        for row, row_id in zip(rows, ids, strict=True):
            row.append(row_id)
        names = ", ".join((*columns, "id"))
        marks = ", ".join("?" * (len(columns) + 1))
        _raw(session).executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        return ids
    stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    result = session.execute(stmt, [dict(zip(columns, row, strict=False)) for row in rows])
    return [int(row_id) for row_id in result.scalars()]


def _update_rows(
    session: Session,
    is_sqlite: bool,
    updates: list[Existing],
    stamp: Any,
    real: dict[str, list[int]],
) -> None:
    """UPDATE every changed contact, guarded by its version; StaleEditError if one moved."""
    rows: list[list[Any]] = []
    for existing in updates:
        values = existing.values
        for column in ("organisation_id", "team_id"):
            ref = values[column]
            if ref is not None and ref < 0:
                values[column] = real[column][-ref - 1]
        email = values["email"]
        key = email.strip().lower() if email else None
        rows.append([*(values[f] for f in FIELDS), key, stamp, existing.id, existing.version])
    sets = ", ".join(f"{name} = ?" for name in (*FIELDS, "email_key", "updated_at"))
    sql = f"UPDATE contact SET {sets}, version = version + 1 WHERE id = ? AND version = ?"
    if is_sqlite:
        count = _raw(session).executemany(sql, rows).rowcount
    else:
        names = (*FIELDS, "email_key", "updated_at", "id", "version")
        stmt = text(sql.replace("?", "{}").format(*(f":{n}" for n in names)))
        count = sum(
            session.execute(stmt, dict(zip(names, row, strict=True))).rowcount  # type: ignore[attr-defined]
            for row in rows
        )
    if count != len(updates):
        raise PfppError("contacts changed while importing; nothing was written, run it again")


class _History:
    """History rows waiting to be inserted, in order."""

    def __init__(self, session: Session, is_sqlite: bool, stamp: Any) -> None:
        info = session.info
        self.session = session
        self.is_sqlite = is_sqlite
        self.stamp = stamp
        self.context = (
            info["pfpp_actor"],
            ChangeSource(info["pfpp_source"]).value,
            info.get("pfpp_reason", ""),
            info.get("pfpp_batch"),
        )
        self.rows: list[list[Any]] = []

    def __call__(self, table: str, ids: list[int], changes: list[str]) -> None:
        self.rows.extend(
            [table, row_id, "create", change, self.stamp, *self.context]
            for row_id, change in zip(ids, changes, strict=True)
        )

    def updated(self, existing: list[Existing]) -> None:
        self.rows.extend(
            ["contact", e.id, "update", _update_json(e), self.stamp, *self.context]
            for e in existing
        )

    def flush(self) -> None:
        _insert_rows(self.session, self.is_sqlite, _table("change"), HISTORY_COLUMNS, self.rows)
        self.rows = []


def _insert_contacts(
    session: Session,
    is_sqlite: bool,
    inserts: list[tuple[Any, ...]],
    stamp: Any,
    real: dict[str, list[int]],
    created: _History,
) -> list[int]:
    """INSERT the new contacts (ids in plan order) and their creation history."""
    if not is_sqlite:
        rows: list[list[Any]] = []
        changes: list[str] = []
        for row in inserts:
            values = dict(zip(INSERT_FIELDS, row, strict=True))
            for column in ("organisation_id", "team_id"):
                ref = values[column]
                if ref is not None and ref < 0:
                    values[column] = real[column][-ref - 1]
            rows.append([*_insert_values(values), False, stamp, stamp, 1])
            changes.append(contact_create_json(values))
        columns = (*INSERT_FIELDS, "archived", "created_at", "updated_at", "version")
        ids = _insert_rows(session, False, _table("contact"), columns, rows)
        created("contact", ids, changes)
        return ids
    if not inserts:
        return []
    # The hot path: the plan's rows are staged as they are in a TEMP table (executemany), then
    # go into ``contact`` in ONE statement. One statement, not 100,000: no per-row statement
    # overhead, and triggers on ``contact`` (the search index's) run inside a single statement,
    # which full-text indexes buffer rather than flush row by row (several times faster).
    # SQLite turns planned (negative) organisation and team ids into the real ones
    # (``_insert_rows`` numbered those consecutively) and numbers the contacts itself:
    # max + 1 under the write lock, in plan order (checked).
    first = _next_id(session, "contact")
    last = first + len(inserts) - 1
    bases = [ids[0] - 1 if ids else 0 for ids in (real["organisation_id"], real["team_id"])]
    raw = _raw(session)
    raw.execute(f"CREATE TEMP TABLE {_STAGE} ({', '.join(INSERT_FIELDS)})")
    raw.executemany(f"INSERT INTO {_STAGE} VALUES ({', '.join('?' * len(INSERT_FIELDS))})", inserts)
    raw.execute(_SQLITE_CONTACT_INSERT, (*bases, stamp))
    raw.execute(f"DROP TABLE {_STAGE}")
    if _next_id(session, "contact") != last + 1:
        raise PfppError("contact ids were not consecutive; nothing was written, run it again")
    created.flush()  # SQLite writes this history itself, in id order after what came before
    raw.execute(_SQLITE_CONTACT_HISTORY, (stamp, *created.context, first, last))
    return list(range(first, last + 1))


def apply_plan(session: Session, plan: ImportPlan, *, is_sqlite: bool) -> None:
    """Write the plan inside the caller's ``Database.write`` session (one transaction)."""
    now = utcnow()
    stamp: Any = now
    if is_sqlite:
        # Raw DBAPI rows skip SQLAlchemy's type processing: store exactly what it would.
        dialect = session.get_bind().dialect
        column_type = _table("change").c["at"].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        stamp = process(now) if process is not None else now
        # A bigger page cache for this one transaction: 100k random e-mail keys otherwise
        # thrash the default 2 MB cache while the unique index is built.
        _raw(session).execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    created = _History(session, is_sqlite, stamp)

    kinds = plan.new_org_kinds()
    org_rows = [
        [name, kind.value, "", stamp, stamp, 1]
        for name, kind in zip(plan.new_orgs, kinds, strict=True)
    ]
    org_ids = _insert_rows(
        session,
        is_sqlite,
        _table("organisation"),
        ("name", "kind", "notes", "created_at", "updated_at", "version"),
        org_rows,
    )
    created(
        "organisation",
        org_ids,
        [
            create_json({"kind": k.value, "name": n}, None)
            for n, k in zip(plan.new_orgs, kinds, strict=True)
        ],
    )
    team_rows = [
        [org_ids[-org - 1] if org < 0 else org, name, "", stamp, stamp, 1]
        for org, name in plan.new_teams
    ]
    team_ids = _insert_rows(
        session,
        is_sqlite,
        _table("team"),
        ("organisation_id", "name", "remit", "created_at", "updated_at", "version"),
        team_rows,
    )
    created(
        "team",
        team_ids,
        [
            create_json({"name": n, "organisation_id": row[0]}, None)
            for (_, n), row in zip(plan.new_teams, team_rows, strict=True)
        ],
    )
    real = {"organisation_id": org_ids, "team_id": team_ids}
    contact_ids = _insert_contacts(session, is_sqlite, plan.inserts, stamp, real, created)

    if plan.updates:
        _update_rows(session, is_sqlite, plan.updates, stamp, real)
        created.updated(plan.updates)

    if plan.pilot_id is not None and plan.links:
        link_rows = [
            [contact_ids[-ref - 1] if ref < 0 else ref, plan.pilot_id, "partner", stamp, stamp, 1]
            for ref in plan.links
        ]
        link_ids = _insert_rows(
            session,
            is_sqlite,
            _table("contact_pilot"),
            ("contact_id", "pilot_id", "role", "created_at", "updated_at", "version"),
            link_rows,
        )
        created(
            "contact_pilot",
            link_ids,
            [
                create_json({"contact_id": row[0], "pilot_id": row[1], "role": "partner"}, None)
                for row in link_rows
            ],
        )

    created.flush()
