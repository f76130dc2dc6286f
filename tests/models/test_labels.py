"""Every vocabulary value has a label for people, and every vocabulary column is known."""

from __future__ import annotations

from enum import StrEnum

import pytest

from pfpp_tui.models import (
    ActionStatus,
    BarrierCategory,
    BarrierStatus,
    Change,
    ChangeOp,
    ChangeSource,
    MeetingKind,
    OrganisationKind,
    PilotRole,
    PilotStage,
    Rag,
    Severity,
)
from pfpp_tui.models.labels import (
    COLUMN_VOCABULARIES,
    LABELS,
    choices,
    column_label,
    label,
    label_of,
)
from pfpp_tui.models.partnership import AgreementStatus, Principle
from pfpp_tui.store.db.records import TABLES

# Written out, member by member: a new member fails here until someone chooses its words.
EXPECTED: dict[StrEnum, str] = {
    OrganisationKind.CENTRAL_DEPARTMENT: "Central department",
    OrganisationKind.ARMS_LENGTH_BODY: "Arm's-length body",
    OrganisationKind.LOCAL_AUTHORITY: "Local authority",
    OrganisationKind.NHS_BODY: "NHS body",
    OrganisationKind.PUBLIC_BODY: "Police, fire or other public body",
    OrganisationKind.VOLUNTARY_COMMUNITY: "Voluntary & community organisation",
    OrganisationKind.PRIVATE_PARTNER: "Private partner",
    OrganisationKind.RESEARCH_EVALUATION: "Research / evaluation",
    OrganisationKind.UNKNOWN: "Not yet classified",
    PilotStage.SETUP: "Setup",
    PilotStage.DISCOVERY: "Discovery",
    PilotStage.DELIVERY: "Delivery",
    PilotStage.EVALUATION: "Evaluation",
    PilotStage.CLOSED: "Closed",
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    PilotRole.LEAD: "Lead",
    PilotRole.SPONSOR: "Sponsor",
    PilotRole.PARTNER: "Partner",
    PilotRole.BUDDY: "Buddy",
    PilotRole.MEMBER: "Member",
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
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.WAITING: "Waiting",
    ActionStatus.BLOCKED: "Blocked",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
    BarrierCategory.STRUCTURE: "Structure",
    BarrierCategory.PRIORITIES: "Priorities",
    BarrierCategory.FUNDING: "Funding",
    BarrierCategory.DATA_SHARING: "Data sharing",
    BarrierCategory.CULTURE: "Culture",
    BarrierCategory.OTHER: "Other",
    Severity.LOW: "Low",
    Severity.MEDIUM: "Medium",
    Severity.HIGH: "High",
    Severity.CRITICAL: "Critical",
    BarrierStatus.NEW: "New",
    BarrierStatus.TRIAGED: "Triaged",
    BarrierStatus.ESCALATED: "Escalated",
    BarrierStatus.RESOLVED: "Resolved",
    BarrierStatus.ACCEPTED: "Accepted",
    AgreementStatus.DRAFT: "Draft",
    AgreementStatus.AGREED: "Agreed",
    AgreementStatus.UNDER_REVIEW: "Under review",
    ChangeSource.CLI: "CLI",
    ChangeSource.TUI: "TUI",
    ChangeSource.IMPORT: "Import",
    ChangeSource.SAMPLE: "Sample data",
    ChangeSource.SYSTEM: "System",
    ChangeOp.CREATE: "Created",
    ChangeOp.UPDATE: "Changed",
    ChangeOp.DELETE: "Deleted",
}


def test_expected_covers_every_member_of_every_labelled_vocabulary() -> None:
    members = {member for vocabulary in LABELS for member in vocabulary}
    assert members == set(EXPECTED)


@pytest.mark.parametrize("member", list(EXPECTED), ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_label_of_each_member(member: StrEnum) -> None:
    words = EXPECTED[member]
    assert label(member) == words
    assert label_of(type(member), member.value) == words  # as a row hands it back: a str
    assert label_of(type(member), member) == words
    assert "_" not in words and words[:1].isupper()


@pytest.mark.parametrize("vocabulary", list(LABELS), ids=lambda v: v.__name__)
def test_labels_tell_members_apart(vocabulary: type[StrEnum]) -> None:
    words = [label(member) for member in vocabulary]
    assert len(set(words)) == len(words)
    assert choices(vocabulary) == [(label(m), m.value) for m in vocabulary]


def test_every_vocabulary_column_of_every_table_is_labelled() -> None:
    """A new enum column shows its label in the TUI only once it is listed here."""
    found = {
        (table, name): info.annotation
        for table, (model, _) in TABLES.items()
        for name, info in model.model_fields.items()
        if isinstance(info.annotation, type) and issubclass(info.annotation, StrEnum)
    }
    found[(Change.__tablename__, "op")] = ChangeOp  # stored as str, see models.history
    found[(Change.__tablename__, "source")] = ChangeSource
    # Principle tags are shown by their short key (the filter's and the CLI's word) beside
    # their long title (``PRINCIPLE_LABELS``), by design; they are not labelled here.
    found = {k: v for k, v in found.items() if v is not Principle}
    assert found == COLUMN_VOCABULARIES
    assert set(COLUMN_VOCABULARIES.values()) <= set(LABELS)


def test_stored_values_outside_the_vocabulary_still_read() -> None:
    assert label_of(ActionStatus, "in_progress") == "In progress"
    assert label_of(ActionStatus, "on_hold") == "On hold"  # an old row, a hand edit
    assert label_of(Rag, None) == "" and label_of(Rag, "") == ""
    assert column_label("pilot", "rag", "amber") == "Amber"
    assert column_label("meeting", "kind", "pilot_check_in") == "Pilot check-in"
    assert column_label("organisation", "kind", "nhs_body") == "NHS body"
    assert column_label("pilot", "name", "Luton") is None
