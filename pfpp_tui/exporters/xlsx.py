"""XLSX export: one sheet per entity, streamed with openpyxl's write-only workbook.

Owns: sheet layout (bold, frozen header row; column widths from the column definitions, since
streamed rows cannot be measured), native dates and numbers, and the rule that **no cell is ever
a formula**: a text value starting with ``=`` is written as a string cell, never as ``f``.
Write-only mode writes rows straight to disk and openpyxl stores text inline, so memory stays
flat however many rows there are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pfpp_tui.exporters.base import LIST_SEPARATOR
from pfpp_tui.shapes.table import ColumnKind, ExportTable, utc_datetime

MAX_CELL_TEXT = 32_767  # Excel's limit for one cell
_HEADER_FONT = Font(bold=True)


def write(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.key)
            cell.font = _HEADER_FONT
            header.append(cell)
        sheet.append(header)
        convert = _row_converter(table, sheet)
        for row in table.rows:
            sheet.append(convert(row))
    workbook.save(out)


def _row_converter(table: ExportTable, sheet: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
    converters: list[Callable[[Any], Any] | None] = []
    for column in table.columns:
        if column.kind is ColumnKind.TEXT:
            converters.append(lambda value: _text_cell(sheet, value))
        elif column.kind is ColumnKind.LIST:
            converters.append(lambda value: _text_cell(sheet, LIST_SEPARATOR.join(value)))
        elif column.kind is ColumnKind.DATETIME:
            converters.append(_naive)
        elif column.kind is ColumnKind.TIMESTAMP:
            converters.append(lambda value: _naive(utc_datetime(value)))
        else:
            converters.append(None)
    pairs = list(enumerate(converters))

    def convert(row: tuple[Any, ...]) -> list[Any]:
        cells = list(row)
        for index, fix in pairs:
            value = cells[index]
            if fix is not None and value is not None:
                cells[index] = fix(value)
        return cells

    return convert


def _text_cell(sheet: Any, value: str) -> Any:
    """Plain text stays a plain value; text openpyxl would take for a formula (or an error code
    like ``#N/A``) gets an explicit string cell.
    """
    if not value:
        return None
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        value = value[:MAX_CELL_TEXT]
    if value.startswith("=") or value in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _naive(value: datetime) -> datetime:
    """Excel has no time zones: stored timestamps are UTC, so drop the zone after converting."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
