"""Partnership health commands: agreements, the principles report, assessments in and out.

Owns ``pfpp agreement show``, ``pfpp report agreement`` / ``pfpp report principles``,
``pfpp import assessments`` and ``pfpp export assessments``. The ``report`` and ``import`` Typer
apps belong to their own modules; this one attaches its commands to them in ``register`` (which
``cli.main`` calls after registering those modules). ``export`` is one command taking an entity,
so ``register`` wraps it: the entity ``assessments`` comes here, every other goes on unchanged.

Same contract as the other imports and exports: a dry run prints exactly what the real run
prints and leaves the database byte-for-byte; refusals are ``FILE:LINE: field: problem`` on
stderr (and in ``--errors-csv``), and then nothing is written (exit 1); files are written
through ``atomic_output`` (mode 0600, never half a file); a usage error is exit 2. Never
prints a traceback. Does not import Textual.
"""

from __future__ import annotations

import functools
import io
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.cli.safe_output import echo, write_bytes
from pfpp_tui.errors import cannot_write

# Store and exporter modules are imported inside the commands: ``pfpp`` imports every command
# module at start-up, and the other commands (``pfpp import`` first) would pay ~70 ms for them.

agreement_app = typer.Typer(help="Pre-partnership agreements, one per pilot.", no_args_is_help=True)


OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="File to write (default: stdout).", show_default=False),
]
PilotArgument = Annotated[
    str, typer.Argument(help="The pilot place (its name or a unique start of it).")
]


def register(app: typer.Typer) -> None:
    """Attach the commands; call after the report, import and export modules registered."""
    from pfpp_tui.cli.import_cmd import import_app
    from pfpp_tui.cli.report_cmd import report_app

    app.add_typer(agreement_app, name="agreement")
    report_app.command("agreement")(report_agreement_command)
    report_app.command("principles")(report_principles_command)
    import_app.command("assessments")(import_assessments_command)
    for info in app.registered_commands:
        if info.name == "export" and info.callback is not None:
            info.callback = _with_assessments(info.callback)


def _emit(data: bytes, output: Path | None, what: str) -> None:
    from pfpp_tui.exporters.atomic import atomic_output

    if output is None:
        sys.stdout.flush()
        write_bytes(data)
        return
    try:
        with atomic_output(output) as stream:
            stream.write(data)
    except OSError as exc:
        typer.echo(f"pfpp: {cannot_write(exc.filename or output, exc)}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {what} to {output}", err=True)


# --- agreements --------------------------------------------------------------------------------


@agreement_app.command("show")
def agreement_show_command(
    ctx: typer.Context,
    pilot: PilotArgument,
    version: Annotated[
        int | None,
        typer.Option("--version", "-v", help="Show this earlier version instead of today's."),
    ] = None,
    versions: Annotated[
        bool, typer.Option("--versions", help="List the saved versions, newest first.")
    ] = False,
) -> None:
    """A pilot's agreement: status, review date, partners, governance, data sharing."""
    from pfpp_tui.exporters.agreement_markdown import long_date, review_line, status_line
    from pfpp_tui.store.history.agreement_history import agreement_versions
    from pfpp_tui.store.work.partnership import get_agreement

    db = open_db_from_context(ctx)
    try:
        agreement = get_agreement(db, pilot)
        history = agreement_versions(db, agreement.pilot_id) if versions or version else []
    finally:
        db.dispose()
    today = date.today()
    if versions:
        if not history:
            echo(f"{agreement.pilot}: no agreement yet")
        for v in history:
            when = f"{v.saved_at:%Y-%m-%d %H:%M} UTC by {v.saved_by}" if v.saved_at else "first"
            changed = f" ({', '.join(v.changed)})" if v.changed else ""
            echo(f"v{v.number}  {when}  {status_line(v.agreement)}{changed}", single_line=True)
        return
    if version is not None:
        chosen = [v for v in history if v.number == version]
        if not chosen:
            known = ", ".join(str(v.number) for v in history) or "none"
            typer.echo(
                f"pfpp: {agreement.pilot} has no version {version} (versions: {known})", err=True
            )
            raise typer.Exit(1)
        agreement = chosen[0].agreement
    if agreement.id is None:
        echo(f"{agreement.pilot}: no agreement yet (edit it in the app: a on the pilot)")
        return
    lines = [
        f"{agreement.pilot} — pre-partnership agreement (version {agreement.version})",
        f"Status:        {status_line(agreement)}",
        f"Review date:   {review_line(agreement, today).replace('**', '')}",
        f"Board:         {agreement.governance_board or '-'}",
        f"Chair:         {agreement.governance_chair or '-'}",
        f"Meets:         {agreement.meeting_frequency or '-'}",
        "",
        f"Purpose:       {agreement.purpose or '-'}",
        f"Data sharing:  {agreement.data_sharing or '-'}",
        f"Escalation:    {agreement.escalation_route or '-'}",
        "",
        f"Partners ({len(agreement.partners)}):",
    ]
    for p in agreement.partners:
        lead = f" — lead {p.lead_contact}" if p.lead_contact else ""
        lines.append(f"  - {p.organisation}: {p.role or 'no role set'}{lead}")
        if p.commitments:
            lines.append(f"      commits to: {p.commitments}")
    if agreement.agreed_on:
        lines.append(f"\nAgreed on {long_date(agreement.agreed_on)}")
    echo("\n".join(lines))


def report_agreement_command(
    ctx: typer.Context, pilot: PilotArgument, output: OutputOption = None
) -> None:
    """The pilot's agreement as a Markdown document ready to circulate for sign-off."""
    from pfpp_tui.exporters.agreement_markdown import render_agreement
    from pfpp_tui.store.work.partnership import get_agreement

    db = open_db_from_context(ctx)
    try:
        agreement = get_agreement(db, pilot)
    finally:
        db.dispose()
    text = render_agreement(agreement, today=date.today())
    _emit(text.encode("utf-8"), output, f"the {agreement.pilot} agreement")


def report_principles_command(ctx: typer.Context, output: OutputOption = None) -> None:
    """Open barriers by principle and by pilot (and open actions by principle), in Markdown."""
    from pfpp_tui.exporters.agreement_markdown import render_principles
    from pfpp_tui.store.insight.principle_tags import principle_counts

    db = open_db_from_context(ctx)
    try:
        counts = principle_counts(db)
    finally:
        db.dispose()
    _emit(render_principles(counts).encode("utf-8"), output, "the principles report")


# --- assessments -------------------------------------------------------------------------------


def import_assessments_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with pilot, assessed_on, assessor_email/assessor_name and the four "
            "ratings (1-5) with notes, as `pfpp export assessments` writes it.",
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
        typer.Option("--errors-csv", help="Write every refused record to this CSV file."),
    ] = None,
) -> None:
    """Import dated partnership assessments; all or nothing: one refusal and nothing is written."""
    from pfpp_tui.cli.import_report import failures_in_one_line, report, summary_line
    from pfpp_tui.importers.assessments_csv import read_assessments
    from pfpp_tui.store.imports.assessment_import import import_assessments

    with failures_in_one_line():
        parsed = read_assessments(file)
        db = open_db_from_context(ctx)
        try:
            result = import_assessments(db, parsed, dry_run=dry_run)
        finally:
            db.dispose()
    done = not dry_run and not result.errors
    summary = summary_line(
        file, result.added, result.updated, result.unchanged, result.refused, done=done
    )
    report([summary], result.errors, errors_csv, refused=bool(result.errors), dry_run=dry_run)


def export_assessments(
    ctx: typer.Context,
    format_name: str | None,
    output: Path | None,
    pilot: str | None,
    filter_text: str | None,
    raw: bool,
) -> None:
    """``pfpp export assessments [--format csv|json] [-o FILE] [--pilot NAME]``."""
    from pfpp_tui.exporters.assessments import AssessmentFormat, write_assessments
    from pfpp_tui.exporters.atomic import atomic_output
    from pfpp_tui.store.insight.partnership_health import list_assessments
    from pfpp_tui.store.work.partnership import pilot_id_named

    try:
        fmt = AssessmentFormat((format_name or "csv").strip().lower())
    except ValueError:
        typer.echo(
            f"pfpp export: assessments can be exported as csv or json, not {format_name!r}",
            err=True,
        )
        raise typer.Exit(2) from None
    if filter_text:
        typer.echo(
            "pfpp export: assessments cannot be filtered with --filter (use --pilot)", err=True
        )
        raise typer.Exit(2)
    db = open_db_from_context(ctx)
    try:
        pilot_id = pilot_id_named(db, pilot) if pilot else None
        items = list_assessments(db, pilot_id=pilot_id)
    finally:
        db.dispose()
    buffer = io.BytesIO()
    write_assessments(items, buffer, fmt, raw=raw)
    if output is None:
        sys.stdout.flush()
        write_bytes(buffer.getvalue())
    else:
        try:
            with atomic_output(output) as stream:
                stream.write(buffer.getvalue())
        except OSError as exc:
            typer.echo(
                f"pfpp export: {cannot_write(exc.filename or output, exc)}",
                err=True,
            )
            raise typer.Exit(1) from None
    where = str(output) if output else "stdout"
    typer.echo(f"Exported {len(items)} assessments as {fmt.value} to {where}", err=True)


def _with_assessments(original: Callable[..., Any]) -> Callable[..., Any]:
    """``export``'s callback, sending the entity ``assessments`` to ``export_assessments``."""

    @functools.wraps(original)
    def export(**kwargs: Any) -> Any:
        if str(kwargs.get("entity", "")).strip().lower() == "assessments":
            return export_assessments(
                kwargs["ctx"],
                kwargs.get("format_name"),
                kwargs.get("output"),
                kwargs.get("pilot"),
                kwargs.get("filter_text"),
                bool(kwargs.get("raw")),
            )
        return original(**kwargs)

    return export
