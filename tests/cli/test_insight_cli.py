"""``pfpp report coverage|patterns|funding`` and ``pfpp import funding``: exit codes, output and
the rows actually stored (dry run byte-for-byte, refused files write nothing)."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.store.db.database import open_database

DATA = Path(__file__).resolve().parents[1] / "data" / "funding"
runner = CliRunner()


def pfpp(db_file: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db_file), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.stdout, result.stderr


def rows(db_file: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_file) as conn:
        return list(conn.execute(query))


def test_coverage_markdown_and_csv(sample_copy: Path, tmp_path: Path) -> None:
    code, out, err = pfpp(sample_copy, "report", "coverage", "--as-of", "2023-11-10")
    assert code == 0, err
    assert out.startswith("# Coverage: pilots by departments")
    header = next(line for line in out.splitlines() if line.startswith("| Pilot |"))
    assert "| MHCLG |" in header and "| DWP |" in header
    luton = next(line for line in out.splitlines() if line.startswith("| Luton |"))
    assert "22d · 2a · 1b" in luton  # MHCLG: met 22 days before, 2 actions, 1 barrier
    target = tmp_path / "coverage.csv"
    code, _, err = pfpp(
        sample_copy, "report", "coverage", "--format", "csv", "--as-of", "2023-11-10", "-o",
        str(target),
    )  # fmt: skip
    assert code == 0 and "Wrote the coverage matrix" in err
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    departments = rows(sample_copy, "SELECT COUNT(*) FROM organisation "
                                    "WHERE kind = 'central_department'")[0][0]  # fmt: skip
    assert len(table) == 13 * int(str(departments))
    cell = next(r for r in table if r["pilot"] == "Luton" and r["column"] == "MHCLG")
    assert (cell["days_since"], cell["staleness"], cell["open_actions"]) == ("22", "recent", "2")
    assert {r["staleness"] for r in table} == {"never", "stale", "recent"}


def test_coverage_drills_into_teams_by_former_name(sample_copy: Path) -> None:
    code, out, _ = pfpp(sample_copy, "report", "coverage", "--organisation", "DLUHC")
    assert code == 0
    assert "teams of Ministry of Housing, Communities and Local Government" in out
    assert "Partnerships for People and Place" in out
    code, _, err = pfpp(sample_copy, "report", "coverage", "--organisation", "Nowhere")
    assert code == 1 and "no organisation called 'Nowhere'" in err
    code, _, err = pfpp(sample_copy, "report", "coverage", "--format", "pdf")
    assert code == 2
    code, _, err = pfpp(sample_copy, "report", "coverage", "--as-of", "soon")
    assert code == 2 and "not a date" in err


def test_patterns_and_funding_reports(sample_copy: Path) -> None:
    code, out, _ = pfpp(sample_copy, "report", "patterns")
    assert code == 0 and out.startswith("# Same barrier, many places")
    code, out, _ = pfpp(sample_copy, "report", "funding")
    assert code == 0
    total, count, small = rows(
        sample_copy,
        "SELECT SUM(amount_gbp), COUNT(*), SUM(amount_gbp < 100000) FROM funding_flow",
    )[0]
    assert f"{count} flows, £{total:,} in total" in out
    assert f"{small} of {count} flows" in out
    assert "DLUHC (now MHCLG)" in out


def test_import_funding_sample_file_exactly(sample_copy: Path) -> None:
    before = rows(sample_copy, "SELECT COUNT(*) FROM funding_flow")[0][0]
    code, out, err = pfpp(sample_copy, "import", "funding", str(DATA / "flows.csv"))
    assert code == 0, err
    assert out == f"{DATA / 'flows.csv'}: 4 added, 0 updated, 0 unchanged, 0 refused\n"
    new = rows(
        sample_copy,
        "SELECT p.name, o.short_name, f.pot, f.amount_gbp, f.financial_year, f.outcome "
        "FROM funding_flow f JOIN pilot p ON p.id = f.pilot_id LEFT JOIN organisation o "
        f"ON o.id = f.source_organisation_id WHERE f.id > (SELECT {before}) ORDER BY f.id",
    )
    assert new == [
        ("Luton", "MHCLG", "Safer Streets top-up", 45000, "2022-23",
         "Fewer street drinking incidents in the town centre"),
        ("East Sussex", "DESNZ", "Home Upgrade Grant", 120000, "2022-23",
         "Warmer private rented homes"),
        ("Sunderland", "MHCLG", "Towns Fund revenue", 98000, "2023-24", ""),
        ("Hackney", None, "Local match funding", 15000, "2022-23", "Older residents online"),
    ]  # fmt: skip
    history = rows(
        sample_copy,
        "SELECT source, COUNT(DISTINCT batch), COUNT(*) FROM change "
        "WHERE table_name = 'funding_flow' GROUP BY source",
    )
    assert history == [("import", 1, 4)]
    code, out, _ = pfpp(sample_copy, "import", "funding", str(DATA / "flows.csv"))
    assert code == 0 and ": 0 added, 0 updated, 4 unchanged, 0 refused" in out


def test_export_then_import_is_a_no_op_and_changes_update(
    sample_copy: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "funding.csv"
    code, _, _ = pfpp(sample_copy, "export", "funding", "--format", "csv", "-o", str(exported))
    assert code == 0
    code, out, _ = pfpp(sample_copy, "import", "funding", str(exported))
    assert code == 0 and ": 0 added, 0 updated, 33 unchanged, 0 refused" in out
    text = exported.read_text(encoding="utf-8-sig").replace(",340000,", ",341000,", 1)
    exported.write_text(text, encoding="utf-8")
    code, out, _ = pfpp(sample_copy, "import", "funding", str(exported))
    assert code == 0 and ": 0 added, 1 updated, 32 unchanged, 0 refused" in out
    assert rows(sample_copy, "SELECT COUNT(*) FROM funding_flow WHERE amount_gbp = 341000") == [
        (1,)
    ]


def _bad_file(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "pilot,source,pot,amount,year\n"
        "Luton,DLUHC,Fine pot,1000,2022-23\n"
        "Atlantis,DLUHC,Pot,1000,2022-23\n"
        "Luton,Ministry of Magic,Pot,12.50,2022-24\n"
        "Luton,DLUHC,Fine pot,2000,2022-23\n",
        encoding="utf-8",
    )
    return bad


def test_refused_rows_write_nothing_and_are_listed(sample_copy: Path, tmp_path: Path) -> None:
    bad = _bad_file(tmp_path)
    errors = tmp_path / "errors.csv"
    before = rows(sample_copy, "SELECT COUNT(*) FROM funding_flow")
    code, out, err = pfpp(sample_copy, "import", "funding", str(bad), "--errors-csv", str(errors))
    assert code == 1
    assert out == f"{bad}: would add 1, update 0, leave 0 unchanged; 3 refused\n"  # nothing added
    lines = err.splitlines()
    assert lines[0].startswith(f"{bad}:3: pilot: no pilot called 'Atlantis'")
    assert f"{bad}:4: source_organisation: no organisation called 'Ministry of Magic'" in err
    assert f"{bad}:4: amount_gbp: '12.50': whole pounds only (no pence)" in err
    assert f"{bad}:4: financial_year: '2022-24' is not a year like 2022-23" in err
    assert f"{bad}:5: pot: same pilot, source, pot and year as line 2" in err
    assert lines[-1] == "pfpp: rows refused, nothing was written"
    assert rows(sample_copy, "SELECT COUNT(*) FROM funding_flow") == before
    assert rows(sample_copy, "SELECT COUNT(*) FROM change WHERE table_name = 'funding_flow'") == [
        (0,)
    ]
    written = list(csv.reader(errors.open(encoding="utf-8")))
    assert written[0] == ["file", "line", "field", "problem"] and len(written) == 1 + 5
    # Written like the other imports' errors: CRLF rows, atomically, readable by the owner only.
    assert errors.read_bytes().startswith(b"file,line,field,problem\r\n")
    assert errors.stat().st_mode & 0o777 == 0o600


def test_dry_run_is_byte_for_byte_and_says_the_same(sample_copy: Path, tmp_path: Path) -> None:
    open_database(sample_copy).dispose()  # the first open switches the file to WAL mode
    good = str(DATA / "flows.csv")
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(sample_copy, pristine)
    before = sample_copy.read_bytes()
    dry = pfpp(sample_copy, "import", "funding", good, "--dry-run")
    assert sample_copy.read_bytes() == before
    assert dry[0] == 0 and dry[2] == "dry run: nothing was written\n"
    real = pfpp(sample_copy, "import", "funding", good)
    assert real[0] == dry[0] and real[2] == ""
    assert dry[1] == real[1].replace(": ", ": would add ", 1).replace(
        " added, ", ", update ", 1
    ).replace(" updated, ", ", leave ", 1).replace(" unchanged, ", " unchanged; ", 1)
    bad = str(_bad_file(tmp_path))
    before = pristine.read_bytes()
    assert pfpp(pristine, "import", "funding", bad, "--dry-run") == pfpp(
        pristine, "import", "funding", bad
    )
    assert pristine.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "1: file: empty file"),
        ("pilot,pot\nLuton,x\n", "1: header: missing columns amount_gbp, financial_year"),
        ("pilot,pot,amount,year\n", "1: file: a header but no rows"),
        ('pilot,pot,amount,year\n"Luton,x,1,2022-23\n', "2: row: malformed CSV"),
    ],
)
def test_unusable_files(sample_copy: Path, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(content, encoding="utf-8")
    code, _, err = pfpp(sample_copy, "import", "funding", str(path))
    assert code == 1
    assert f"{path}:{message}" in err


def test_every_insight_command_has_help() -> None:
    for args in (
        ["report", "coverage"],
        ["report", "patterns"],
        ["report", "funding"],
        ["import", "funding"],
    ):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0
        assert "Usage:" in result.stdout
