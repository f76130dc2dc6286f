"""People across departments and places, and their roles in pilots.

``email_key`` is the trimmed, lower-cased e-mail kept by the store: it makes e-mail unique
case-insensitively with a plain unique constraint that works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import PilotRole, Tracked


class ContactBase(SQLModel):
    first_name: str = Field(default="", max_length=120, sa_type=String(120))
    last_name: str = Field(default="", max_length=120, sa_type=String(120))
    email: str | None = Field(default=None, max_length=320, sa_type=String(320))
    phone: str | None = Field(default=None, max_length=60, sa_type=String(60))
    phone_e164: str | None = Field(default=None, max_length=20, sa_type=String(20))
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL", index=True
    )
    team_id: int | None = Field(
        default=None, foreign_key="team.id", ondelete="SET NULL", index=True
    )
    role: str = ""
    notes: str = ""
    # Comma-separated free tags ("buddy, data lead").
    tags: str = ""
    archived: bool = False


class Contact(ContactBase, Tracked, table=True):
    __table_args__ = (UniqueConstraint("email_key"),)
    id: int | None = Field(default=None, primary_key=True)
    email_key: str | None = Field(default=None, max_length=320, sa_type=String(320))
    # The bulk import that created this contact (``models.imports.ImportBatch``): its creation
    # history is that batch record, not a history row of its own.
    import_batch_id: int | None = Field(default=None, index=True)


class ContactPilotBase(SQLModel):
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE", index=True)
    role: PilotRole = Field(default=PilotRole.PARTNER, sa_type=String(20))


class ContactPilot(ContactPilotBase, Tracked, table=True):
    __tablename__ = "contact_pilot"
    __table_args__ = (UniqueConstraint("contact_id", "pilot_id"),)
    id: int | None = Field(default=None, primary_key=True)
