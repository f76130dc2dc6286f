"""Report shapes: what the pilot report pack and the weekly digest hold, as plain values.

Built by ``store.insight.reports`` (which records, in what order), written by
``exporters.report_markdown``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pfpp_tui.models import OPEN_BARRIER_STATUSES

_OPEN_BARRIERS = sorted(str(s) for s in OPEN_BARRIER_STATUSES)


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: int
    title: str
    status: str
    due_date: date | None
    owner: str  # "" when nobody owns it
    pilot: str
    overdue: bool
    days_overdue: int


@dataclass(frozen=True, slots=True)
class BarrierItem:
    id: int
    title: str
    category: str
    severity: str
    status: str
    pilot: str
    owner: str
    raised_on: date
    age_days: int
    escalated_to: str
    escalated_team: str
    escalation_note: str


@dataclass(frozen=True, slots=True)
class MeetingItem:
    id: int
    held_at: datetime
    kind: str
    title: str
    pilot: str
    decisions: tuple[str, ...]
    attendees: int


@dataclass(frozen=True, slots=True)
class PersonItem:
    name: str
    email: str
    role: str
    team: str
    pilot_role: str


@dataclass(frozen=True, slots=True)
class FundingItem:
    pot: str
    source: str
    amount_gbp: int
    financial_year: str
    outcome: str


@dataclass(frozen=True, slots=True)
class PilotSummary:
    name: str
    project_name: str
    lead_organisation: str
    local_challenge: str
    challenge_published: bool
    stage: str
    rag: str
    start_date: date | None
    end_date: date | None
    notes: str


@dataclass(frozen=True, slots=True)
class PilotReport:
    today: date
    pilot: PilotSummary
    # Organisation name → its people in this pilot; organisations sorted by name.
    partners: dict[str, list[PersonItem]]
    meetings: list[MeetingItem]  # oldest first: a timeline
    open_actions: list[ActionItem]  # overdue first (most overdue on top), then by owner
    barriers: dict[str, list[BarrierItem]]  # every category key, in the guidance's order
    funding: list[FundingItem]
    funding_by_department: list[tuple[str, int]]  # largest first
    funding_total: int

    @property
    def overdue_count(self) -> int:
        return sum(1 for a in self.open_actions if a.overdue)

    @property
    def open_barrier_count(self) -> int:
        return sum(
            1 for items in self.barriers.values() for b in items if b.status in _OPEN_BARRIERS
        )


@dataclass(frozen=True, slots=True)
class AgreementReviewItem:
    """A pilot's pre-partnership agreement whose review date has passed."""

    pilot: str
    review_date: date
    days_late: int
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class Digest:
    today: date
    days: int
    overdue_by_owner: dict[str, list[ActionItem]]
    due_soon: list[ActionItem]
    new_barriers: list[BarrierItem]
    stale_barriers: list[BarrierItem]
    escalations_by_department: dict[str, list[BarrierItem]]
    meetings_held: list[MeetingItem]
    counts: dict[str, int] = field(default_factory=dict)
    agreements_past_review: list[AgreementReviewItem] = field(default_factory=list)
