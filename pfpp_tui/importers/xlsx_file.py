"""XLSX workbooks: the first sheet (or ``--sheet NAME``), header found below any title rows.

Owns reading a workbook with ``openpyxl`` (read-only, values not formulas) into records via the
same alias table as CSV (``importers.columns``). Line numbers are the sheet's row numbers, so a
header below a one-line title is line 2. A header naming one field's column twice is refused at
its row, as in CSV (``columns.repeated_header``).

Reading stays within bounds whatever the sheet declares. openpyxl's ``iter_rows`` trusts the
sheet's ``<dimension>`` and fills every row and column it names, so a 1.5 KB sheet declaring
``A1:XFD1048576`` would yield a million rows of 16,384 cells. ``sheet_rows`` instead walks only
the ``<row>`` and ``<c>`` elements the file holds (openpyxl's own sheet parser), so the work is
proportional to the file, never to the declared size. At most ``MAX_COLUMNS`` columns are read
(a value further right refuses its row in one line), and at most ``MAX_BLANK_ROWS_BEFORE_HEADER``
blank rows are scanned while looking for the header.

A file that is not a readable workbook (a truncated or foreign zip, a missing or malformed
part) is refused in one line, ``FILE: not a readable XLSX workbook (reason)`` -- a whole-file
``RowError`` (line 0). openpyxl raises a zoo of exception types on hostile input and warns on
stderr about others, so this module catches them all at its edge and silences the warnings.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pfpp_tui.importers.base import BLOCK, ContactRecord, ParsedFile, RowError
from pfpp_tui.importers.columns import RowReader, map_header, repeated_header
from pfpp_tui.importers.csv_file import HEADER_SEARCH_ROWS

# Columns read from a sheet (A..IV, Excel 2003's whole width); real contact sheets use < 60.
MAX_COLUMNS = 256
# Blank rows skipped while looking for the header before the sheet is called header-less.
MAX_BLANK_ROWS_BEFORE_HEADER = 1000
_NO_HEADER = "no header row naming a name or e-mail column (e.g. Name, E-mail)"


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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


def sheet_rows(worksheet: Any) -> Iterator[tuple[int, list[object], int]]:
    """``(row number, values, beyond)`` for each row element the sheet's XML holds.

    ``values`` runs from column A to the last non-empty cell within ``MAX_COLUMNS``; ``beyond``
    is the first column further right holding a value (0 when none). Rows the XML leaves out
    are not produced at all, however large the declared dimension.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = worksheet.parent
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: list[object] = []
            beyond = 0
            for cell in cells:
                value, column = cell["value"], cell["column"]
                if value is None or value == "":
                    continue
                if column > MAX_COLUMNS:
                    beyond = beyond or column
                    continue
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            yield number, values, beyond


def rows_to_records(
    rows: Iterable[tuple[int, list[object], int]], file: str
) -> tuple[list[ContactRecord], list[RowError]]:
    """Records from ``sheet_rows``; stops reading once the header search gives up."""
    errors: list[RowError] = []
    records = [record for block in record_blocks(rows, file, errors) for record in block]
    return records, errors


def record_blocks(
    rows: Iterable[tuple[int, list[object], int]], file: str, errors: list[RowError]
) -> Iterator[list[ContactRecord]]:
    """``rows_to_records`` a block of ``BLOCK`` records at a time, errors appended to ``errors``."""
    records: list[ContactRecord] = []
    reader: RowReader | None = None
    header_line = first_line = searched = blank = data_rows = 0
    for number, values, beyond in rows:
        if len(records) >= BLOCK:
            yield records
            records = []
        if beyond:
            errors.append(
                RowError(
                    file,
                    number,
                    "row",
                    f"a value in column {column_letters(beyond)}, beyond the "
                    f"{MAX_COLUMNS} columns read (A to {column_letters(MAX_COLUMNS)})",
                )
            )
            if reader is None:
                yield records
                return
            data_rows += 1
            continue
        cells = [_cell_text(value) for value in values]
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells or not "".join(cells).strip():
            if reader is None:
                blank += 1
                if blank > MAX_BLANK_ROWS_BEFORE_HEADER:
                    break
            continue
        if reader is None:
            first_line = first_line or number
            candidate = map_header(cells)
            if candidate.recognised:
                if (problem := repeated_header(cells, candidate)) is not None:
                    errors.append(RowError(file, number, "header", problem))
                    yield records
                    return
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
        if first_line:
            errors.append(RowError(file, first_line, "header", _NO_HEADER))
        elif blank > MAX_BLANK_ROWS_BEFORE_HEADER:
            problem = f"no header row in the first {MAX_BLANK_ROWS_BEFORE_HEADER} blank rows"
            errors.append(RowError(file, 1, "header", problem))
        else:
            errors.append(RowError(file, 1, "file", "empty sheet"))
    elif data_rows == 0 and not errors:
        errors.append(RowError(file, header_line, "file", "a header but no rows"))
    yield records


def _reason(exc: BaseException) -> str:
    """An exception as a short one-line reason (openpyxl's can span lines, KeyError quotes)."""
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    text = " ".join(text.split())
    if len(text) > 160:
        text = text[:157] + "..."
    return text or type(exc).__name__


def unreadable(file: str, exc: BaseException) -> RowError:
    return RowError(file, 0, "file", f"not a readable XLSX workbook ({_reason(exc)})")


def parse_xlsx(
    data: bytes | Path, file: str, sheet: str | None = None
) -> tuple[list[ContactRecord], list[RowError]]:
    errors: list[RowError] = []
    records = [record for block in xlsx_blocks(data, file, sheet, errors) for record in block]
    if errors and errors[0].line == 0:
        return [], errors  # not a readable workbook: no records to speak of
    return records, errors


def xlsx_blocks(
    data: bytes | Path, file: str, sheet: str | None, errors: list[RowError]
) -> Iterator[list[ContactRecord]]:
    """The chosen sheet's records a block at a time (openpyxl's read-only mode: the sheet is
    never whole in memory), its errors appended to ``errors``. ``data`` is the workbook's bytes
    or its path."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from openpyxl import load_workbook

            source = io.BytesIO(data) if isinstance(data, bytes) else data
            workbook = load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # any failure means "not a workbook"
            errors.append(unreadable(file, exc))
            return
        try:
            if sheet is not None:
                if sheet not in workbook.sheetnames:
                    names = ", ".join(workbook.sheetnames)
                    errors.append(
                        RowError(file, 1, "sheet", f"no sheet {sheet!r} (sheets: {names})")
                    )
                    return
                worksheet = workbook[sheet]
            elif workbook.worksheets:
                worksheet = workbook.worksheets[0]
            else:
                errors.append(RowError(file, 0, "file", "not a readable XLSX workbook (no sheet)"))
                return
            yield from record_blocks(sheet_rows(worksheet), file, errors)
        except Exception as exc:  # a corrupt sheet part is bad input, not a bug
            errors[:] = [unreadable(file, exc)]  # the whole file, alone
        finally:
            workbook.close()


def open_streamed_xlsx(path: Path, sheet: str | None) -> ParsedFile | None:
    """A ``ParsedFile`` whose records are read from the workbook block by block as it is
    iterated; None when the workbook cannot be opened (the caller reads it whole and says why)."""
    errors: list[RowError] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from openpyxl import load_workbook

            load_workbook(path, read_only=True, data_only=True).close()
        except Exception:
            return None
    parsed = ParsedFile(path=path, format="xlsx", errors=errors)
    file = str(path)
    parsed.source = lambda: xlsx_blocks(path, file, sheet, parsed.errors)
    return parsed
