"""The plain-CSV fast path gives exactly what the general CSV path gives, or steps aside."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers import csv_file
from pfpp_tui.importers.base import ContactRecord, RowError
from pfpp_tui.importers.csv_plain import parse_plain_csv
from pfpp_tui.importers.fields import fast_email_match, lower_ascii_email_match

Parsed = tuple[list[ContactRecord], list[RowError]]

HEADERS = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Name",
    "Organization Name",
    "Organization Department",
    "Organization Title",
    "Notes",
    "Labels",
    "E-mail 1 - Value",
    "E-mail 2 - Value",
    "Phone 1 - Value",
    "Phone 2 - Value",
    "Email",
    "Department",
    "Company",
    "Categories",
    "Mobile Phone",
    "Business Fax",
    "Whatever",
]
CELLS = [
    "",
    " ",
    "Ada",
    " Ada ",
    "Lovelace",
    "Lovelace, Ada",
    "Ada King Lovelace",
    "ada@x.example",
    " ADA@X.example ",
    "b@y.example ::: c@y.example",
    "not an email",
    "a@b",
    "x@localhost.test",
    "020 7946 0001",
    "02079460001",
    "+44 20 7946 0001",
    "(0121) 496-0000",
    "12",
    "+1 202 555 0143",
    "phone",
    "* myContacts ::: PfPP",
    "* starred",
    "a;b",
    "Department for Education",
    "x" * 121,
    "y" * 201,
    "1" * 61,
    "Notes\twith tab",
    "Zoë Ó Brien",
]


def general(text: str, file: str = "f.csv") -> Parsed:
    """The general (csv-module) path, the fast path switched off."""
    original = getattr(csv_file, "parse_plain_csv")  # noqa: B009 -- swapped out below
    setattr(csv_file, "parse_plain_csv", lambda *args: None)  # noqa: B010
    try:
        return csv_file.parse_csv(text, file)
    finally:
        setattr(csv_file, "parse_plain_csv", original)  # noqa: B010


@st.composite
def plain_csv(draw: st.DrawFn) -> str:
    """Quote-free CSV, mostly well-formed (so the fast path takes it), sometimes not."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    if draw(st.integers(0, 4)):
        header.insert(draw(st.integers(0, len(header))), "E-mail 1 - Value")
    email = header.index("E-mail 1 - Value") if "E-mail 1 - Value" in header else -1
    rows = []
    for n in range(draw(st.integers(0, 8))):
        width = len(header) if draw(st.integers(0, 9)) else draw(st.integers(0, len(header) + 2))
        cells = draw(st.lists(st.sampled_from(CELLS), min_size=width, max_size=width))
        if 0 <= email < width and draw(st.integers(0, 2)):
            cells[email] = f"person{n}@x.example"
        rows.append(delimiter.join(cells))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join([delimiter.join(header), *rows])
    return text + draw(st.sampled_from(["", end, end + end]))


@given(plain_csv())
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_fast_path_equals_general_path(text: str) -> None:
    assert csv_file.parse_csv(text, "f.csv") == general(text)


def _google(rows: Iterator[str]) -> str:
    header = "First Name,Middle Name,Last Name,Organization Name,Organization Department,"
    header += "Organization Title,Notes,Labels,E-mail 1 - Value,Phone 1 - Value"
    return "\n".join([header, *rows]) + "\n"


def test_fast_path_takes_plain_google_files() -> None:
    text = _google(
        f"Ada{n},,Lovelace,Dept {n % 3},Team,Adviser,,* myContacts,ada{n}@x.example,020 7946 000{n}"
        for n in range(10)
    )
    fast = parse_plain_csv(text, "f.csv", ",")
    assert fast is not None
    assert fast == general(text)
    records, errors = fast
    assert errors == []
    assert records[0] == ContactRecord(
        2,
        "Ada0",
        "Lovelace",
        "ada0@x.example",
        phone="020 7946 0000",
        phone_e164="+442079460000",
        organisation="Dept 0",
        team="Team",
        role="Adviser",
    )


def test_rows_it_is_unsure_of_go_through_the_general_reader() -> None:
    rows = [
        "Ada,,Lovelace,DfE,,,,,ada@x.example,",
        ",,,,,,,,,",  # blank: skipped
        "Bob,,Smith,,,,,,,01632 960000",  # no e-mail
        ",,,,,,,,not-an-email,",  # refused
        "Cy,Q,Jones,,,,,,c@x.example ::: d@x.example,+1 202 555 0143",
    ]
    text = _google(iter(rows))
    fast = parse_plain_csv(text, "f.csv", ",")
    assert fast is not None and fast == general(text)
    records, errors = fast
    assert [r.line for r in records] == [2, 4, 6]
    assert records[2].first_name == "Cy Q" and records[2].extra_emails == ("d@x.example",)
    assert [e.line for e in errors] == [5]


@pytest.mark.parametrize(
    "text",
    [
        'Name,Email\n"Ada",a@x.example\n',  # a quote
        "Name,Email\rAda,a@x.example\r",  # lone CR
        "Name,Email\nAda,a@x.example\n\nBob,b@x.example\n",  # blank line
        "Name,Email\nAda,a@x.example,extra\n",  # ragged
        "Title\nName,Email\nAda,a@x.example\n",  # title row above the header
        "Name,Phone\nAda,0207\n",  # no e-mail column
        "Name,Email\n",  # a header but no rows
        "Name,Email\n,\n",  # only blank rows
    ],
)
def test_steps_aside_for_anything_not_plain(text: str) -> None:
    assert parse_plain_csv(text, "f.csv", ",") is None
    assert csv_file.parse_csv(text, "f.csv") == general(text)


LOCAL = st.text(alphabet="aZkK09._+-!~'", min_size=0, max_size=66)
LABEL = st.text(alphabet="aZkK09-", min_size=0, max_size=64)
TLD = st.sampled_from(
    ["uk", "COM", "arpa", "ARPA", "Test", "LOCALhost", "onion", "invalid", "local", "x", "k9"]
)
ADDRESSES = st.tuples(LOCAL, st.lists(LABEL, max_size=4), TLD).map(
    lambda parts: f"{parts[0]}@{''.join(label + '.' for label in parts[1])}{parts[2]}"
)


@given(ADDRESSES)
@settings(max_examples=600, deadline=None)
def test_lower_cased_ascii_email_check_equals_the_fast_pattern(address: str) -> None:
    assert (fast_email_match(address) is None) == (lower_ascii_email_match(address.lower()) is None)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
@settings(max_examples=300, deadline=None)
def test_lower_cased_ascii_email_check_on_any_ascii(address: str) -> None:
    assert (fast_email_match(address) is None) == (lower_ascii_email_match(address.lower()) is None)
