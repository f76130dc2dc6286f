"""The data behind the pilot report pack and the weekly digest.

Owns: which records each report shows and in what order — overdue first, by owner, barriers by
the five categories, funding totals by department, pre-partnership agreements past their review
date (oldest first) — as plain frozen dataclasses any renderer
(Markdown today, a TUI screen later) can show. "Overdue" means ``due_date < today`` with an open
status; it is computed here from ``today``, never stored. Must not format text or write files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, and_, false, func, select
from sqlmodel import SQLModel

from pfpp_tui.models import OPEN_ACTION_STATUSES, OPEN_BARRIER_STATUSES, BarrierCategory
from pfpp_tui.models.partnership import AGREEMENT_STATUS_LABELS
from pfpp_tui.shapes.reports import (
    ActionItem,
    AgreementReviewItem,
    BarrierItem,
    Digest,
    FundingItem,
    MeetingItem,
    PersonItem,
    PilotReport,
    PilotSummary,
)
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import find_pilot
from pfpp_tui.store.work.partnership import agreements_due_for_review

STALE_BARRIER_DAYS = 30
_OPEN_ACTIONS = sorted(str(s) for s in OPEN_ACTION_STATUSES)
_OPEN_BARRIERS = sorted(str(s) for s in OPEN_BARRIER_STATUSES)


def _t(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _person(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


# --- queries ---------------------------------------------------------------------------------


def _actions(conn: Connection, where: ColumnElement[bool], today: date) -> list[ActionItem]:
    action, owner, pilot = _t("action"), _t("contact").alias(), _t("pilot").alias()
    a = action.c
    stmt = (
        select(
            a.id, a.title, a.status, a.due_date, owner.c.first_name, owner.c.last_name, pilot.c.name
        )
        .select_from(action)
        .outerjoin(owner, owner.c.id == a.owner_id)
        .outerjoin(pilot, pilot.c.id == a.pilot_id)
        .where(where)
    )
    items = []
    for r in conn.execute(stmt):
        due: date | None = r[3]
        overdue = due is not None and due < today and r[2] in _OPEN_ACTIONS
        items.append(
            ActionItem(
                id=r[0],
                title=r[1],
                status=r[2],
                due_date=due,
                owner=_person(r[4], r[5]),
                pilot=r[6] or "",
                overdue=overdue,
                days_overdue=(today - due).days if overdue and due else 0,
            )
        )
    return items


def _action_order(item: ActionItem) -> tuple[Any, ...]:
    """Overdue first (most overdue on top), then by owner (unowned last), then due date."""
    return (
        not item.overdue,
        -item.days_overdue,
        item.owner == "",
        item.owner.casefold(),
        item.due_date or date.max,
        item.id,
    )


def _barriers(conn: Connection, where: ColumnElement[bool], today: date) -> list[BarrierItem]:
    barrier, owner, pilot = _t("barrier"), _t("contact").alias(), _t("pilot").alias()
    org, team = _t("organisation").alias(), _t("team").alias()
    b = barrier.c
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
        )
        .select_from(barrier)
        .outerjoin(owner, owner.c.id == b.owner_id)
        .outerjoin(pilot, pilot.c.id == b.pilot_id)
        .outerjoin(org, org.c.id == b.escalated_to_organisation_id)
        .outerjoin(team, team.c.id == b.escalated_to_team_id)
        .where(where)
        .order_by(b.raised_on, b.id)
    )
    return [
        BarrierItem(
            id=r[0],
            title=r[1],
            category=r[2],
            severity=r[3],
            status=r[4],
            pilot=r[5] or "",
            owner=_person(r[6], r[7]),
            raised_on=r[8],
            age_days=(today - r[8]).days,
            escalated_to=r[9] or "",
            escalated_team=r[10] or "",
            escalation_note=r[11] or "",
        )
        for r in conn.execute(stmt)
    ]


def _meetings(conn: Connection, where: ColumnElement[bool]) -> list[MeetingItem]:
    meeting, pilot, attendee = _t("meeting"), _t("pilot").alias(), _t("meeting_attendee")
    m = meeting.c
    attendees = (
        select(func.count())
        .select_from(attendee)
        .where(attendee.c.meeting_id == m.id)
        .scalar_subquery()
    )
    stmt = (
        select(m.id, m.held_at, m.kind, m.title, pilot.c.name, m.decisions, attendees)
        .select_from(meeting)
        .outerjoin(pilot, pilot.c.id == m.pilot_id)
        .where(where)
        .order_by(m.held_at, m.id)
    )
    return [
        MeetingItem(
            id=r[0],
            held_at=r[1],
            kind=r[2],
            title=r[3],
            pilot=r[4] or "",
            decisions=tuple(d.strip() for d in (r[5] or "").splitlines() if d.strip()),
            attendees=int(r[6] or 0),
        )
        for r in conn.execute(stmt)
    ]


def _by_category(items: Sequence[BarrierItem]) -> dict[str, list[BarrierItem]]:
    grouped: dict[str, list[BarrierItem]] = {c.value: [] for c in BarrierCategory}
    for item in items:
        grouped.setdefault(item.category, []).append(item)
    return grouped


def pilot_report(db: Database, name: str, *, today: date | None = None) -> PilotReport:
    """Everything one place's report pack shows. Raises ``NotFoundError`` for an unknown pilot."""
    day = today or date.today()
    with db.engine.connect() as conn:
        pilot_id, _ = find_pilot(conn, name)
        summary = _pilot_summary(conn, pilot_id)
        partners = _partners(conn, pilot_id)
        meetings = _meetings(conn, _t("meeting").c.pilot_id == pilot_id)
        action = _t("action").c
        actions = _actions(
            conn, and_(action.pilot_id == pilot_id, action.status.in_(_OPEN_ACTIONS)), day
        )
        barriers = _barriers(conn, _t("barrier").c.pilot_id == pilot_id, day)
        funding = _funding(conn, pilot_id)
    totals: dict[str, int] = defaultdict(int)
    for flow in funding:
        totals[flow.source or "(source not recorded)"] += flow.amount_gbp
    return PilotReport(
        today=day,
        pilot=summary,
        partners=partners,
        meetings=meetings,
        open_actions=sorted(actions, key=_action_order),
        barriers=_by_category(barriers),
        funding=funding,
        funding_by_department=sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])),
        funding_total=sum(totals.values()),
    )


def _pilot_summary(conn: Connection, pilot_id: int) -> PilotSummary:
    pilot, org = _t("pilot"), _t("organisation").alias()
    p = pilot.c
    r = conn.execute(
        select(
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
        )
        .select_from(pilot)
        .outerjoin(org, org.c.id == p.lead_organisation_id)
        .where(p.id == pilot_id)
    ).one()
    return PilotSummary(
        name=r[0],
        project_name=r[1] or "",
        lead_organisation=r[2] or "",
        local_challenge=r[3] or "",
        challenge_published=bool(r[4]),
        stage=r[5],
        rag=r[6],
        start_date=r[7],
        end_date=r[8],
        notes=r[9] or "",
    )


def _partners(conn: Connection, pilot_id: int) -> dict[str, list[PersonItem]]:
    cp, contact = _t("contact_pilot"), _t("contact")
    org, team = _t("organisation").alias(), _t("team").alias()
    c = contact.c
    stmt = (
        select(org.c.name, c.first_name, c.last_name, c.email, c.role, team.c.name, cp.c.role)
        .select_from(cp)
        .join(contact, c.id == cp.c.contact_id)
        .outerjoin(org, org.c.id == c.organisation_id)
        .outerjoin(team, team.c.id == c.team_id)
        .where(cp.c.pilot_id == pilot_id, c.archived == false())
        .order_by(org.c.name, c.last_name, c.first_name)
    )
    partners: dict[str, list[PersonItem]] = {}
    for r in conn.execute(stmt):
        person = PersonItem(_person(r[1], r[2]), r[3] or "", r[4] or "", r[5] or "", r[6] or "")
        partners.setdefault(r[0] or "(no organisation)", []).append(person)
    return dict(sorted(partners.items(), key=lambda kv: (kv[0].startswith("("), kv[0])))


def _funding(conn: Connection, pilot_id: int) -> list[FundingItem]:
    flow, org = _t("funding_flow"), _t("organisation").alias()
    f = flow.c
    stmt = (
        select(f.pot, org.c.name, f.amount_gbp, f.financial_year, f.outcome)
        .select_from(flow)
        .outerjoin(org, org.c.id == f.source_organisation_id)
        .where(f.pilot_id == pilot_id)
        .order_by(f.financial_year, org.c.name, f.pot)
    )
    return [FundingItem(r[0], r[1] or "", int(r[2]), r[3], r[4] or "") for r in conn.execute(stmt)]


def digest(db: Database, *, days: int = 7, today: date | None = None) -> Digest:
    """The weekly digest: what is late, what is coming, what is stuck, what happened."""
    day = today or date.today()
    horizon = day + timedelta(days=days)
    action, barrier, meeting = _t("action").c, _t("barrier").c, _t("meeting").c
    open_action = action.status.in_(_OPEN_ACTIONS)
    with db.engine.connect() as conn:
        overdue = _actions(conn, and_(open_action, action.due_date < day), day)
        soon = _actions(
            conn, and_(open_action, action.due_date >= day, action.due_date <= horizon), day
        )
        new = _barriers(conn, barrier.status == "new", day)
        stale = _barriers(
            conn,
            and_(
                barrier.status.in_(_OPEN_BARRIERS),
                barrier.raised_on <= day - timedelta(days=STALE_BARRIER_DAYS),
            ),
            day,
        )
        escalated = _barriers(conn, barrier.status == "escalated", day)
        since = datetime.combine(day - timedelta(days=days), datetime.min.time())
        until = datetime.combine(day + timedelta(days=1), datetime.min.time())
        held = _meetings(conn, and_(meeting.held_at >= since, meeting.held_at < until))
    past_review = [
        AgreementReviewItem(
            pilot=a.pilot,
            review_date=a.review_date,
            days_late=(day - a.review_date).days,
            status=AGREEMENT_STATUS_LABELS[a.status],
            version=a.version,
        )
        for a in agreements_due_for_review(db, today=day)
        if a.review_date is not None
    ]
    by_owner: dict[str, list[ActionItem]] = defaultdict(list)
    for item in sorted(overdue, key=_action_order):
        by_owner[item.owner or "(no owner)"].append(item)
    by_department: dict[str, list[BarrierItem]] = defaultdict(list)
    for barrier_item in escalated:
        by_department[barrier_item.escalated_to or "(department not recorded)"].append(barrier_item)
    return Digest(
        today=day,
        days=days,
        overdue_by_owner=dict(sorted(by_owner.items(), key=lambda kv: kv[0].casefold())),
        due_soon=sorted(soon, key=lambda a: (a.due_date or date.max, a.owner.casefold(), a.id)),
        new_barriers=new,
        stale_barriers=stale,
        escalations_by_department=dict(sorted(by_department.items())),
        meetings_held=held,
        counts={
            "overdue": len(overdue),
            "due_soon": len(soon),
            "new_barriers": len(new),
            "stale_barriers": len(stale),
            "escalated": len(escalated),
            "meetings": len(held),
            "agreements_past_review": len(past_review),
        },
        agreements_past_review=past_review,
    )


__all__ = [
    "ActionItem",
    "AgreementReviewItem",
    "BarrierItem",
    "Digest",
    "FundingItem",
    "MeetingItem",
    "PersonItem",
    "PilotReport",
    "PilotSummary",
    "digest",
    "pilot_report",
]
