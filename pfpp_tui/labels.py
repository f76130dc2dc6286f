"""Words for people: the label of every vocabulary value the app shows on screen.

Owns: one label per member of each controlled vocabulary (``in_progress`` → "In progress",
``pilot_check_in`` → "Pilot check-in"), written out rather than derived so acronyms and
hyphens come out right, and which column of which table holds which vocabulary. ``label`` and
``label_of`` are what every screen calls; a vocabulary that had its labels already
(organisation kinds, agreement statuses) keeps them where they were and is looked up here.

Beside the vocabularies, below the models: the first frame labels its rows without the ORM
(issue 19); ``pfpp_tui.models.labels`` re-exports it. Must not change what is stored,
exported, printed as JSON or accepted by the filter language: those all keep the raw values.
Pure; no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pfpp_tui.vocabulary import (
    AGREEMENT_STATUS_LABELS,
    ORGANISATION_KIND_LABELS,
    ActionStatus,
    AgreementStatus,
    BarrierCategory,
    BarrierStatus,
    ChangeOp,
    ChangeSource,
    MeetingKind,
    OrganisationKind,
    PilotRole,
    PilotStage,
    Rag,
    Severity,
)

PILOT_STAGE_LABELS: dict[PilotStage, str] = {
    PilotStage.SETUP: "Setup",
    PilotStage.DISCOVERY: "Discovery",
    PilotStage.DELIVERY: "Delivery",
    PilotStage.EVALUATION: "Evaluation",
    PilotStage.CLOSED: "Closed",
}

RAG_LABELS: dict[Rag, str] = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green"}

PILOT_ROLE_LABELS: dict[PilotRole, str] = {
    PilotRole.LEAD: "Lead",
    PilotRole.SPONSOR: "Sponsor",
    PilotRole.PARTNER: "Partner",
    PilotRole.BUDDY: "Buddy",
    PilotRole.MEMBER: "Member",
}

MEETING_KIND_LABELS: dict[MeetingKind, str] = {
    MeetingKind.PILOT_CHECK_IN: "Pilot check-in",
    MeetingKind.THEORY_OF_CHANGE_WORKSHOP: "Theory of change workshop",
    MeetingKind.LOCAL_BOARD: "Local board",
    MeetingKind.CROSS_GOVERNMENT_ROUNDTABLE: "Cross-government roundtable",
    MeetingKind.DEPARTMENT_DEEP_DIVE: "Department deep dive",
    MeetingKind.SITE_VISIT: "Site visit",
    MeetingKind.LEARNING_EVENT: "Learning event",
    MeetingKind.EVALUATION_SESSION: "Evaluation session",
    MeetingKind.FUNDING_MAPPING_SESSION: "Funding mapping session",
    MeetingKind.REVIEW: "Review",
    MeetingKind.OTHER: "Other",
}

ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.WAITING: "Waiting",
    ActionStatus.BLOCKED: "Blocked",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}

BARRIER_CATEGORY_LABELS: dict[BarrierCategory, str] = {
    BarrierCategory.STRUCTURE: "Structure",
    BarrierCategory.PRIORITIES: "Priorities",
    BarrierCategory.FUNDING: "Funding",
    BarrierCategory.DATA_SHARING: "Data sharing",
    BarrierCategory.CULTURE: "Culture",
    BarrierCategory.OTHER: "Other",
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.LOW: "Low",
    Severity.MEDIUM: "Medium",
    Severity.HIGH: "High",
    Severity.CRITICAL: "Critical",
}

BARRIER_STATUS_LABELS: dict[BarrierStatus, str] = {
    BarrierStatus.NEW: "New",
    BarrierStatus.TRIAGED: "Triaged",
    BarrierStatus.ESCALATED: "Escalated",
    BarrierStatus.RESOLVED: "Resolved",
    BarrierStatus.ACCEPTED: "Accepted",
}

CHANGE_SOURCE_LABELS: dict[ChangeSource, str] = {
    ChangeSource.CLI: "CLI",
    ChangeSource.TUI: "TUI",
    ChangeSource.IMPORT: "Import",
    ChangeSource.SAMPLE: "Sample data",
    ChangeSource.SYSTEM: "System",
}

CHANGE_OP_LABELS: dict[ChangeOp, str] = {
    ChangeOp.CREATE: "Created",
    ChangeOp.UPDATE: "Changed",
    ChangeOp.DELETE: "Deleted",
}

LABELS: dict[type[StrEnum], Mapping[Any, str]] = {
    OrganisationKind: ORGANISATION_KIND_LABELS,
    PilotStage: PILOT_STAGE_LABELS,
    Rag: RAG_LABELS,
    PilotRole: PILOT_ROLE_LABELS,
    MeetingKind: MEETING_KIND_LABELS,
    ActionStatus: ACTION_STATUS_LABELS,
    BarrierCategory: BARRIER_CATEGORY_LABELS,
    Severity: SEVERITY_LABELS,
    BarrierStatus: BARRIER_STATUS_LABELS,
    AgreementStatus: AGREEMENT_STATUS_LABELS,
    ChangeSource: CHANGE_SOURCE_LABELS,
    ChangeOp: CHANGE_OP_LABELS,
}
"""Every labelled vocabulary (a unit test checks each has a label for every member)."""

# (table, column) → the vocabulary stored there. Rows read through SQLModel hand these back as
# plain strings (the columns are ``String``), so the column says which labels apply.
COLUMN_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("organisation", "kind"): OrganisationKind,
    ("pilot", "stage"): PilotStage,
    ("pilot", "rag"): Rag,
    ("contact_pilot", "role"): PilotRole,
    ("meeting", "kind"): MeetingKind,
    ("action", "status"): ActionStatus,
    ("barrier", "category"): BarrierCategory,
    ("barrier", "severity"): Severity,
    ("barrier", "status"): BarrierStatus,
    ("partnership_agreement", "status"): AgreementStatus,
    ("change", "source"): ChangeSource,
    ("change", "op"): ChangeOp,
}


def _humanised(raw: str) -> str:
    """A value no vocabulary knows (an old row, a hand edit): readable, never a crash."""
    text = raw.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def label(value: StrEnum) -> str:
    """The words for one member: ``label(ActionStatus.IN_PROGRESS)`` → ``"In progress"``."""
    labels = LABELS.get(type(value))
    if labels is not None and value in labels:
        return labels[value]
    return _humanised(value.value)


def label_of(vocabulary: type[StrEnum], raw: object) -> str:
    """The words for a stored value of ``vocabulary`` (a plain string, as rows hand it back).

    ``None`` and ``""`` give ``""``; a value outside the vocabulary is shown humanised.
    """
    if raw is None or raw == "":
        return ""
    if isinstance(raw, vocabulary):
        return label(raw)
    text = str(raw.value if isinstance(raw, StrEnum) else raw)
    try:
        return label(vocabulary(text))
    except ValueError:
        return _humanised(text)


def column_label(table: str, column: str, raw: object) -> str | None:
    """The words for ``raw`` stored in ``table.column``; None when that column is free text."""
    vocabulary = COLUMN_VOCABULARIES.get((table, column))
    return None if vocabulary is None else label_of(vocabulary, raw)


def choices(vocabulary: type[StrEnum]) -> list[tuple[str, str]]:
    """(label, stored value) for every member, in the vocabulary's order: a select's options."""
    return [(label(member), member.value) for member in vocabulary]


__all__ = [
    "ACTION_STATUS_LABELS",
    "BARRIER_CATEGORY_LABELS",
    "BARRIER_STATUS_LABELS",
    "CHANGE_OP_LABELS",
    "CHANGE_SOURCE_LABELS",
    "COLUMN_VOCABULARIES",
    "LABELS",
    "MEETING_KIND_LABELS",
    "PILOT_ROLE_LABELS",
    "PILOT_STAGE_LABELS",
    "RAG_LABELS",
    "SEVERITY_LABELS",
    "choices",
    "column_label",
    "label",
    "label_of",
]
