"""Shared column conventions and vocabularies for every table.

Owns: the constraint naming convention, the created/updated/version columns every editable
row carries, and the programme's controlled vocabularies (enums). Must not do I/O.

Enums are stored as plain strings (not native database enums) so that adding a status or a
meeting kind never needs an ``ALTER TYPE`` on PostgreSQL; pydantic validates them on the way in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns store UTC and hand it back aware on every engine."""
    return datetime.now(UTC)


class Tracked(SQLModel):
    """Columns every editable row carries: who-knows-when timestamps and an edit counter.

    ``version`` turns a stale save into a conflict instead of a silent overwrite: updates are
    written ``WHERE id = ? AND version = ?`` by the store.
    """

    created_at: datetime = Field(default_factory=utcnow, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, nullable=False)
    version: int = Field(default=1, nullable=False)


class OrganisationKind(StrEnum):
    CENTRAL_DEPARTMENT = "central_department"
    ARMS_LENGTH_BODY = "arms_length_body"
    LOCAL_AUTHORITY = "local_authority"
    NHS_BODY = "nhs_body"
    PUBLIC_BODY = "public_body"
    VOLUNTARY_COMMUNITY = "voluntary_community"
    PRIVATE_PARTNER = "private_partner"
    RESEARCH_EVALUATION = "research_evaluation"
    # An organisation an import created whose name gave no clear sign (``store.org_kind``).
    UNKNOWN = "unknown"


ORGANISATION_KIND_LABELS: dict[OrganisationKind, str] = {
    OrganisationKind.CENTRAL_DEPARTMENT: "Central department",
    OrganisationKind.ARMS_LENGTH_BODY: "Arm's-length body",
    OrganisationKind.LOCAL_AUTHORITY: "Local authority",
    OrganisationKind.NHS_BODY: "NHS body",
    OrganisationKind.PUBLIC_BODY: "Police, fire or other public body",
    OrganisationKind.VOLUNTARY_COMMUNITY: "Voluntary & community organisation",
    OrganisationKind.PRIVATE_PARTNER: "Private partner",
    OrganisationKind.RESEARCH_EVALUATION: "Research / evaluation",
    OrganisationKind.UNKNOWN: "Not yet classified",
}


class PilotStage(StrEnum):
    SETUP = "setup"
    DISCOVERY = "discovery"
    DELIVERY = "delivery"
    EVALUATION = "evaluation"
    CLOSED = "closed"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class PilotRole(StrEnum):
    LEAD = "lead"
    SPONSOR = "sponsor"
    PARTNER = "partner"
    BUDDY = "buddy"
    MEMBER = "member"


class MeetingKind(StrEnum):
    PILOT_CHECK_IN = "pilot_check_in"
    THEORY_OF_CHANGE_WORKSHOP = "theory_of_change_workshop"
    LOCAL_BOARD = "local_board"
    CROSS_GOVERNMENT_ROUNDTABLE = "cross_government_roundtable"
    DEPARTMENT_DEEP_DIVE = "department_deep_dive"
    SITE_VISIT = "site_visit"
    LEARNING_EVENT = "learning_event"
    EVALUATION_SESSION = "evaluation_session"
    FUNDING_MAPPING_SESSION = "funding_mapping_session"
    REVIEW = "review"
    OTHER = "other"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    BLOCKED = "blocked"
    DONE = "done"
    DROPPED = "dropped"


OPEN_ACTION_STATUSES = frozenset(
    {ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.WAITING, ActionStatus.BLOCKED}
)


class BarrierCategory(StrEnum):
    STRUCTURE = "structure"
    PRIORITIES = "priorities"
    FUNDING = "funding"
    DATA_SHARING = "data_sharing"
    CULTURE = "culture"
    OTHER = "other"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class BarrierStatus(StrEnum):
    NEW = "new"
    TRIAGED = "triaged"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    ACCEPTED = "accepted"


OPEN_BARRIER_STATUSES = frozenset(
    {BarrierStatus.NEW, BarrierStatus.TRIAGED, BarrierStatus.ESCALATED}
)


class ChangeSource(StrEnum):
    CLI = "cli"
    TUI = "tui"
    IMPORT = "import"
    SAMPLE = "sample"
    SYSTEM = "system"


class ChangeOp(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
