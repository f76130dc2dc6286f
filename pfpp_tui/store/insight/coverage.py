"""The coverage matrix: which department (or team) has engaged with which pilot, and when.

Owns: pilots by organisations (central departments by default, any kinds on request) or, drilled
into one organisation, pilots by its teams; per cell the last meeting together, the open
actions and open barriers between them, and a staleness class; and the records behind one cell.

"Together" is defined once, here:
- a meeting *together* is a meeting of that pilot, held by today, attended by a contact of that
  organisation (or team);
- an open action between them is an open action of that pilot owned by such a contact;
- an open barrier between them is an open barrier of that pilot escalated to that organisation
  (or team).
Staleness: ``never`` (no meeting together), ``stale`` (the last one more than
``STALE_AFTER_DAYS`` days ago), ``recent`` otherwise. Portable Core queries; must not write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import OrganisationKind
from pfpp_tui.shapes.insight import (
    CellAction,
    CellBarrier,
    CellMeeting,
    CellRecords,
    CoverageCell,
    CoverageColumn,
    CoverageMatrix,
)
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.org_names import OrganisationNames
from pfpp_tui.store.insight.overview import OPEN_ACTIONS, OPEN_BARRIERS, end_of, table

DEFAULT_KINDS = (OrganisationKind.CENTRAL_DEPARTMENT,)


def _units(organisation_id: int | None) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """The contact column and the barrier column that say "belongs to this cell's column"."""
    c, b = table("contact"), table("barrier")
    if organisation_id is None:
        return c.c.organisation_id, b.c.escalated_to_organisation_id
    return c.c.team_id, b.c.escalated_to_team_id


def _columns(
    session: Session,
    names: OrganisationNames,
    kinds: Sequence[OrganisationKind],
    organisation_id: int | None,
) -> tuple[CoverageColumn, ...]:
    if organisation_id is not None:
        t = table("team")
        rows = session.execute(
            select(t.c.id, t.c.name)
            .where(t.c.organisation_id == organisation_id)
            .order_by(t.c.name)
        )
        return tuple(CoverageColumn(int(i), str(n), str(n)) for i, n in rows)
    o = table("organisation")
    ids = session.execute(
        select(o.c.id).where(o.c.kind.in_([str(k) for k in kinds])).order_by(o.c.name)
    ).scalars()
    columns = [
        CoverageColumn(int(i), names.current(int(i)).short, names.current(int(i)).name) for i in ids
    ]
    return tuple(sorted(columns, key=lambda col: col.label.lower()))


def coverage_matrix(
    db: Database,
    *,
    today: date | None = None,
    kinds: Sequence[OrganisationKind] = DEFAULT_KINDS,
    organisation_id: int | None = None,
) -> CoverageMatrix:
    """Pilots by organisations of ``kinds``, or by the teams of ``organisation_id``."""
    day = today or date.today()
    p, m, ma, a, b = (
        table("pilot"),
        table("meeting"),
        table("meeting_attendee"),
        table("action"),
        table("barrier"),
    )
    c = table("contact")
    contact_unit, barrier_unit = _units(organisation_id)
    with db.read() as session:
        names = OrganisationNames.load(session)
        label = ""
        if organisation_id is not None:
            if organisation_id not in names:
                raise NotFoundError(f"organisation {organisation_id} does not exist")
            label = names.current(organisation_id).full_label
        columns = _columns(session, names, kinds, organisation_id)
        wanted = [col.id for col in columns]
        rows = session.execute(select(p.c.id, p.c.name).order_by(p.c.name))
        pilots = tuple((int(i), str(n)) for i, n in rows)
        last = session.execute(
            select(m.c.pilot_id, contact_unit, func.max(m.c.held_at))
            .select_from(m)
            .join(ma, ma.c.meeting_id == m.c.id)
            .join(c, c.c.id == ma.c.contact_id)
            .where(m.c.pilot_id.is_not(None), m.c.held_at < end_of(day), contact_unit.in_(wanted))
            .group_by(m.c.pilot_id, contact_unit)
        )
        met: dict[tuple[int, int], date] = {(int(pid), int(u)): h.date() for pid, u, h in last}
        actions = session.execute(
            select(a.c.pilot_id, contact_unit, func.count())
            .select_from(a)
            .join(c, c.c.id == a.c.owner_id)
            .where(a.c.status.in_(OPEN_ACTIONS), a.c.pilot_id.is_not(None))
            .where(contact_unit.in_(wanted))
            .group_by(a.c.pilot_id, contact_unit)
        )
        acted = {(int(pid), int(u)): int(n) for pid, u, n in actions}
        barriers = session.execute(
            select(b.c.pilot_id, barrier_unit, func.count())
            .where(b.c.status.in_(OPEN_BARRIERS), b.c.pilot_id.is_not(None))
            .where(barrier_unit.in_(wanted))
            .group_by(b.c.pilot_id, barrier_unit)
        )
        blocked = {(int(pid), int(u)): int(n) for pid, u, n in barriers}
    cells = {
        key: CoverageCell(
            pilot_id=key[0],
            column_id=key[1],
            last_meeting=met.get(key),
            days_since=(day - met[key]).days if key in met else None,
            open_actions=acted.get(key, 0),
            open_barriers=blocked.get(key, 0),
        )
        for key in set(met) | set(acted) | set(blocked)
    }
    return CoverageMatrix(day, organisation_id, label, pilots, columns, cells)


def _person(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def coverage_cell_records(
    db: Database,
    *,
    pilot_id: int,
    organisation_id: int | None = None,
    team_id: int | None = None,
    today: date | None = None,
) -> CellRecords:
    """The meetings, open actions and open barriers behind one cell (team wins over org)."""
    if (organisation_id is None) == (team_id is None):
        raise ValueError("give exactly one of organisation_id and team_id")
    day = today or date.today()
    unit_id = team_id if team_id is not None else organisation_id
    contact_unit, barrier_unit = _units(None if team_id is None else -1)
    p, m, ma, c = table("pilot"), table("meeting"), table("meeting_attendee"), table("contact")
    a, b, t = table("action"), table("barrier"), table("team")
    with db.read() as session:
        pilot = session.execute(select(p.c.name).where(p.c.id == pilot_id)).scalar_one_or_none()
        if pilot is None:
            raise NotFoundError(f"pilot {pilot_id} does not exist")
        if team_id is not None:
            column = session.execute(select(t.c.name).where(t.c.id == team_id)).scalar_one()
        else:
            assert organisation_id is not None
            column = OrganisationNames.load(session).current(organisation_id).full_label
        meetings: dict[int, tuple[datetime, str, list[str]]] = {}
        for mid, held, title, first, last in session.execute(
            select(m.c.id, m.c.held_at, m.c.title, c.c.first_name, c.c.last_name)
            .select_from(m)
            .join(ma, ma.c.meeting_id == m.c.id)
            .join(c, c.c.id == ma.c.contact_id)
            .where(m.c.pilot_id == pilot_id, m.c.held_at < end_of(day), contact_unit == unit_id)
            .order_by(m.c.held_at.desc(), m.c.id, c.c.last_name, c.c.first_name)
        ):
            meetings.setdefault(int(mid), (held, str(title), []))[2].append(_person(first, last))
        actions = tuple(
            CellAction(int(i), str(ti), str(st), due, _person(fi, la))
            for i, ti, st, due, fi, la in session.execute(
                select(a.c.id, a.c.title, a.c.status, a.c.due_date, c.c.first_name, c.c.last_name)
                .select_from(a)
                .join(c, c.c.id == a.c.owner_id)
                .where(a.c.pilot_id == pilot_id, a.c.status.in_(OPEN_ACTIONS))
                .where(contact_unit == unit_id)
                .order_by(a.c.due_date, a.c.id)
            )
        )
        barriers = tuple(
            CellBarrier(int(i), str(ti), str(st), str(sev), raised)
            for i, ti, st, sev, raised in session.execute(
                select(b.c.id, b.c.title, b.c.status, b.c.severity, b.c.raised_on)
                .where(b.c.pilot_id == pilot_id, b.c.status.in_(OPEN_BARRIERS))
                .where(barrier_unit == unit_id)
                .order_by(b.c.raised_on, b.c.id)
            )
        )
    return CellRecords(
        pilot=str(pilot),
        column=str(column),
        meetings=tuple(
            CellMeeting(mid, held, title, tuple(people))
            for mid, (held, title, people) in meetings.items()
        ),
        actions=actions,
        barriers=barriers,
    )
