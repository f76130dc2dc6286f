"""Run a start-up migration in its own process so a test can ``kill -9`` it mid-way.

``python -m tests.store.crash_migration_worker DB MIGRATIONS_DIR HEAD``: points the app at a test
copy of ``migrations/`` (the real revisions plus a heavy test-only one), prints ``ready``, then
opens the database the way every command does (pre-migration backup, then the upgrade in one
transaction) and prints ``done``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pfpp_tui.store.db import database, migrate
from pfpp_tui.store.db.database import open_database


def main() -> None:
    path, migrations, head = sys.argv[1], sys.argv[2], sys.argv[3]
    migrate.MIGRATIONS_DIR = Path(migrations)
    database.HEAD_REVISION = head  # the fast "already at head?" check must know the test head
    print("ready", flush=True)
    open_database(path).dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main()
