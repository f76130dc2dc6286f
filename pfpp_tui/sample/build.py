"""Write the sample database to a file: migrated to head, filled, compacted to one file.

The result is deterministic (no clock reads in the generator, fixed timestamps), which is what
lets a test compare the committed ``sample.db`` with a fresh build.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database


def write_sample_database(path: Path) -> Path:
    """Build the sample into a new SQLite file at ``path`` and return it."""
    from pfpp_tui.sample.generate import build_sample

    db = open_database(path)
    try:
        with db.write(source=ChangeSource.SAMPLE, actor="sample") as session:
            build_sample(session)
    finally:
        db.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # A single self-contained file, small and stable in git.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        conn.close()
    return path
