"""CSV contact files: Google Contacts (current and older layouts), Outlook, any spreadsheet.

Owns reading CSV text into records: the delimiter is sniffed from the header line (``,`` ``;``
or tab, whichever occurs most outside quotes, as a European Excel writes ``;``); LF, CRLF and
lone CR line ends; quoted cells spanning lines; blank lines skipped; a title row above the
header tolerated. Which column means what is ``importers.columns``' alias table.

Line numbers are physical: the record's first line, the header line being 1 in a plain file.
Malformed CSV (an unterminated quote, a cell over ``base.MAX_CELL``, 128 KiB) is refused at the
record where it starts and reading stops there -- the file is refused as a whole anyway. So is a
header naming one field's column twice (``columns.repeated_header``): which column would win is
a guess, so the file is refused at the header line before any row is read.
"""

from __future__ import annotations

import csv
import io

from pfpp_tui.importers.base import MAX_CELL, ContactRecord, RowError
from pfpp_tui.importers.columns import RowReader, map_header, repeated_header
from pfpp_tui.importers.csv_plain import parse_plain_csv

# The csv module's limit is process-wide; it is its default already, set here to say so.
csv.field_size_limit(MAX_CELL)

_DELIMITERS = (",", ";", "\t")
# Rows looked at for a header before giving up (title rows above the header are common).
HEADER_SEARCH_ROWS = 10


def sniff_delimiter(text: str) -> str:
    """The delimiter occurring most outside quotes in the first non-blank line."""
    for line in text[:65536].splitlines():
        if line.strip():
            break
    else:
        return ","
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "end of data" in message:
        return "unterminated quoted cell (a quote is opened and never closed)"
    if "field limit" in message:
        return f"a cell is larger than {MAX_CELL // 1024} KiB"
    return f"malformed CSV: {message}"


def parse_csv(text: str, file: str) -> tuple[list[ContactRecord], list[RowError]]:
    records: list[ContactRecord] = []
    errors: list[RowError] = []
    if not text.strip():
        return records, [RowError(file, 1, "file", "empty file")]
    delimiter = sniff_delimiter(text)
    plain = parse_plain_csv(text, file, delimiter)
    if plain is not None:
        return plain
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    reader: RowReader | None = None
    header_line = 0
    first_line = 0
    searched = 0
    data_rows = 0
    while True:
        start = rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(file, start, "row", _csv_problem(exc)))
            break
        if not row or not "".join(row).strip():
            continue
        if reader is None:
            first_line = first_line or start
            candidate = map_header(row)
            if candidate.recognised:
                if (problem := repeated_header(row, candidate)) is not None:
                    errors.append(RowError(file, start, "header", problem))
                    break
                reader, header_line = RowReader(candidate, file), start
                continue
            searched += 1
            if searched >= HEADER_SEARCH_ROWS:
                break
            continue
        data_rows += 1
        result = reader.read(row, start)
        if isinstance(result, ContactRecord):
            records.append(result)
        else:
            errors.extend(result)
    if reader is None:
        if not errors:
            errors.append(
                RowError(
                    file,
                    first_line or 1,
                    "header",
                    "no header row naming a name or e-mail column (e.g. Name, E-mail)",
                )
            )
    elif data_rows == 0 and not errors:
        errors.append(RowError(file, header_line, "file", "a header but no rows"))
    return records, errors
