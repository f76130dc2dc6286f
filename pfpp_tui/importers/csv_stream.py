"""Big CSV files read a block of lines at a time, never whole (issue 19: an import streams).

Owns reading a large UTF-8 CSV file from disk in bounded memory, with exactly the records and
errors ``csv_file.parse_csv`` gives for the whole text (a property test holds the two equal):

- whether a file can be streamed (``open_streamed``): UTF-8 (with or without a byte-order mark)
  from end to end, checked by one pass of an incremental decoder over 1 MiB pieces, no NUL
  byte, not a workbook, vCard or known binary. Anything else -- another encoding, a broken
  byte -- is read whole by ``importers.reader``, which says what is wrong where;
- the header is found as the general path finds it (title rows above it, the delimiter sniffed
  from the first 64 KiB); then the data lines come ``BLOCK_LINES`` at a time. A block without a
  quote character goes through the plain fast path (``csv_plain``) under the header's line, its
  line numbers shifted to the file's; any other block goes record by record through the csv
  module, reading on past the block's end when a quoted cell spans lines, so a record is never
  cut in two. Malformed CSV stops the reading at the record where it starts, as for a whole file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path

from pfpp_tui.importers.base import ContactRecord, ParsedFile, RowError
from pfpp_tui.importers.columns import RowReader, map_header, repeated_header
from pfpp_tui.importers.csv_file import HEADER_SEARCH_ROWS, _csv_problem, sniff_delimiter
from pfpp_tui.importers.csv_plain import parse_plain_csv
from pfpp_tui.importers.text import ZIP_MAGIC, _mostly_control, _utf16_without_bom, looks_binary

# Files at least this big are streamed; smaller ones are read whole (the same records).
STREAM_FROM_BYTES = 1 << 20
BLOCK_LINES = 10_000  # data lines per block: a few MB of text and records at most
_PIECE = 1 << 20
_SNIFF_CHARS = 65536
_NO_HEADER = "no header row naming a name or e-mail column (e.g. Name, E-mail)"


def _utf8_throughout(path: Path, encoding: str) -> bool:
    """Whether the whole file decodes as ``encoding`` with no NUL byte (one pass, 1 MiB pieces)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        while piece := handle.read(_PIECE):
            if b"\x00" in piece:
                return False
            try:
                decoder.decode(piece)
            except UnicodeDecodeError:
                return False
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def open_streamed(path: Path, *, csv_only: bool = False) -> ParsedFile | None:
    """A ``ParsedFile`` whose records are read block by block when iterated; None when the file
    is not a plain UTF-8 CSV file (the caller reads it whole)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_PIECE)
    except OSError:
        return None
    if not head or head.startswith(ZIP_MAGIC) or looks_binary(head):
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if _utf16_without_bom(head) is not None:
        return None
    encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    start = head.decode(encoding, errors="replace")
    if not csv_only and start.lstrip()[:11].upper() == "BEGIN:VCARD":
        return None
    if _mostly_control(start[:8192]) or not _utf8_throughout(path, encoding):
        return None
    parsed = ParsedFile(path=path, format="csv", encoding=encoding)
    file = str(path)
    parsed.source = lambda: csv_blocks(path, file, encoding, parsed.errors)
    return parsed


def csv_blocks(
    path: Path, file: str, encoding: str, errors: list[RowError]
) -> Iterator[list[ContactRecord]]:
    """The file's records, a block at a time; its errors are appended to ``errors``."""
    with path.open("r", encoding=encoding, newline="") as handle:
        yield from _blocks(handle, file, errors)


class _Lines:
    """Physical lines (ends kept), counted, the ones taken since ``mark`` remembered."""

    def __init__(self, source: Iterator[str]) -> None:
        self.source = source
        self.taken = 0
        self.recent: list[str] = []
        self.any_text = False

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self.source)
        self.taken += 1
        self.recent.append(line)
        if not self.any_text and line.strip():
            self.any_text = True
        return line


def _blocks(
    handle: Iterator[str], file: str, errors: list[RowError]
) -> Iterator[list[ContactRecord]]:
    first: list[str] = []
    size = 0
    for line in handle:
        first.append(line)
        size += len(line)
        if size >= _SNIFF_CHARS:
            break
    delimiter = sniff_delimiter("".join(first)[:_SNIFF_CHARS])
    lines = _Lines(chain(first, handle))
    del first
    rows = csv.reader(lines, delimiter=delimiter, strict=True)
    reader: RowReader | None = None
    header_text = ""
    header_line = first_line = searched = 0
    while reader is None:
        start = lines.taken + 1
        lines.recent = []
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(file, start, "row", _csv_problem(exc)))
            return
        if not row or not "".join(row).strip():
            continue
        first_line = first_line or start
        candidate = map_header(row)
        if candidate.recognised:
            if (problem := repeated_header(row, candidate)) is not None:
                errors.append(RowError(file, start, "header", problem))
                return
            reader, header_line = RowReader(candidate, file), start
            header_text = "".join(lines.recent)
            break
        searched += 1
        if searched >= HEADER_SEARCH_ROWS:
            break
    if reader is None:
        if not lines.any_text:
            errors.append(RowError(file, 1, "file", "empty file"))
        elif not errors:
            errors.append(RowError(file, first_line or 1, "header", _NO_HEADER))
        return
    source = lines.source  # no need to remember lines any more
    taken = lines.taken
    data_rows = 0
    while True:
        block = list(islice(source, BLOCK_LINES))
        if not block:
            break
        text = "".join(block)
        if '"' not in text:
            plain = parse_plain_csv(header_text + text, file, delimiter, first_line=taken + 1)
            if plain is not None:
                records, found = plain
                errors.extend(found)
                data_rows += 1  # at least one: a plain block of only blank rows is None
                taken += len(block)
                yield records
                continue
        records = []
        counted = _Lines(chain(block, source))
        rows = csv.reader(counted, delimiter=delimiter, strict=True)
        stopped = False
        while counted.taken < len(block):
            start = taken + counted.taken + 1
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as exc:
                errors.append(RowError(file, start, "row", _csv_problem(exc)))
                stopped = True
                break
            counted.recent = []
            if not row or not "".join(row).strip():
                continue
            data_rows += 1
            result = reader.read(row, start)
            if isinstance(result, ContactRecord):
                records.append(result)
            else:
                errors.extend(result)
        taken += counted.taken
        yield records
        if stopped:
            return
    if data_rows == 0 and not errors:
        errors.append(RowError(file, header_line, "file", "a header but no rows"))
