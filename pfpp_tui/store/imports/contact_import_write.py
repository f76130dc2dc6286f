"""Contact import, writing: the rows around the new contacts, each with its history row.

Owns what ``contact_import_stage`` does not: the new organisations and teams (its first step)
and the updated contacts and links of existing contacts (its last step), each with its history
row (source ``import``, the import's batch), inside the session of that step. On SQLite the
rows go through the DBAPI connection's ``executemany`` with ids assigned under the write lock
(BEGIN IMMEDIATE); PostgreSQL takes the portable SQLAlchemy Core path. The new contacts get no
history row each: their creation is the batch record (``models.imports``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, text
from sqlmodel import Session, SQLModel

from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource, utcnow
from pfpp_tui.shapes.contacts import FIELDS
from pfpp_tui.store.imports.contact_import_model import Existing, ImportPlan

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


def create_json(values: dict[str, Any], email_key: str | None) -> str:
    """``{"field": [null, value]}`` for the set fields, sorted, as ``record_changes`` writes."""
    items = [(k, v) for k, v in values.items() if v not in (None, "")]
    if email_key:
        items.append(("email_key", email_key))
    items.sort()
    parts = [f"{_encode(k)}: [null, {v if isinstance(v, int) else _encode(v)}]" for k, v in items]
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


def _stamp(session: Session, is_sqlite: bool) -> Any:
    """Now, as the raw DBAPI rows store it (SQLAlchemy's type processing skipped on SQLite)."""
    now = utcnow()
    if not is_sqlite:
        return now
    dialect = session.get_bind().dialect
    column_type = _table("change").c["at"].type
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    return process(now) if process is not None else now


def create_places(session: Session, plan: ImportPlan, *, is_sqlite: bool) -> dict[str, list[int]]:
    """INSERT the plan's new organisations and teams, with their history; their real ids.

    The first step of the write (``contact_import_stage``): the new contacts point at them.
    """
    stamp = _stamp(session, is_sqlite)
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
    created.flush()
    return {"organisation_id": org_ids, "team_id": team_ids}


def update_and_link(
    session: Session, plan: ImportPlan, real: dict[str, list[int]], *, is_sqlite: bool
) -> None:
    """UPDATE the plan's existing contacts and link existing ones to the pilot, with history.

    The last step of the write: a contact changed since planning (its version moved) raises
    ``PfppError`` and the caller takes the whole import back.
    """
    stamp = _stamp(session, is_sqlite)
    created = _History(session, is_sqlite, stamp)
    if plan.updates:
        _update_rows(session, is_sqlite, plan.updates, stamp, real)
        created.updated(plan.updates)
    existing_links = [ref for ref in plan.links if ref > 0]
    if plan.pilot_id is not None and existing_links:
        link_rows = [[ref, plan.pilot_id, "partner", stamp, stamp, 1] for ref in existing_links]
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
