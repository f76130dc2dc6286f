"""``pfpp db check``: is this database whole, consistent and at this version's schema?"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from pfpp_tui.errors import PfppError
from pfpp_tui.store import sqlite as sqlite_corner
from pfpp_tui.store.database import open_database
from pfpp_tui.store.location import resolve_location
from pfpp_tui.store.migrate import check_not_newer, current_revision, head_revision


def check_database(location: str | Path | None) -> list[str]:
    """Problems found, in words; an empty list means healthy. Never changes the database."""
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
    try:
        db = open_database(location, upgrade=False)
    except PfppError as exc:
        return [str(exc).split(": ", 1)[-1]]
    try:
        current = current_revision(db)
        check_not_newer(db, current)
        head = head_revision()
        if current != head:
            problems.append(
                f"schema at revision {current or 'none'}, this version expects {head} "
                "(run `pfpp db upgrade`)"
            )
        if not db.is_sqlite:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
    except PfppError as exc:
        problems.append(str(exc).split(": ", 1)[-1])
    finally:
        db.dispose()
    return problems
