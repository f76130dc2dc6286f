"""Agreed actions, the barrier log and funding flows: the work the programme chases.

"Overdue" is deliberately not a column: it is derived from ``due_date`` and today.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import (
    ActionStatus,
    BarrierCategory,
    BarrierStatus,
    Severity,
    Tracked,
)


class BarrierBase(SQLModel):
    pilot_id: int | None = Field(
        default=None, foreign_key="pilot.id", ondelete="SET NULL", index=True
    )
    category: BarrierCategory = Field(default=BarrierCategory.OTHER, sa_type=String(20))
    title: str = Field(min_length=1, max_length=300, sa_type=String(300))
    detail: str = ""
    severity: Severity = Field(default=Severity.MEDIUM, sa_type=String(10))
    status: BarrierStatus = Field(default=BarrierStatus.NEW, sa_type=String(12), index=True)
    owner_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL", index=True
    )
    escalated_to_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )
    escalated_to_team_id: int | None = Field(
        default=None, foreign_key="team.id", ondelete="SET NULL"
    )
    escalation_note: str = ""
    raised_on: date
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True
    )
    snoozed_until: date | None = None
    duplicate_of_id: int | None = Field(default=None, foreign_key="barrier.id", ondelete="SET NULL")
    resolution: str = ""


class Barrier(BarrierBase, Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ActionBase(SQLModel):
    title: str = Field(min_length=1, max_length=300, sa_type=String(300))
    detail: str = ""
    owner_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL", index=True
    )
    pilot_id: int | None = Field(
        default=None, foreign_key="pilot.id", ondelete="SET NULL", index=True
    )
    meeting_id: int | None = Field(
        default=None, foreign_key="meeting.id", ondelete="SET NULL", index=True
    )
    barrier_id: int | None = Field(
        default=None, foreign_key="barrier.id", ondelete="SET NULL", index=True
    )
    due_date: date | None = Field(default=None, index=True)
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_type=String(12), index=True)
    completed_on: date | None = None


class Action(ActionBase, Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)


class FundingFlowBase(SQLModel):
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE", index=True)
    source_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )
    pot: str = Field(min_length=1, max_length=200, sa_type=String(200))
    # Whole pounds: the spend mapping reports grants to the pound, never pennies.
    amount_gbp: int = Field(ge=0)
    financial_year: str = Field(max_length=7, sa_type=String(7))  # "2022-23"
    outcome: str = ""


class FundingFlow(FundingFlowBase, Tracked, table=True):
    __tablename__ = "funding_flow"
    id: int | None = Field(default=None, primary_key=True)
