"""``pfpp import contacts``: bulk contact import from CSV, XLSX and vCard files.

Owns the command's contract -- arguments, the per-file summary on stdout, ``FILE:LINE: field:
problem`` errors on stderr (the first 20, then a count) and in ``--errors-csv`` (all of them),
and the exit code: 0 when everything was imported, 1 when anything was refused (then nothing is
written), 2 for a usage error. Parsing is ``pfpp_tui.importers``, meaning and writing are
``pfpp_tui.store.contact_import``; both are imported lazily so ``--help`` stays instant. Never
prints a traceback.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfpp_tui.errors import PfppError

if TYPE_CHECKING:
    from pfpp_tui.importers.base import ParsedFile, RowError
    from pfpp_tui.store.contact_import import ImportPlan

import_app = typer.Typer(
    help="Import data from other tools (contacts from Outlook, Google, Excel, phones).",
    no_args_is_help=True,
)

ERRORS_SHOWN = 20


class FormatChoice(StrEnum):
    AUTO = "auto"
    CSV = "csv"
    XLSX = "xlsx"
    VCARD = "vcard"


class ConflictChoice(StrEnum):
    MERGE = "merge"
    SKIP = "skip"
    REPLACE = "replace"


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A Rich spinner on stderr, only when stderr is a terminal (never in pipes or tests)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        console=Console(stderr=True),
        transient=True,
    )
    with progress:
        yield progress


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import builds its rows.

    A 100,000-row import allocates millions of strings and tuples and frees almost none; each
    allocation burst would trigger a collection that walks every live object again (about a
    third of the parse time). Reference counting still frees everything; cycles made meanwhile
    are collected later. Before switching back on, everything alive is moved to the oldest
    generation (``freeze`` then ``unfreeze``), so the first collection does not walk all of it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _write_errors_csv(path: Path, errors: Sequence[RowError]) -> None:
    """Written like an export (0600, never half a file): each row quotes the refused value."""
    from pfpp_tui.exporters.atomic import atomic_output

    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["file", "line", "field", "problem"])
    writer.writerows([e.file, e.line, e.field, e.problem] for e in errors)
    with atomic_output(path) as stream:
        stream.write(text.getvalue().encode("utf-8"))


def _report(plan: ImportPlan, errors_csv: Path | None) -> None:
    for s in plan.summaries:
        typer.echo(
            f"{s.file}: {s.added} added, {s.updated} updated, {s.unchanged} unchanged, "
            f"{s.refused} refused"
        )
    if errors_csv is not None:
        try:
            _write_errors_csv(errors_csv, plan.errors)
        except OSError as exc:
            typer.echo(f"pfpp: cannot write {errors_csv}: {exc.strerror}", err=True)
    for error in plan.errors[:ERRORS_SHOWN]:
        typer.echo(str(error), err=True)
    count = len(plan.errors)
    if count > ERRORS_SHOWN:
        where = f" (all in {errors_csv})" if errors_csv else " (use --errors-csv for all)"
        typer.echo(f"... {count - ERRORS_SHOWN} more; {count} errors in total{where}", err=True)
    elif count:
        typer.echo(f"{count} error{'s' if count != 1 else ''}", err=True)


def _parse_all(
    files: Sequence[Path],
    fmt: FormatChoice,
    encoding: str | None,
    sheet: str | None,
    progress: Any,
) -> list[ParsedFile]:
    from pfpp_tui.importers.base import ImportFormat
    from pfpp_tui.importers.reader import read_contacts_file

    parsed: list[ParsedFile] = []
    task = progress.add_task("Reading", total=len(files)) if progress is not None else None
    for path in files:
        if progress is not None:
            progress.update(task, description=f"Reading {path.name}")
        parsed.append(
            read_contacts_file(path, format=ImportFormat(fmt.value), encoding=encoding, sheet=sheet)
        )
        if progress is not None:
            progress.advance(task)
    return parsed


def _phase_reporter(progress: Any) -> Callable[[str], None] | None:
    if progress is None:
        return None
    state: dict[str, Any] = {}

    def report(phase: str) -> None:
        if "task" in state:
            progress.update(state["task"], completed=1)
        state["task"] = progress.add_task(phase, total=1)

    return report


@import_app.command("contacts")
def import_contacts_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="CSV, XLSX or vCard files to import.",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    fmt: Annotated[
        FormatChoice,
        typer.Option("--format", help="File format; auto detects it from the content."),
    ] = FormatChoice.AUTO,
    encoding: Annotated[
        str,
        typer.Option("--encoding", help="Text encoding (e.g. utf-8, cp1252); auto detects it."),
    ] = "auto",
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would happen; write nothing."),
    ] = False,
    pilot: Annotated[
        str | None,
        typer.Option("--pilot", help="Link every imported contact to this pilot."),
    ] = None,
    on_conflict: Annotated[
        ConflictChoice,
        typer.Option(
            "--on-conflict",
            help="Existing contact: merge fills empty fields, skip leaves it, replace overwrites.",
        ),
    ] = ConflictChoice.MERGE,
    errors_csv: Annotated[
        Path | None,
        typer.Option("--errors-csv", help="Write every refused record to this CSV file."),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX sheet to read (default: the first)."),
    ] = None,
) -> None:
    """Import contacts; all or nothing: one refused record and nothing is written."""
    chosen_encoding: str | None = None
    if encoding.strip().lower() != "auto":
        try:
            chosen_encoding = codecs.lookup(encoding.strip()).name
        except LookupError:
            raise typer.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
    try:
        from pfpp_tui.cli.common import open_db_from_context
        from pfpp_tui.errors import NotFoundError
        from pfpp_tui.store.contact_import import OnConflict, import_contacts

        with _no_cyclic_gc(), _progress(sys.stderr.isatty()) as progress:
            parsed = _parse_all(files, fmt, chosen_encoding, sheet, progress)
            db = open_db_from_context(ctx)
            try:
                plan = import_contacts(
                    db,
                    parsed,
                    on_conflict=OnConflict(on_conflict.value),
                    pilot=pilot,
                    dry_run=dry_run,
                    on_phase=_phase_reporter(progress),
                )
            except NotFoundError as exc:
                raise typer.BadParameter(str(exc), param_hint="--pilot") from None
            finally:
                db.dispose()
    except (typer.Exit, typer.BadParameter, PfppError):
        raise
    except KeyboardInterrupt:
        typer.echo("pfpp: interrupted, nothing was written", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:  # the contract: one line, never a traceback
        from pfpp_tui.cli.common import describe_failure

        typer.echo(f"pfpp: import failed, nothing was written: {describe_failure(exc)}", err=True)
        raise typer.Exit(1) from None
    _report(plan, errors_csv)
    if plan.refused:
        typer.echo("pfpp: records refused, nothing was written", err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo("dry run: nothing was written", err=True)
