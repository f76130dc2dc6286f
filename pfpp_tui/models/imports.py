"""Bulk imports: one batch record per contact import.

A bulk contact import records its contacts' creation as ONE ``ImportBatch`` (who, when, the
source files with their SHA-256, counts, options) and puts the batch's id on every contact it
created (``Contact.import_batch_id``), instead of one history row per contact with a copy of its
values; ``store.db.changes`` rebuilds what a contact was created with from the row and its
later changes. The batch's ``batch`` is the history batch of the import's other rows (organisations,
teams, updated contacts, pilot links), so undo takes the import back as one gesture.

``state`` says how far the write got (``store.imports.contact_import_stage``): ``publishing`` while
the new contacts are written a chunk at a time (a kill now: the next open takes back what was
written), ``done`` once the import is whole.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import utcnow


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    batch: str = Field(max_length=36, sa_type=String(36), unique=True)
    state: str = Field(max_length=12, sa_type=String(12))  # staging | publishing | done
    at: datetime = Field(default_factory=utcnow)
    actor: str = Field(max_length=120, sa_type=String(120))
    source: str = Field(max_length=10, sa_type=String(10))  # ChangeSource
    reason: str = ""
    # JSON: [{"name": "google.csv", "sha256": "...", "added": 3, "updated": 1, ...}, ...]
    files: str = Field(default="[]", sa_type=Text)
    # JSON: {"on_conflict": "merge", "pilot": "Luton"}
    options: str = Field(default="{}", sa_type=Text)
    contacts_added: int = 0
    # The newest history id when the import was decided: a contact's history rows after it are
    # its changes since the import (an older row for the same id was another, deleted, record).
    change_mark: int = 0
    # Which process is writing it ("host:pid") and when it last committed a step: a batch
    # whose writer is gone is finished or cleaned by the next open.
    owner: str = Field(default="", max_length=200, sa_type=String(200))
    heartbeat: datetime = Field(default_factory=utcnow)
