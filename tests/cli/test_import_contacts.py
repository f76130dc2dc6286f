"""``pfpp import contacts``: exit codes, stdout summary, stderr errors, --errors-csv, and the
rows actually stored -- including dry run (byte-for-byte) and idempotent re-import."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.store.db.database import open_database

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
runner = CliRunner()


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "pfpp.db"
    open_database(path).dispose()
    return path


def pfpp(db_file: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db_file), "import", "contacts", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result
    return result.exit_code, result.stdout, result.stderr


def count(db_file: Path, table: str) -> int:
    with sqlite3.connect(db_file) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_every_sample_imports_then_reimport_changes_nothing(db_file: Path) -> None:
    files = sorted(str(p) for p in DATA.iterdir())
    code, out, err = pfpp(db_file, *files)
    assert code == 0, err
    # stderr names what else was created (kinds guessed from the names); stdout is one line a file
    notes = err.splitlines()
    assert len(notes) == 2
    assert notes[0].startswith("15 new organisations added: City of Bradford Metropolitan ")
    assert "Bradford VCS Alliance (voluntary & community organisation)" in notes[0]
    assert "Home Office (central department)" in notes[0] and notes[0].endswith(", and 5 more")
    assert notes[1] == "8 new teams added"
    lines = out.splitlines()
    assert len(lines) == len(files)
    assert f"{DATA / 'google_current.csv'}: 4 added, 0 updated, 0 unchanged, 0 refused" in lines
    contacts = count(db_file, "contact")
    assert contacts == 18
    history = count(db_file, "change")
    code, out, _ = pfpp(db_file, *files)
    assert code == 0
    assert all(" 0 added, 0 updated, " in line for line in out.splitlines())
    assert count(db_file, "contact") == contacts
    assert count(db_file, "change") == history


def test_stored_values_from_outlook(db_file: Path) -> None:
    code, _, _ = pfpp(db_file, str(DATA / "outlook.csv"))
    assert code == 0
    with sqlite3.connect(db_file) as conn:
        row = conn.execute(
            "SELECT c.first_name, c.last_name, c.email_key, c.phone_e164, o.name, t.name, c.tags "
            "FROM contact c JOIN organisation o ON o.id = c.organisation_id "
            "JOIN team t ON t.id = c.team_id ORDER BY c.id LIMIT 1"
        ).fetchone()
    assert row == (
        "Zoë",
        "O\u2019Brien",
        "zoe.obrien@hastings.example",
        "+441424451066",
        "Hastings Borough Council",
        "Housing",
        "Fuel poverty, East Sussex",
    )


def _bad_file(tmp_path: Path, rows: int = 25) -> Path:
    path = tmp_path / "bad.csv"
    lines = ["Name,Email"] + [f"Person {n},person{n}@x.example" for n in range(3)]
    lines += [f"Bad {n},not-an-email-{n}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_refused_records_mean_nothing_written_and_errors_reported(
    db_file: Path, tmp_path: Path
) -> None:
    bad = _bad_file(tmp_path)
    errors_csv = tmp_path / "errors.csv"
    before = db_file.read_bytes()
    code, out, err = pfpp(
        db_file, str(DATA / "google_older.csv"), str(bad), "--errors-csv", str(errors_csv)
    )
    assert code == 1
    # Refused as a whole: nothing was added, so it says what would have been.
    assert out.splitlines()[1] == f"{bad}: would add 3, update 0, leave 0 unchanged; 25 refused"
    err_lines = err.splitlines()
    assert err_lines[0].startswith(f"{bad}:5: email: 'not-an-email-0' is not valid")
    assert len([line for line in err_lines if line.startswith(str(bad))]) == 20
    assert f"... 5 more; 25 errors in total (all in {errors_csv})" in err_lines
    assert "nothing was written" in err_lines[-1]
    with errors_csv.open(newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert written[0] == ["file", "line", "field", "problem"]
    assert [row[1] for row in written[1:]] == [str(n) for n in range(5, 30)]
    assert errors_csv.read_bytes().startswith(b"file,line,field,problem\r\n")
    assert errors_csv.stat().st_mode & 0o777 == 0o600
    assert count(db_file, "contact") == 0
    assert count(db_file, "change") == 0
    assert db_file.read_bytes() == before


def test_dry_run_prints_the_same_and_leaves_the_database_byte_for_byte(
    db_file: Path, tmp_path: Path
) -> None:
    pfpp(db_file, str(DATA / "google_current.csv"))
    files = [str(DATA / "google_older.csv"), str(DATA / "vcard30.vcf"), str(_bad_file(tmp_path, 2))]
    before = db_file.read_bytes()
    dry = pfpp(db_file, *files, "--dry-run")
    assert db_file.read_bytes() == before
    real = pfpp(db_file, *files)
    assert dry == real  # same exit code, stdout and stderr (refused: nothing written either)
    good = [str(DATA / "google_older.csv"), str(DATA / "vcard30.vcf")]
    copy = tmp_path / "copy.db"
    shutil.copyfile(db_file, copy)
    dry_code, dry_out, dry_err = pfpp(db_file, *good, "--dry-run")
    assert db_file.read_bytes() == copy.read_bytes()
    code, out, err = pfpp(db_file, *good)
    assert dry_code == code == 0
    # The same figures; the dry run says what would be done, the real run what was.
    assert dry_out.splitlines() == [
        f"{f}: would add 2, update 0, leave 0 unchanged; 0 refused" for f in good
    ]
    assert out.splitlines() == [f"{f}: 2 added, 0 updated, 0 unchanged, 0 refused" for f in good]
    assert err.startswith("3 new organisations added: Home Office (central department), ")
    assert dry_err.startswith("would add 3 new organisations: Home Office (central department), ")
    assert dry_err.endswith("dry run: nothing was written\n")
    assert count(db_file, "contact") == 4 + 4


def test_pilot_link_and_on_conflict(db_file: Path, tmp_path: Path) -> None:
    with sqlite3.connect(db_file) as conn:
        conn.execute(
            "INSERT INTO pilot (name, project_name, local_challenge, challenge_published, stage, "
            "rag, notes, created_at, updated_at, version) VALUES ('Luton', '', '', 1, 'delivery',"
            " 'green', '', '2024-01-01 00:00:00.000000', '2024-01-01 00:00:00.000000', 1)"
        )
    code, _, _ = pfpp(db_file, str(DATA / "google_older.csv"), "--pilot", "luton")
    assert code == 0
    assert count(db_file, "contact_pilot") == 2
    changed = tmp_path / "changed.csv"
    changed.write_text("Name,Email,Job title\nTom Baxter,tom.baxter@luton.example,Lead\n")
    code, out, _ = pfpp(db_file, str(changed), "--on-conflict", "skip")
    assert (code, out.split(": ", 1)[1]) == (0, "0 added, 0 updated, 1 unchanged, 0 refused\n")
    code, out, _ = pfpp(db_file, str(changed), "--on-conflict", "merge")
    assert out.split(": ", 1)[1] == "0 added, 1 updated, 0 unchanged, 0 refused\n"
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT role FROM contact WHERE last_name = 'Baxter'").fetchone() == (
            "Lead",
        )


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "pdf"],
        ["--on-conflict", "overwrite"],
        ["--encoding", "klingon-8"],
        ["--pilot", "Nowhere"],
    ],
)
def test_usage_errors_exit_2(db_file: Path, args: list[str]) -> None:
    code, _, err = pfpp(db_file, str(DATA / "google_older.csv"), *args)
    assert code == 2
    assert "Traceback" not in err
    assert count(db_file, "contact") == 0


def test_missing_file_is_a_usage_error(db_file: Path, tmp_path: Path) -> None:
    code, _, _ = pfpp(db_file, str(tmp_path / "nope.csv"))
    assert code == 2


def test_help_text() -> None:
    result = runner.invoke(app, ["import", "contacts", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--encoding", "--dry-run", "--pilot", "--on-conflict"):
        assert option in result.stdout
    assert "--errors-csv" in result.stdout and "--sheet" in result.stdout


def test_real_process_never_loads_textual_and_never_tracebacks(
    db_file: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\x01PK\x03\x04" * 100)
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['pfpp', '--db', {str(db_file)!r}, 'import', 'contacts', {str(junk)!r}]\n"
        "try:\n"
        "    runpy.run_module('pfpp_tui.cli', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    assert 'textual' not in sys.modules\n"
        "    raise\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "binary file" in done.stderr


def test_new_organisations_get_a_kind_from_their_name_and_are_named(
    db_file: Path, tmp_path: Path
) -> None:
    """A charity or a consultancy is not filed as a government department (coverage reads the
    kind); a name with no clear sign is left "not yet classified" for a person to set."""
    source = tmp_path / "orgs.csv"
    source.write_text(
        "First name,Surname,Email,Organisation\n"
        "Ann,Lee,ann@hope.example,New Charity Ltd\n"
        "Bob,Kay,bob@acme.example,Acme Consulting Ltd\n"
        "Cat,Poe,cat@ho.example,Home Office\n"
        "Dan,Orr,dan@mind.example,Mind in Luton\n",
        encoding="utf-8",
    )
    code, out, err = pfpp(db_file, "--dry-run", str(source))
    assert code == 0, err
    assert out.splitlines() == [f"{source}: would add 4, update 0, leave 0 unchanged; 0 refused"]
    assert err.splitlines() == [
        "would add 4 new organisations: New Charity Ltd (voluntary & community "
        "organisation), Acme Consulting Ltd (private partner), Home Office (central "
        "department), Mind in Luton (not yet classified)",
        "dry run: nothing was written",
    ]
    assert count(db_file, "organisation") == 0
    code, _, err = pfpp(db_file, str(source))
    assert code == 0, err
    assert err.startswith("4 new organisations added: New Charity Ltd (")
    with sqlite3.connect(db_file) as conn:
        kinds = dict(conn.execute("SELECT name, kind FROM organisation"))
        created = conn.execute(
            "SELECT changes FROM change WHERE table_name = 'organisation' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    assert kinds == {
        "New Charity Ltd": "voluntary_community",
        "Acme Consulting Ltd": "private_partner",
        "Home Office": "central_department",
        "Mind in Luton": "unknown",
    }
    assert created == '{"kind": [null, "voluntary_community"], "name": [null, "New Charity Ltd"]}'
