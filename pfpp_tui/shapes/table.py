"""What every list of records is made of: the kinds of record, the kinds of column, a table.

Shared by the store (which builds the rows), the exporters (which write them) and the TUI and
CLI (which name the kinds): plain enums and dataclasses, no database, no formatting. Rows are
tuples of ``str | int | bool | date | datetime | tuple[str, ...] | None`` in column order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Entity(StrEnum):
    """The record kinds a query (and an export) can be about."""

    CONTACTS = "contacts"
    ORGANISATIONS = "organisations"
    PILOTS = "pilots"
    MEETINGS = "meetings"
    ACTIONS = "actions"
    BARRIERS = "barriers"
    FUNDING = "funding"


class ColumnKind(StrEnum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"  # wall-clock time as typed (a meeting's start), no zone
    # An instant in UTC (created_at, updated_at): a datetime, or from SQLite the stored ISO
    # text; use ``utc_datetime`` for a datetime.
    TIMESTAMP = "timestamp"
    LIST = "list"  # tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExportColumn:
    key: str
    kind: ColumnKind = ColumnKind.TEXT
    # A spreadsheet column width in characters: rows stream, so widths cannot be measured.
    width: int = 16

    @property
    def title(self) -> str:
        return self.key.replace("_", " ").capitalize()


@dataclass(slots=True)
class ExportTable:
    """One entity's export: its columns and a one-shot iterator over its rows."""

    entity: Entity
    columns: tuple[ExportColumn, ...]
    rows: Iterator[tuple[Any, ...]]

    @property
    def title(self) -> str:
        return self.entity.value.capitalize()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)


def utc_datetime(value: datetime | str) -> datetime:
    """A TIMESTAMP cell as a datetime (naive when it came from SQLite text; UTC either way)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    return value
