"""Shared column conventions and vocabularies for every table.

Owns: the constraint naming convention and the created/updated/version columns every editable
row carries. The programme's controlled vocabularies live in ``pfpp_tui.vocabulary`` (no ORM
there, so the command line starts without SQLAlchemy) and are re-exported here. Must not do I/O.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from pfpp_tui.vocabulary import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    ORGANISATION_KIND_LABELS,
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
)

__all__ = [
    "NAMING_CONVENTION",
    "OPEN_ACTION_STATUSES",
    "OPEN_BARRIER_STATUSES",
    "ORGANISATION_KIND_LABELS",
    "ActionStatus",
    "BarrierCategory",
    "BarrierStatus",
    "ChangeOp",
    "ChangeSource",
    "MeetingKind",
    "OrganisationKind",
    "PilotRole",
    "PilotStage",
    "Rag",
    "Severity",
    "Tracked",
    "utcnow",
]

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
