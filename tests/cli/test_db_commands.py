"""``pfpp --version`` and ``pfpp db ...``: exit codes, output and what lands on disk."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from pfpp_tui import __version__
from pfpp_tui.cli.main import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_db_upgrade_then_check_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["--db", str(path), "db", "check"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_db_check_catches_a_corrupted_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO organisation (name, kind, notes, created_at, updated_at, "
        "version) VALUES (?, 'local_authority', '', '2024-01-01', '2024-01-01', 1)",
        [(f"Council {i} " + "x" * 300,) for i in range(400)],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    # Scribble over the middle of the file, past the header page.
    for offset in range(page * 3, min(len(data), page * 6)):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "pfpp_tui.cli", "--db", str(path), "db", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_directory_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pfpp_tui.cli", "--db", str(tmp_path), "db", "upgrade"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"pfpp: {tmp_path}: is a directory, not a database file"


def test_db_backup_copies_a_consistent_private_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    assert runner.invoke(app, ["--db", str(path), "db", "upgrade"]).exit_code == 0
    target = tmp_path / "copy.db"
    result = runner.invoke(app, ["--db", str(path), "db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()


def test_db_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    result = runner.invoke(app, ["--db", str(path), "db", "backup", str(target)])
    assert result.exit_code == 1
    assert target.read_text() == "keep me"
