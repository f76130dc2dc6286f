"""Programme insight: the whole programme on one screen (issue 10's overview).

Owns the numbers behind section ``0``: per-pilot rows (RAG, open and overdue actions, open
barriers by severity, days since the last meeting), barriers by category and pilot, barriers
raised vs resolved and actions completed per month, and the oldest open escalations by
department. Sibling modules own the rest of the issue: ``store.insight.coverage`` (pilots by
organisations), ``store.insight.patterns`` (the same barrier in many places),
``store.insight.funding`` (flows and small grants) and ``store.directory.org_names`` (a name as it
was on a day).

Every query is portable SQLAlchemy Core (``count(CASE …)``, ``EXTRACT``), so the numbers are the
same on SQLite and PostgreSQL. "Overdue" is ``due_date < today`` with an open status, computed
from ``today`` and never stored. A barrier's resolved day is the last history entry that set it
resolved or accepted, else (records made before history, like the sample) its ``updated_at``.
Results are frozen dataclasses, safe to hand from a worker thread to the TUI. Must not write.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, extract, func, select
from sqlmodel import Session, SQLModel

from pfpp_tui.models import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    BarrierCategory,
    BarrierStatus,
    Severity,
)
from pfpp_tui.shapes.pilot_overview import PilotOverview as PilotOverview  # first frame
from pfpp_tui.store.db.changes import decode_changes
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.org_names import OrganisationNames
from pfpp_tui.store.insight.partnership_health import latest_ratings_in

OPEN_ACTIONS = tuple(sorted(str(s) for s in OPEN_ACTION_STATUSES))
OPEN_BARRIERS = tuple(sorted(str(s) for s in OPEN_BARRIER_STATUSES))
CLOSED_BARRIERS = (str(BarrierStatus.RESOLVED), str(BarrierStatus.ACCEPTED))
SEVERITIES = tuple(str(s) for s in Severity)
CATEGORIES = tuple(str(c) for c in BarrierCategory)


def table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def end_of(day: date) -> datetime:
    """The first instant after ``day`` (meetings are naive local wall-clock times)."""
    return datetime.combine(day + timedelta(days=1), time())


def month_of(day: date | datetime) -> date:
    return date(day.year, day.month, 1)


@dataclass(frozen=True, slots=True)
class CategoryMatrix:
    """Barrier counts per pilot and category (the five PfPP barriers plus "other")."""

    pilots: tuple[tuple[int, str], ...]
    categories: tuple[str, ...]
    counts: dict[tuple[int, str], int]

    def count(self, pilot_id: int, category: str) -> int:
        return self.counts.get((pilot_id, category), 0)

    @property
    def largest(self) -> int:
        return max(self.counts.values(), default=0)

    def category_total(self, category: str) -> int:
        return sum(n for (_, c), n in self.counts.items() if c == category)


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: date  # the first of the month
    raised: int
    resolved: int
    completed: int


@dataclass(frozen=True, slots=True)
class EscalationItem:
    barrier_id: int
    title: str
    pilot: str
    severity: str
    raised_on: date
    age_days: int
    team: str


@dataclass(frozen=True, slots=True)
class DepartmentEscalations:
    organisation_id: int
    department: str
    count: int
    oldest_age_days: int
    items: tuple[EscalationItem, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class ProgrammeOverview:
    today: date
    pilots: tuple[PilotOverview, ...]
    categories: CategoryMatrix
    months: tuple[MonthCount, ...]
    escalations: tuple[DepartmentEscalations, ...]


# --- per pilot -------------------------------------------------------------------------------


def pilot_rows(session: Session, today: date) -> list[PilotOverview]:
    p, a, b, m = table("pilot"), table("action"), table("barrier"), table("meeting")
    is_open = a.c.status.in_(OPEN_ACTIONS)
    actions = {
        r[0]: (int(r[1]), int(r[2]))
        for r in session.execute(
            select(
                a.c.pilot_id,
                func.count(case((is_open, 1))),
                func.count(case((and_(is_open, a.c.due_date < today), 1))),
            )
            .where(a.c.pilot_id.is_not(None))
            .group_by(a.c.pilot_id)
        )
    }
    barriers: dict[int, dict[str, int]] = {}
    for pid, severity, n in session.execute(
        select(b.c.pilot_id, b.c.severity, func.count())
        .where(b.c.pilot_id.is_not(None), b.c.status.in_(OPEN_BARRIERS))
        .group_by(b.c.pilot_id, b.c.severity)
    ):
        barriers.setdefault(pid, {})[str(severity)] = int(n)
    last = dict(
        session.execute(
            select(m.c.pilot_id, func.max(m.c.held_at))
            .where(m.c.pilot_id.is_not(None), m.c.held_at < end_of(today))
            .group_by(m.c.pilot_id)
        ).all()
    )
    rows = []
    for pid, name, rag, stage in session.execute(
        select(p.c.id, p.c.name, p.c.rag, p.c.stage).order_by(p.c.name)
    ):
        open_n, overdue_n = actions.get(pid, (0, 0))
        held: datetime | None = last.get(pid)
        rows.append(
            PilotOverview(
                pilot_id=int(pid),
                name=str(name),
                rag=str(rag),
                stage=str(stage),
                open_actions=open_n,
                overdue_actions=overdue_n,
                open_barriers={s: barriers.get(pid, {}).get(s, 0) for s in SEVERITIES},
                last_meeting=held.date() if held is not None else None,
                days_since_meeting=(today - held.date()).days if held is not None else None,
            )
        )
    return rows


def category_matrix(session: Session, *, open_only: bool = False) -> CategoryMatrix:
    """Barriers per pilot and category; programme-wide barriers (no pilot) are left out."""
    p, b = table("pilot"), table("barrier")
    stmt = (
        select(b.c.pilot_id, b.c.category, func.count())
        .where(b.c.pilot_id.is_not(None))
        .group_by(b.c.pilot_id, b.c.category)
    )
    if open_only:
        stmt = stmt.where(b.c.status.in_(OPEN_BARRIERS))
    counts = {(int(pid), str(cat)): int(n) for pid, cat, n in session.execute(stmt)}
    pilots = tuple(
        (int(pid), str(name))
        for pid, name in session.execute(select(p.c.id, p.c.name).order_by(p.c.name))
    )
    return CategoryMatrix(pilots=pilots, categories=CATEGORIES, counts=counts)


# --- per month -------------------------------------------------------------------------------


def resolved_days(session: Session) -> dict[int, date]:
    """Each resolved or accepted barrier's id → the day it was closed (see the docstring)."""
    b, ch = table("barrier"), table("change")
    days: dict[int, date] = {}
    for bid, updated in session.execute(
        select(b.c.id, b.c.updated_at).where(b.c.status.in_(CLOSED_BARRIERS))
    ):
        days[int(bid)] = updated.date()
    # History is newest-last by id, so a later closing overwrites an earlier one.
    for row_id, at, changes in session.execute(
        select(ch.c.row_id, ch.c.at, ch.c.changes)
        .where(
            ch.c.table_name == "barrier",
            ch.c.op.in_(("update", "create")),
            ch.c.changes.contains('"status"'),
        )
        .order_by(ch.c.id)
    ):
        if int(row_id) not in days:
            continue
        status = decode_changes(changes).get("status")
        if status is not None and status[1] in CLOSED_BARRIERS:
            days[int(row_id)] = at.date()
    return days


def _by_month(
    session: Session, column: ColumnElement[Any], *conditions: ColumnElement[bool]
) -> Counter[date]:
    year, month = extract("year", column), extract("month", column)
    stmt = select(year, month, func.count()).where(column.is_not(None), *conditions)
    return Counter(
        {
            date(int(y), int(mo), 1): int(n)
            for y, mo, n in session.execute(stmt.group_by(year, month))
        }
    )


def monthly_flow(session: Session) -> list[MonthCount]:
    """Every month from the first to the last with any event, gaps filled with zeros."""
    b, a = table("barrier"), table("action")
    raised = _by_month(session, b.c.raised_on)
    resolved = Counter(month_of(day) for day in resolved_days(session).values())
    completed = _by_month(session, a.c.completed_on, a.c.status == "done")
    months = set(raised) | set(resolved) | set(completed)
    if not months:
        return []
    first, last = min(months), max(months)
    out: list[MonthCount] = []
    month = first
    while month <= last:
        out.append(MonthCount(month, raised[month], resolved[month], completed[month]))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


# --- escalations -----------------------------------------------------------------------------


def oldest_escalations(
    session: Session, today: date, *, per_department: int = 3
) -> list[DepartmentEscalations]:
    """Departments holding escalated barriers, the longest-waiting department first."""
    b, p, t = table("barrier"), table("pilot"), table("team")
    stmt = (
        select(
            b.c.id,
            b.c.title,
            p.c.name,
            b.c.severity,
            b.c.raised_on,
            b.c.escalated_to_organisation_id,
            t.c.name,
        )
        .select_from(b)
        .outerjoin(p, p.c.id == b.c.pilot_id)
        .outerjoin(t, t.c.id == b.c.escalated_to_team_id)
        .where(
            b.c.status == str(BarrierStatus.ESCALATED),
            b.c.escalated_to_organisation_id.is_not(None),
        )
        .order_by(b.c.raised_on, b.c.id)
    )
    names = OrganisationNames.load(session)
    grouped: dict[int, list[EscalationItem]] = {}
    for bid, title, pilot, severity, raised_on, org_id, team in session.execute(stmt):
        grouped.setdefault(int(org_id), []).append(
            EscalationItem(
                barrier_id=int(bid),
                title=str(title),
                pilot=pilot or "programme-wide",
                severity=str(severity),
                raised_on=raised_on,
                age_days=(today - raised_on).days,
                team=team or "",
            )
        )
    out = [
        DepartmentEscalations(
            organisation_id=org_id,
            department=names.current(org_id).short,
            count=len(items),
            oldest_age_days=items[0].age_days,
            items=tuple(items[:per_department]),
        )
        for org_id, items in grouped.items()
    ]
    out.sort(key=lambda d: (-d.oldest_age_days, d.department))
    return out


def programme_overview(db: Database, *, today: date | None = None) -> ProgrammeOverview:
    """Everything section ``0`` shows, read in one transaction (one consistent picture)."""
    day = today or date.today()
    with db.read() as session:
        ratings = latest_ratings_in(session)
        pilots = tuple(
            replace(p, partnership_total=ratings[p.pilot_id].total) if p.pilot_id in ratings else p
            for p in pilot_rows(session, day)
        )
        return ProgrammeOverview(
            today=day,
            pilots=pilots,
            categories=category_matrix(session),
            months=tuple(monthly_flow(session)),
            escalations=tuple(oldest_escalations(session, day)),
        )
