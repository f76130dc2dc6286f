"""Control characters in imported contacts are refused at their line (issue 17.5).

A name holding ``ESC [2J`` (clear screen) or a role holding OSC 52 (write the clipboard) would
act on the terminal of whoever later looks at the contact. Every format refuses such a record
as ``FILE:LINE: field: contains a control character (U+001B)``; notes may hold tabs and line
breaks, nothing else.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from pfpp_tui.importers.assessments_csv import read_assessments
from pfpp_tui.importers.funding_csv import parse_funding
from pfpp_tui.importers.reader import parse_bytes
from pfpp_tui.text_safety import control_character

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;cHduZWQ=\x07"


def errors_of(data: bytes, file: str = "in.csv") -> list[str]:
    return [str(error) for error in parse_bytes(data, file).errors]


def test_csv_name_and_role_with_escapes_are_refused_naming_field_and_line() -> None:
    data = (
        "Name,Email,Role\nAda Lovelace,ada@x.example,Analyst\n"
        f"Bob {CLEAR}Smith,b@x.example,{OSC52}\n"
    )
    assert errors_of(data.encode()) == [
        "in.csv:3: last_name: contains a control character (U+001B)",
        "in.csv:3: role: contains a control character (U+001B)",
    ]


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("\x9b31m", "U+009B"),  # C1 CSI
        ("evil\u202egnp.exe", "U+202E"),  # right-to-left override
        ("a\u2066b", "U+2066"),  # bidi isolate
        ("a\x7fb", "U+007F"),  # DEL
        ("a\x07b", "U+0007"),  # BEL
    ],
)
def test_every_kind_of_control_is_refused_in_a_name(value: str, code: str) -> None:
    data = f"Name,Email\nAda {value},ada@x.example\n".encode()
    assert errors_of(data) == [f"in.csv:2: last_name: contains a control character ({code})"]


def test_a_line_break_in_a_one_line_field_is_refused_but_notes_keep_theirs() -> None:
    data = b'Name,Email,Company,Notes\nAda,ada@x.example,"Two\nlines","one\n\ttwo"\n'
    assert errors_of(data) == ["in.csv:2: organisation: contains a control character (U+000A)"]
    fine = b'Name,Email,Notes\nAda,ada@x.example,"one\r\n\ttwo"\n'
    parsed = parse_bytes(fine, "in.csv")
    assert parsed.errors == [] and parsed.records[0].notes == "one\n\ttwo"


def test_escape_in_notes_is_refused() -> None:
    data = f"Name,Email,Notes\nAda,ada@x.example,see {OSC52}\n".encode()
    assert errors_of(data) == ["in.csv:2: notes: contains a control character (U+001B)"]


def test_plain_csv_fast_path_refuses_the_same() -> None:
    """No quotes: the fast column path would take this file; it must hand it to the checks."""
    data = f"Name,Email\nAda {CLEAR},ada@x.example\n".encode()
    assert errors_of(data) == ["in.csv:2: last_name: contains a control character (U+001B)"]


def test_xlsx_cells_with_c1_and_bidi_controls_are_refused() -> None:
    """XML cannot hold C0 controls (and openpyxl keeps Excel's ``_x001B_`` as text), but C1
    CSI and the bidi overrides are legal XML characters."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Email", "Job title"])
    sheet.append(["Ada \x9b2J", "ada@x.example", "Analyst \u202eexe.txt"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert errors_of(buffer.getvalue(), "in.xlsx") == [
        "in.xlsx:2: last_name: contains a control character (U+009B)",
        "in.xlsx:2: role: contains a control character (U+202E)",
    ]


def test_vcard_with_escapes_is_refused() -> None:
    card = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada {CLEAR}\r\nEMAIL:ada@x.example\r\n"
        f"TITLE:{OSC52}\r\nEND:VCARD\r\n"
    )
    errors = errors_of(card.encode(), "in.vcf")
    assert "in.vcf:1: role: contains a control character (U+001B)" in errors
    assert any(e.startswith("in.vcf:1: ") and "name: contains a control" in e for e in errors)


def test_control_character_rule() -> None:
    assert control_character("plain text, é, 日本") is None
    assert control_character("tab\there") == "U+0009"
    assert control_character("tab\there\nand line\r\n", multi_line=True) is None
    assert control_character("x\x1by", multi_line=True) == "U+001B"
    assert control_character("x\u202dy") == "U+202D"


def test_funding_rows_with_escapes_are_refused() -> None:
    data = (
        "pilot,source,pot,amount_gbp,financial_year,outcome\n"
        f"Luton,Home Office,Safer {CLEAR}Streets,1000,2022-23,ok\n"
        'Luton,Home Office,Safer Streets,1000,2022-23,"two\nlines are fine"\n'
    ).encode()
    parsed = parse_funding(data, "funding.csv")
    assert [str(e) for e in parsed.errors] == [
        "funding.csv:2: pot: contains a control character (U+001B)"
    ]


def test_assessment_rows_with_escapes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "assessments.csv"
    path.write_text(
        "pilot,assessed_on,assessor_name,history_rating,attitudes_rating,vcs_rating,"
        "capacity_rating,history_note\n"
        f"Luton,2024-01-01,Ann {OSC52},3,3,3,3,fine\n",
        encoding="utf-8",
    )
    parsed = read_assessments(path)
    assert [str(e) for e in parsed.errors] == [
        f"{path}:2: assessor_name: contains a control character (U+001B)"
    ]


@pytest.mark.parametrize("multi_line", [False, True])
def test_the_long_text_path_finds_exactly_what_the_short_one_does(multi_line: bool) -> None:
    """Whole files take a byte-level path (``re`` alone scans a 13 MB file in ~0.25 s)."""
    padding = "Zoë Ågren, 日本 <a@x.example>\n" * 400  # non-ASCII, and longer than the cut-over
    for code in (*range(0x00, 0x21), 0x7E, 0x7F, 0x80, 0x9B, 0x9F, 0xA0, 0x202A, 0x202E, 0x2069):
        char = chr(code)
        short = control_character(f"x{char}y", multi_line=multi_line)
        assert control_character(padding + char + "tail", multi_line=multi_line) == (
            control_character(padding, multi_line=multi_line) or short
        ), hex(code)
