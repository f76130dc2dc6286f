"""The schema revision this version of pfpp-tui writes, known without importing Alembic.

Opening a database that is already at head is the common case for every command; checking
``alembic_version`` against this constant lets it skip loading Alembic (about 0.4 s of start-up).
``tests/store/test_migrations.py`` fails when this falls behind ``migrations/versions``.
"""

from __future__ import annotations

HEAD_REVISION = "0006"
