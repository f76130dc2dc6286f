"""import batches: one history record per bulk contact import

A bulk contact import records its new contacts' creation as one ``import_batch`` row (who,
when, the files and their SHA-256, counts, options, and how far its write got) with the batch's
id on each contact it created (``contact.import_batch_id``), instead of a history row per
contact with a copy of its values (issue 19).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=36), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("files", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("contacts_added", sa.Integer(), nullable=False),
        sa.Column("change_mark", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("heartbeat", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint("batch", name=op.f("uq_import_batch_batch")),
    )
    op.add_column("contact", sa.Column("import_batch_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_contact_import_batch_id"), "contact", ["import_batch_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_import_batch_id"), table_name="contact")
    with op.batch_alter_table("contact", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("import_batch_id")
    op.drop_table("import_batch")
