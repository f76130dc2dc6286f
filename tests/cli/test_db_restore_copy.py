"""``pfpp db restore``, ``pfpp db copy`` and ``pfpp db backup`` on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.copy import logical_dump
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.records import create_record
from tests.store.programme_fill import fill_programme

runner = CliRunner()


def pilots(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM pilot ORDER BY name")]
    finally:
        conn.close()


def make(path: Path, *names: str) -> None:
    db = open_database(path)
    for name in names:
        create_record(db, table="pilot", values={"name": name}, source=ChangeSource.CLI)
    db.dispose()


def test_restore_asks_keeps_the_current_data_and_brings_the_backup_back(tmp_path: Path) -> None:
    live, backup = tmp_path / "live.db", tmp_path / "b.db"
    make(live, "Luton")
    assert runner.invoke(app, ["--db", str(live), "db", "backup", str(backup)]).exit_code == 0
    make(live, "Hackney")
    no = runner.invoke(app, ["--db", str(live), "db", "restore", str(backup)], input="n\n")
    assert no.exit_code == 1
    assert pilots(live) == ["Hackney", "Luton"]
    result = runner.invoke(app, ["--db", str(live), "db", "restore", str(backup)], input="y\n")
    assert result.exit_code == 0, result.output
    assert pilots(live) == ["Luton"]
    kept = list(tmp_path.glob("live.db.before-restore-*.bak"))
    assert len(kept) == 1 and pilots(kept[0]) == ["Hackney", "Luton"]
    assert kept[0].stat().st_mode & 0o777 == 0o600
    check = runner.invoke(app, ["--db", str(live), "db", "check"])
    assert check.exit_code == 0, check.output
    # Still a WAL database that takes writes.
    make(live, "Wakefield")
    assert pilots(live) == ["Luton", "Wakefield"]


@pytest.mark.parametrize("kind", ["text", "damaged", "missing", "newer"])
def test_restore_verifies_the_file_first(tmp_path: Path, kind: str) -> None:
    live, bad = tmp_path / "live.db", tmp_path / "bad.db"
    make(live, "Luton")
    if kind == "text":
        bad.write_text("not a database")
    elif kind in ("damaged", "newer"):
        make(bad, *[f"Pilot {i} " + "x" * 100 for i in range(300)])
        conn = sqlite3.connect(bad)
        if kind == "newer":
            conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
            conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        if kind == "damaged":
            data = bytearray(bad.read_bytes())
            data[4096 * 2 : 4096 * 4] = b"\x5a" * (4096 * 2)
            bad.write_bytes(bytes(data))
    result = runner.invoke(app, ["--db", str(live), "db", "restore", str(bad), "--yes"])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert pilots(live) == ["Luton"]
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_db_copy_to_postgresql_and_back_from_the_cli(pg_url: str, tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    db = open_database(source)
    fill_programme(db, people=20)
    original = logical_dump(db)
    db.dispose()
    there = runner.invoke(app, ["--db", str(source), "db", "copy", "--to", pg_url])
    assert there.exit_code == 0, there.output
    assert "counts and checksums match" in there.output
    back = tmp_path / "back.db"
    home = runner.invoke(app, ["--db", str(back), "db", "copy", "--from", pg_url])
    assert home.exit_code == 0, home.output
    again = open_database(back)
    assert logical_dump(again) == original
    again.dispose()
    # Twice into the same server database: refused, nothing changed.
    twice = runner.invoke(app, ["--db", str(source), "db", "copy", "--to", pg_url])
    assert twice.exit_code == 1
    assert "already holds data" in twice.output


def test_db_copy_needs_exactly_one_direction(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "a.db"), "db", "copy"])
    assert result.exit_code == 1
    assert "exactly one of --to URL or --from URL" in result.output


def test_db_backup_on_postgresql_uses_pg_dump(pg_url: str, tmp_path: Path) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not on PATH")
    target = tmp_path / "server.dump"
    result = runner.invoke(app, ["--db", pg_url, "db", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:5] == b"PGDMP"
    assert target.stat().st_mode & 0o777 == 0o600


def test_db_backup_on_postgresql_without_pg_dump_explains(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = runner.invoke(app, ["--db", pg_url, "db", "backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert "pg_dump is not installed here" in result.output
    assert "pg_dump --format=custom --file" in result.output
