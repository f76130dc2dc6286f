"""contact search index

A text index for the contacts' free-text filter (``store.listing.query._contact_text``), so a rare
word is found without reading every contact.

SQLite: ``contact_search``, a contentless FTS5 table with the trigram tokenizer (substring
matches, case folded) over the columns the filter searches: the full name (first and last name
joined by a space, as the filter matches it), e-mail, role, notes and tags; rowid = contact.id.
Triggers on ``contact`` keep it in step. Contentless (no copy of the text in a ``_content``
table); a deleted row's trigrams leave the index when its segments are merged, which
``store.history.erasure`` forces with ``'optimize'``. Later migrations: a batch-mode rebuild of
``contact`` (drop and recreate) drops these triggers; recreate them, then refill the table
(``'delete-all'``, then the ``INSERT ... SELECT`` below: a contentless table cannot ``'rebuild'``).

PostgreSQL: a pg_trgm GIN index over the same five expressions (``ILIKE '%word%'`` uses it).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 07:16:33.946579
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = "name, email, role, notes, tags"


def _values(row: str) -> str:
    return (
        f"{row}.first_name || ' ' || {row}.last_name, {row}.email, {row}.role, "
        f"{row}.notes, {row}.tags"
    )


_SQLITE_UP = [
    f"CREATE VIRTUAL TABLE contact_search USING fts5({_COLUMNS}, content='', tokenize='trigram')",
    "CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN "
    f"INSERT INTO contact_search(rowid, {_COLUMNS}) VALUES (new.id, {_values('new')}); END",
    "CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN "
    f"INSERT INTO contact_search(contact_search, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_values('old')}); END",
    "CREATE TRIGGER contact_search_update AFTER UPDATE OF "
    "id, first_name, last_name, email, role, notes, tags ON contact BEGIN "
    f"INSERT INTO contact_search(contact_search, rowid, {_COLUMNS}) "
    f"VALUES ('delete', old.id, {_values('old')}); "
    f"INSERT INTO contact_search(rowid, {_COLUMNS}) VALUES (new.id, {_values('new')}); END",
    f"INSERT INTO contact_search(rowid, {_COLUMNS}) SELECT id, {_values('contact')} FROM contact",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS contact_search_update",
    "DROP TRIGGER IF EXISTS contact_search_delete",
    "DROP TRIGGER IF EXISTS contact_search_insert",
    "DROP TABLE IF EXISTS contact_search",
]

_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_contact_search_trgm ON contact USING gin ("
    "(first_name || ' ' || last_name) gin_trgm_ops, email gin_trgm_ops, role gin_trgm_ops, "
    "notes gin_trgm_ops, tags gin_trgm_ops)",
]

# The extension stays: other databases' objects on the server may use it.
_PG_DOWN = ["DROP INDEX IF EXISTS ix_contact_search_trgm"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(_SQLITE_UP)
    else:
        _run(_PG_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(_SQLITE_DOWN)
    else:
        _run(_PG_DOWN)
