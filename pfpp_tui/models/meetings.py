"""Meetings with a pilot (or programme-wide) and who attended."""

from __future__ import annotations

from pydantic import NaiveDatetime
from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import MeetingKind, Tracked


class MeetingBase(SQLModel):
    # None means a programme-wide meeting.
    pilot_id: int | None = Field(
        default=None, foreign_key="pilot.id", ondelete="SET NULL", index=True
    )
    # Local wall-clock time of the meeting, as the user typed it.
    held_at: NaiveDatetime
    kind: MeetingKind = Field(default=MeetingKind.PILOT_CHECK_IN, sa_type=String(40))
    title: str = Field(min_length=1, max_length=200, sa_type=String(200))
    notes: str = ""
    # One decision per line.
    decisions: str = ""


class Meeting(MeetingBase, Tracked, table=True):
    id: int | None = Field(default=None, primary_key=True)


class MeetingAttendeeBase(SQLModel):
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="CASCADE", index=True)
    contact_id: int = Field(foreign_key="contact.id", ondelete="CASCADE", index=True)


class MeetingAttendee(MeetingAttendeeBase, Tracked, table=True):
    __tablename__ = "meeting_attendee"
    __table_args__ = (UniqueConstraint("meeting_id", "contact_id"),)
    id: int | None = Field(default=None, primary_key=True)
