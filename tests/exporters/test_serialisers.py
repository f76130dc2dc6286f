"""The pure serialisers and the atomic writer, without a database."""

from __future__ import annotations

import csv
import io
import stat
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pfpp_tui.exporters import csv_format, ical, json_format, markdown, vcard, xlsx
from pfpp_tui.exporters.atomic import atomic_output
from pfpp_tui.exporters.contentline import escape, fold
from pfpp_tui.shapes.table import ColumnKind, Entity, ExportColumn, ExportTable

COLUMNS = (
    ExportColumn("id", ColumnKind.INT),
    ExportColumn("name"),
    ExportColumn("tags", ColumnKind.LIST),
    ExportColumn("due", ColumnKind.DATE),
    ExportColumn("at", ColumnKind.TIMESTAMP),
    ExportColumn("ok", ColumnKind.BOOL),
)
ROW = (
    1,
    "Zoë | =1+1",
    ("a", "=b"),
    date(2026, 1, 31),
    datetime(2026, 1, 31, 9, 30, tzinfo=UTC),
    True,
)


def table(*rows: tuple[Any, ...], entity: Entity = Entity.CONTACTS) -> ExportTable:
    return ExportTable(entity, COLUMNS, iter(rows))


def render(writer: Any, *tables: ExportTable, raw: bool = False) -> bytes:
    out = io.BytesIO()
    writer(list(tables), out, raw)
    return out.getvalue()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("\x00=1", "'\x00=1"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("plain", "plain"),
        ("", ""),
        ("a=1", "a=1"),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert csv_format.neutralise(text) == expected


def test_csv_shape() -> None:
    data = render(csv_format.write, table(ROW, (2, None, (), None, None, False)))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["id", "name", "tags", "due", "at", "ok"],
        ["1", "Zoë | =1+1", "a; =b", "2026-01-31", "2026-01-31T09:30:00Z", "true"],
        ["2", "", "", "", "", "false"],
    ]


def test_csv_refuses_two_tables() -> None:
    with pytest.raises(ValueError, match="one table"):
        render(csv_format.write, table(), table())


def test_json_shape() -> None:
    data = render(json_format.write, table(ROW))
    assert data.decode() == (
        '[\n  {"id": 1, "name": "Zoë | =1+1", "tags": ["a", "=b"], "due": "2026-01-31", '
        '"at": "2026-01-31T09:30:00Z", "ok": true}\n]\n'
    )
    assert render(json_format.write, table()) == b"[]\n"


def test_markdown_escapes_pipes_and_newlines() -> None:
    text = render(markdown.write, table((1, "a|b\nc", (), None, None, False))).decode()
    assert "| 1 | a\\|b<br>c |  |  |  | no |" in text


def test_xlsx_keeps_formula_text_as_text(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    rows = [
        (i, text, (text,), None, None, None) for i, text in enumerate(["=1+1", "#N/A", "a\x01b"])
    ]
    target.write_bytes(render(xlsx.write, table(*rows)))
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    cells = [(c.value, c.data_type) for c in sheet["B"][1:]]
    assert cells == [("=1+1", "s"), ("#N/A", "s"), ("ab", "s")]
    assert [c.value for c in sheet["C"][1:]] == ["=1+1", "#N/A", "ab"]


def test_fold_keeps_lines_short_and_characters_whole() -> None:
    line = "NOTE:" + "Zoë Ågren " * 30
    folded = fold(line)
    physical = folded.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert "".join(p[1:] if i else p for i, p in enumerate(physical)) == line


@given(st.text(max_size=300))
def test_fold_then_unfold_is_identity(text: str) -> None:
    line = "X:" + text.replace("\r", "").replace("\n", "")
    unfolded = fold(line)[:-2].replace("\r\n ", "")
    assert unfolded == line


def test_escape() -> None:
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_vcard_card() -> None:
    text = vcard.card(
        {
            "id": 7,
            "first_name": "Zoë",
            "last_name": "Ågren",
            "email": "zoe@luton.example",
            "phone": "+44 1582 000000",
            "organisation": "Luton Borough Council",
            "team": "Community Safety",
            "role": "Lead, ASB",
            "notes": "one\ntwo",
            "tags": ("buddy", "data lead"),
            "updated_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        }
    )
    assert text == (
        "BEGIN:VCARD\r\nVERSION:4.0\r\n"
        f"UID:{vcard.contact_uid(7)}\r\n"
        "FN:Zoë Ågren\r\nN:Ågren;Zoë;;;\r\nEMAIL:zoe@luton.example\r\nTEL:+44 1582 000000\r\n"
        "ORG:Luton Borough Council;Community Safety\r\nTITLE:Lead\\, ASB\r\n"
        "NOTE:one\\ntwo\r\nCATEGORIES:buddy,data lead\r\nREV:20260102T030405Z\r\nEND:VCARD\r\n"
    )
    assert vcard.contact_uid(7) == vcard.contact_uid(7) != vcard.contact_uid(8)


def test_ical_todo_and_event() -> None:
    stamp = datetime(2026, 1, 2, 3, 4, 5)
    todo = ical.todo(
        {
            "id": 3,
            "title": "Map grants",
            "status": "done",
            "due_date": date(2026, 2, 1),
            "completed_on": date(2026, 1, 30),
            "owner": "Priya Patel",
            "version": 3,
            "updated_at": stamp,
        }
    )
    assert "UID:action-3@pfpp-tui\r\n" in todo
    assert "DUE;VALUE=DATE:20260201\r\n" in todo
    assert "STATUS:COMPLETED\r\nCOMPLETED:20260130T000000Z\r\n" in todo
    assert "SEQUENCE:2\r\n" in todo
    assert ical.todo({"id": 4, "due_date": None, "updated_at": stamp}) == ""
    event = ical.event(
        {"id": 9, "held_at": datetime(2026, 3, 4, 14, 30), "title": "Board", "updated_at": stamp}
    )
    assert "UID:meeting-9@pfpp-tui\r\nDTSTAMP:20260102T030405Z\r\n" in event
    assert "DTSTART:20260304T143000\r\nDTEND:20260304T153000\r\n" in event


def test_atomic_output_is_private_and_renamed(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    with atomic_output(target) as stream:
        stream.write(b"hello")
        assert not target.exists()
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_output_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_output_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError), atomic_output(tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []
