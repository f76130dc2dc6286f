"""A new database file only its owner can read: no ORM, so ``pfpp demo`` can make its copy
before SQLAlchemy loads (issue 19). ``store.db.sqlite`` re-exports it."""

from __future__ import annotations

import os
from pathlib import Path


def create_private_file(path: Path) -> None:
    """Create an empty database file 0600 whatever the umask: it holds personal data.

    SQLite creates its -wal and -shm files with the database file's permissions.
    """
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
