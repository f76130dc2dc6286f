"""``pfpp export``: every entity in every format on a real database, bad input, files and modes."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from tests.exporters.programme_db import INJECTION_PAYLOADS, build_programme_db

ENTITIES = ("contacts", "organisations", "pilots", "meetings", "actions", "barriers", "funding")
EXPECTED_ROWS = {
    "contacts": 5,
    "organisations": 4,
    "pilots": 2,
    "meetings": 2,
    "actions": 4,
    "barriers": 2,
    "funding": 3,
}
runner = CliRunner()


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("export") / "programme.db"
    build_programme_db(path).dispose()
    yield path


def pfpp(db: Path | str, *args: str) -> tuple[int, bytes, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.mark.parametrize("entity", ENTITIES)
def test_csv_every_entity(programme: Path, entity: str) -> None:
    code, out, err = pfpp(programme, "export", entity, "--format", "csv")
    assert code == 0, err
    assert out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"))))
    assert len(rows) == EXPECTED_ROWS[entity]
    assert f"Exported {EXPECTED_ROWS[entity]} {entity}" in err
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[0]["created_at"])


@pytest.mark.parametrize("entity", ENTITIES)
def test_json_every_entity(programme: Path, entity: str) -> None:
    code, out, _ = pfpp(programme, "export", entity, "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert isinstance(records, list) and len(records) == EXPECTED_ROWS[entity]


def test_json_contacts_contract(programme: Path) -> None:
    code, out, _ = pfpp(programme, "export", "contacts", "-f", "json", "--filter", "patel")
    assert code == 0
    [priya] = json.loads(out)
    assert {
        "id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "organisation",
        "team",
        "role",
        "notes",
        "pilots",
        "created_at",
        "updated_at",
    } <= set(priya)
    assert priya["organisation"] == "Home Office"
    assert priya["team"] == "Anti-social Behaviour Unit"
    assert priya["pilots"] == ["Luton"]
    assert priya["phone"] == "+44 20 7946 0001"  # JSON is never spreadsheet-escaped


@pytest.mark.parametrize("entity", ENTITIES)
def test_markdown_every_entity(programme: Path, entity: str) -> None:
    code, out, _ = pfpp(programme, "export", entity, "--format", "md")
    assert code == 0
    text = out.decode()
    assert text.startswith(f"## {entity.capitalize()}\n\n| Id |")
    table_rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table_rows) == EXPECTED_ROWS[entity] + 1  # + header


@pytest.mark.parametrize("entity", [*ENTITIES, "all"])
def test_xlsx_every_entity(programme: Path, tmp_path: Path, entity: str) -> None:
    target = tmp_path / "out.xlsx"
    code, _, err = pfpp(programme, "export", entity, "--format", "xlsx", "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    names = list(ENTITIES) if entity == "all" else [entity]
    assert book.sheetnames == [name.capitalize() for name in names]
    for name in names:
        sheet = book[name.capitalize()]
        assert sheet.max_row == EXPECTED_ROWS[name] + 1
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width == 8  # id
        assert all(cell.font.bold for cell in sheet[1])


def test_xlsx_dates_are_dates(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "actions.xlsx"
    assert pfpp(programme, "export", "actions", "-f", "xlsx", "-o", str(target))[0] == 0
    sheet = openpyxl.load_workbook(target)["Actions"]
    header = [cell.value for cell in sheet[1]]
    due = sheet.cell(row=2, column=header.index("due_date") + 1)
    assert due.is_date
    created = sheet.cell(row=2, column=header.index("created_at") + 1)
    assert created.is_date


def test_vcf_contacts(programme: Path) -> None:
    code, out, _ = pfpp(programme, "export", "contacts", "--format", "vcf")
    assert code == 0
    text = out.decode()
    assert text.count("BEGIN:VCARD\r\n") == 5
    assert "ORG:Home Office;Anti-social Behaviour Unit\r\n" in text
    assert "VERSION:4.0\r\n" in text


@pytest.mark.parametrize("entity", ["meetings", "actions", "all"])
def test_ics(programme: Path, entity: str) -> None:
    code, out, err = pfpp(programme, "export", entity, "--format", "ics")
    assert code == 0
    if entity == "actions":
        assert "Exported 3 actions" in err  # only actions with a due date
    text = out.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    if entity != "actions":
        assert "UID:meeting-1@pfpp-tui\r\n" in text
    if entity != "meetings":
        assert "UID:action-1@pfpp-tui\r\n" in text
        assert text.count("BEGIN:VTODO") == 3  # the action without a due date is left out


def test_all_as_json_is_an_object_of_arrays(programme: Path) -> None:
    code, out, _ = pfpp(programme, "export", "all", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert {k: len(v) for k, v in data.items()} == EXPECTED_ROWS


def test_all_as_csv_writes_a_directory(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "csvs"
    code, _, _ = pfpp(programme, "export", "all", "-f", "csv", "-o", str(target))
    assert code == 0
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{e}.csv" for e in ENTITIES)


def test_csv_injection_payloads_are_neutralised(programme: Path) -> None:
    code, out, _ = pfpp(programme, "export", "contacts", "-f", "csv")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out.decode("utf-8-sig"))) for cell in row]
    for payload in INJECTION_PAYLOADS:
        assert "'" + payload in cells, payload
        assert payload not in cells, payload
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r\n\x00", cell


def test_csv_raw_keeps_cells_as_they_are(programme: Path) -> None:
    code, out, _ = pfpp(programme, "export", "contacts", "-f", "csv", "--raw")
    assert code == 0
    cells = [cell for row in csv.reader(io.StringIO(out.decode("utf-8-sig"))) for cell in row]
    for payload in INJECTION_PAYLOADS:
        assert payload in cells, payload


def test_xlsx_never_holds_a_formula(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    assert pfpp(programme, "export", "all", "-f", "xlsx", "-o", str(target))[0] == 0
    book = openpyxl.load_workbook(target)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    for payload in INJECTION_PAYLOADS:
        assert payload in values, payload  # kept exactly, as text
    assert "=1+1 think about it" in values


@pytest.mark.parametrize(
    ("fmt", "entity"),
    [("csv", "contacts"), ("xlsx", "all"), ("json", "all"), ("vcf", "contacts"), ("ics", "all")],
)
def test_files_are_private_and_complete(
    programme: Path, tmp_path: Path, fmt: str, entity: str
) -> None:
    target = tmp_path / f"out.{fmt}"
    assert pfpp(programme, "export", entity, "-f", fmt, "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_pilot_narrows(programme: Path) -> None:
    code, out, err = pfpp(programme, "export", "actions", "-f", "json", "--pilot", "luton")
    assert code == 0, err
    assert {a["pilot"] for a in json.loads(out)} == {"Luton"}


def test_filter_narrows(programme: Path) -> None:
    code, out, _ = pfpp(
        programme,
        "export",
        "actions",
        "-f",
        "json",
        "--filter",
        "status:open owner:patel due<7d category:funding",
    )
    assert code == 0
    assert [a["title"] for a in json.loads(out)] == ["Map the small grants"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "people", "-f", "csv"], 2, "unknown entity 'people'"),
        (["export", "contacts", "-f", "pdf"], 2, "unknown format 'pdf'"),
        (["export", "contacts"], 2, "--format is required"),
        (["export", "contacts", "-f", "xlsx"], 2, "xlsx is a binary file"),
        (["export", "pilots", "-f", "vcf"], 2, "vcf cannot hold pilots"),
        (["export", "contacts", "-f", "ics"], 2, "ics cannot hold contacts"),
        (["export", "all", "-f", "csv"], 2, "one table per file"),
        (["export", "contacts", "-f", "csv", "--filter", 'org:"home'], 2, "unterminated quote"),
        (["export", "contacts", "-f", "csv", "--filter", "severity:high"], 2, "severity"),
        (["export", "contacts", "-f", "csv", "--pilot", "Atlantis"], 1, "no pilot named"),
    ],
)
def test_bad_input_is_one_line(
    programme: Path, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    exit_code, out, err = pfpp(programme, *args)
    assert exit_code == code
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert out == b""


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_unwritable_path_leaves_nothing(programme: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "missing-dir" / f"out.{fmt}"
    code, _, err = pfpp(programme, "export", "contacts", "-f", fmt, "-o", str(target))
    assert code == 1
    assert "cannot write" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "missing-dir").exists()


def test_failed_filter_leaves_no_file(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    code, _, _ = pfpp(
        programme, "export", "all", "-f", "xlsx", "-o", str(target), "--filter", "status:open"
    )
    assert code == 2  # contacts have no status
    assert list(tmp_path.iterdir()) == []


def test_vcard_round_trip_through_import(programme: Path, tmp_path: Path) -> None:
    cards = tmp_path / "contacts.vcf"
    assert pfpp(programme, "export", "contacts", "-f", "vcf", "-o", str(cards))[0] == 0
    empty = tmp_path / "empty.db"
    result = runner.invoke(app, ["--db", str(empty), "import", "contacts", str(cards)])
    assert result.exit_code == 0, result.output

    def people(db: Path) -> list[dict[str, object]]:
        code, out, _ = pfpp(db, "export", "contacts", "-f", "json")
        assert code == 0
        keys = ("first_name", "last_name", "email", "phone", "organisation", "team", "role")
        return sorted(
            (
                # The importer trims surrounding whitespace (the "\t=1" payload): so do we.
                {k: (c[k].strip() if isinstance(c[k], str) else c[k]) for k in keys}
                | {"notes": c["notes"], "tags": sorted(c["tags"])}
                for c in json.loads(out)
            ),
            key=lambda c: str(c["email"]),
        )

    assert people(empty) == people(programme)


def test_every_entity_and_format_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    build_programme_db(pg_url).dispose()
    db = pg_url
    for entity in ENTITIES:
        for fmt in ("csv", "json", "md"):
            code, out, err = pfpp(db, "export", entity, "-f", fmt)
            assert code == 0, (entity, fmt, err)
        records = json.loads(pfpp(db, "export", entity, "-f", "json")[1])
        assert len(records) == EXPECTED_ROWS[entity]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", records[0]["created_at"])
    target = tmp_path / "all.xlsx"
    assert pfpp(db, "export", "all", "-f", "xlsx", "-o", str(target))[0] == 0
    assert pfpp(db, "export", "contacts", "-f", "vcf")[0] == 0
    assert pfpp(db, "export", "all", "-f", "ics")[0] == 0
    code, out, _ = pfpp(db, "export", "actions", "-f", "json", "--filter", "owner:patel due<7d")
    assert code == 0 and [a["title"] for a in json.loads(out)] == ["Map the small grants"]
    assert pfpp(db, "report", "pilot", "luton")[0] == 0
    assert pfpp(db, "digest")[0] == 0


@pytest.mark.parametrize("command", [["export"], ["report"], ["report", "pilot"], ["digest"]])
def test_commands_have_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output) > 100


@pytest.mark.parametrize("kind", ["barrier", "action"])
def test_principle_tags_are_exported_last(tmp_path: Path, sample_copy: Path, kind: str) -> None:
    """A barrier's or action's principles: a list in JSON, "a; b" in CSV, in the principles'
    own order, as the last column (the columns before it keep their places)."""
    code, _, err = pfpp(sample_copy, "principles", "set", kind, "3", "trust", "funding")
    assert code == 0, err
    code, out, _ = pfpp(sample_copy, "export", f"{kind}s", "--format", "json")
    records = {r["id"]: r for r in json.loads(out)}
    assert list(records[3])[-1] == "principles"
    assert records[3]["principles"] == ["funding", "trust"]
    untagged = [r for r in records.values() if not r["principles"]]
    assert untagged and all(r["principles"] == [] for r in untagged)
    code, out, _ = pfpp(sample_copy, "export", f"{kind}s", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.decode("utf-8-sig")))}
    assert rows["3"]["principles"] == "funding; trust"
