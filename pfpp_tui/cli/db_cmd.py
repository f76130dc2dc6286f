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
    from pfpp_tui.store.db.check import check_database
    from pfpp_tui.store.db.location import resolve_location

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
    """Copy the database while others may be writing (SQLite online backup, or pg_dump).

    The copy is noted in the database's register of files pfpp wrote,
    so `pfpp person erase` can name it later (`pfpp db copies` lists
    them). Temporary files a killed backup or export left in the
    folder are removed first.
    """
    from pfpp_tui.cli.safe_output import echo
    from pfpp_tui.store.db.backup import backup_database

    db = open_db_from_context(ctx)
    try:
        done = backup_database(db, path)
    finally:
        db.dispose()
    for leftover in done.cleaned:
        echo(f"pfpp: removed {leftover}, left by a backup or export that was killed", err=True)
    if not done.registered:
        typer.echo(
            f"pfpp: note: {db.display_name} could not be written to, so this backup is not in "
            "its register of copies; an erasure will not name it",
            err=True,
        )
    echo(f"Backed up {db.display_name} to {path}", single_line=True)


@db_app.command("copies")
def copies(
    ctx: typer.Context,
    delete: Annotated[
        bool,
        typer.Option("--delete", help="Delete every listed file (asks first unless --yes)."),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """List the files pfpp wrote from this database that still exist (backups, pre-restore and
    pre-migration copies, exports written with -o), or delete them with --delete.

    To erase one person from the copies that are pfpp databases, use
    `pfpp person erase EMAIL --copies scrub`; `pfpp purge --copies scrub` purges them too.
    """
    from pfpp_tui.cli.safe_output import echo
    from pfpp_tui.store.db.written_files import delete_copy, known_copies
    from pfpp_tui.words import counted

    db = open_db_from_context(ctx)
    try:
        found = known_copies(db)
        if not found:
            typer.echo(f"{db.display_name}: no files written by pfpp are left")
            return
        typer.echo(f"Files written by pfpp from {db.display_name} ({len(found)}):")
        for copy in found:
            echo(f"  {copy.describe()}", single_line=True)
        if not delete:
            return
        if not yes:
            typer.confirm(
                f"Delete these {counted(len(found), 'file')}? It cannot be undone", abort=True
            )
        for copy in found:
            delete_copy(db, copy)
            echo(f"Deleted {copy.path}", single_line=True)
    finally:
        db.dispose()


@db_app.command("compact")
def compact(ctx: typer.Context) -> None:
    """Wipe freed space (VACUUM) and empty the SQLite write-ahead log, e.g. after an erasure."""
    from pfpp_tui.store.history.erasure import reclaim_erased_space

    db = open_db_from_context(ctx)
    try:
        done = reclaim_erased_space(db)
    finally:
        db.dispose()
    if not done:
        raise DatabaseLocationError(
            f"{db.display_name}: others have the database open; try again when they have closed it"
        )
    typer.echo(f"{db.display_name}: compacted; no deleted data is left in its files")


@db_app.command("restore")
def restore(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to bring back.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database with a backup; the current data is kept as a .bak file first."""
    from pfpp_tui.store.db.backup import register_again, restore_database, verify_backup_file
    from pfpp_tui.store.db.database import open_database
    from pfpp_tui.store.db.written_files import registered_files

    revision = verify_backup_file(path.expanduser().absolute())
    db = open_db_from_context(ctx)
    try:
        if not yes:
            typer.echo(
                f"This replaces everything in {db.display_name} with {path} "
                f"(schema revision {revision}); the current data is kept as a .bak file."
            )
            typer.confirm("Restore?", abort=True)
        written = registered_files(db)
        kept = restore_database(db, path)
    finally:
        db.dispose()
    restored = open_database(db_location(ctx))  # migrate an older backup to this version
    try:
        register_again(restored, written, kept)
    finally:
        restored.dispose()
    typer.echo(f"Restored {path} into {db.display_name}; previous data kept in {kept}")


@db_app.command("copy")
def copy(
    ctx: typer.Context,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="URL|PATH", help="Copy this database into an empty one."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="URL|PATH", help="Copy that database into this (empty) one."
        ),
    ] = None,
) -> None:
    """Move every row and the history between SQLite and PostgreSQL, then verify."""
    from pfpp_tui.store.db.copy import copy_database
    from pfpp_tui.store.db.database import open_database

    if (to is None) == (from_ is None):
        raise DatabaseLocationError("db copy: give exactly one of --to URL or --from URL")
    here = db_location(ctx)
    source_at, target_at = (here, to) if to is not None else (from_, here)
    source = open_database(source_at)
    try:
        target = open_database(target_at)
        try:
            report = copy_database(source, target)
        finally:
            target.dispose()
    finally:
        source.dispose()
    for table, rows in report.rows.items():
        typer.echo(f"  {table}: {rows} rows")
    typer.echo(
        f"Copied {report.total} rows from {source.display_name} to {target.display_name}; "
        f"counts and checksums match (sha256 {report.checksum[:16]})"
    )
