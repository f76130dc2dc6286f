"""Insight shapes: the coverage matrix, funding flows and barrier patterns as plain values.

Built by ``store.insight.coverage``, ``store.insight.funding`` and ``store.insight.patterns``;
shown by the TUI and written by ``exporters.insight_report``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from pfpp_tui.models import Severity

_SEVERITY_RANK = {str(s): i for i, s in enumerate(Severity)}


STALE_AFTER_DAYS = 60


class Staleness(StrEnum):
    NEVER = "never"
    STALE = "stale"
    RECENT = "recent"


def staleness_of(days_since: int | None) -> Staleness:
    if days_since is None:
        return Staleness.NEVER
    return Staleness.STALE if days_since > STALE_AFTER_DAYS else Staleness.RECENT


@dataclass(frozen=True, slots=True)
class CoverageColumn:
    id: int
    label: str  # short: what a column header shows
    name: str


@dataclass(frozen=True, slots=True)
class CoverageCell:
    pilot_id: int
    column_id: int
    last_meeting: date | None
    days_since: int | None
    open_actions: int
    open_barriers: int

    @property
    def staleness(self) -> Staleness:
        return staleness_of(self.days_since)


@dataclass(frozen=True, slots=True)
class CoverageMatrix:
    today: date
    # None: columns are organisations; else: columns are this organisation's teams.
    organisation_id: int | None
    organisation_label: str
    pilots: tuple[tuple[int, str], ...]
    columns: tuple[CoverageColumn, ...]
    cells: dict[tuple[int, int], CoverageCell]

    @property
    def level(self) -> str:
        return "organisation" if self.organisation_id is None else "team"

    def cell(self, pilot_id: int, column_id: int) -> CoverageCell:
        found = self.cells.get((pilot_id, column_id))
        return found or CoverageCell(pilot_id, column_id, None, None, 0, 0)


@dataclass(frozen=True, slots=True)
class CellMeeting:
    id: int
    held_at: datetime
    title: str
    attendees: tuple[str, ...]  # the attendees from that organisation or team


@dataclass(frozen=True, slots=True)
class CellAction:
    id: int
    title: str
    status: str
    due_date: date | None
    owner: str


@dataclass(frozen=True, slots=True)
class CellBarrier:
    id: int
    title: str
    status: str
    severity: str
    raised_on: date


@dataclass(frozen=True, slots=True)
class CellRecords:
    pilot: str
    column: str
    meetings: tuple[CellMeeting, ...]  # newest first
    actions: tuple[CellAction, ...]
    barriers: tuple[CellBarrier, ...]


SMALL_GRANT_GBP = 100_000


@dataclass(frozen=True, slots=True)
class FlowItem:
    id: int
    pilot_id: int
    pilot: str
    source_id: int | None
    source: str  # the name as it was then, "(now …)" when renamed since
    source_today: str
    pot: str
    amount_gbp: int
    financial_year: str
    outcome: str

    @property
    def small(self) -> bool:
        return self.amount_gbp < SMALL_GRANT_GBP


@dataclass(frozen=True, slots=True)
class PilotFunding:
    pilot_id: int
    pilot: str
    flows: tuple[FlowItem, ...]

    @property
    def total(self) -> int:
        return sum(f.amount_gbp for f in self.flows)


@dataclass(frozen=True, slots=True)
class Total:
    label: str
    amount_gbp: int
    flows: int


@dataclass(frozen=True, slots=True)
class FundingSummary:
    pilots: tuple[PilotFunding, ...]  # every pilot with at least one flow, by name
    by_department: tuple[Total, ...]  # largest first, today's names
    by_year: tuple[Total, ...]  # oldest year first
    total_gbp: int
    flows: int
    small_flows: int
    small_gbp: int

    @property
    def small_share(self) -> float:
        """Small grants as a share of the number of flows (0 when there are none)."""
        return self.small_flows / self.flows if self.flows else 0.0

    @property
    def small_value_share(self) -> float:
        return self.small_gbp / self.total_gbp if self.total_gbp else 0.0


@dataclass(frozen=True, slots=True)
class PatternBarrier:
    id: int
    pilot_id: int | None
    pilot: str
    title: str
    status: str
    severity: str
    raised_on: date
    escalated_to: str  # "" when not escalated


@dataclass(frozen=True, slots=True)
class BarrierGroup:
    category: str
    department_id: int | None  # the department most of the group shares, if any
    department: str
    barriers: tuple[PatternBarrier, ...]  # oldest first

    @property
    def places(self) -> int:
        """Distinct pilot places (programme-wide barriers are not a place)."""
        return len({b.pilot_id for b in self.barriers if b.pilot_id is not None})

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(b.id for b in self.barriers)

    @property
    def title(self) -> str:
        """The oldest barrier's title: what the group is called in lists."""
        return self.barriers[0].title

    @property
    def worst_severity(self) -> str:
        return max((b.severity for b in self.barriers), key=lambda s: _SEVERITY_RANK.get(s, 0))


@dataclass(frozen=True, slots=True)
class GroupEscalation:
    escalation_id: str  # the write's batch: every history entry of it carries this
    barrier_ids: tuple[int, ...]
    organisation_id: int
    team_id: int | None
    target: str
