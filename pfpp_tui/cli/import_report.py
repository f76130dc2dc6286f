"""What every ``pfpp import`` command says about a run, and how it fails: said once, here.

Owns the import contract shared by ``import contacts``, ``import funding`` and ``import
assessments``: the ``FILE: N added, N updated, N unchanged, N refused`` lines on stdout;
``FILE:LINE: field: problem`` errors on stderr (the first ``ERRORS_SHOWN``, then a count) and
all of them in ``--errors-csv`` (written like an export: 0600, never half a file); exit 1 with
"nothing was written" when anything was refused; the dry-run line; and one line instead of a
traceback when the run is interrupted (exit 130) or fails unexpectedly (exit 1).

``cli.import_cmd`` imports this at its top and ``pfpp import contacts`` start-up is
benchmarked, so only the standard library and Typer are imported at module level here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pfpp_tui.errors import PfppError, cannot_write
from pfpp_tui.words import counted, import_line

if TYPE_CHECKING:
    from pfpp_tui.importers.base import RowError

ERRORS_SHOWN = 20


def summary_line(
    file: object, added: int, updated: int, unchanged: int, refused: int, *, done: bool
) -> str:
    """``done`` only when written: a dry run or a refused import says "would add"."""
    return import_line(file, added, updated, unchanged, refused, done=done)


def write_errors_csv(path: Path, errors: Sequence[RowError]) -> None:
    """Every refused row with its file, line, field and problem (atomic, mode 0600)."""
    from pfpp_tui.exporters.atomic import atomic_output

    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["file", "line", "field", "problem"])
    writer.writerows([e.file, e.line, e.field, e.problem] for e in errors)
    with atomic_output(path) as stream:
        stream.write(text.getvalue().encode("utf-8"))


def report(
    summaries: Iterable[str],
    errors: Sequence[RowError],
    errors_csv: Path | None,
    *,
    refused: bool,
    dry_run: bool,
    what: str = "records",
) -> None:
    """Print the summary lines and errors, write ``--errors-csv``; exit 1 when ``refused``.

    ``what`` names the refused things in the closing line ("records", "rows").
    """
    for line in summaries:
        typer.echo(line)
    if errors_csv is not None:
        try:
            write_errors_csv(errors_csv, errors)
        except OSError as exc:
            typer.echo(f"pfpp: {cannot_write(errors_csv, exc)}", err=True)
    for error in errors[:ERRORS_SHOWN]:
        typer.echo(str(error), err=True)
    count = len(errors)
    if count > ERRORS_SHOWN:
        where = f" (all in {errors_csv})" if errors_csv else " (use --errors-csv for all)"
        typer.echo(f"... {count - ERRORS_SHOWN} more; {count} errors in total{where}", err=True)
    elif count:
        typer.echo(counted(count, "error"), err=True)
    if refused:
        typer.echo(f"pfpp: {what} refused, nothing was written", err=True)
        raise typer.Exit(1)
    if dry_run:
        typer.echo("dry run: nothing was written", err=True)


@contextmanager
def failures_in_one_line() -> Iterator[None]:
    """Around an import's reading and writing: an interruption or an unexpected error is one
    line on stderr (exit 130 / 1), never a traceback; usage errors and ``PfppError`` (which
    ``PfppGroup`` prints) pass through."""
    try:
        yield
    except (typer.Exit, typer.BadParameter, PfppError):
        raise
    except KeyboardInterrupt:
        typer.echo("pfpp: interrupted, nothing was written", err=True)
        raise typer.Exit(130) from None
    except Exception as exc:  # the contract: one line, never a traceback
        from pfpp_tui.errors import describe_failure

        typer.echo(f"pfpp: import failed, nothing was written: {describe_failure(exc)}", err=True)
        raise typer.Exit(1) from None
