"""Barrier triage: the queue of new barriers, each one's context, and the decisions taken on it.

Owns: which barriers wait for triage (status new, not snoozed past today, oldest first); the
context shown beside one (pilot, meeting, linked actions, similar barriers in *other* places);
``apply_triage`` — category, severity, owner, escalation, snooze, duplicate-of, resolve,
accept, triaged — validated and written through ``records.update_row`` with a reason, so
every decision lands in the change history; and ``undo_triage``, which puts back exactly what
a decision changed (refusing if someone changed the barrier since). ``apply_triage_in`` works
inside a caller's transaction so a review can apply several decisions at once. Must not
import Textual or return ORM objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz
from sqlmodel import Session, col, or_, select

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import (
    Action,
    Barrier,
    BarrierCategory,
    BarrierStatus,
    ChangeSource,
    Contact,
    Meeting,
    Organisation,
    Pilot,
    Severity,
    Team,
)
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.record_rules import needs_resolution
from pfpp_tui.store.db.records import load_row, update_row
from pfpp_tui.store.directory.workflow_lookup import contact_label

SIMILAR_MIN_SCORE = 55.0
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by for from has have in into is it no not of on or the to too "
        "with we our there their this that",
    )
)


@dataclass(frozen=True, slots=True)
class QueueItem:
    id: int
    title: str
    category: BarrierCategory
    severity: Severity
    pilot: str
    raised_on: date


@dataclass(frozen=True, slots=True)
class LinkedAction:
    id: int
    title: str
    status: str
    due_date: date | None
    owner: str


@dataclass(frozen=True, slots=True)
class SimilarBarrier:
    id: int
    title: str
    pilot: str
    status: str
    score: float


@dataclass(frozen=True, slots=True)
class BarrierContext:
    """One barrier and everything a triager wants to see beside it."""

    id: int
    version: int
    title: str
    detail: str
    category: BarrierCategory
    severity: Severity
    status: BarrierStatus
    pilot_id: int | None
    pilot: str
    meeting: str
    raised_on: date
    owner: str
    escalated_to: str
    escalation_note: str
    snoozed_until: date | None
    duplicate_of_id: int | None
    resolution: str
    actions: tuple[LinkedAction, ...]
    similar: tuple[SimilarBarrier, ...]


@dataclass(frozen=True, slots=True)
class TriageDecision:
    """What to change on one barrier; ``reason`` goes to the change history."""

    category: BarrierCategory | None = None
    severity: Severity | None = None
    owner_id: int | None = None
    escalate_organisation_id: int | None = None
    escalate_team_id: int | None = None
    snooze_until: date | None = None
    duplicate_of_id: int | None = None
    resolve: bool = False
    accept: bool = False
    mark_triaged: bool = False
    reason: str = ""

    def describe(self) -> str:
        parts = []
        if self.category is not None:
            parts.append(f"category {self.category.value}")
        if self.severity is not None:
            parts.append(f"severity {self.severity.value}")
        if self.owner_id is not None:
            parts.append(f"owner contact {self.owner_id}")
        if self.escalate_organisation_id is not None or self.escalate_team_id is not None:
            parts.append("escalated")
        if self.snooze_until is not None:
            parts.append(f"snoozed until {self.snooze_until.isoformat()}")
        if self.duplicate_of_id is not None:
            parts.append(f"duplicate of barrier {self.duplicate_of_id}")
        if self.resolve:
            parts.append("resolved")
        if self.accept:
            parts.append("accepted")
        if self.mark_triaged:
            parts.append("triaged")
        return "triage: " + (", ".join(parts) or "no change")


@dataclass(frozen=True, slots=True)
class TriageOutcome:
    """What a decision changed: enough to show it and to undo it."""

    barrier_id: int
    version: int
    before: dict[str, Any]
    after: dict[str, Any]
    moved_action_ids: tuple[int, ...]
    description: str

    @property
    def changed(self) -> bool:
        return bool(self.before) or bool(self.moved_action_ids)


def triage_queue(db: Database, *, today: date | None = None) -> list[QueueItem]:
    """New barriers not snoozed past ``today``, oldest first."""
    day = today or date.today()
    stmt = (
        select(Barrier, Pilot)
        .join(Pilot, col(Pilot.id) == col(Barrier.pilot_id), isouter=True)
        .where(col(Barrier.status) == BarrierStatus.NEW.value)
        .where(or_(col(Barrier.snoozed_until).is_(None), col(Barrier.snoozed_until) <= day))
        .order_by(col(Barrier.raised_on), col(Barrier.id))
    )
    with db.read() as session:
        return [
            QueueItem(
                id=int(b.id or 0),
                title=b.title,
                category=BarrierCategory(b.category),
                severity=Severity(b.severity),
                pilot=p.name if p is not None else "programme-wide",
                raised_on=b.raised_on,
            )
            for b, p in session.exec(stmt)
        ]


def _words(text: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS]
    return " ".join(words)


def _similar(session: Session, barrier: Barrier) -> tuple[SimilarBarrier, ...]:
    stmt = (
        select(Barrier, Pilot)
        .join(Pilot, col(Pilot.id) == col(Barrier.pilot_id))
        .where(col(Barrier.category) == barrier.category)
        .where(col(Barrier.id) != barrier.id)
        .order_by(col(Barrier.id).desc())
        .limit(2000)
    )
    if barrier.pilot_id is not None:
        stmt = stmt.where(col(Barrier.pilot_id) != barrier.pilot_id)
    mine = _words(f"{barrier.title} {barrier.detail}")
    found = []
    for other, pilot in session.exec(stmt):
        score = fuzz.token_set_ratio(mine, _words(f"{other.title} {other.detail}"))
        if score >= SIMILAR_MIN_SCORE:
            found.append(
                SimilarBarrier(int(other.id or 0), other.title, pilot.name, other.status, score)
            )
    found.sort(key=lambda s: (-s.score, s.id))
    return tuple(found[:5])


def _linked_actions(session: Session, barrier_id: int) -> tuple[LinkedAction, ...]:
    stmt = (
        select(Action, Contact)
        .join(Contact, col(Contact.id) == col(Action.owner_id), isouter=True)
        .where(col(Action.barrier_id) == barrier_id)
        .order_by(col(Action.id))
    )
    return tuple(
        LinkedAction(
            int(a.id or 0), a.title, a.status, a.due_date, contact_label(c) if c else "nobody"
        )
        for a, c in session.exec(stmt)
    )


def _escalated_to(session: Session, barrier: Barrier) -> str:
    parts = []
    if barrier.escalated_to_organisation_id is not None:
        org = session.get(Organisation, barrier.escalated_to_organisation_id)
        parts.append(org.name if org else "?")
    if barrier.escalated_to_team_id is not None:
        team = session.get(Team, barrier.escalated_to_team_id)
        parts.append(team.name if team else "?")
    return " / ".join(parts)


def barrier_context(db: Database, barrier_id: int) -> BarrierContext:
    with db.read() as session:
        b = session.get(Barrier, barrier_id)
        if b is None:
            raise NotFoundError(f"barrier {barrier_id} does not exist")
        pilot = session.get(Pilot, b.pilot_id) if b.pilot_id is not None else None
        meeting = session.get(Meeting, b.meeting_id) if b.meeting_id is not None else None
        owner = session.get(Contact, b.owner_id) if b.owner_id is not None else None
        return BarrierContext(
            id=barrier_id,
            version=b.version,
            title=b.title,
            detail=b.detail,
            category=BarrierCategory(b.category),
            severity=Severity(b.severity),
            status=BarrierStatus(b.status),
            pilot_id=b.pilot_id,
            pilot=pilot.name if pilot else "programme-wide",
            meeting=f"{meeting.held_at:%Y-%m-%d} {meeting.title}" if meeting else "",
            raised_on=b.raised_on,
            owner=contact_label(owner) if owner else "",
            escalated_to=_escalated_to(session, b),
            escalation_note=b.escalation_note,
            snoozed_until=b.snoozed_until,
            duplicate_of_id=b.duplicate_of_id,
            resolution=b.resolution,
            actions=_linked_actions(session, barrier_id),
            similar=_similar(session, b),
        )


def _escalation(session: Session, d: TriageDecision) -> dict[str, Any]:
    org_id, team_id = d.escalate_organisation_id, d.escalate_team_id
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None:
            raise NotFoundError(f"team {team_id} does not exist")
        if org_id is not None and team.organisation_id != org_id:
            raise ValidationFailedError("escalate: that team is not in that organisation")
        org_id = team.organisation_id
    if org_id is None or session.get(Organisation, org_id) is None:
        raise NotFoundError(f"organisation {org_id} does not exist")
    return {
        "status": BarrierStatus.ESCALATED,
        "escalated_to_organisation_id": org_id,
        "escalated_to_team_id": team_id,
        "escalation_note": d.reason.strip(),
        "snoozed_until": None,
    }


def _duplicate_root(session: Session, barrier_id: int, target_id: int) -> Barrier:
    if target_id == barrier_id:
        raise ValidationFailedError("duplicate-of: a barrier cannot duplicate itself")
    seen = {barrier_id}
    target = session.get(Barrier, target_id)
    while target is not None and target.duplicate_of_id is not None:
        if target.id in seen or target.duplicate_of_id == barrier_id:
            raise ValidationFailedError(
                f"duplicate-of: barrier {target_id} is already a duplicate of this one"
            )
        seen.add(int(target.id or 0))
        target = session.get(Barrier, target.duplicate_of_id)
    if target is None:
        raise NotFoundError(f"barrier {target_id} does not exist")
    return target


def _status_changes(
    session: Session, barrier: Barrier, d: TriageDecision, today: date
) -> dict[str, Any]:
    chosen = [
        name
        for name, on in (
            ("escalate", d.escalate_organisation_id is not None or d.escalate_team_id is not None),
            ("snooze", d.snooze_until is not None),
            ("duplicate-of", d.duplicate_of_id is not None),
            ("resolve", d.resolve),
            ("accept", d.accept),
        )
        if on
    ]
    if len(chosen) > 1:
        raise ValidationFailedError(f"choose one of {' / '.join(chosen)}, not several at once")
    reason = d.reason.strip()
    if d.resolve or d.accept:
        status = BarrierStatus.RESOLVED if d.resolve else BarrierStatus.ACCEPTED
        if needs_resolution(status, reason):  # the store's rule, asked as the decision's words
            raise ValidationFailedError(f"{chosen[0]}: give a reason")
        return {"status": status, "resolution": reason, "snoozed_until": None}
    if d.snooze_until is not None:
        if d.snooze_until <= today:
            raise ValidationFailedError(
                f"snooze: {d.snooze_until.isoformat()} is not after today ({today.isoformat()})"
            )
        return {"snoozed_until": d.snooze_until}
    if d.duplicate_of_id is not None:
        root = _duplicate_root(session, int(barrier.id or 0), d.duplicate_of_id)
        note = f"duplicate of barrier {root.id}" + (f": {reason}" if reason else "")
        return {
            "duplicate_of_id": root.id,
            "status": BarrierStatus.RESOLVED,
            "resolution": note,
            "snoozed_until": None,
        }
    if chosen:
        return _escalation(session, d)
    if d.mark_triaged and barrier.status == BarrierStatus.NEW:
        return {"status": BarrierStatus.TRIAGED, "snoozed_until": None}
    return {}


def apply_triage_in(
    session: Session,
    barrier_id: int,
    decision: TriageDecision,
    *,
    today: date,
    expected_version: int | None = None,
) -> TriageOutcome:
    """Apply ``decision`` inside the caller's write transaction."""
    barrier = load_row(session, "barrier", barrier_id)
    assert isinstance(barrier, Barrier)
    changes: dict[str, Any] = {}
    if decision.category is not None:
        changes["category"] = BarrierCategory(decision.category)
    if decision.severity is not None:
        changes["severity"] = Severity(decision.severity)
    if decision.owner_id is not None:
        if session.get(Contact, decision.owner_id) is None:
            raise NotFoundError(f"contact {decision.owner_id} does not exist")
        changes["owner_id"] = decision.owner_id
    changes.update(_status_changes(session, barrier, decision, today))
    before = {k: getattr(barrier, k) for k in changes}
    reason = decision.reason.strip() or decision.describe()
    row = update_row(
        session,
        "barrier",
        barrier_id,
        changes,
        expected_version=expected_version,
        reason=reason,
    )
    assert isinstance(row, Barrier)
    before = {k: v for k, v in before.items() if v != getattr(row, k)}
    moved: list[int] = []
    if decision.duplicate_of_id is not None and row.duplicate_of_id is not None:
        linked = session.exec(select(Action).where(col(Action.barrier_id) == barrier_id))
        for action in list(linked):
            update_row(
                session,
                "action",
                int(action.id or 0),
                {"barrier_id": row.duplicate_of_id},
                reason=f"barrier {barrier_id} is a duplicate of {row.duplicate_of_id}",
            )
            moved.append(int(action.id or 0))
    return TriageOutcome(
        barrier_id=barrier_id,
        version=row.version,
        before=before,
        after={k: getattr(row, k) for k in before},
        moved_action_ids=tuple(moved),
        description=reason,
    )


def apply_triage(
    db: Database,
    barrier_id: int,
    decision: TriageDecision,
    *,
    source: ChangeSource,
    today: date | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> TriageOutcome:
    """Apply ``decision`` in its own transaction; a refused decision changes nothing."""
    with db.write(source=source, actor=actor) as session:
        return apply_triage_in(
            session,
            barrier_id,
            decision,
            today=today or date.today(),
            expected_version=expected_version,
        )


def undo_triage(db: Database, outcome: TriageOutcome, *, source: ChangeSource) -> int:
    """Put back what ``outcome`` changed; a barrier edited since raises ``StaleEditError``."""
    with db.write(source=source) as session:
        for action_id in outcome.moved_action_ids:
            update_row(
                session,
                "action",
                action_id,
                {"barrier_id": outcome.barrier_id},
                reason=f"undo: {outcome.description}",
            )
        if not outcome.before:
            return outcome.version
        row = update_row(
            session,
            "barrier",
            outcome.barrier_id,
            outcome.before,
            expected_version=outcome.version,
            reason=f"undo: {outcome.description}",
        )
        return int(row.version)  # type: ignore[attr-defined]
