"""Partnership shapes: assessments against the seven principles, agreements, principle counts.

Built by ``store.insight.partnership_health``, ``store.work.partnership`` and
``store.insight.principle_tags``; written by the exporters; the assessment file's columns
(``ASSESSMENT_COLUMNS``) are shared by the exporter and the importer, so an export always
re-imports unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pfpp_tui.models.partnership import AgreementStatus, PartnershipVariable, Principle

VARIABLES = tuple(v.value for v in PartnershipVariable)


@dataclass(frozen=True, slots=True)
class Assessment:
    """One dated assessment as plain values; ``ratings``/``notes`` are keyed by variable."""

    id: int
    pilot_id: int
    pilot: str
    assessed_on: date
    assessor_id: int | None
    assessor: str
    assessor_email: str | None
    assessor_name: str
    ratings: dict[str, int]
    notes: dict[str, str]

    @property
    def assessed_by(self) -> str:
        return self.assessor or self.assessor_name


ASSESSMENT_COLUMNS: tuple[str, ...] = (
    "pilot",
    "assessed_on",
    "assessor_email",
    "assessor_name",
    *(f"{v}_{part}" for v in VARIABLES for part in ("rating", "note")),
)


AGREEMENT_FIELDS = (
    "purpose",
    "governance_board",
    "governance_chair",
    "meeting_frequency",
    "data_sharing",
    "escalation_route",
    "review_date",
    "status",
    "agreed_by_id",
    "agreed_on",
)


@dataclass(frozen=True, slots=True)
class PartnerEntry:
    """One partner organisation in an agreement; labels are filled when read."""

    organisation_id: int
    role: str = ""
    commitments: str = ""
    lead_contact_id: int | None = None
    organisation: str = ""
    lead_contact: str = ""


@dataclass(frozen=True, slots=True)
class Agreement:
    """A pilot's agreement as plain values (``id`` is None before the first save)."""

    pilot_id: int
    pilot: str
    id: int | None = None
    version: int = 0
    purpose: str = ""
    governance_board: str = ""
    governance_chair: str = ""
    meeting_frequency: str = ""
    data_sharing: str = ""
    escalation_route: str = ""
    review_date: date | None = None
    status: AgreementStatus = AgreementStatus.DRAFT
    agreed_by_id: int | None = None
    agreed_on: date | None = None
    agreed_by: str = ""
    partners: tuple[PartnerEntry, ...] = ()
    updated_at: datetime | None = None

    def review_overdue(self, today: date) -> bool:
        return self.review_date is not None and self.review_date < today

    def field_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in AGREEMENT_FIELDS}


@dataclass(frozen=True, slots=True)
class PrincipleCounts:
    """Open barriers per principle, overall and per pilot; open actions per principle."""

    barriers: dict[Principle, int]
    by_pilot: dict[str, dict[Principle, int]]
    actions: dict[Principle, int]
    untagged_barriers: int
    # Stored tags that are not one of the seven (written by another program or by hand):
    # value -> (open barriers, open actions). Counted nowhere else, shown as they are.
    unknown: dict[str, tuple[int, int]] = field(default_factory=dict)
