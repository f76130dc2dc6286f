"""The one small interface every export format speaks, and the cell helpers they share.

Owns: ``ExportFormat``, ``FormatSpec`` (what a format can hold and where it may go) and the
plain-text rendering of a cell. A format module is pure: ``ExportTable`` rows in, bytes out to
a binary stream it does not open or close. It never queries the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, BinaryIO

from pfpp_tui.shapes.table import ColumnKind, Entity, ExportTable

LIST_SEPARATOR = "; "


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    MD = "md"
    VCF = "vcf"
    ICS = "ics"


Writer = Callable[[Sequence[ExportTable], BinaryIO, bool], None]
"""``write(tables, out, raw)``: serialise every table to ``out``; ``raw`` turns off
spreadsheet-injection protection (CSV only)."""


@dataclass(frozen=True, slots=True)
class FormatSpec:
    format: ExportFormat
    extension: str
    write: Writer
    # Entities the format can carry; ``export all`` keeps only these.
    entities: frozenset[Entity] = frozenset(Entity)
    # A binary container (xlsx) must go to a file, never to a terminal.
    needs_file: bool = False
    # One table per file (csv): ``export all`` writes one file per entity into a directory.
    one_table_per_file: bool = False


def iso(value: date | datetime) -> str:
    """ISO 8601: dates as ``2026-01-31``, times to the second (``2026-01-31T09:30:00``)."""
    if isinstance(value, datetime):
        # Slicing plain isoformat() is several times faster than timespec="seconds".
        return value.isoformat()[:19]
    return value.isoformat()


def iso_utc(value: datetime | str) -> str:
    """A UTC instant: ``2026-01-31T09:30:00Z`` (naive values and SQLite text are UTC already)."""
    if isinstance(value, str):
        return value[:10] + "T" + value[11:19] + "Z"
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat()[:19] + "Z"


def plain_text(value: Any, kind: ColumnKind) -> str:
    """One cell as readable text (Markdown, CSV of non-text kinds)."""
    if value is None:
        return ""
    if kind is ColumnKind.LIST:
        return LIST_SEPARATOR.join(value)
    if kind is ColumnKind.BOOL:
        return "yes" if value else "no"
    if kind is ColumnKind.TIMESTAMP:
        return iso_utc(value)
    if isinstance(value, date):
        return iso(value)
    return str(value)


def json_value(value: Any, kind: ColumnKind) -> Any:
    if value is None:
        return None
    if kind is ColumnKind.LIST:
        return list(value)
    if kind is ColumnKind.TIMESTAMP:
        return iso_utc(value)
    if isinstance(value, date):
        return iso(value)
    return value
