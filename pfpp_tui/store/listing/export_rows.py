"""Flat rows per entity for every export format, streamed from the database.

Owns: which columns each entity exports (with linked records by *name*, never by id alone),
the read queries behind them, and narrowing by ``--pilot`` and ``--filter``. Rows are plain
tuples of ``str | int | bool | date | datetime | tuple[str, ...] | None`` in column order; they
are produced lazily (``yield_per``) so 100,000 contacts never sit in memory. Must not format
anything (that is each exporter's job) and must not write.

Many-valued links (a contact's pilots, a meeting's attendees) are read by a second ordered
query and merged in Python: portable (no ``group_concat``/``string_agg``) and still one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    Table,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.sql.elements import True_
from sqlmodel import SQLModel

from pfpp_tui.models import OPEN_ACTION_STATUSES
from pfpp_tui.models.partnership import Principle
from pfpp_tui.shapes.table import ColumnKind, Entity, ExportColumn, ExportTable
from pfpp_tui.store.listing.query import Query, pilot_clause, where_clause

STREAM_BATCH = 2_000


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _c(key: str, kind: ColumnKind = ColumnKind.TEXT, width: int = 16) -> ExportColumn:
    return ExportColumn(key, kind, width)


_ID = _c("id", ColumnKind.INT, 8)
_STAMPS = (_c("created_at", ColumnKind.TIMESTAMP, 20), _c("updated_at", ColumnKind.TIMESTAMP, 20))
_LIST, _DATE, _INT, _BOOL = ColumnKind.LIST, ColumnKind.DATE, ColumnKind.INT, ColumnKind.BOOL


def export_table(
    conn: Connection,
    entity: Entity,
    *,
    query: Query | None = None,
    pilot_id: int | None = None,
    today: date | None = None,
) -> ExportTable:
    """Columns and lazily streamed rows of ``entity`` matching ``query`` and ``pilot_id``.

    Raises ``QueryError`` at once (before any row) when the query does not fit the entity.
    """
    condition: ColumnElement[bool] = true()
    if query:
        condition = where_clause(entity, query, today=today)
    if pilot_id is not None:
        condition = condition & pilot_clause(entity, pilot_id)
    columns, rows = _BUILDERS[entity](conn, condition, today or date.today())
    return ExportTable(entity, columns, rows)


def _utc(conn: Connection, column: Any) -> Any:
    """Read a UTC timestamp column as cheaply as the engine allows.

    On SQLite the stored text (``2026-11-23 06:04:26.765685``, always UTC) is passed through
    untouched: parsing 200,000 timestamps only to print them again is a third of a CSV export.
    Elsewhere the column's own type returns an aware UTC datetime. ``utc_datetime`` turns
    either into a datetime for formats that need one.
    """
    if conn.dialect.name == "sqlite":
        return type_coerce(column, String())
    return column


def _stream(conn: Connection, stmt: Select[Any]) -> Iterator[Sequence[Any]]:
    result = conn.execution_options(yield_per=STREAM_BATCH).execute(stmt)
    try:
        yield from result
    finally:
        result.close()


def _grouped(conn: Connection, stmt: Select[Any]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(owner id, names) from a statement yielding (owner id, name) ordered by owner id."""
    return _grouped_from(_stream(conn, stmt))


def _merge(
    rows: Iterator[Sequence[Any]], groups: Iterator[tuple[int, tuple[str, ...]]], at: int
) -> Iterator[tuple[Any, ...]]:
    """Insert each row's group (matched on id, column 0; both ordered by id) at index ``at``."""
    pending = next(groups, None)
    for row in rows:
        row_id = row[0]
        while pending is not None and pending[0] < row_id:
            pending = next(groups, None)
        names: tuple[str, ...] = ()
        if pending is not None and pending[0] == row_id:
            names = pending[1]
        values = tuple(row)
        yield (*values[:at], names, *values[at:])


def _person(first: str | None, last: str | None) -> str | None:
    name = f"{first or ''} {last or ''}".strip()
    return name or None


_Rows = Iterator[tuple[Any, ...]]
_Built = tuple[tuple[ExportColumn, ...], _Rows]


def _contacts(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    contact, org, team = _t("contact"), _t("organisation").alias(), _t("team").alias()
    cp, pilot = _t("contact_pilot"), _t("pilot")
    c = contact.c
    columns = (
        _ID,
        _c("first_name"),
        _c("last_name", width=18),
        _c("email", width=30),
        _c("phone", width=18),
        _c("organisation", width=30),
        _c("team", width=24),
        _c("role", width=24),
        _c("notes", width=40),
        _c("tags", _LIST),
        _c("pilots", _LIST, 24),
        _c("archived", _BOOL, 9),
        *_STAMPS,
    )
    stmt = (
        select(
            c.id,
            c.first_name,
            c.last_name,
            c.email,
            c.phone,
            org.c.name,
            team.c.name,
            c.role,
            c.notes,
            c.tags,
            c.archived,
            _utc(conn, c.created_at),
            _utc(conn, c.updated_at),
        )
        .select_from(contact)
        .outerjoin(org, org.c.id == c.organisation_id)
        .outerjoin(team, team.c.id == c.team_id)
        .where(condition)
        .order_by(c.id)
    )
    pilots = (
        select(cp.c.contact_id, pilot.c.name)
        .join(pilot, pilot.c.id == cp.c.pilot_id)
        .order_by(cp.c.contact_id, pilot.c.name)
    )
    if not isinstance(condition, True_):
        pilots = pilots.where(cp.c.contact_id.in_(select(c.id).where(condition)))

    def rows() -> _Rows:
        # One flat loop (no nested generators): this is the 100,000-row hot path.
        groups = _grouped(conn, pilots)
        end: tuple[float, tuple[str, ...]] = (float("inf"), ())
        pending: tuple[float, tuple[str, ...]] = next(groups, end)
        for r in conn.execution_options(yield_per=STREAM_BATCH).execute(stmt):
            row_id = r[0]
            while pending[0] < row_id:
                pending = next(groups, end)
            tags = r[9]
            yield (
                *r[:9],
                tuple(t.strip() for t in tags.split(",") if t.strip()) if tags else (),
                pending[1] if pending[0] == row_id else (),
                *r[10:],
            )

    return columns, rows()


def _organisations(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    org, parent = _t("organisation"), _t("organisation").alias()
    former, team = _t("organisation_former_name"), _t("team")
    o = org.c
    columns = (
        _ID,
        _c("name", width=40),
        _c("short_name", width=12),
        _c("kind", width=20),
        _c("parent", width=30),
        _c("former_names", _LIST, 40),
        _c("teams", _LIST, 40),
        _c("notes", width=40),
        *_STAMPS,
    )
    stmt = (
        select(
            o.id,
            o.name,
            o.short_name,
            o.kind,
            parent.c.name,
            o.notes,
            _utc(conn, o.created_at),
            o.updated_at,
        )
        .select_from(org)
        .outerjoin(parent, parent.c.id == o.parent_id)
        .where(condition)
        .order_by(o.id)
    )
    formers = select(former.c.organisation_id, former.c.name).order_by(
        former.c.organisation_id, former.c.renamed_on, former.c.name
    )
    teams = select(team.c.organisation_id, team.c.name).order_by(
        team.c.organisation_id, team.c.name
    )

    def rows() -> _Rows:
        with_former = _merge(_stream(conn, stmt), _grouped(conn, formers), 5)
        yield from _merge(with_former, _grouped(conn, teams), 6)

    return columns, rows()


def _pilots(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    pilot, org = _t("pilot"), _t("organisation").alias()
    p = pilot.c
    columns = (
        _ID,
        _c("name", width=20),
        _c("project_name", width=24),
        _c("lead_organisation", width=30),
        _c("local_challenge", width=40),
        _c("challenge_published", _BOOL, 10),
        _c("stage", width=12),
        _c("rag", width=8),
        _c("start_date", _DATE, 12),
        _c("end_date", _DATE, 12),
        _c("notes", width=40),
        *_STAMPS,
    )
    stmt = (
        select(
            p.id,
            p.name,
            p.project_name,
            org.c.name,
            p.local_challenge,
            p.challenge_published,
            p.stage,
            p.rag,
            p.start_date,
            p.end_date,
            p.notes,
            _utc(conn, p.created_at),
            _utc(conn, p.updated_at),
        )
        .select_from(pilot)
        .outerjoin(org, org.c.id == p.lead_organisation_id)
        .where(condition)
        .order_by(p.name)
    )
    return columns, (tuple(r) for r in _stream(conn, stmt))


def _meetings(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    meeting, pilot = _t("meeting"), _t("pilot").alias()
    attendee, contact = _t("meeting_attendee"), _t("contact")
    m = meeting.c
    columns = (
        _ID,
        _c("held_at", ColumnKind.DATETIME, 18),
        _c("kind", width=20),
        _c("title", width=36),
        _c("pilot", width=16),
        _c("attendees", _LIST, 40),
        _c("notes", width=40),
        _c("decisions", width=40),
        _c("version", _INT, 8),
        *_STAMPS,
    )
    stmt = (
        select(
            m.id,
            m.held_at,
            m.kind,
            m.title,
            pilot.c.name,
            m.notes,
            m.decisions,
            m.version,
            _utc(conn, m.created_at),
            _utc(conn, m.updated_at),
        )
        .select_from(meeting)
        .outerjoin(pilot, pilot.c.id == m.pilot_id)
        .where(condition)
        .order_by(m.id)
    )
    people = (
        select(attendee.c.meeting_id, contact.c.first_name, contact.c.last_name)
        .join(contact, contact.c.id == attendee.c.contact_id)
        .order_by(attendee.c.meeting_id, contact.c.last_name, contact.c.first_name)
    )

    def names() -> Iterator[Sequence[Any]]:
        for meeting_id, first, last in _stream(conn, people):
            yield meeting_id, _person(first, last) or "?"

    return columns, _merge(_stream(conn, stmt), _grouped_from(names()), 5)


def _grouped_from(pairs: Iterator[Sequence[Any]]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Group (owner id, name) pairs that arrive ordered by owner id."""
    current: int | None = None
    names: list[str] = []
    for owner, name in pairs:
        if owner != current:
            if current is not None:
                yield current, tuple(names)
            current, names = owner, []
        names.append(name)
    if current is not None:
        yield current, tuple(names)


_PRINCIPLES = _c("principles", _LIST, 24)
_PRINCIPLE_ORDER = {p.value: n for n, p in enumerate(Principle)}


def _principle_tags(conn: Connection, table: str, column: str) -> dict[int, tuple[str, ...]]:
    """Every barrier's (or action's) principle keys, in the principles' own order.

    Read whole, not merged in step: the rows come in date order, not id order. One short
    key per tag, so even 100,000 tags are a few MB.
    """
    link = _t(table).c
    tags: dict[int, list[str]] = {}
    for owner, key in conn.execute(select(link[column], link.principle)):
        tags.setdefault(int(owner), []).append(str(key))
    return {k: tuple(sorted(v, key=_PRINCIPLE_ORDER.__getitem__)) for k, v in tags.items()}


def _actions(conn: Connection, condition: ColumnElement[bool], today: date) -> _Built:
    action, owner = _t("action"), _t("contact").alias()
    pilot, meeting, barrier = _t("pilot").alias(), _t("meeting").alias(), _t("barrier").alias()
    a = action.c
    columns = (
        _ID,
        _c("title", width=40),
        _c("status", width=12),
        _c("due_date", _DATE, 12),
        _c("overdue", _BOOL, 9),
        _c("owner", width=24),
        _c("owner_email", width=30),
        _c("pilot", width=16),
        _c("meeting", width=30),
        _c("barrier", width=30),
        _c("detail", width=40),
        _c("completed_on", _DATE, 12),
        _c("version", _INT, 8),
        *_STAMPS,
        _PRINCIPLES,  # last: the columns before it keep their places
    )
    stmt = (
        select(
            a.id,
            a.title,
            a.status,
            a.due_date,
            owner.c.first_name,
            owner.c.last_name,
            owner.c.email,
            pilot.c.name,
            meeting.c.title,
            barrier.c.title,
            a.detail,
            a.completed_on,
            a.version,
            _utc(conn, a.created_at),
            _utc(conn, a.updated_at),
        )
        .select_from(action)
        .outerjoin(owner, owner.c.id == a.owner_id)
        .outerjoin(pilot, pilot.c.id == a.pilot_id)
        .outerjoin(meeting, meeting.c.id == a.meeting_id)
        .outerjoin(barrier, barrier.c.id == a.barrier_id)
        .where(condition)
        .order_by(a.due_date.is_(None), a.due_date, a.id)
    )
    open_statuses = {str(s) for s in OPEN_ACTION_STATUSES}

    def rows() -> _Rows:
        tags = _principle_tags(conn, "action_principle", "action_id")
        for r in _stream(conn, stmt):
            overdue = r[3] is not None and r[3] < today and r[2] in open_statuses
            yield (*r[:4], overdue, _person(r[4], r[5]), *r[6:], tags.get(r[0], ()))

    return columns, rows()


def _barriers(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    barrier, owner, pilot = _t("barrier"), _t("contact").alias(), _t("pilot").alias()
    org, team = _t("organisation").alias(), _t("team").alias()
    b = barrier.c
    columns = (
        _ID,
        _c("title", width=40),
        _c("category", width=14),
        _c("severity", width=10),
        _c("status", width=10),
        _c("pilot", width=16),
        _c("owner", width=24),
        _c("raised_on", _DATE, 12),
        _c("escalated_to", width=30),
        _c("escalated_team", width=24),
        _c("escalation_note", width=40),
        _c("detail", width=40),
        _c("resolution", width=30),
        _c("snoozed_until", _DATE, 12),
        *_STAMPS,
        _PRINCIPLES,  # last: the columns before it keep their places
    )
    stmt = (
        select(
            b.id,
            b.title,
            b.category,
            b.severity,
            b.status,
            pilot.c.name,
            owner.c.first_name,
            owner.c.last_name,
            b.raised_on,
            org.c.name,
            team.c.name,
            b.escalation_note,
            b.detail,
            b.resolution,
            b.snoozed_until,
            _utc(conn, b.created_at),
            _utc(conn, b.updated_at),
        )
        .select_from(barrier)
        .outerjoin(owner, owner.c.id == b.owner_id)
        .outerjoin(pilot, pilot.c.id == b.pilot_id)
        .outerjoin(org, org.c.id == b.escalated_to_organisation_id)
        .outerjoin(team, team.c.id == b.escalated_to_team_id)
        .where(condition)
        .order_by(b.raised_on, b.id)
    )

    def rows() -> _Rows:
        tags = _principle_tags(conn, "barrier_principle", "barrier_id")
        for r in _stream(conn, stmt):
            yield (*r[:6], _person(r[6], r[7]), *r[8:], tags.get(r[0], ()))

    return columns, rows()


def _funding(conn: Connection, condition: ColumnElement[bool], _today: date) -> _Built:
    flow, pilot, org = _t("funding_flow"), _t("pilot").alias(), _t("organisation").alias()
    f = flow.c
    columns = (
        _ID,
        _c("pilot", width=16),
        _c("source_organisation", width=36),
        _c("pot", width=30),
        _c("amount_gbp", _INT, 12),
        _c("financial_year", width=10),
        _c("outcome", width=40),
        *_STAMPS,
    )
    stmt = (
        select(
            f.id,
            pilot.c.name,
            org.c.name,
            f.pot,
            f.amount_gbp,
            f.financial_year,
            f.outcome,
            _utc(conn, f.created_at),
            _utc(conn, f.updated_at),
        )
        .select_from(flow)
        .outerjoin(pilot, pilot.c.id == f.pilot_id)
        .outerjoin(org, org.c.id == f.source_organisation_id)
        .where(condition)
        .order_by(pilot.c.name, f.financial_year, f.id)
    )
    return columns, (tuple(r) for r in _stream(conn, stmt))


_BUILDERS: dict[Entity, Callable[[Connection, ColumnElement[bool], date], _Built]] = {
    Entity.CONTACTS: _contacts,
    Entity.ORGANISATIONS: _organisations,
    Entity.PILOTS: _pilots,
    Entity.MEETINGS: _meetings,
    Entity.ACTIONS: _actions,
    Entity.BARRIERS: _barriers,
    Entity.FUNDING: _funding,
}


def count_rows(conn: Connection, entity: Entity, condition: ColumnElement[bool]) -> int:
    """How many rows of ``entity`` match ``condition`` (for summaries)."""
    table = _t(_TABLE_NAMES[entity])
    return int(conn.execute(select(func.count()).select_from(table).where(condition)).scalar_one())


_TABLE_NAMES = {
    Entity.CONTACTS: "contact",
    Entity.ORGANISATIONS: "organisation",
    Entity.PILOTS: "pilot",
    Entity.MEETINGS: "meeting",
    Entity.ACTIONS: "action",
    Entity.BARRIERS: "barrier",
    Entity.FUNDING: "funding_flow",
}
