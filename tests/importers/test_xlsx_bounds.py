"""Hostile workbooks (issue 17.2): an XLSX is read within bounds and a broken one is one line.

The hostile files are built here: a real openpyxl workbook whose sheet XML is then edited in
the zip. "Quickly" is proven by counting the rows the reader produces and the rows the record
builder consumes, never by timing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.importers import xlsx_file
from pfpp_tui.importers.reader import parse_bytes
from pfpp_tui.store.db.database import open_database

SHEET = "xl/worksheets/sheet1.xml"


def _workbook(*rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _edit(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip with each member passed through ``edit`` (None drops the member)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = edit(name, source.read(name))
            if content is not None:
                target.writestr(name, content)
    return out.getvalue()


def _with_sheet_data(data: bytes, dimension: str, rows_xml: str) -> bytes:
    def edit(name: str, content: bytes) -> bytes:
        if name != SHEET:
            return content
        text = content.decode()
        text = re.sub(r"<dimension ref=\"[^\"]*\"\s*/>", f'<dimension ref="{dimension}"/>', text)
        text = re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>", rows_xml, text, flags=re.S)
        return text.encode()

    return _edit(data, edit)


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _far_corner() -> bytes:
    """1.5 KB-class sheet declaring A1:XFD1048576 with one cell, in the far corner."""
    rows = f'<sheetData><row r="1048576">{_inline("XFD1048576", "x")}</row></sheetData>'
    return _with_sheet_data(_workbook(), "A1:XFD1048576", rows)


def _counted(
    rows: Iterator[tuple[int, list[object], int]], seen: list[int]
) -> Iterator[tuple[int, list[object], int]]:
    for row in rows:
        seen.append(len(row[1]))
        yield row


def _first_sheet(data: bytes) -> object:
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]


def test_the_hostile_file_is_small_and_declares_the_whole_grid() -> None:
    data = _far_corner()
    assert len(data) < 6000
    sheet = _first_sheet(data)
    assert (sheet.max_row, sheet.max_column) == (1048576, 16384)  # type: ignore[attr-defined]


def test_far_corner_cell_is_one_row_read_and_a_one_line_refusal() -> None:
    data = _far_corner()
    produced = list(xlsx_file.sheet_rows(_first_sheet(data)))
    # One row element in the file: one row produced, with no cell materialised beyond the cap.
    assert produced == [(1048576, [], 16384)]
    parsed = parse_bytes(data, "hostile.xlsx")
    assert [str(e) for e in parsed.errors] == [
        "hostile.xlsx:1048576: row: a value in column XFD, beyond the 256 columns read (A to IV)"
    ]
    assert parsed.records == []


def test_contacts_above_a_far_corner_cell_are_read_and_the_corner_row_refused() -> None:
    rows = (
        "<sheetData>"
        f'<row r="1">{_inline("A1", "Name")}{_inline("B1", "Email")}</row>'
        f'<row r="2">{_inline("A2", "Ada Lovelace")}{_inline("B2", "ada@x.example")}</row>'
        f'<row r="1048576">{_inline("C1048576", "x")}{_inline("XFD1048576", "y")}</row>'
        "</sheetData>"
    )
    data = _with_sheet_data(_workbook(), "A1:XFD1048576", rows)
    seen: list[int] = []
    records, errors = xlsx_file.rows_to_records(
        _counted(xlsx_file.sheet_rows(_first_sheet(data)), seen), "in.xlsx"
    )
    assert seen == [2, 2, 3]  # three rows, each no wider than its last value
    assert [(r.first_name, r.last_name) for r in records] == [("Ada", "Lovelace")]
    assert [str(e) for e in errors] == [
        "in.xlsx:1048576: row: a value in column XFD, beyond the 256 columns read (A to IV)"
    ]


def test_blank_rows_before_the_header_are_scanned_up_to_the_cap() -> None:
    blank = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(1, 50_001))
    header = f'<row r="50001">{_inline("A50001", "Email")}</row>'
    data = _with_sheet_data(_workbook(), "A1:A50001", f"<sheetData>{blank}{header}</sheetData>")
    seen: list[int] = []
    records, errors = xlsx_file.rows_to_records(
        _counted(xlsx_file.sheet_rows(_first_sheet(data)), seen), "in.xlsx"
    )
    assert len(seen) == xlsx_file.MAX_BLANK_ROWS_BEFORE_HEADER + 1
    assert records == []
    assert [str(e) for e in errors] == [
        "in.xlsx:1: header: no header row in the first 1000 blank rows"
    ]


def test_a_header_wider_than_the_column_cap_is_refused_at_its_row() -> None:
    header: list[object] = ["Name", "Email", *(f"Extra {n}" for n in range(300))]
    data = _workbook(header, ["Ada Lovelace", "ada@x.example"])
    assert [str(e) for e in parse_bytes(data, "wide.xlsx").errors] == [
        "wide.xlsx:1: row: a value in column IW, beyond the 256 columns read (A to IV)"
    ]


def test_a_full_width_sheet_within_the_cap_still_imports() -> None:
    header: list[object] = ["Name", "Email", *(f"Extra {n}" for n in range(254))]
    parsed = parse_bytes(_workbook(header, ["Ada Lovelace", "ada@x.example"]), "wide.xlsx")
    assert parsed.errors == []
    assert [r.email for r in parsed.records] == ["ada@x.example"]


def _good() -> bytes:
    return _workbook(["Name", "Email"], ["Ada Lovelace", "ada@x.example"])


def _drop(member: str) -> Callable[[str, bytes], bytes | None]:
    return lambda name, content: None if name == member else content


def _break(member: str) -> Callable[[str, bytes], bytes | None]:
    return lambda name, content: content[: len(content) // 2] if name == member else content


CORRUPT: dict[str, Callable[[], bytes]] = {
    "truncated zip": lambda: _good()[: len(_good()) // 2],
    "not a zip": lambda: b"PK\x03\x04" + b"not really a zip" * 40,
    "zip without workbook.xml": lambda: _edit(_good(), _drop("xl/workbook.xml")),
    "zip without content types": lambda: _edit(_good(), _drop("[Content_Types].xml")),
    "zip without the sheet": lambda: _edit(_good(), _drop(SHEET)),
    "bad XML in the workbook": lambda: _edit(_good(), _break("xl/workbook.xml")),
    "bad XML in the sheet": lambda: _edit(_good(), _break(SHEET)),
    "bad XML in the styles": lambda: _edit(_good(), _break("xl/styles.xml")),
}


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_a_corrupt_workbook_is_one_whole_file_error(kind: str) -> None:
    parsed = parse_bytes(CORRUPT[kind](), "broken.xlsx")
    assert parsed.records == []
    assert len(parsed.errors) == 1
    text = str(parsed.errors[0])
    assert re.fullmatch(r"broken\.xlsx: not a readable XLSX workbook \([^\n]+\)", text), text


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_cli_refuses_a_corrupt_workbook_in_exactly_one_line(kind: str, tmp_path: Path) -> None:
    db_file = tmp_path / "pfpp.db"
    open_database(db_file).dispose()
    before = db_file.read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(CORRUPT[kind]())
    result = CliRunner().invoke(app, ["--db", str(db_file), "import", "contacts", str(broken)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{broken}: not a readable XLSX workbook (")
    assert db_file.read_bytes() == before
