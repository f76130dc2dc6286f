"""Autogenerate a migration against a scratch database at head.

Usage: `python scripts/new_revision.py "message" [REV_ID]`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database, make_engine
from pfpp_tui.store.db.location import resolve_location
from pfpp_tui.store.db.migrate import MIGRATIONS_DIR, alembic_config, run_upgrade


def main() -> None:
    message = sys.argv[1]
    rev_id = sys.argv[2] if len(sys.argv) > 2 else None
    path = Path(tempfile.mkdtemp()) / "scratch.db"
    sqlite_corner.create_private_file(path)
    location = resolve_location(path)
    db = Database(location, make_engine(location))
    if any(MIGRATIONS_DIR.joinpath("versions").glob("*.py")):
        run_upgrade(db, "head")
    config = alembic_config()
    with db._write_engine.connect() as conn:
        config.attributes["connection"] = conn
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        conn.commit()


if __name__ == "__main__":
    main()
