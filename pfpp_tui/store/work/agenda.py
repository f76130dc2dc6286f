"""Review mode: the agenda for a pilot or an organisation, and saving the review meeting.

Owns: what a review looks at — overdue actions, actions due in the next 14 days, barriers
escalated or open more than 30 days, pre-partnership agreements past their review date (the
pilot's own, or those naming the organisation as a partner), people in the place not met for
60 days, decisions since the last review — and ``save_review``, which applies the decisions
taken (done, reassign, snooze, new due date, escalate, resolve) and records a meeting of kind
``review`` listing them, all in one transaction. Barrier decisions reuse ``store.work.triage`` so
they mean the same as in triage. Must not import Textual or return ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, or_, select

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    Action,
    ActionStatus,
    Barrier,
    BarrierCategory,
    BarrierStatus,
    ChangeSource,
    Contact,
    ContactPilot,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    Organisation,
    Pilot,
    Severity,
)
from pfpp_tui.models.labels import label_of
from pfpp_tui.models.partnership import AGREEMENT_STATUS_LABELS
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import insert_row, update_row
from pfpp_tui.store.directory.workflow_lookup import contact_label
from pfpp_tui.store.work.partnership import agreements_due_for_review
from pfpp_tui.store.work.triage import TriageDecision, apply_triage_in

DUE_SOON_DAYS = 14
BARRIER_OPEN_DAYS = 30
NOT_MET_DAYS = 60


class AgendaSection(StrEnum):
    OVERDUE = "Overdue actions"
    DUE_SOON = "Due in the next 14 days"
    BARRIERS = "Barriers escalated or open > 30 days"
    AGREEMENTS = "Agreements past their review date"
    PEOPLE = "Not met for 60 days"
    DECISIONS = "Decisions since the last review"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    section: AgendaSection
    table: str  # "action", "barrier", "partnership_agreement", "contact" or "meeting"
    id: int
    label: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Agenda:
    scope: str  # "Luton" or "Home Office (HO)"
    pilot_id: int | None
    organisation_id: int | None
    last_review: datetime | None
    items: tuple[AgendaItem, ...]

    def in_section(self, section: AgendaSection) -> tuple[AgendaItem, ...]:
        return tuple(i for i in self.items if i.section is section)

    @property
    def review_title(self) -> str:
        return f"Review — {self.scope}"


class ReviewOp(StrEnum):
    DONE = "done"
    REASSIGN = "reassign"
    SNOOZE = "snooze"
    NEW_DUE = "new due date"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """One decision taken in the review, applied when the review is saved."""

    op: ReviewOp
    table: str  # "action", "barrier" or "" for a free-standing note
    row_id: int | None
    label: str
    owner_id: int | None = None
    owner_label: str = ""
    new_date: date | None = None
    organisation_id: int | None = None
    team_id: int | None = None
    target_label: str = ""
    text: str = ""

    def describe(self) -> str:
        """The line recorded in the review meeting's decisions."""
        what = f"{self.table} {self.row_id} ({self.label})" if self.row_id else ""
        if self.op is ReviewOp.NOTE:
            return self.text
        if self.op is ReviewOp.DONE:
            return f"Done: {what}"
        if self.op is ReviewOp.REASSIGN:
            return f"Reassigned {what} to {self.owner_label}"
        if self.op in (ReviewOp.SNOOZE, ReviewOp.NEW_DUE):
            verb = "Snoozed" if self.table == "barrier" else "New due date for"
            day = self.new_date.isoformat() if self.new_date else "?"
            return f"{verb} {what}: {day}"
        if self.op is ReviewOp.ESCALATE:
            return f"Escalated {what} to {self.target_label}" + (
                f": {self.text}" if self.text else ""
            )
        return f"Resolved {what}: {self.text}"


def _scope(session: Session, pilot_id: int | None, organisation_id: int | None) -> str:
    if (pilot_id is None) == (organisation_id is None):
        raise ValidationFailedError("review: choose a pilot or an organisation")
    if pilot_id is not None:
        pilot = session.get(Pilot, pilot_id)
        if pilot is None:
            raise NotFoundError(f"pilot {pilot_id} does not exist")
        return pilot.name
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(f"organisation {organisation_id} does not exist")
    return f"{org.name} ({org.short_name})" if org.short_name else org.name


def _org_people(organisation_id: int) -> Any:
    return select(Contact.id).where(col(Contact.organisation_id) == organisation_id)


def _last_review(
    session: Session, pilot_id: int | None, organisation_id: int | None, title: str
) -> datetime | None:
    stmt = select(func.max(Meeting.held_at)).where(col(Meeting.kind) == MeetingKind.REVIEW.value)
    if pilot_id is not None:
        stmt = stmt.where(col(Meeting.pilot_id) == pilot_id)
    else:
        assert organisation_id is not None
        attended = select(MeetingAttendee.meeting_id).where(
            col(MeetingAttendee.contact_id).in_(_org_people(organisation_id))
        )
        stmt = stmt.where(or_(col(Meeting.title) == title, col(Meeting.id).in_(attended)))
    value = session.exec(stmt).one()
    return value if isinstance(value, datetime) else None


def _actions(session: Session, where: ColumnElement[bool], today: date) -> list[AgendaItem]:
    soon = today + timedelta(days=DUE_SOON_DAYS)
    stmt = (
        select(Action, Contact)
        .join(Contact, col(Contact.id) == col(Action.owner_id), isouter=True)
        .where(where)
        .where(col(Action.status).in_([s.value for s in OPEN_ACTION_STATUSES]))
        .where(col(Action.due_date).is_not(None))
        .where(col(Action.due_date) <= soon)
        .order_by(col(Action.due_date), col(Action.id))
    )
    items = []
    for action, owner in session.exec(stmt):
        due = action.due_date
        assert due is not None
        section = AgendaSection.OVERDUE if due < today else AgendaSection.DUE_SOON
        who = contact_label(owner) if owner else "no owner"
        detail = f"due {due.isoformat()} · {who} · {label_of(ActionStatus, action.status)}"
        items.append(AgendaItem(section, "action", int(action.id or 0), action.title, detail))
    return items


def _barriers(session: Session, where: ColumnElement[bool], today: date) -> list[AgendaItem]:
    old = today - timedelta(days=BARRIER_OPEN_DAYS)
    stmt = (
        select(Barrier)
        .where(where)
        .where(col(Barrier.status).in_([s.value for s in OPEN_BARRIER_STATUSES]))
        .where(
            or_(col(Barrier.status) == BarrierStatus.ESCALATED.value, col(Barrier.raised_on) < old)
        )
        .order_by(col(Barrier.raised_on), col(Barrier.id))
    )
    return [
        AgendaItem(
            AgendaSection.BARRIERS,
            "barrier",
            int(b.id or 0),
            b.title,
            f"{label_of(BarrierStatus, b.status)} · {label_of(BarrierCategory, b.category)} · "
            f"{label_of(Severity, b.severity)} · raised {b.raised_on.isoformat()}",
        )
        for b in session.exec(stmt)
    ]


def _people(session: Session, people: Any, today: date) -> list[AgendaItem]:
    last_met = (
        select(MeetingAttendee.contact_id, func.max(Meeting.held_at).label("last"))
        .join(Meeting, col(Meeting.id) == col(MeetingAttendee.meeting_id))
        .group_by(col(MeetingAttendee.contact_id))
        .subquery()
    )
    stmt = (
        select(Contact, last_met.c.last)
        .join(last_met, last_met.c.contact_id == col(Contact.id), isouter=True)
        .where(col(Contact.id).in_(people))
        .where(col(Contact.archived).is_(False))
        .order_by(last_met.c.last.nulls_first(), col(Contact.last_name), col(Contact.first_name))
    )
    cutoff = datetime.combine(today - timedelta(days=NOT_MET_DAYS), time())
    items = []
    for contact, last in session.exec(stmt):
        if last is not None and last >= cutoff:
            continue
        detail = f"last met {last:%Y-%m-%d}" if last else "never met"
        items.append(
            AgendaItem(
                AgendaSection.PEOPLE,
                "contact",
                int(contact.id or 0),
                contact_label(contact),
                detail,
            )
        )
    return items


def _decisions(
    session: Session, where: ColumnElement[bool], since: datetime | None
) -> list[AgendaItem]:
    stmt = select(Meeting).where(where).where(col(Meeting.decisions) != "")
    if since is not None:
        stmt = stmt.where(col(Meeting.held_at) > since)
    stmt = stmt.order_by(col(Meeting.held_at), col(Meeting.id))
    items = []
    for meeting in session.exec(stmt):
        for line in meeting.decisions.splitlines():
            if line.strip():
                detail = f"{meeting.held_at:%Y-%m-%d} {meeting.title}"
                items.append(
                    AgendaItem(
                        AgendaSection.DECISIONS, "meeting", int(meeting.id or 0), line, detail
                    )
                )
    return items


def _agreements(
    db: Database, pilot_id: int | None, organisation_id: int | None, today: date
) -> list[AgendaItem]:
    """The pilot's agreement, or those naming the organisation, once the review date passed."""
    items = []
    for a in agreements_due_for_review(db, today=today):
        if pilot_id is not None and a.pilot_id != pilot_id:
            continue
        if organisation_id is not None and all(
            p.organisation_id != organisation_id for p in a.partners
        ):
            continue
        assert a.id is not None and a.review_date is not None
        late = (today - a.review_date).days
        detail = (
            f"review was due {a.review_date.isoformat()} ({late} days ago) · "
            f"{AGREEMENT_STATUS_LABELS[a.status]} · v{a.version}"
        )
        items.append(
            AgendaItem(
                AgendaSection.AGREEMENTS,
                "partnership_agreement",
                a.id,
                f"{a.pilot} pre-partnership agreement",
                detail,
            )
        )
    return items


def build_agenda(
    db: Database,
    *,
    pilot_id: int | None = None,
    organisation_id: int | None = None,
    today: date | None = None,
) -> Agenda:
    """The review agenda for one pilot or one organisation, section by section."""
    day = today or date.today()
    with db.read() as session:
        scope = _scope(session, pilot_id, organisation_id)
        last = _last_review(session, pilot_id, organisation_id, f"Review — {scope}")
        if pilot_id is not None:
            action_where = col(Action.pilot_id) == pilot_id
            barrier_where = col(Barrier.pilot_id) == pilot_id
            members = select(ContactPilot.contact_id).where(col(ContactPilot.pilot_id) == pilot_id)
            attended = (
                select(MeetingAttendee.contact_id)
                .join(Meeting, col(Meeting.id) == col(MeetingAttendee.meeting_id))
                .where(col(Meeting.pilot_id) == pilot_id)
            )
            people: Any = members.union(attended)
            meeting_where = col(Meeting.pilot_id) == pilot_id
        else:
            assert organisation_id is not None
            staff = _org_people(organisation_id)
            action_where = col(Action.owner_id).in_(staff)
            barrier_where = or_(
                col(Barrier.escalated_to_organisation_id) == organisation_id,
                col(Barrier.owner_id).in_(staff),
            )
            people = staff
            meeting_where = col(Meeting.id).in_(
                select(MeetingAttendee.meeting_id).where(col(MeetingAttendee.contact_id).in_(staff))
            )
        items = [
            *_actions(session, action_where, day),
            *_barriers(session, barrier_where, day),
            *_people(session, people, day),
            *_decisions(session, meeting_where, last),
        ]
    items += _agreements(db, pilot_id, organisation_id, day)
    order = list(AgendaSection)
    items.sort(key=lambda i: order.index(i.section))
    return Agenda(scope, pilot_id, organisation_id, last, tuple(items))


def _apply_to_action(session: Session, d: ReviewDecision, today: date) -> None:
    assert d.row_id is not None
    changes: dict[str, Any]
    if d.op is ReviewOp.DONE:
        changes = {"status": ActionStatus.DONE, "completed_on": today}
    elif d.op is ReviewOp.REASSIGN:
        if d.owner_id is None or session.get(Contact, d.owner_id) is None:
            raise NotFoundError(f"reassign: contact {d.owner_id} does not exist")
        changes = {"owner_id": d.owner_id}
    elif d.op in (ReviewOp.SNOOZE, ReviewOp.NEW_DUE):
        if d.new_date is None or d.new_date < today:
            raise ValidationFailedError(f"{d.op.value}: the new due date must not be in the past")
        changes = {"due_date": d.new_date}
    else:
        raise ValidationFailedError(f"{d.op.value} does not apply to an action")
    update_row(session, "action", d.row_id, changes, reason=f"review: {d.describe()}")


def _apply_to_barrier(session: Session, d: ReviewDecision, today: date) -> None:
    assert d.row_id is not None
    decisions = {
        ReviewOp.REASSIGN: TriageDecision(owner_id=d.owner_id, reason=f"review: {d.describe()}"),
        ReviewOp.SNOOZE: TriageDecision(snooze_until=d.new_date, reason=f"review: {d.describe()}"),
        ReviewOp.ESCALATE: TriageDecision(
            escalate_organisation_id=d.organisation_id, escalate_team_id=d.team_id, reason=d.text
        ),
        ReviewOp.RESOLVE: TriageDecision(resolve=True, reason=d.text),
        ReviewOp.DONE: TriageDecision(resolve=True, reason=d.text or "done (review)"),
    }
    if d.op not in decisions:
        raise ValidationFailedError(f"{d.op.value} does not apply to a barrier")
    apply_triage_in(session, d.row_id, decisions[d.op], today=today)


def save_review(
    db: Database,
    *,
    agenda: Agenda,
    held_at: datetime,
    decisions: Sequence[ReviewDecision],
    source: ChangeSource,
    attendee_ids: Sequence[int] = (),
    title: str | None = None,
    notes: str = "",
    today: date | None = None,
) -> int:
    """Apply every decision and record the review meeting, all or nothing; its id."""
    day = today or held_at.date()
    with db.write(source=source) as session:
        for decision in decisions:
            if decision.table == "action":
                _apply_to_action(session, decision, day)
            elif decision.table == "barrier":
                _apply_to_barrier(session, decision, day)
            elif decision.op is not ReviewOp.NOTE:
                raise ValidationFailedError(f"{decision.op.value} does not apply here")
        meeting = insert_row(
            session,
            "meeting",
            {
                "pilot_id": agenda.pilot_id,
                "held_at": held_at.replace(tzinfo=None, microsecond=0),
                "kind": MeetingKind.REVIEW,
                "title": title or agenda.review_title,
                "notes": notes,
                "decisions": "\n".join(d.describe() for d in decisions),
            },
        )
        meeting_id = int(meeting.id)  # type: ignore[attr-defined]
        for contact_id in dict.fromkeys(attendee_ids):
            insert_row(
                session, "meeting_attendee", {"meeting_id": meeting_id, "contact_id": contact_id}
            )
    return meeting_id
