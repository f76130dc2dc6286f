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


class NotFoundError(PfppError):
    """A record (or named pilot, organisation...) does not exist."""


class ValidationFailedError(PfppError):
    """Values a user gave do not make a valid record."""


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
