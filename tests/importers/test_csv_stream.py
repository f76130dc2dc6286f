"""A big CSV file read a block at a time gives exactly what reading it whole gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers import csv_stream
from pfpp_tui.importers.base import ContactRecord, ImportFormat, RowError
from pfpp_tui.importers.reader import open_contacts_file, parse_bytes
from tests.importers.test_csv_plain import CELLS, plain_csv

QUOTED = [*CELLS, '"a, b"', '"two\nlines"', '"say ""hi"""', '"open', 'x"y', '"\r\n"']


@st.composite
def any_csv(draw: st.DrawFn) -> str:
    """Plain CSV, or CSV with quoted cells (some spanning lines, some malformed), blank lines
    and title rows -- what the general path reads."""
    text: str = draw(plain_csv())
    if draw(st.booleans()):
        return text
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines)))
        extra = draw(st.sampled_from(["", "Contacts export", ",".join(["", ""])]))
        if draw(st.booleans()):
            extra = ",".join(draw(st.lists(st.sampled_from(QUOTED), min_size=1, max_size=5)))
        lines.insert(at, extra)
    return "\n".join(lines)


def _streamed(text: str, block: int) -> tuple[list[ContactRecord], list[RowError]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        path.write_bytes(text.encode("utf-8"))
        parsed = csv_stream.open_streamed(path, csv_only=True)
        assert parsed is not None
        original = csv_stream.BLOCK_LINES
        csv_stream.BLOCK_LINES = block
        try:
            records = [record for part in parsed.blocks() for record in part]
        finally:
            csv_stream.BLOCK_LINES = original
        return records, [RowError("f.csv", e.line, e.field, e.problem) for e in parsed.errors]


@given(any_csv(), st.integers(1, 4))
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_streamed_blocks_read_what_the_whole_text_reads(text: str, block: int) -> None:
    whole = parse_bytes(text.encode("utf-8"), "f.csv", format=ImportFormat.CSV)
    assert _streamed(text, block) == (whole.records, whole.errors)


def test_a_big_file_is_streamed_and_a_small_one_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Name,Email\n" + "".join(f"P {n},p{n}@x.example\n" for n in range(50)))
    assert open_contacts_file(path).source is None
    monkeypatch.setattr(csv_stream, "STREAM_FROM_BYTES", 10)
    streamed = open_contacts_file(path)
    assert streamed.source is not None and streamed.records == []
    assert [r.line for block in streamed.blocks() for r in block] == list(range(2, 52))
    # Read again (a dry run, then the import): the same records, the errors not doubled.
    assert sum(len(block) for block in streamed.blocks()) == 50


@pytest.mark.parametrize(
    "data",
    [
        b"Name,Email\nZo\xeb,z@x.example\n",
        b"Name,Email\nA,\x00a@x.example\n",
        b"\xff\xfeN\x00a\x00",
        b"BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\n",
    ],
)
def test_a_file_not_plain_utf8_csv_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes
) -> None:
    monkeypatch.setattr(csv_stream, "STREAM_FROM_BYTES", 1)
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert open_contacts_file(path).source is None


def test_a_big_workbook_is_read_a_block_at_a_time_with_what_reading_it_whole_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pfpp_tui.importers import base
    from tests.importers.test_xlsx_bounds import _workbook

    rows: list[list[object]] = [["Contacts"], ["Name", "Email", "Company"]]
    rows += [[f"P {n}", f"p{n}@x.example", f"Org {n % 3}"] for n in range(40)]
    rows += [["Bad", "not an e-mail"], ["Q", "q@x.example"]]
    path = tmp_path / "book.xlsx"
    path.write_bytes(_workbook(*rows))
    whole = open_contacts_file(path)
    assert whole.source is None and len(whole.records) == 41 and len(whole.errors) == 1
    monkeypatch.setattr(csv_stream, "STREAM_FROM_BYTES", 1)
    monkeypatch.setattr(base, "BLOCK", 7)
    from pfpp_tui.importers import xlsx_file

    monkeypatch.setattr(xlsx_file, "BLOCK", 7)
    streamed = open_contacts_file(path)
    assert streamed.source is not None and streamed.format == "xlsx"
    blocks = list(streamed.blocks())
    assert max(len(block) for block in blocks) == 7
    assert [r for block in blocks for r in block] == whole.records
    assert streamed.errors == whole.errors
