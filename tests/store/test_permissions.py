"""Personal data stays private on disk: the data folder 0700; database, WAL, backups, exports 0600.

Each file the app creates is checked under the loosest umask a user may have (0o000: every
bit the program asks for is granted) and a common one (0o022), so the modes come from the
program, not from a friendly umask. Root ignores permission bits when reading, so these tests
check the bits themselves (``stat``), which is what protects the file from other users.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui import paths
from pfpp_tui.cli.main import app
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.migrate import run_downgrade
from pfpp_tui.store.db.records import create_record

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o000, 0o022], ids=["umask000", "umask022"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield int(request.param)
    finally:
        os.umask(old)


def pfpp(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def _one_contact(db_file: Path) -> None:
    db = open_database(db_file)
    try:
        create_record(
            db,
            table="contact",
            values={"first_name": "Asha", "email": "asha@example.org"},
            source=ChangeSource.CLI,
        )
    finally:
        db.dispose()


def test_data_directory_is_created_0700(umask: int) -> None:
    folder = paths.data_dir()
    assert folder.is_dir()
    assert mode(folder) == 0o700


def test_an_existing_data_directory_is_tightened_to_0700(umask: int) -> None:
    from platformdirs import user_data_dir

    folder = Path(user_data_dir(paths.APP_NAME, appauthor=False))
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    assert paths.data_dir() == folder
    assert mode(folder) == 0o700


def test_default_database_wal_and_shm_are_0600(umask: int) -> None:
    db_file = paths.default_database_path()
    db = open_database(None)
    try:
        create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
        assert db.location.path == db_file
        assert mode(db_file.parent) == 0o700
        wal = db_file.with_name(db_file.name + "-wal")
        shm = db_file.with_name(db_file.name + "-shm")
        assert wal.exists() and shm.exists()  # still open: the WAL is in use
        assert {p.name: mode(p) for p in (db_file, wal, shm)} == {
            db_file.name: 0o600,
            wal.name: 0o600,
            shm.name: 0o600,
        }
    finally:
        db.dispose()


def test_database_named_with_db_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "named.db"
    _one_contact(db_file)
    assert mode(db_file) == 0o600
    for extra in tmp_path.glob("named.db-*"):
        assert mode(extra) == 0o600, extra.name


def test_backup_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "p.db"
    _one_contact(db_file)
    target = tmp_path / "copy.db"
    pfpp("--db", str(db_file), "db", "backup", str(target))
    assert mode(target) == 0o600


def test_pre_migration_backup_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "old.db"
    db = open_database(db_file)
    run_downgrade(db, "base")
    db.dispose()
    open_database(db_file).dispose()
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert len(backups) == 1
    assert mode(backups[0]) == 0o600


def test_restore_keeps_the_previous_data_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "p.db"
    _one_contact(db_file)
    backup = tmp_path / "b.db"
    pfpp("--db", str(db_file), "db", "backup", str(backup))
    pfpp("--db", str(db_file), "db", "restore", str(backup), "--yes")
    kept = list(tmp_path.glob("p.db.before-restore-*.bak"))
    assert len(kept) == 1
    assert mode(kept[0]) == 0o600
    assert mode(db_file) == 0o600


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "vcf"])
def test_exports_are_0600(umask: int, tmp_path: Path, fmt: str) -> None:
    db_file = tmp_path / "p.db"
    _one_contact(db_file)
    out = tmp_path / f"contacts.{fmt}"
    pfpp("--db", str(db_file), "export", "contacts", "--format", fmt, "--output", str(out))
    assert out.stat().st_size > 0
    assert mode(out) == 0o600


def test_export_all_to_a_folder_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "p.db"
    _one_contact(db_file)
    out = tmp_path / "all"
    pfpp("--db", str(db_file), "export", "all", "--format", "csv", "--output", str(out))
    files = sorted(out.iterdir())
    assert files
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_report_written_to_a_file_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "p.db"
    _one_contact(db_file)
    out = tmp_path / "coverage.md"
    pfpp("--db", str(db_file), "report", "coverage", "--output", str(out))
    assert mode(out) == 0o600


def test_import_errors_csv_is_0600(umask: int, tmp_path: Path) -> None:
    db_file = tmp_path / "p.db"
    open_database(db_file).dispose()
    bad = tmp_path / "bad.csv"
    bad.write_text("First Name,Last Name,E-mail 1 - Value\nAsha,Patel,asha-at-example.org\n")
    errors = tmp_path / "errors.csv"
    result = runner.invoke(
        app, ["--db", str(db_file), "import", "contacts", str(bad), "--errors-csv", str(errors)]
    )
    assert result.exit_code == 1
    assert "asha-at-example.org" in errors.read_text()
    assert mode(errors) == 0o600
