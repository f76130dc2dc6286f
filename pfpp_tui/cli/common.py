"""What every command shares: the ``--db`` location, opening it, and error-to-exit-code rules.

Any ``PfppError`` raised inside a command becomes one line on stderr and exit 1 (``PfppGroup``),
so commands never print tracebacks for problems a user caused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from pfpp_tui.errors import PfppError

if TYPE_CHECKING:  # the store (SQLAlchemy, the models) loads when a command opens it
    from pfpp_tui.store.db.database import Database


class PfppGroup(TyperGroup):
    """Turns user-facing errors into one line and exit 1, wherever in the tree they happen.

    The CLI's one error path: a ``PfppError`` says its own line; a locked, read-only or full
    database or disk (``errors.fault_words``) is said in words, with "nothing was changed" (a
    failed write transaction rolls back; files are written under a temporary name and renamed
    only when whole); any other database error is its driver's first line. Only a bug in pfpp
    itself still shows a traceback.
    """

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        if ctx.parent is None:
            from pfpp_tui.exporters.atomic import take_completed

            take_completed()  # only what this command writes is noted afterwards
        try:
            result = super().invoke(ctx)
        except PfppError as exc:
            typer.echo(f"pfpp: {exc}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            line = failure_line(ctx, exc) if _database_or_file_error(exc) else None
            if line is None:
                raise
            typer.echo(f"pfpp: {line}", err=True)
            raise typer.Exit(1) from None
        if ctx.parent is None:
            note_written_files(ctx)
        return result


def note_written_files(ctx: typer.Context) -> None:
    """Note the files the command wrote with ``-o`` (exports, reports) in the database's
    register, so an erasure can name them; one line when the database cannot be written."""
    from pfpp_tui.exporters.atomic import take_completed

    paths = take_completed()
    if not paths:
        return
    from pfpp_tui.models.written_file import WrittenFileKind
    from pfpp_tui.store.db.written_files import record_written_file

    try:
        db = open_db_from_context(ctx)
    except PfppError:
        noted = False
    else:
        try:
            about = f"pfpp {ctx.invoked_subcommand}" if ctx.invoked_subcommand else ""
            kind = WrittenFileKind.EXPORT
            noted = all([record_written_file(db, path, kind, about) for path in paths])
        finally:
            db.dispose()
    if not noted:
        typer.echo(
            "pfpp: note: the database could not be written to, so it does not list "
            f"{', '.join(map(str, paths))} among the copies an erasure names",
            err=True,
        )


def _database_or_file_error(exc: Exception) -> bool:
    """Cheap, before importing anything: only these can be faults (Exit and Abort are not)."""
    import sqlite3

    return isinstance(exc, OSError | sqlite3.Error) or type(exc).__module__.startswith("sqlalchemy")


def failure_line(ctx: typer.Context, exc: Exception) -> str | None:
    """One line for a fault or a database error; None for anything else (a bug: traceback)."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from pfpp_tui.errors import NOTHING_CHANGED, fault_kind, fault_words
    from pfpp_tui.store.db import sqlite as sqlite_corner
    from pfpp_tui.store.db.location import resolve_location

    try:
        location = resolve_location(db_location(ctx))
    except PfppError:
        location = None
    name = location.display_name if location is not None else None
    if fault_kind(exc) is not None:
        waited = sqlite_corner.busy_timeout_ms() if location and location.is_sqlite else None
        path = location.path if location and location.path else name
        return f"{fault_words(exc, path=path, waited_ms=waited)}: {NOTHING_CHANGED}"
    if isinstance(exc, DBAPIError | sqlite3.Error):
        original = getattr(exc, "orig", None) or exc
        first = (str(original).strip().splitlines() or [type(original).__name__])[0]
        return f"{name}: {first}" if name else first
    return None


def db_location(ctx: typer.Context) -> str | None:
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    value = obj.get("db")
    return str(value) if value is not None else None


def open_db_from_context(ctx: typer.Context) -> Database:
    """Open (and migrate) the database the user named with ``--db`` / ``PFPP_DB``."""
    from pfpp_tui.store.db.database import open_database

    return open_database(db_location(ctx))
