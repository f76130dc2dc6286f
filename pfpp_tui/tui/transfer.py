"""Export and contact import as the TUI runs them: plain functions, called from workers.

Owns: exporting one entity (with the section's filter) to a file through the exporters'
registry and ``atomic_output`` (0600, never half a file; a failure names the user's path, as the
CLI does), and the two steps of a contact import — a dry run that yields the same per-file
summary and ``FILE:LINE: field: problem`` errors as ``pfpp import contacts``, then the real
write, which reports the history batch it wrote so ``ctrl+z`` can undo it. No Textual here, so
each step is testable alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from pfpp_tui.errors import FileWriteError, PfppError, cannot_write, describe_failure
from pfpp_tui.exporters.atomic import atomic_output, take_completed
from pfpp_tui.exporters.base import ExportFormat
from pfpp_tui.exporters.registry import FORMATS
from pfpp_tui.importers.base import ParsedFile
from pfpp_tui.importers.reader import open_contacts_file
from pfpp_tui.models.written_file import WrittenFileKind
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.lock_wait import busy_error, is_locked
from pfpp_tui.store.db.written_files import record_written_file
from pfpp_tui.store.history.undo import new_batch
from pfpp_tui.store.imports.contact_import import ImportPlan, import_contacts
from pfpp_tui.store.listing.export_rows import export_table
from pfpp_tui.store.listing.query import parse_query
from pfpp_tui.words import counted, import_line

ERRORS_SHOWN = 20
SECTION_ENTITIES = {
    "contacts": Entity.CONTACTS, "organisations": Entity.ORGANISATIONS,
    "pilots": Entity.PILOTS, "meetings": Entity.MEETINGS, "actions": Entity.ACTIONS,
    "barriers": Entity.BARRIERS,
}  # fmt: skip
ENTITY_LABELS = {
    Entity.CONTACTS: "people", Entity.ORGANISATIONS: "organisations", Entity.PILOTS: "pilots",
    Entity.MEETINGS: "meetings", Entity.ACTIONS: "actions", Entity.BARRIERS: "barriers",
    Entity.FUNDING: "funding flows",
}  # fmt: skip


def formats_for(entity: Entity) -> list[ExportFormat]:
    return [fmt for fmt, spec in FORMATS.items() if entity in spec.entities]


def default_export_path(entity: Entity, fmt: ExportFormat) -> str:
    return str(Path.cwd() / f"{entity.value}{FORMATS[fmt].extension}")


def export_entity(
    db: Database, entity: Entity, fmt: ExportFormat, path: Path, *, filter_text: str = ""
) -> int:
    """Write ``entity`` rows matching ``filter_text`` to ``path``; return how many.

    Raises ``PfppError`` with one line for the user: ``cannot write PATH: reason`` (never the
    temporary file's name, never a repr) or the database's problem in words.
    """
    spec = FORMATS[fmt]
    target = path.expanduser()
    count = 0

    def counted(rows: Iterator[Any]) -> Iterator[Any]:
        nonlocal count
        for row in rows:
            count += 1
            yield row

    try:
        with db.engine.connect() as conn:
            table = export_table(conn, entity, query=parse_query(filter_text))
            table.rows = counted(table.rows)
            with atomic_output(target) as stream:
                spec.write([table], stream, False)
        take_completed()  # noted here, with what it holds
        record_written_file(
            db, target, WrittenFileKind.EXPORT, f"{ENTITY_LABELS[entity]} as {fmt.value}"
        )
    except OSError as exc:
        raise FileWriteError(cannot_write(target, exc)) from None
    except SQLAlchemyError as exc:
        raise PfppError(f"cannot read {ENTITY_LABELS[entity]}: {describe_failure(exc)}") from None
    return count


def read_import_file(path: Path) -> list[ParsedFile]:
    return [open_contacts_file(path.expanduser())]


def dry_run_import(db: Database, files: list[ParsedFile]) -> ImportPlan:
    return import_contacts(db, files, dry_run=True)


@dataclass(frozen=True, slots=True)
class ImportDone:
    """A finished import: its plan, and the history batch it wrote (None if nothing changed)."""

    plan: ImportPlan
    batch: str | None


def run_import(
    db: Database, files: list[ParsedFile], on_phase: Callable[[str], None] | None = None
) -> ImportDone:
    """Import for real: one transaction (``import_contacts``), all of it under one batch."""
    batch = new_batch()
    try:
        plan = import_contacts(db, files, on_phase=on_phase, batch=batch)
    except SQLAlchemyError as exc:
        if is_locked(exc):  # the import writes on its own connection, not Database.write
            raise busy_error(sqlite_corner.busy_timeout_ms()) from exc  # the dialog: y retries
        raise PfppError(describe_failure(exc)) from None  # the dialog says "Import failed: "
    return ImportDone(plan, batch if plan.writes else None)


def plan_summary(plan: ImportPlan, *, done: bool = False) -> str:
    """The CLI's summary lines, then the first errors and a count."""
    lines = [
        import_line(s.file, s.added, s.updated, s.unchanged, s.refused, done=done)
        for s in plan.summaries
    ]
    if not plan.refused:
        lines.extend(plan.new_records_lines(done=done))
    lines.extend(str(error) for error in plan.errors[:ERRORS_SHOWN])
    count = len(plan.errors)
    if count > ERRORS_SHOWN:
        lines.append(f"... {count - ERRORS_SHOWN} more; {count} errors in total")
    elif count:
        lines.append(counted(count, "error"))
    return "\n".join(lines)
