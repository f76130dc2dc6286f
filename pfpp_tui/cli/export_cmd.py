"""``pfpp export ENTITY --format FMT``: hand the data over as CSV, XLSX, JSON, Markdown, vCard
or iCalendar.

Owns the command's contract: argument checks (exit 2 with one line for an unknown entity or
format, a format that cannot hold the entity, xlsx to stdout, a malformed ``--filter``), an
unknown ``--pilot`` (exit 1), writing through ``atomic_output`` (mode 0600, never half a file)
or to stdout, and a one-line summary on stderr. Rows come from ``store.listing.export_rows``; bytes
from ``pfpp_tui.exporters``. Never prints a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, cast

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.cli.safe_output import SafeStdout
from pfpp_tui.errors import cannot_write
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.listing.query_parse import FieldTerm, Op, Query, QueryError, parse_query

if TYPE_CHECKING:
    from pfpp_tui.exporters.base import FormatSpec
    from pfpp_tui.shapes.table import ExportTable

# The formats (openpyxl among them) are imported when an export runs, not whenever ``pfpp``
# starts: every other command (``pfpp import`` first) would pay ~0.1 s for them.

ALL = "all"
ENTITY_CHOICES = (*(e.value for e in Entity), ALL)


class ExportUsageError(Exception):
    """Arguments that cannot work together: one line on stderr, exit 2."""


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(
            metavar="ENTITY",
            help=f"What to export: {' | '.join(ENTITY_CHOICES)}.",
            show_default=False,
        ),
    ],
    format_name: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="csv | xlsx | json | md | vcf (contacts) | ics (meetings, actions).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: stdout). For csv with 'all', a directory.",
            show_default=False,
        ),
    ] = None,
    pilot: Annotated[
        str | None,
        typer.Option("--pilot", help="Only records of this pilot place.", show_default=False),
    ] = None,
    filter_text: Annotated[
        str | None,
        typer.Option(
            "--filter",
            help="Query words, as in the app: e.g. 'status:open owner:patel due<7d'.",
            show_default=False,
        ),
    ] = None,
    raw: Annotated[
        bool,
        typer.Option("--raw", help="CSV: no ' before cells a spreadsheet would run as formulas."),
    ] = False,
) -> None:
    """Export records for a spreadsheet, a briefing, an address book or a calendar."""
    try:
        spec, entities = _check_arguments(entity, format_name, output)
        query = parse_query(filter_text or "")
    except (ExportUsageError, QueryError) as exc:
        typer.echo(f"pfpp export: {exc}", err=True)
        raise typer.Exit(2) from None
    db = open_db_from_context(ctx)
    try:
        counts = _run(db.engine, spec, entities, query, pilot, output, raw)
    except QueryError as exc:
        typer.echo(f"pfpp export: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        target = exc.filename or output
        typer.echo(f"pfpp export: {cannot_write(target, exc)}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    where = str(output) if output else "stdout"
    typer.echo(f"Exported {summary} as {spec.format.value} to {where}", err=True)


def _check_arguments(
    entity: str, format_name: str | None, output: Path | None
) -> tuple[FormatSpec, tuple[Entity, ...]]:
    from pfpp_tui.exporters.base import ExportFormat
    from pfpp_tui.exporters.registry import FORMATS

    wanted = entity.strip().lower()
    if wanted not in ENTITY_CHOICES:
        raise ExportUsageError(f"unknown entity {entity!r} (choose: {', '.join(ENTITY_CHOICES)})")
    if not format_name:
        raise ExportUsageError("--format is required (csv, xlsx, json, md, vcf, ics)")
    try:
        spec = FORMATS[ExportFormat(format_name.strip().lower())]
    except ValueError:
        choices = ", ".join(f.value for f in ExportFormat)
        raise ExportUsageError(f"unknown format {format_name!r} (choose: {choices})") from None
    if wanted == ALL:
        entities = tuple(e for e in Entity if e in spec.entities)
    elif Entity(wanted) in spec.entities:
        entities = (Entity(wanted),)
    else:
        holds = ", ".join(sorted(e.value for e in spec.entities))
        raise ExportUsageError(f"{spec.format.value} cannot hold {wanted} (only: {holds})")
    if spec.needs_file and output is None:
        raise ExportUsageError(
            f"{spec.format.value} is a binary file: give -o FILE{spec.extension}"
        )
    if spec.one_table_per_file and len(entities) > 1 and (output is None or output.suffix):
        raise ExportUsageError(
            f"{spec.format.value} holds one table per file: give -o DIRECTORY for 'all' "
            "(or use xlsx, json or md for one file)"
        )
    return spec, entities


def _run(
    engine: Any,
    spec: FormatSpec,
    entities: tuple[Entity, ...],
    query: Query,
    pilot: str | None,
    output: Path | None,
    raw: bool,
) -> dict[str, int]:
    from pfpp_tui.store.directory.workflow_lookup import find_pilot
    from pfpp_tui.store.listing.export_rows import export_table

    counts: dict[str, int] = {}
    with engine.connect() as conn:
        pilot_id = find_pilot(conn, pilot)[0] if pilot else None
        # Build every table first: a filter an entity cannot take fails before any file exists.
        tables = [
            export_table(conn, entity, query=_for_format(spec, entity, query), pilot_id=pilot_id)
            for entity in entities
        ]
        for table in tables:
            table.rows = _counted(table.rows, counts, table.entity.value)
        try:
            if spec.one_table_per_file and len(tables) > 1:
                assert output is not None
                output.mkdir(mode=0o700, parents=True, exist_ok=True)
                for table in tables:
                    _write(spec, [table], output / f"{table.entity.value}{spec.extension}", raw)
            else:
                _write(spec, tables, output, raw)
        finally:
            # A write that fails half-way (a full disk) leaves the row streams suspended, and
            # the error's traceback keeps them alive past this block: close them (and so their
            # cursors) while their connection is open, not later on a closed one.
            for table in tables:
                close = getattr(table.rows, "close", None)
                if close is not None:
                    close()
    return counts


def _for_format(spec: FormatSpec, entity: Entity, query: Query) -> Query:
    """A calendar holds only actions with a due date: leave the rest out (and of the count)."""
    from pfpp_tui.exporters.base import ExportFormat

    if spec.format is ExportFormat.ICS and entity is Entity.ACTIONS:
        return Query((*query.terms, FieldTerm("due", Op.IS, "none", negated=True)))
    return query


def _write(spec: FormatSpec, tables: list[ExportTable], output: Path | None, raw: bool) -> None:
    from pfpp_tui.exporters.atomic import atomic_output

    with ExitStack() as stack:
        stream: BinaryIO
        if output is None:
            sys.stdout.flush()
            # A terminal gets the data terminal-safe; a file (-o) gets it as stored.
            stream = cast(BinaryIO, SafeStdout(sys.stdout.buffer))
        else:
            stream = stack.enter_context(atomic_output(output))
        spec.write(tables, stream, raw)
        stream.flush()


def _counted(rows: Iterator[tuple[Any, ...]], counts: dict[str, int], name: str) -> Iterator[Any]:
    counts[name] = 0
    for row in rows:
        counts[name] += 1
        yield row


__all__ = ["export", "register"]
