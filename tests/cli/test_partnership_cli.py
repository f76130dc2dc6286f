"""Partnership health commands on a copy of sample.db: output, exit codes and rows stored."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.models.partnership import Principle
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.principle_tags import principle_counts

runner = CliRunner()


def pfpp(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.stdout, result.stderr


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


@pytest.mark.parametrize(
    "command",
    [
        ["agreement", "show"],
        ["report", "agreement"],
        ["report", "principles"],
        ["import", "assessments"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_agreement_show(sample_copy: Path) -> None:
    code, out, err = pfpp(sample_copy, "agreement", "show", "Luton")
    assert (code, err) == (0, "")
    assert out.startswith("Luton — pre-partnership agreement (version 1)")
    assert "Status:        Under review — agreed by Simon Thompson" in out
    assert "Luton Borough Council: Lead council and accountable body" in out
    assert "Bedfordshire Police: Community safety partner" in out
    code, out, _ = pfpp(sample_copy, "agreement", "show", "Luton", "--versions")
    assert (code, out.split()[:2]) == (0, ["v1", "first"])
    code, _, err = pfpp(sample_copy, "agreement", "show", "Luton", "--version", "7")
    assert code == 1 and "has no version 7 (versions: 1)" in err


def test_unknown_pilot_is_one_line(sample_copy: Path) -> None:
    code, out, err = pfpp(sample_copy, "report", "agreement", "Atlantis")
    assert (code, out) == (1, "")
    assert err.startswith("pfpp: no pilot called 'Atlantis'") and err.count("\n") == 1


def test_report_agreement_to_a_private_file(sample_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "bradford.md"
    code, out, err = pfpp(sample_copy, "report", "agreement", "Bradford", "-o", str(target))
    assert (code, out) == (0, "")
    assert err == f"Wrote the Bradford agreement to {target}\n"
    assert target.stat().st_mode & 0o777 == 0o600
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Pre-partnership agreement: Bradford\n")
    assert "- **Status:** Agreed — agreed by Tariq Gill" in text
    assert "**overdue by" in text  # review date 31 Oct 2023 has passed
    for heading in ("Purpose", "Partners and their commitments", "Governance", "Data sharing",
                    "Escalating disagreements", "Sign-off"):  # fmt: skip
        assert f"\n## {heading}\n" in text
    assert "| Bradford VCS Alliance |  |  |  |" in text
    assert not list(tmp_path.glob("*.part"))  # no stray temporary file


def test_every_sample_pilot_has_an_agreement_in_every_status(sample_copy: Path) -> None:
    with sqlite3.connect(sample_copy) as conn:
        statuses = {r[0] for r in conn.execute("SELECT status FROM partnership_agreement")}
        pilots = conn.execute("SELECT count(DISTINCT pilot_id) FROM partnership_agreement")
        assert pilots.fetchone()[0] == 13
        assessed = conn.execute(
            "SELECT count(*) FROM (SELECT pilot_id FROM partnership_assessment "
            "GROUP BY pilot_id HAVING count(*) = 2)"
        )
        assert assessed.fetchone()[0] == 13
    assert statuses == {"draft", "agreed", "under_review"}


def test_report_principles_counts_open_barriers(sample_copy: Path, sample_db: Database) -> None:
    counts = principle_counts(sample_db)
    code, out, err = pfpp(sample_copy, "report", "principles")
    assert (code, err) == (0, "")
    assert out.startswith("# The seven principles: open barriers and actions\n")
    for principle in Principle:
        assert f"| `{principle.value}` | " in out
        assert f" | {counts.barriers[principle]} | {counts.actions[principle]} |" in out
    assert "| Programme-wide |" in out
    assert sum(counts.barriers.values()) > 0


def test_report_principles_shows_a_stored_tag_that_is_not_a_principle(
    sample_copy: Path, sample_db: Database
) -> None:
    """A tag another program stored (not one of the seven) is shown as it is, not a traceback
    (it was ``ValueError: 'bo*gus' is not a valid Principle``), and counted nowhere else."""
    before = principle_counts(sample_db)
    with sqlite3.connect(sample_copy) as conn:
        barrier = conn.execute(
            "SELECT barrier_id FROM barrier_principle JOIN barrier ON barrier.id = barrier_id"
            " WHERE barrier.status = 'new' AND principle = 'trust' LIMIT 1"
        ).fetchone()[0]
        conn.execute(
            "UPDATE barrier_principle SET principle = 'bo*gus' WHERE barrier_id = ?"
            " AND principle = 'trust'",
            (barrier,),
        )
        conn.execute(
            "INSERT INTO action_principle (action_id, principle, created_at, updated_at, version)"
            " SELECT id, 'x' || char(27) || '[2J', created_at, updated_at, 1 FROM action"
            " WHERE status = 'open' LIMIT 1"
        )
    code, out, err = pfpp(sample_copy, "report", "principles")
    assert (code, err) == (0, "")
    assert (
        "Stored tags that are not one of the seven principles, counted nowhere above (written "
        "by another program?): 'bo\\*gus' on 1 open barrier and 0 open actions; "
        "'x\\\\x1b\\[2J' on 0 open barriers and 1 open action." in out
    )
    assert "\x1b" not in out
    after = principle_counts(sample_db)
    assert after.barriers[Principle.TRUST] == before.barriers[Principle.TRUST] - 1
    assert after.actions == before.actions


def test_export_assessments_csv_json_and_file(sample_copy: Path, tmp_path: Path) -> None:
    code, out, err = pfpp(sample_copy, "export", "assessments")
    assert code == 0 and err == "Exported 26 assessments as csv to stdout\n"
    rows = list(csv.DictReader(out.lstrip("\ufeff").splitlines()))
    assert len(rows) == 26 and rows[0]["pilot"] == "Birmingham"
    code, out, _ = pfpp(
        sample_copy, "export", "assessments", "--format", "json", "--pilot", "Luton"
    )
    data = json.loads(out)
    assert code == 0 and [d["pilot"] for d in data] == ["Luton", "Luton"]
    target = tmp_path / "assessments.csv"
    code, _, err = pfpp(sample_copy, "export", "assessments", "-o", str(target))
    assert code == 0 and target.stat().st_mode & 0o777 == 0o600
    code, _, err = pfpp(sample_copy, "export", "assessments", "--format", "xlsx")
    assert code == 2 and "csv or json" in err
    # Other entities still go to the ordinary export.
    code, out, _ = pfpp(sample_copy, "export", "pilots", "--format", "csv")
    assert code == 0 and "Luton" in out


def test_export_then_import_changes_nothing(sample_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "assessments.csv"
    assert pfpp(sample_copy, "export", "assessments", "-o", str(target))[0] == 0
    history = count(sample_copy, "change")
    code, out, err = pfpp(sample_copy, "import", "assessments", str(target))
    assert (code, err) == (0, "")
    assert out == f"{target}: 0 added, 0 updated, 26 unchanged, 0 refused\n"
    assert count(sample_copy, "change") == history


def _bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(
        "pilot,assessed_on,assessor_name,history_rating,attitudes_rating,vcs_rating,"
        "capacity_rating,history_note\n"
        "Luton,2023-11-01,Facilitator,4,4,4,4,fine\n"
        "Luton,2023-11-02,Facilitator,7,4,4,4,too high\n"
        "Luton,2999-01-01,Facilitator,3,3,3,3,future\n"
        "Atlantis,2023-11-01,Facilitator,3,3,3,3,\n"
        "Hackney,01/11/2023,Facilitator,x,3,3,3,\n",
        encoding="utf-8",
    )
    return path


def test_bad_rows_are_refused_and_nothing_is_written(sample_copy: Path, tmp_path: Path) -> None:
    bad = _bad_file(tmp_path)
    errors_csv = tmp_path / "errors.csv"
    pfpp(sample_copy, "agreement", "show", "Luton")  # the first open switches to WAL
    before = sample_copy.read_bytes()
    code, out, err = pfpp(
        sample_copy, "import", "assessments", str(bad), "--errors-csv", str(errors_csv)
    )
    assert code == 1
    assert out == f"{bad}: would add 1, update 0, leave 0 unchanged; 4 refused\n"  # nothing added
    lines = err.splitlines()
    assert lines[0] == f"{bad}:3: history_rating: 7 is outside 1-5"
    assert lines[1] == f"{bad}:4: assessed_on: 2999-01-01 is in the future"
    assert lines[2].startswith(f"{bad}:5: pilot: no pilot called 'Atlantis'")
    assert lines[3] == f"{bad}:6: assessed_on: '01/11/2023' is not a YYYY-MM-DD date"
    assert lines[4] == f"{bad}:6: history_rating: 'x' is not a whole number"
    assert lines[-1] == "pfpp: records refused, nothing was written"
    with errors_csv.open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["file", "line", "field", "problem"]
    assert [row[1] for row in written[1:]] == ["3", "4", "5", "6", "6"]
    assert errors_csv.read_bytes().startswith(b"file,line,field,problem\r\n")
    assert errors_csv.stat().st_mode & 0o777 == 0o600
    assert sample_copy.read_bytes() == before


def test_dry_run_prints_the_same_and_leaves_the_database_byte_for_byte(
    sample_copy: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "pilot,assessed_on,assessor_email,history_rating,attitudes_rating,vcs_rating,"
        "capacity_rating\n"
        "Luton,2023-11-01,rosa.campbell@ipsos.example,4,4,4,4\n"
        "Hackney,2023-11-02,,2,3,4,5\n",
        encoding="utf-8",
    )
    pfpp(sample_copy, "agreement", "show", "Luton")  # settle the file after opening it once
    before = sample_copy.read_bytes()
    dry = pfpp(sample_copy, "import", "assessments", str(good), "--dry-run")
    assert sample_copy.read_bytes() == before
    assert count(sample_copy, "partnership_assessment") == 26
    real = pfpp(sample_copy, "import", "assessments", str(good))
    # The same figures: the dry run says what it would do, the real run what it did.
    assert dry[:2] == (0, f"{good}: would add 2, update 0, leave 0 unchanged; 0 refused\n")
    assert real[:2] == (0, f"{good}: 2 added, 0 updated, 0 unchanged, 0 refused\n")
    assert dry[2] == "dry run: nothing was written\n" and real[2] == ""
    assert count(sample_copy, "partnership_assessment") == 28
    with sqlite3.connect(sample_copy) as conn:
        source = conn.execute(
            "SELECT DISTINCT source FROM change WHERE table_name = 'partnership_assessment'"
        ).fetchall()
    assert source == [("import",)]
