"""The register of files pfpp wrote outside the database: backups, safety copies, exports.

Erasure must be able to say which copies may still hold a person it has just erased, and
``pfpp db copies`` can scrub or delete them; so every file pfpp writes on request is noted
here, in the database it was written from. No I/O here.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import utcnow


class WrittenFileKind(StrEnum):
    BACKUP = "backup"  # pfpp db backup (any name)
    PRE_RESTORE = "pre-restore"  # the database as it was before pfpp db restore
    PRE_MIGRATION = "pre-migration"  # the automatic copy before an upgrade
    EXPORT = "export"  # pfpp export / report / digest ... -o FILE, and the app's exports


class WrittenFile(SQLModel, table=True):
    __tablename__ = "written_file"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(sa_type=Text)  # absolute
    kind: str = Field(max_length=20, sa_type=String(20))  # WrittenFileKind
    about: str = Field(default="", sa_type=Text)  # what it holds: "contacts as csv"
    written_at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(max_length=120, sa_type=String(120))
