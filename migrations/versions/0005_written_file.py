"""register of files pfpp wrote

``written_file``: one row per backup, pre-restore or pre-migration copy and export pfpp wrote
outside the database, so erasure can name the copies that may still hold a person and
``pfpp db copies`` can scrub or delete them (``store.db.written_files``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 20:26:38.866425
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "written_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("written_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_written_file")),
    )
    op.create_index(
        op.f("ix_written_file_written_at"), "written_file", ["written_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_written_file_written_at"), table_name="written_file")
    op.drop_table("written_file")
