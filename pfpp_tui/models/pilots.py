"""Pilot places: the local partnerships the programme works with."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import PilotStage, Rag, Tracked


class PilotBase(SQLModel):
    name: str = Field(min_length=1, max_length=120, sa_type=String(120))
    lead_organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )
    project_name: str = ""
    local_challenge: str = ""
    # False when the challenge is illustrative (not published in what the programme released).
    challenge_published: bool = True
    stage: PilotStage = Field(default=PilotStage.DELIVERY, sa_type=String(20))
    rag: Rag = Field(default=Rag.GREEN, sa_type=String(8))
    start_date: date | None = None
    end_date: date | None = None
    notes: str = ""


class Pilot(PilotBase, Tracked, table=True):
    __table_args__ = (UniqueConstraint("name"),)
    id: int | None = Field(default=None, primary_key=True)
