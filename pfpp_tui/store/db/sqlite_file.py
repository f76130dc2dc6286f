"""A SQLite file as the operating system sees it, without SQLAlchemy: creating it private,
whether this user can write it, whether it is in WAL mode, and the URI that opens it without
changing a byte. ``store.db.sqlite`` (the engine's corner) re-exports these;
``store.listing.first_rows`` and ``pfpp demo`` use them before SQLAlchemy loads (issue 19)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote


def create_private_file(path: Path) -> None:
    """Create an empty database file 0600 whatever the umask: it holds personal data.

    SQLite creates its -wal and -shm files with the database file's permissions.
    """
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def write_problem(path: Path) -> str | None:
    """Why this process cannot write the database at ``path`` (None: it can), asked of the OS.

    SQLite needs the file and, for its -wal/-shm (or rollback journal) files, the folder.
    """
    if _file_system_read_only(path.parent):
        return "its file system is read-only"
    if not os.access(path, os.W_OK):
        return "you have no permission to write the file"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "you cannot create files in its folder, where SQLite keeps its -wal/-shm files"
    return None


def _file_system_read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def in_wal_mode(path: Path) -> bool:
    """The file header's read/write versions (bytes 18 and 19) are 2 in WAL mode."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18:20] == b"\x02\x02"


def connect_uri(path: Path, *, read_only: bool) -> str:
    """The SQLite URI that opens ``path`` without creating it or changing a byte by reading.

    Writable: ``mode=rw`` (a missing file is an error, never silently re-created); reading
    through it leaves no -wal/-shm behind, as the last connection to close removes them.
    Read-only: ``mode=ro``. A read-only connection cannot remove -wal/-shm files it created,
    and files it created would belong to this user (the owner could no longer write them);
    so when a WAL-mode database is not in use (no -shm file) it is opened ``immutable``,
    creating nothing. Another program's later writes are then seen only after reopening.
    """
    uri = f"file:{quote(str(path))}?mode={'ro' if read_only else 'rw'}"
    shm = path.with_name(f"{path.name}-shm")
    if read_only and in_wal_mode(path) and not shm.exists():
        uri += "&immutable=1"
    return uri
