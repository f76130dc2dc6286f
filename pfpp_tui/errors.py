"""One error hierarchy for everything a user can cause or meet.

The CLI turns any ``PfppError`` into a single line on stderr and exit 1; the TUI turns it into
a notification. Messages are written for the user: they name the file or record and the problem.
"""

from __future__ import annotations

import errno
import os
import re
from datetime import datetime


class PfppError(Exception):
    """Base for every error the user should see as one clear line, never a traceback."""


class DatabaseLocationError(PfppError):
    """The database path or URL is unusable (a directory, unreadable, not SQLite...)."""


class DatabaseTooNewError(PfppError):
    """The database was migrated by a newer pfpp-tui than this one."""


class MigrationFailedError(PfppError):
    """A schema migration could not complete; the database was left as it was."""


class DatabaseUnavailableError(PfppError):
    """The database could not be opened or reached."""


class DatabaseBusyError(PfppError):
    """Another program held the database's write lock for the whole busy timeout."""


class NotPfppDatabaseError(DatabaseLocationError):
    """A database that holds another application's tables: never adopted, never changed."""


class DatabaseReadOnlyError(PfppError):
    """A write was asked of a database opened read-only; nothing was changed.

    Raised by ``Database.write`` (and the migration) before any transaction begins, with a
    message that starts ``read-only:``; ``Database.read_only`` lets a front end ask first.
    """


class NotFoundError(PfppError):
    """A record (or named pilot, organisation...) does not exist."""


class ValidationFailedError(PfppError):
    """Values a user gave do not make a valid record."""


class FileWriteError(PfppError):
    """A file the user named could not be written (missing folder, no permission, disk full)."""


class StaleEditError(PfppError):
    """Someone else changed the record since it was read: never overwrite silently."""

    def __init__(
        self, table: str, row_id: int, changed_by: str | None, changed_at: datetime | None
    ) -> None:
        self.table = table
        self.row_id = row_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = changed_by or "someone else"
        when = f" at {changed_at:%Y-%m-%d %H:%M} UTC" if changed_at else ""
        super().__init__(f"{table} {row_id} was changed by {who}{when} — reload?")


# --- faults: a locked, read-only or full database or disk, in words -------------------------------
#
# One classification for the CLI's error path (``cli.common.PfppGroup``), the import summary
# and the TUI (``describe_failure``), so all say the same thing about the same failure. It
# reads the driver's error codes (sqlite3's ``sqlite_errorcode``, PostgreSQL's SQLSTATE) and
# errno, never a traceback, and imports no database library (``pfpp --version`` stays light).

LOCKED = "locked"
READ_ONLY = "read-only"
DISK_FULL = "disk full"
NOTHING_CHANGED = "nothing was changed"

_SQLITE_PRIMARY = {5: LOCKED, 6: LOCKED, 8: READ_ONLY, 13: DISK_FULL}  # BUSY LOCKED READONLY FULL
_PG_SQLSTATE = {
    "55P03": LOCKED,  # lock_not_available (lock_timeout)
    "25006": READ_ONLY,  # read_only_sql_transaction (a standby, default_transaction_read_only)
    "42501": READ_ONLY,  # insufficient_privilege: this user may not write here
    "53100": DISK_FULL,  # disk_full
}
_ERRNO = {errno.ENOSPC: DISK_FULL, errno.EDQUOT: DISK_FULL, errno.EROFS: READ_ONLY,
          errno.EACCES: READ_ONLY, errno.EPERM: READ_ONLY}  # fmt: skip
_MESSAGE_NEEDLES = (
    ("database or disk is full", DISK_FULL),
    ("no space left on device", DISK_FULL),
    ("attempt to write a readonly database", READ_ONLY),
    ("database is locked", LOCKED),
)
# Files pfpp writes through a temporary name beside the target (``exporters.atomic``, backups:
# ``.NAME.pfpp-HOST-PID-RANDOM.part|.partial``; the sample: ``.NAME.RANDOM.part``; older
# backups: ``NAME.partial``). A message names NAME, the user's path.
_TEMPORARY_NAMES = (
    re.compile(r"^\.(?P<name>.+)\.pfpp-[0-9a-f]{6}-\d+-[a-z0-9_]{8}\.(part|partial)$"),
    re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.part$"),
    re.compile(r"^(?P<name>.+)\.partial$"),
)


def fault_kind(exc: BaseException) -> str | None:
    """``LOCKED``, ``READ_ONLY`` or ``DISK_FULL`` when ``exc`` is one of those; else None."""
    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _SQLITE_PRIMARY:
        return _SQLITE_PRIMARY[code & 0xFF]
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if isinstance(sqlstate, str) and sqlstate in _PG_SQLSTATE:
        return _PG_SQLSTATE[sqlstate]
    if isinstance(original, OSError) and original.errno in _ERRNO:
        return _ERRNO[original.errno]
    lowered = str(original).lower()
    for needle, kind in _MESSAGE_NEEDLES:
        if needle in lowered:
            return kind
    return None


def user_path(path: object) -> str:
    """The path the user named, for a temporary file pfpp writes on the way to it."""
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    folder, _, name = text.rpartition("/")
    for pattern in _TEMPORARY_NAMES:
        match = pattern.match(name)
        if match:
            return f"{folder}/{match['name']}" if folder else match["name"]
    return text


def _why_not_writable(path: str | None) -> str:
    """ "read-only file system" or "permission denied", from the folder that holds ``path``."""
    folder = os.path.dirname(path) if path else ""
    try:
        if folder and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "read-only file system"
    except OSError:
        pass
    return "permission denied"


def fault_words(
    exc: BaseException, *, path: object | None = None, waited_ms: int | None = None
) -> str | None:
    """A locked, read-only or full database or disk in words; None for any other failure.

    ``path`` is what was being written when the error carries no file name (the database);
    ``waited_ms`` how long the write waited for the lock (the busy timeout).
    """
    kind = fault_kind(exc)
    if kind is None:
        return None
    original = getattr(exc, "orig", None) or exc
    is_os_error = isinstance(original, OSError)
    filename = getattr(original, "filename", None) if is_os_error else None
    target = user_path(filename if filename else path) if (filename or path) else None
    if kind == LOCKED:
        waited = f" (waited {waited_ms / 1000:g} s)" if waited_ms is not None else ""
        database = f"database {target}" if target else "database"
        return f"{database} is locked by another program{waited}"
    if kind == READ_ONLY:
        if target is None:
            return "read-only: cannot write the database"
        if filename and os.path.exists(filename) and not os.access(filename, os.R_OK):
            return f"cannot read {target} (permission denied)"
        rofs = getattr(original, "errno", None) == errno.EROFS
        why = "read-only file system" if rofs else _why_not_writable(target)
        return f"read-only: cannot write {target} ({why})"
    # SQLite says "full" without saying which file: the database, a backup or a temp file.
    return f"disk full: cannot write {target}" if target and is_os_error else "disk full"


def cannot_write(path: object, exc: OSError) -> str:
    """``cannot write PATH: reason`` as the CLI says it: the user's path, never a temp file's.

    Files are written through a temporary file beside the target, so ``exc.filename`` may be
    ``.name.xxxx.part``: the message names ``path`` and only the OS's reason. A full disk or a
    folder that cannot be written is said in the words every command uses (``fault_words``).
    """
    target = user_path(path)
    if exc.errno in _ERRNO:  # the file name is the temporary one: say the user's
        return f"{fault_words(OSError(exc.errno, exc.strerror), path=target)}: nothing was written"
    return f"cannot write {target}: {exc.strerror or exc}"


def describe_failure(exc: BaseException) -> str:
    """An unexpected failure in words a user can act on: never a repr or a traceback.

    Shared by the CLI and the TUI, so both say the same thing about the same failure.
    """
    words = fault_words(exc)
    if words is not None:
        return words
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    if "disk i/o error" in text.lower():
        return "the disk reported an input/output error"
    return text
