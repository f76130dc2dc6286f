"""SQLModel tables and their shapes. No I/O lives here.

Importing this package registers every table on ``SQLModel.metadata`` (which Alembic reads).
"""

from __future__ import annotations

from pfpp_tui.models import partnership as partnership  # registers the issue 11 tables
from pfpp_tui.models import written_file as written_file  # registers the copies register
from pfpp_tui.models.common import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    ActionStatus,
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
    Tracked,
    utcnow,
)
from pfpp_tui.models.contacts import Contact, ContactBase, ContactPilot, ContactPilotBase
from pfpp_tui.models.history import Change
from pfpp_tui.models.imports import ImportBatch
from pfpp_tui.models.meetings import Meeting, MeetingAttendee, MeetingAttendeeBase, MeetingBase
from pfpp_tui.models.organisations import (
    Organisation,
    OrganisationBase,
    OrganisationFormerName,
    OrganisationFormerNameBase,
    Team,
    TeamBase,
)
from pfpp_tui.models.pilots import Pilot, PilotBase
from pfpp_tui.models.work import (
    Action,
    ActionBase,
    Barrier,
    BarrierBase,
    FundingFlow,
    FundingFlowBase,
)

__all__ = [
    "OPEN_ACTION_STATUSES",
    "OPEN_BARRIER_STATUSES",
    "Action",
    "ActionBase",
    "ActionStatus",
    "Barrier",
    "BarrierBase",
    "BarrierCategory",
    "BarrierStatus",
    "Change",
    "ChangeOp",
    "ChangeSource",
    "Contact",
    "ContactBase",
    "ContactPilot",
    "ContactPilotBase",
    "FundingFlow",
    "FundingFlowBase",
    "ImportBatch",
    "Meeting",
    "MeetingAttendee",
    "MeetingAttendeeBase",
    "MeetingBase",
    "MeetingKind",
    "Organisation",
    "OrganisationBase",
    "OrganisationFormerName",
    "OrganisationFormerNameBase",
    "OrganisationKind",
    "Pilot",
    "PilotBase",
    "PilotRole",
    "PilotStage",
    "Rag",
    "Severity",
    "Team",
    "TeamBase",
    "Tracked",
    "utcnow",
]

# Every table, in an order that respects foreign keys (parents first).
TABLES_IN_ORDER = (
    Organisation,
    OrganisationFormerName,
    Team,
    Pilot,
    Contact,
    ContactPilot,
    Meeting,
    MeetingAttendee,
    Barrier,
    Action,
    FundingFlow,
    Change,
)
