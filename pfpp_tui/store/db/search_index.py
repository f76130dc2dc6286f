"""The contacts' text index (migration 0003): its names, and which schema objects are not models.

SQLite holds it in ``contact_search``, a contentless FTS5 table (trigram tokenizer; since
migration 0004 with ``detail=none``: which rows hold a trigram, not where) kept in step by
triggers on ``contact``; FTS5 keeps its data in shadow tables named after it. PostgreSQL holds
it in the pg_trgm GIN index ``ix_contact_search_trgm``. None of these are SQLModel tables:
autogenerate and the "models and migrations agree" check skip them (``include_name``), and
``pfpp db copy`` never copies them (the target's triggers and index fill themselves).
"""

from __future__ import annotations

from typing import Any

SEARCH_TABLE = "contact_search"
SEARCH_INDEX = "ix_contact_search_trgm"
SHADOW_SUFFIXES = ("data", "idx", "content", "docsize", "config")
NOT_MODELS = frozenset(
    {SEARCH_TABLE, SEARCH_INDEX, *(f"{SEARCH_TABLE}_{suffix}" for suffix in SHADOW_SUFFIXES)}
)
"""Schema objects the migrations make that no model describes."""


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's ``include_name`` hook: leave the text index's objects out of comparisons."""
    return name not in NOT_MODELS
