"""Organisations (departments, councils, NHS bodies, VCS groups...) and their teams.

An organisation keeps its former names with the date of each rename, so a lookup by "MHCLG" or
"BEIS" still finds today's department and old records still make sense.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import OrganisationKind, Tracked


class OrganisationBase(SQLModel):
    name: str = Field(min_length=1, max_length=200, sa_type=String(200))
    short_name: str | None = Field(default=None, max_length=40, sa_type=String(40))
    kind: OrganisationKind = Field(default=OrganisationKind.CENTRAL_DEPARTMENT, sa_type=String(32))
    parent_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )
    notes: str = ""


class Organisation(OrganisationBase, Tracked, table=True):
    __table_args__ = (UniqueConstraint("name"),)
    id: int | None = Field(default=None, primary_key=True)


class OrganisationFormerNameBase(SQLModel):
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    name: str = Field(min_length=1, max_length=200, sa_type=String(200))
    short_name: str | None = Field(default=None, max_length=40, sa_type=String(40))
    # The day the organisation stopped using this name.
    renamed_on: date | None = None


class OrganisationFormerName(OrganisationFormerNameBase, Tracked, table=True):
    __tablename__ = "organisation_former_name"
    id: int | None = Field(default=None, primary_key=True)


class TeamBase(SQLModel):
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="CASCADE", index=True)
    name: str = Field(min_length=1, max_length=200, sa_type=String(200))
    directorate: str | None = Field(default=None, max_length=200, sa_type=String(200))
    # Policy areas the team covers: what the directory searches for "who works on X".
    remit: str = ""


class Team(TeamBase, Tracked, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
