"""``pfpp import contacts``: bulk contact import from CSV, XLSX and vCard files.

Owns the command's contract -- arguments, the per-file summary on stdout, ``FILE:LINE: field:
problem`` errors on stderr (the first 20, then a count) and in ``--errors-csv`` (all of them),
and the exit code: 0 when everything was imported, 1 when anything was refused (then nothing is
written), 2 for a usage error. Parsing is ``pfpp_tui.importers``, meaning and writing are
``pfpp_tui.store.imports.contact_import``; both are imported lazily so ``--help`` stays instant.
Never prints a traceback. The reporting half of that contract, shared with the other imports, is
``cli.import_report``.
"""

from __future__ import annotations

import codecs
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfpp_tui.cli.import_report import failures_in_one_line, report, summary_line

if TYPE_CHECKING:
    from pfpp_tui.importers.base import ParsedFile

import_app = typer.Typer(
    help="Import data from other tools (contacts from Outlook, Google, Excel, phones).",
    no_args_is_help=True,
)


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


def _parse_all(
    files: Sequence[Path],
    fmt: FormatChoice,
    encoding: str | None,
    sheet: str | None,
    progress: Any,
) -> list[ParsedFile]:
    from pfpp_tui.importers.base import ImportFormat
    from pfpp_tui.importers.reader import open_contacts_file

    parsed: list[ParsedFile] = []
    task = progress.add_task("Reading", total=len(files)) if progress is not None else None
    for path in files:
        if progress is not None:
            progress.update(task, description=f"Reading {path.name}")
        parsed.append(
            open_contacts_file(path, format=ImportFormat(fmt.value), encoding=encoding, sheet=sheet)
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


def _refuse_unreadable_files(parsed: Sequence[ParsedFile]) -> None:
    """A file that cannot be read at all (line 0: a broken workbook) is one line, exit 1.

    No summary and no count: there are no records to speak of, and the database is not opened.
    """
    whole = [str(error) for file in parsed for error in file.errors if error.line == 0]
    if whole:
        for line in whole:
            typer.echo(line, err=True)
        raise typer.Exit(1)


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
    with failures_in_one_line():
        from pfpp_tui.cli.common import open_db_from_context
        from pfpp_tui.errors import NotFoundError
        from pfpp_tui.store.imports.contact_import import OnConflict, import_contacts

        with _no_cyclic_gc(), _progress(sys.stderr.isatty()) as progress:
            parsed = _parse_all(files, fmt, chosen_encoding, sheet, progress)
            _refuse_unreadable_files(parsed)
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
    done = not dry_run and not plan.refused
    summaries = [
        summary_line(s.file, s.added, s.updated, s.unchanged, s.refused, done=done)
        for s in plan.summaries
    ]
    # stderr, so stdout stays one summary line per file (tools read it); a dry run prints
    # exactly what the real run would.
    if not plan.refused:
        for line in plan.new_records_lines(done=done):
            typer.echo(line, err=True)
    report(summaries, plan.errors, errors_csv, refused=bool(plan.refused), dry_run=dry_run)
