"""One error hierarchy for everything a user can cause or meet.

The CLI turns any ``PfppError`` into a single line on stderr and exit 1; the TUI turns it into
a notification. Messages are written for the user: they name the file or record and the problem.
"""

from __future__ import annotations

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


def cannot_write(path: object, exc: OSError) -> str:
    """``cannot write PATH: reason`` as the CLI says it: the user's path, never a temp file's.

    Files are written through a temporary file beside the target, so ``exc.filename`` may be
    ``.name.xxxx.part``: the message names ``path`` and only the OS's reason.
    """
    return f"cannot write {path}: {exc.strerror or exc}"


_DATABASE_PROBLEMS = (
    ("disk is full", "the disk is full (free some space and run it again)"),
    ("readonly", "the database is read-only"),
    ("read-only", "the database is read-only"),
    ("locked", "the database stayed locked by another writer; try again in a moment"),
    ("disk i/o error", "the disk reported an input/output error"),
)


def describe_failure(exc: BaseException) -> str:
    """An unexpected failure in words a user can act on: never a repr or a traceback.

    Shared by the CLI and the TUI, so both say the same thing about the same failure.
    """
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__
    lowered = text.lower()
    for needle, words in _DATABASE_PROBLEMS:
        if needle in lowered:
            return words
    return text
