"""Reading one contact file of any supported format: the importers' single entry point.

Owns format detection by content (a zip is an XLSX workbook, text starting ``BEGIN:VCARD`` is
a vCard, any other text is CSV; ``--format`` overrides), and dispatching to the format module.
Known binary files are refused here. Never raises on bad input and never touches the database.
"""

from __future__ import annotations

from pathlib import Path

from pfpp_tui.importers.base import ContactRecord, ImportFormat, ParsedFile, RowError
from pfpp_tui.importers.text import ZIP_MAGIC, DecodedText, decode, looks_binary


def detect_format(data: bytes, text: str | None) -> ImportFormat:
    if data.startswith(ZIP_MAGIC):
        return ImportFormat.XLSX
    if text is not None and text.lstrip()[:11].upper() == "BEGIN:VCARD":
        return ImportFormat.VCARD
    return ImportFormat.CSV


def parse_bytes(
    data: bytes,
    file: str,
    *,
    format: ImportFormat = ImportFormat.AUTO,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """Parse ``data`` read from ``file`` (the name used in error messages)."""
    parsed = ParsedFile(path=Path(file), format=format.value)
    if not data:
        parsed.errors.append(RowError(file, 1, "file", "empty file"))
        return parsed
    if format in (ImportFormat.AUTO, ImportFormat.XLSX) and data.startswith(ZIP_MAGIC):
        from pfpp_tui.importers.xlsx_file import parse_xlsx

        parsed.format = ImportFormat.XLSX.value
        parsed.records, parsed.errors = parse_xlsx(data, file, sheet)
        return parsed
    if format is ImportFormat.XLSX or data.startswith(ZIP_MAGIC) or looks_binary(data):
        parsed.errors.append(RowError(file, 1, "file", "binary or zip file, not a contact file"))
        return parsed
    decoded = decode(data, file, encoding)
    if isinstance(decoded, RowError):
        parsed.errors.append(decoded)
        return parsed
    parsed.encoding = decoded.encoding
    records: list[ContactRecord]
    errors: list[RowError]
    kind = format if format is not ImportFormat.AUTO else detect_format(data, decoded.text)
    parsed.format = kind.value
    if kind is ImportFormat.VCARD:
        from pfpp_tui.importers.vcard import parse_vcard

        records, errors = parse_vcard(decoded.text, file)
    else:
        from pfpp_tui.importers.csv_file import parse_csv

        records, errors = parse_csv(decoded.text, file)
    parsed.records, parsed.errors = records, errors
    return parsed


def read_contacts_file(
    path: Path,
    *,
    format: ImportFormat = ImportFormat.AUTO,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """Read and parse the file at ``path``; an unreadable file is a ``RowError`` too."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        parsed = ParsedFile(path=path, format=format.value)
        parsed.errors.append(RowError(str(path), 1, "file", f"cannot read: {exc.strerror}"))
        return parsed
    return parse_bytes(data, str(path), format=format, encoding=encoding, sheet=sheet)


def open_contacts_file(
    path: Path,
    *,
    format: ImportFormat = ImportFormat.AUTO,
    encoding: str | None = None,
    sheet: str | None = None,
) -> ParsedFile:
    """As ``read_contacts_file``, but a big UTF-8 CSV file or XLSX workbook is streamed: its
    records are read a block at a time as the import iterates ``ParsedFile.blocks``
    (``importers.csv_stream``, ``xlsx_file.xlsx_blocks``), so a million-row file is never in
    memory. Everything else (vCard, other encodings, small files) is read whole."""
    from pfpp_tui.importers.csv_stream import STREAM_FROM_BYTES, open_streamed

    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(ZIP_MAGIC))
    except OSError:
        size, head = 0, b""
    streamed: ParsedFile | None = None
    if size < STREAM_FROM_BYTES:
        pass
    elif head == ZIP_MAGIC and format in (ImportFormat.AUTO, ImportFormat.XLSX):
        from pfpp_tui.importers.xlsx_file import open_streamed_xlsx

        streamed = open_streamed_xlsx(path, sheet)
    elif encoding is None and format in (ImportFormat.AUTO, ImportFormat.CSV):
        streamed = open_streamed(path, csv_only=format is ImportFormat.CSV)
    if streamed is not None:
        return streamed
    return read_contacts_file(path, format=format, encoding=encoding, sheet=sheet)


__all__ = [
    "DecodedText",
    "detect_format",
    "open_contacts_file",
    "parse_bytes",
    "read_contacts_file",
]
