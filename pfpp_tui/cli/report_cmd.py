"""``pfpp report pilot NAME`` and ``pfpp digest``: Markdown briefings from the database.

Owns the commands' contract: arguments, output to stdout or (``-o``) to a file written through
``atomic_output`` (mode 0600, never half a file), one line on stderr for an unknown pilot (exit
1) or a bad ``--days`` (exit 2). Data comes from ``store.insight.reports``, text from
``exporters.report_markdown``. Never prints a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.errors import cannot_write
from pfpp_tui.text_safety import terminal_safe

# The report builders are imported when a report runs, not at every ``pfpp`` start-up.

report_app = typer.Typer(help="Report packs for briefings.", no_args_is_help=True)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Markdown file to write (default: stdout).", show_default=False
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
    app.command("digest")(digest_command)


def _emit(text: str, output: Path | None, what: str) -> None:
    from pfpp_tui.exporters.atomic import atomic_output

    if output is None:
        sys.stdout.write(terminal_safe(text))
        sys.stdout.flush()
        return
    try:
        with atomic_output(output) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        typer.echo(f"pfpp: {cannot_write(exc.filename or output, exc)}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {what} to {output}", err=True)


@report_app.command("pilot")
def pilot_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The pilot place (a unique part of its name).")],
    output: OutputOption = None,
) -> None:
    """One place's pack: summary and RAG, partners, meetings, actions, barriers, funding."""
    from pfpp_tui.exporters.report_markdown import render_pilot_report
    from pfpp_tui.store.insight.reports import pilot_report

    db = open_db_from_context(ctx)
    try:
        report = pilot_report(db, name)
    finally:
        db.dispose()
    _emit(render_pilot_report(report), output, f"the {report.pilot.name} report pack")


def digest_command(
    ctx: typer.Context,
    days: Annotated[
        int, typer.Option("--days", help="Look this many days ahead (due) and back (meetings).")
    ] = 7,
    output: OutputOption = None,
) -> None:
    """The weekly digest: overdue and upcoming actions, stuck barriers, escalations, meetings."""
    from pfpp_tui.exporters.report_markdown import render_digest
    from pfpp_tui.store.insight.reports import digest

    if not 1 <= days <= 366:
        typer.echo("pfpp digest: --days must be between 1 and 366", err=True)
        raise typer.Exit(2)
    db = open_db_from_context(ctx)
    try:
        data = digest(db, days=days)
    finally:
        db.dispose()
    _emit(render_digest(data), output, "the digest")
