"""The programme's controlled vocabularies: plain enums and their labels, with no I/O and no ORM.

Owns every word a record can hold in a fixed-choice field (organisation kinds, statuses, meeting
kinds, barrier categories, principles…). It sits on the lowest floor, below the models, formats,
store and front ends, so that the command line can build its options and help (``pfpp --help``,
``--version``) without loading SQLAlchemy, SQLModel or pydantic. ``pfpp_tui.models`` re-exports
these names for the tables that store them.

Enums are stored as plain strings (not native database enums) so that adding a status or a
meeting kind never needs an ``ALTER TYPE`` on PostgreSQL; pydantic validates them on the way in.
"""

from __future__ import annotations

from enum import StrEnum


class OrganisationKind(StrEnum):
    CENTRAL_DEPARTMENT = "central_department"
    ARMS_LENGTH_BODY = "arms_length_body"
    LOCAL_AUTHORITY = "local_authority"
    NHS_BODY = "nhs_body"
    PUBLIC_BODY = "public_body"
    VOLUNTARY_COMMUNITY = "voluntary_community"
    PRIVATE_PARTNER = "private_partner"
    RESEARCH_EVALUATION = "research_evaluation"
    # An organisation an import created whose name gave no clear sign
    # (``store.directory.org_kind``).
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


# --- partnership health (issue 11) ---


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    AGREED = "agreed"
    UNDER_REVIEW = "under_review"


AGREEMENT_STATUS_LABELS: dict[AgreementStatus, str] = {
    AgreementStatus.DRAFT: "Draft",
    AgreementStatus.AGREED: "Agreed",
    AgreementStatus.UNDER_REVIEW: "Under review",
}


class Principle(StrEnum):
    """Localis, *Level Measures* (2023): seven principles of public service integration."""

    FUNDING = "funding"
    HOLISTIC = "holistic"
    TRUST = "trust"
    DATA = "data"
    OUTCOMES = "outcomes"
    PREVENTION = "prevention"
    FRAMEWORKS = "frameworks"


PRINCIPLE_LABELS: dict[Principle, str] = {
    Principle.FUNDING: "Reliable, consistent long-term funding",
    Principle.HOLISTIC: "A holistic understanding of public services",
    Principle.TRUST: "Trust between tiers of government",
    Principle.DATA: "Shared insight into performance data",
    Principle.OUTCOMES: "Audit on outcomes, not outputs",
    Principle.PREVENTION: "An integrated, prevention-first approach",
    Principle.FRAMEWORKS: "Partnership frameworks built on long-term goals",
}


class PartnershipVariable(StrEnum):
    """The Partnership Improvement Programme's four variables, as column prefixes."""

    HISTORY = "history"
    ATTITUDES = "attitudes"
    VCS = "vcs"
    CAPACITY = "capacity"


VARIABLE_LABELS: dict[PartnershipVariable, str] = {
    PartnershipVariable.HISTORY: "History of cross-sector relationships",
    PartnershipVariable.ATTITUDES: "Attitudes of key staff towards partners",
    PartnershipVariable.VCS: "Relationships within the VCS",
    PartnershipVariable.CAPACITY: "Capacity (skills and people)",
}

RATING_MIN = 1
RATING_MAX = 5
