"""``pfpp db check``: is this database whole, consistent and at this version's schema?"""

from __future__ import annotations

from pathlib import Path

from pfpp_tui.errors import PfppError
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import foreign_database_problem, is_foreign, open_database
from pfpp_tui.store.db.location import resolve_location
from pfpp_tui.store.db.migrate import current_revision, head_revision, known_revisions


def check_database(location: str | Path | None) -> list[str]:
    """Problems found, in words; an empty list means healthy.

    A SQLite file is only read (``sqlite_corner.connect_uri``), so checking never changes a
    byte of it (not even the journal mode) and leaves no -wal/-shm file behind.
    """
    resolved = resolve_location(location)
    problems: list[str] = []
    if resolved.path is not None:
        if not resolved.path.exists():
            return ["no such database file"]
        try:
            sqlite_corner.check_sqlite_path(resolved.path)
        except PfppError as exc:
            return [str(exc).split(": ", 1)[-1]]
        problems.extend(sqlite_corner.integrity_problems(resolved.path))
        if problems:
            return problems
        revision = sqlite_corner.schema_revision(resolved.path)
        tables = sqlite_corner.table_names(resolved.path)
        if is_foreign(tables, revision):
            return [foreign_database_problem(tables, revision)]
        return _schema_problems(revision)
    try:
        db = open_database(location, upgrade=False)
    except PfppError as exc:
        return [str(exc).split(": ", 1)[-1]]
    try:
        return _schema_problems(current_revision(db))
    finally:
        db.dispose()


def _schema_problems(current: str | None) -> list[str]:
    head = head_revision()
    if current == head:
        return []
    if current is not None and current not in known_revisions():
        return [
            f"written by a newer pfpp-tui (schema revision {current}, this version knows "
            f"up to {head})"
        ]
    return [
        f"schema at revision {current or 'none'}, this version expects {head} "
        "(run `pfpp db upgrade`)"
    ]
