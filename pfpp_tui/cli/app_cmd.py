"""Commands that open the TUI or make sample data: ``tui``, ``demo``, ``sample``."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pfpp_tui.cli.common import db_location
from pfpp_tui.errors import DatabaseLocationError, PfppError


def launch_tui(location: str | None, section: str = "overview") -> None:
    """Run the app; its exit code becomes the process's (1: the database could not be opened)."""
    from pfpp_tui.tui.app import run_app

    code = run_app(location, section=section)
    if code:
        raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command("tui")(tui)
    app.command("demo")(demo)
    app.command("sample")(sample)


SECTION_NAMES = (
    "overview",
    "pilots",
    "contacts",
    "organisations",
    "meetings",
    "actions",
    "barriers",
)


def tui(
    ctx: typer.Context,
    section: Annotated[
        str,
        typer.Option(
            "--section",
            help="The section to open in: " + ", ".join(SECTION_NAMES) + " (people = contacts).",
        ),
    ] = "overview",
) -> None:
    """Open the app on the configured database."""
    name = "contacts" if section == "people" else section
    if name not in SECTION_NAMES:
        raise typer.BadParameter(f"{section!r} is not one of {', '.join(SECTION_NAMES)}")
    launch_tui(db_location(ctx), section=name)


def demo(
    copy_to: Annotated[
        Path | None,
        typer.Option("--copy-to", help="Where to put the demo copy (default: a temp folder)."),
    ] = None,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Make the copy and check it; don't open the app.")
    ] = False,
) -> None:
    """Open the app on a fresh copy of sample.db, with dates moved so the demo feels live."""
    from pfpp_tui.sample.demo import make_demo_copy

    if copy_to is None:
        copy_to = Path(tempfile.mkdtemp(prefix="pfpp-demo-")) / "demo.db"
    target = make_demo_copy(copy_to, today=date.today())
    typer.echo(f"Demo database: {target}", err=True)
    if no_tui:
        from pfpp_tui.store.db.check import check_database

        problems = check_database(str(target))
        if problems:
            for problem in problems:
                typer.echo(f"pfpp: {target}: {problem}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{target}: ok")
        return
    launch_tui(str(target))


def sample(
    path: Annotated[Path, typer.Argument(help="Where to write the sample database.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a fresh sample database (the same one that ships as sample.db)."""
    from pfpp_tui.sample.build import write_sample_database

    if path.exists() and not force:
        raise DatabaseLocationError(f"{path}: already exists (use --force to overwrite)")
    if path.is_dir():
        raise DatabaseLocationError(f"{path}: is a directory")
    # Built beside the target under a temporary name (".NAME.xxxx.part", which messages turn
    # back into the user's path), then moved into place: never half a sample at PATH.
    folder = path.parent if path.parent.exists() else None
    tmp_dir = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=folder))
    try:
        built = write_sample_database(tmp_dir / "sample.db")
        shutil.move(str(built), path)
    except PfppError as exc:  # says the temporary file's name: say the user's
        raise PfppError(str(exc).replace(str(tmp_dir / "sample.db"), str(path))) from None
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    typer.echo(f"Wrote {path}")
