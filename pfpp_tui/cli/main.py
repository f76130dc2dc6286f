"""The ``pfpp`` command: global options and the registry of sub-commands.

No command here imports Textual unless it opens the TUI (``tui``, ``demo``, or no command),
so ``pfpp import`` and ``pfpp export`` start fast and work without a terminal.
"""

from __future__ import annotations

from typing import Annotated

import typer

from pfpp_tui import __version__
from pfpp_tui.cli.common import PfppGroup, db_location

app = typer.Typer(
    cls=PfppGroup,
    help="pfpp — run a place-based partnership programme from the terminal.",
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pfpp-tui {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or URL (default: $PFPP_DB, else your user data folder).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Open the app on your database when no command is given."""
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is None:
        from pfpp_tui.cli.app_cmd import launch_tui

        launch_tui(db_location(ctx))


# --- command registration ----------------------------------------------------------------------
# Order matters where a module attaches commands to another's Typer app (insight, partnership
# and principles add to `report`, `import` and `export`), so those come last.
from pfpp_tui.cli import (  # noqa: E402
    app_cmd,
    db_cmd,
    export_cmd,
    history_cmd,
    import_cmd,
    insight_cmd,
    partnership_cmd,
    person_cmd,
    principles_cmd,
    report_cmd,
    workflow_cmd,
)

app.add_typer(db_cmd.db_app, name="db")
app_cmd.register(app)
app.add_typer(import_cmd.import_app, name="import")
export_cmd.register(app)
history_cmd.register(app)
report_cmd.register(app)
insight_cmd.register(app)
person_cmd.register(app)
workflow_cmd.register(app)
partnership_cmd.register(app)
principles_cmd.register(app)
# --- end of command registration --------------------------------------------------------------


def run() -> None:
    """Console-script entry point: run the command, then leave without the interpreter's
    teardown (``process_exit``: ~300 ms of freeing modules after the work is done)."""
    from pfpp_tui.process_exit import leave

    try:
        app()
    except SystemExit as exc:
        leave(exc.code)
    leave(0)
