"""``pfpp db``: upgrade, check and back up the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pfpp_tui.cli.common import PfppGroup, db_location, open_db_from_context
from pfpp_tui.errors import DatabaseLocationError

db_app = typer.Typer(cls=PfppGroup, help="Look after the database file.", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the database to this version's schema (a backup is taken first)."""
    db = open_db_from_context(ctx)
    typer.echo(f"{db.display_name}: at the latest schema")
    db.dispose()


@db_app.command("check")
def check(ctx: typer.Context) -> None:
    """Check integrity, foreign keys and schema version; exit 1 naming any problem."""
    from pfpp_tui.store.check import check_database
    from pfpp_tui.store.location import resolve_location

    location = db_location(ctx)
    name = resolve_location(location).display_name
    problems = check_database(location)
    if problems:
        for problem in problems:
            typer.echo(f"pfpp: {name}: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name}: ok (integrity, foreign keys, schema at head)")


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the backup copy.")],
) -> None:
    """Copy the database while others may be writing (SQLite online backup)."""
    from pfpp_tui.store import sqlite as sqlite_corner

    db = open_db_from_context(ctx)
    try:
        if db.location.path is None:
            raise DatabaseLocationError(
                f"{db.display_name}: backups of a server database are made with pg_dump"
            )
        sqlite_corner.backup_to(db.location.path, path.expanduser().absolute())
    finally:
        db.dispose()
    typer.echo(f"Backed up {db.display_name} to {path}")
