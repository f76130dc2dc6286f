"""Bad input is refused record by record as ``FILE:LINE: field: problem``, never raised."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pfpp_tui.importers.base import ImportFormat
from pfpp_tui.importers.reader import parse_bytes, read_contacts_file


def errors_of(data: bytes, **kwargs: object) -> list[str]:
    parsed = parse_bytes(data, "in.csv", **kwargs)  # type: ignore[arg-type]
    return [str(error) for error in parsed.errors]


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Name,Email,Notes\n,,hello\n", "in.csv:2: name: neither a name nor an e-mail address"),
        (b"Name,Email\nAda,ada@@x.example\n", "in.csv:2: email: 'ada@@x.example' is not valid"),
        (b"Name,Email\nAda,ada@x.example,extra\n", "in.csv:2: row: 3 cells but the header has 2"),
        (
            b'Name,Email\nAda,ada@x.example\n"Bob,bob@x.example\n',
            "in.csv:3: row: unterminated quoted cell",
        ),
        (b"", "in.csv:1: file: empty file"),
        (b" \r\n\r\n", "in.csv:1: file: empty file"),
        (b"Name,Email\r\n", "in.csv:1: file: a header but no rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "in.csv:1: file: binary or zip file"),
        (bytes(range(256)) * 4, "in.csv:1: file: binary file"),
        (_zip(), "in.csv: not a readable XLSX workbook"),
        (b"foo,bar\n1,2\n", "in.csv:1: header: no header row naming a name or e-mail column"),
        (
            "Name,Email\nRené,r@x.example\nBob\xff,b@x.example\n".encode().replace(
                b"\xc3\xbf", b"\xff"
            ),
            "in.csv:3: encoding: undecodable bytes at offset 32 (not utf-8)",
        ),
        (b"BEGIN:VCARD\nVERSION:3.0\nNOTE:x\nEND:VCARD\n", "in.csv:1: name: neither a name"),
    ],
)
def test_bad_input_is_a_clean_row_error(data: bytes, expected: str) -> None:
    found = errors_of(data)
    assert any(error.startswith(expected) for error in found), found


def test_line_is_where_the_record_starts_after_multiline_cells_and_blank_lines() -> None:
    data = b'Name,Email,Notes\r\nAda,ada@x.example,"one\r\ntwo\r\nthree"\r\n\r\n\r\nBob,bad@,\r\n'
    assert errors_of(data) == [
        "in.csv:7: email: 'bad@' is not valid: There must be something after the @-sign."
    ]


def test_cr_only_line_ends_count_lines() -> None:
    assert errors_of(b"Name,Email\rAda,ada@x.example\rBob,nope\r") == [
        "in.csv:3: email: 'nope' is not valid: An email address must have an @-sign."
    ]


def test_a_50_mb_single_cell_is_refused_quickly() -> None:
    data = b'Name,Email,Notes\nAda,ada@x.example,"' + b"x" * 50_000_000 + b'"\n'
    assert errors_of(data) == ["in.csv:2: row: a cell is larger than 128 KiB"]


def test_forced_encoding_failure_names_the_line() -> None:
    data = b"Name,Email\nAda,ada@x.example\nB\xe9a,b@x.example\n"
    assert errors_of(data, encoding="utf-8") == [
        "in.csv:3: encoding: undecodable bytes at offset 30 (not utf-8)"
    ]
    assert errors_of(data, encoding="cp1252") == []


def test_forced_format_mismatches_are_errors() -> None:
    assert errors_of(b"Name,Email\nA,a@x.example\n", format=ImportFormat.VCARD) == [
        "in.csv:1: file: no vCard (BEGIN:VCARD) found"
    ]
    assert errors_of(b"Name,Email\nA,a@x.example\n", format=ImportFormat.XLSX) == [
        "in.csv:1: file: binary or zip file, not a contact file"
    ]


def test_truncated_workbook(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "data" / "import" / "title_row.xlsx"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(source.read_bytes()[:2000])
    parsed = read_contacts_file(broken)
    assert [e.field for e in parsed.errors] == ["file"]
    assert parsed.records == []


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    parsed = read_contacts_file(tmp_path / "missing.csv")
    assert [e.field for e in parsed.errors] == ["file"]


def test_too_long_values_are_refused_not_cut() -> None:
    data = ("Name,Email,Company\nAda " + "L" * 130 + ",ada@x.example," + "O" * 201 + "\n").encode()
    assert errors_of(data) == [
        "in.csv:2: last_name: longer than 120 characters",
        "in.csv:2: organisation: longer than 200 characters",
    ]
