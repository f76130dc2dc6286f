"""``pfpp report coverage|patterns|funding`` and ``pfpp import funding``: programme insight.

Owns those commands' contract. The reports print Markdown (coverage also CSV) to stdout, or
with ``-o`` to a file written through ``atomic_output``. ``import funding`` follows the contact
import's rules: every row checked first, ``FILE:LINE: field: problem`` on stderr (the first 20)
and in ``--errors-csv`` (all), exit 1 with nothing written when any row is refused, a dry run
that leaves the database byte-for-byte unchanged, exit 2 for usage errors, never a traceback.

The commands join the ``report`` and ``import`` groups owned by ``report_cmd`` and
``import_cmd``: importing this module attaches them (``register`` is for the registration
block). Store and exporter modules are imported inside the commands so ``--help`` stays instant.
"""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.cli.import_cmd import import_app
from pfpp_tui.cli.report_cmd import report_app
from pfpp_tui.errors import cannot_write
from pfpp_tui.text_safety import terminal_safe

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="File to write (default: stdout).", show_default=False),
]


class CoverageFormat(StrEnum):
    MD = "md"
    CSV = "csv"


def _emit(text: str, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.write(terminal_safe(text))
        sys.stdout.flush()
        return
    from pfpp_tui.exporters.atomic import atomic_output

    try:
        with atomic_output(output) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as exc:
        typer.echo(f"pfpp: {cannot_write(exc.filename or output, exc)}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {what} to {output}", err=True)


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2023-11-10") from None


def coverage_command(
    ctx: typer.Context,
    fmt: Annotated[
        CoverageFormat, typer.Option("--format", help="md: a matrix; csv: one row per cell.")
    ] = CoverageFormat.MD,
    output: OutputOption = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            help="Drill into one organisation: its teams become the columns (any name it had).",
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Count days up to this date (YYYY-MM-DD; default today)."),
    ] = None,
) -> None:
    """Pilots by departments: last meeting together, open actions and barriers, staleness."""
    from pfpp_tui.exporters.insight_report import render_coverage_csv, render_coverage_markdown
    from pfpp_tui.store.directory.workflow_lookup import organisation_by_name
    from pfpp_tui.store.insight.coverage import coverage_matrix

    day = _as_of(as_of)
    db = open_db_from_context(ctx)
    try:
        org_id = None
        if organisation is not None:
            with db.read() as session:
                org_id = organisation_by_name(session, organisation).id
        matrix = coverage_matrix(db, today=day, organisation_id=org_id)
    finally:
        db.dispose()
    render = render_coverage_csv if fmt is CoverageFormat.CSV else render_coverage_markdown
    _emit(render(matrix), output, "the coverage matrix")


def patterns_command(ctx: typer.Context, output: OutputOption = None) -> None:
    """Open barriers that are the same problem in several places, most places first."""
    from pfpp_tui.exporters.insight_report import render_patterns
    from pfpp_tui.store.insight.patterns import barrier_groups

    db = open_db_from_context(ctx)
    try:
        groups = barrier_groups(db)
    finally:
        db.dispose()
    _emit(render_patterns(groups), output, "the barrier patterns")


def funding_command(ctx: typer.Context, output: OutputOption = None) -> None:
    """Funding flows per pilot, totals by department and year, the share of small grants."""
    from pfpp_tui.exporters.insight_report import render_funding
    from pfpp_tui.store.insight.funding import funding_summary

    db = open_db_from_context(ctx)
    try:
        summary = funding_summary(db)
    finally:
        db.dispose()
    _emit(render_funding(summary), output, "the funding report")


def import_funding_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV of funding flows (pilot, source_organisation, pot, amount_gbp, "
            "financial_year, outcome).",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")
    ] = False,
    errors_csv: Annotated[
        Path | None,
        typer.Option("--errors-csv", help="Write every refused row to this CSV file."),
    ] = None,
) -> None:
    """Import funding flows; all or nothing: one refused row and nothing is written."""
    from pfpp_tui.cli.import_report import failures_in_one_line, report, summary_line

    with failures_in_one_line():
        from pfpp_tui.importers.funding_csv import parse_funding
        from pfpp_tui.store.imports.funding_import import import_funding

        parsed = parse_funding(file.read_bytes(), str(file))
        db = open_db_from_context(ctx)
        try:
            plan = import_funding(db, parsed, dry_run=dry_run)
        finally:
            db.dispose()
    done = not dry_run and not plan.errors
    summary = summary_line(
        plan.file, plan.added, plan.updated, plan.unchanged, plan.refused, done=done
    )
    report(
        [summary], plan.errors, errors_csv, refused=bool(plan.errors), dry_run=dry_run, what="rows"
    )


report_app.command("coverage")(coverage_command)
report_app.command("patterns")(patterns_command)
report_app.command("funding")(funding_command)
import_app.command("funding")(import_funding_command)


def register(app: typer.Typer) -> None:
    """The commands attached themselves on import; nothing to add at the top level."""
    del app
