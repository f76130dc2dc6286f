"""A header naming a read column twice, and an over-long vCard value, are refused at their line."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from pfpp_tui.importers.base import MAX_CELL
from pfpp_tui.importers.csv_file import parse_csv
from pfpp_tui.importers.csv_plain import parse_plain_csv
from pfpp_tui.importers.reader import parse_bytes


def outcome(data: bytes, file: str = "in.csv") -> tuple[int, list[str]]:
    parsed = parse_bytes(data, file)
    return len(parsed.records), [str(error) for error in parsed.errors]


# --- repeated headers ---------------------------------------------------------------------------

DUP = "First Name,Last Name,E-mail 1 - Value,Last Name\nAsha,Patel,asha@example.org,Smith\n"


@pytest.mark.parametrize(
    "text",
    [
        DUP,  # plain: the fast path declines, the general path refuses
        DUP.replace("Asha", '"Asha"'),  # quoted: the general path only
        DUP.replace(",", ";"),  # another delimiter
    ],
)
def test_a_repeated_field_header_is_refused_at_the_header(text: str) -> None:
    records, errors = parse_csv(text, "in.csv")
    assert (records, [str(e) for e in errors]) == (
        [],
        ["in.csv:1: header: 'Last Name' appears twice"],
    )
    assert outcome(text.encode()) == (0, ["in.csv:1: header: 'Last Name' appears twice"])


def test_the_plain_fast_path_declines_a_repeated_field_header() -> None:
    assert parse_plain_csv(DUP, "in.csv", ",") is None


def test_repeats_are_compared_normalised_counted_and_found_below_a_title_row() -> None:
    text = "My contacts\nName,E-mail,email,EMAIL\nAda,a@x.example,b@x.example,c@x.example\n"
    assert outcome(text.encode()) == (0, ["in.csv:2: header: 'E-mail' appears 3 times"])


@pytest.mark.parametrize(
    "header",
    [
        "Name,Email,Extra,Extra",  # no field is read from it
        "Name,Email,Business Fax,Business Fax",  # fax columns are ignored
        "Name,Email,Job Title,Title,Title",  # "Title" is the honorific beside a "Job Title"
        "Name,Email,Last Name,Surname",  # two aliases of one field: alias order decides
    ],
)
def test_a_repeated_header_no_field_is_read_from_is_harmless(header: str) -> None:
    width = header.count(",") + 1
    row = ",".join(["Ada Lovelace", "ada@x.example", *(["v"] * (width - 2))])
    assert outcome(f"{header}\n{row}\n".encode()) == (1, [])


def test_a_repeated_field_header_in_a_workbook_is_refused_at_its_row() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Contacts export"])
    sheet.append(["First Name", "Last Name", "Email", "Last Name"])
    sheet.append(["Asha", "Patel", "asha@example.org", "Smith"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert outcome(buffer.getvalue(), "in.xlsx") == (
        0,
        ["in.xlsx:2: header: 'Last Name' appears twice"],
    )


# --- over-long vCard values ---------------------------------------------------------------------


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD", ""])


def test_the_vcard_limit_is_the_csv_field_limit() -> None:
    assert MAX_CELL == csv.field_size_limit() == 128 * 1024


def test_a_vcard_note_over_the_cell_limit_is_refused_at_its_line() -> None:
    text = card("FN:Ada Lovelace", "EMAIL:ada@x.example") + card(
        "FN:Bob Smith", "EMAIL:bob@x.example", "NOTE:" + "x" * (MAX_CELL + 1)
    )
    assert outcome(text.encode(), "in.vcf") == (
        1,
        ["in.vcf:10: note: a value is larger than 128 KiB"],
    )


def test_a_folded_vcard_note_is_measured_whole() -> None:
    folded = "\r\n ".join(["NOTE:" + "x" * 70] * (MAX_CELL // 70 + 2))
    text = card("FN:Ada Lovelace", folded)
    assert outcome(text.encode(), "in.vcf") == (
        0,
        ["in.vcf:4: note: a value is larger than 128 KiB"],
    )


def test_values_up_to_the_limit_and_skipped_blobs_are_read() -> None:
    qp = "=C3=A9" * (MAX_CELL // 2)  # 393,216 characters encoded, 65,536 decoded
    text = (
        card("FN:Ada Lovelace", "NOTE:" + "x" * MAX_CELL)
        + card("FN:Bob Smith", "PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * (4 * MAX_CELL))
        + card("FN:Cy Twombly", "X-HUGE:" + "y" * (2 * MAX_CELL))
        + card("FN:Di Prince", "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:" + qp)
    )
    parsed = parse_bytes(text.encode(), "in.vcf")
    assert parsed.errors == []
    assert [len(record.notes) for record in parsed.records] == [MAX_CELL, 0, 0, MAX_CELL // 2]
