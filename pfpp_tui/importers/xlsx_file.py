"""XLSX workbooks: the first sheet (or ``--sheet NAME``), header found below any title rows.

Owns reading a workbook with ``openpyxl`` in read-only mode (streaming, values not formulas)
into records via the same alias table as CSV (``importers.columns``). Line numbers are the
sheet's row numbers, so a header below a one-line title is line 2. A file that is not a
readable workbook (a corrupt zip, another zip, a truncated file) is one ``RowError``; openpyxl
raises a zoo of exception types on hostile input, so this module catches them all at its edge.
A header naming one field's column twice is refused at its row, as in CSV
(``columns.repeated_header``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime

from pfpp_tui.importers.base import ContactRecord, RowError
from pfpp_tui.importers.columns import RowReader, map_header, repeated_header
from pfpp_tui.importers.csv_file import HEADER_SEARCH_ROWS


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _rows_to_records(
    rows: Iterable[tuple[object, ...]], file: str
) -> tuple[list[ContactRecord], list[RowError]]:
    records: list[ContactRecord] = []
    errors: list[RowError] = []
    reader: RowReader | None = None
    header_line = first_line = searched = data_rows = 0
    for number, values in enumerate(rows, start=1):
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells or not "".join(cells).strip():
            continue
        if reader is None:
            first_line = first_line or number
            candidate = map_header(cells)
            if candidate.recognised:
                if (problem := repeated_header(cells, candidate)) is not None:
                    errors.append(RowError(file, number, "header", problem))
                    return records, errors
                reader, header_line = RowReader(candidate, file), number
                continue
            searched += 1
            if searched >= HEADER_SEARCH_ROWS:
                break
            continue
        data_rows += 1
        result = reader.read(cells, number)
        if isinstance(result, ContactRecord):
            records.append(result)
        else:
            errors.extend(result)
    if reader is None:
        if first_line == 0:
            errors.append(RowError(file, 1, "file", "empty sheet"))
        else:
            errors.append(
                RowError(
                    file,
                    first_line,
                    "header",
                    "no header row naming a name or e-mail column (e.g. Name, E-mail)",
                )
            )
    elif data_rows == 0:
        errors.append(RowError(file, header_line, "file", "a header but no rows"))
    return records, errors


def parse_xlsx(
    data: bytes, file: str, sheet: str | None = None
) -> tuple[list[ContactRecord], list[RowError]]:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # any failure means "not a workbook"
        return [], [RowError(file, 1, "file", f"not a readable XLSX workbook ({exc})")]
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                names = ", ".join(workbook.sheetnames)
                return [], [RowError(file, 1, "sheet", f"no sheet {sheet!r} (sheets: {names})")]
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        return _rows_to_records(worksheet.iter_rows(values_only=True), file)
    except Exception as exc:  # a corrupt sheet part is bad input, not a bug
        return [], [RowError(file, 1, "file", f"unreadable XLSX sheet ({exc})")]
    finally:
        workbook.close()
