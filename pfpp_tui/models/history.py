"""The change history: one row per create, update or delete, written in the same transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import utcnow


class Change(SQLModel, table=True):
    # One index for "this record's history" (table and row) that also serves "this table's
    # history": two single-column indexes cost a bulk import a sixth of its history time.
    __table_args__ = (Index("ix_change_table_name_row_id", "table_name", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    table_name: str = Field(max_length=40, sa_type=String(40))
    row_id: int
    op: str = Field(max_length=10, sa_type=String(10))  # ChangeOp
    # JSON: {"field": [old, new], ...}; for a create old is null, for a delete new is null.
    changes: str = Field(default="{}", sa_type=Text)
    actor: str = Field(max_length=120, sa_type=String(120))
    at: datetime = Field(default_factory=utcnow, index=True)
    source: str = Field(max_length=10, sa_type=String(10))  # ChangeSource
    reason: str = ""
    # Rows written by one user gesture (an import, a meeting log) share a batch for undo.
    batch: str | None = Field(default=None, max_length=36, sa_type=String(36), index=True)
