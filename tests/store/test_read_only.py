"""A database this user cannot write opens for reading; writes say "read-only: …" (issue 16.7).

Three ways a database is read-only, each tested: the user has no write permission on the file
(only when the tests run as a normal user: root writes any file), the file system is mounted
read-only (a real read-only bind mount, when ``mount`` is permitted: root in CI; it refuses
root too), and asked for (``open_database(read_only=True)`` or ``PFPP_READ_ONLY=1``). In each,
browsing, filtering and export work, every write is refused in one ``read-only:`` line before
any transaction, and the file is left byte for byte as it was, with no -wal/-shm behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.errors import DatabaseReadOnlyError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.migrate import run_downgrade
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.listing.browse import count_rows, fetch_page
from tests.conftest import SAMPLE_DB

runner = CliRunner()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


@pytest.fixture
def wal_db(tmp_path: Path) -> Path:
    """sample.db in WAL mode (as pfpp leaves a database it wrote), nobody else using it."""
    path = tmp_path / "data" / "p.db"
    path.parent.mkdir()
    shutil.copyfile(SAMPLE_DB, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert side_files(path) == []
    return path


def browse_and_refuse(location: Path, reason: str) -> None:
    """Open; read, filter, count; a write is refused naming the file and why."""
    db = open_database(location)
    try:
        assert db.read_only and db.read_only_reason is not None
        assert reason in db.read_only_reason
        page = fetch_page(db, "contacts", limit=10)
        assert len(page.rows) == 10
        assert 0 < count_rows(db, "contacts", filter_text="an") < count_rows(db, "contacts")
        assert count_rows(db, "barriers", filter_text="status:open") > 0
        with pytest.raises(DatabaseReadOnlyError) as refused:
            create_record(db, table="pilot", values={"name": "Nowhere"}, source=ChangeSource.CLI)
        message = str(refused.value)
        assert message.startswith(f"read-only: {location} cannot be written ({reason}")
        assert "\n" not in message
    finally:
        db.dispose()


def test_opened_read_only_reads_refuses_writes_and_changes_no_byte(wal_db: Path) -> None:
    before = wal_db.read_bytes()
    db = open_database(wal_db, read_only=True)
    try:
        assert db.read_only
        with pytest.raises(DatabaseReadOnlyError, match=r"^read-only: .*nothing was changed$"):
            create_record(db, table="pilot", values={"name": "Nowhere"}, source=ChangeSource.CLI)
        assert len(fetch_page(db, "pilots", limit=5).rows) > 0
    finally:
        db.dispose()
    assert wal_db.read_bytes() == before
    assert side_files(wal_db) == []


def test_pfpp_read_only_set_browses_exports_and_refuses_writes(
    wal_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PFPP_READ_ONLY", "1")
    before = wal_db.read_bytes()
    browse_and_refuse(wal_db, "PFPP_READ_ONLY is set")
    out = tmp_path / "contacts.csv"
    done = runner.invoke(
        app, ["--db", str(wal_db), "export", "contacts", "-f", "csv", "-o", str(out)]
    )
    assert done.exit_code == 0, done.stderr
    assert out.read_text().count("\n") > 100
    notes = tmp_path / "notes.md"
    notes.write_text("We met.\n")
    for args in (
        ["log", "meeting", "--pilot", "Luton", "--kind", "pilot_check_in", "--notes-file",
         str(notes)],
        ["purge", "--older-than", "1d", "--yes"],
        ["db", "compact"],
    ):  # fmt: skip
        done = runner.invoke(app, ["--db", str(wal_db), *args])
        assert done.exit_code == 1, (args, done.stdout)
        assert done.stderr.startswith(f"pfpp: read-only: {wal_db} cannot be written"), done.stderr
        assert done.stderr.count("\n") == 1
    assert wal_db.read_bytes() == before
    assert side_files(wal_db) == []


def test_a_read_only_database_behind_this_version_is_refused_not_migrated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    run_downgrade(db, "0003")
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseReadOnlyError) as refused:
        open_database(path, read_only=True)
    assert "schema revision 0003" in str(refused.value)
    assert "pfpp db upgrade" in str(refused.value)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("old.db.before-*")) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file: see the mount test")
def test_a_file_the_user_cannot_write_opens_read_only(wal_db: Path) -> None:
    wal_db.chmod(0o444)
    before = wal_db.read_bytes()
    browse_and_refuse(wal_db, "you have no permission to write the file")
    assert wal_db.read_bytes() == before
    assert side_files(wal_db) == []


@pytest.fixture
def read_only_view(wal_db: Path, tmp_path: Path) -> Iterator[Path]:
    """``wal_db`` seen through a read-only bind mount of its folder (root, mount permitted)."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mount needs root (CI runs as root)")
    view = tmp_path / "ro"
    view.mkdir()
    run = subprocess.run(
        ["mount", "--bind", str(wal_db.parent), str(view)], capture_output=True, timeout=30
    )
    if run.returncode != 0:
        pytest.skip(f"mount not permitted here: {run.stderr!r}")
    try:
        remount = subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(view)], capture_output=True, timeout=30
        )
        if remount.returncode != 0:
            pytest.skip(f"read-only remount not permitted: {remount.stderr!r}")
        with pytest.raises(OSError):
            (view / "probe").write_text("x")  # really read-only, for root too
        yield view / wal_db.name
    finally:
        subprocess.run(["umount", str(view)], capture_output=True, timeout=30)


def test_a_database_on_a_read_only_file_system_opens_read_only(
    read_only_view: Path, wal_db: Path, tmp_path: Path
) -> None:
    before = wal_db.read_bytes()
    browse_and_refuse(read_only_view, "its file system is read-only")
    out = tmp_path / "contacts.json"
    done = runner.invoke(
        app, ["--db", str(read_only_view), "export", "contacts", "-f", "json", "-o", str(out)]
    )
    assert done.exit_code == 0, done.stderr
    assert out.stat().st_size > 0
    done = runner.invoke(app, ["--db", str(read_only_view), "purge", "--older-than", "1d", "-y"])
    assert done.exit_code == 1
    assert done.stderr.startswith("pfpp: read-only: ") and done.stderr.count("\n") == 1
    assert wal_db.read_bytes() == before
    assert side_files(wal_db) == []


def test_a_postgresql_database_opened_read_only_reads_and_refuses_writes(pg_url: str) -> None:
    db = open_database(pg_url, read_only=True)
    try:
        assert db.read_only
        assert not fetch_page(db, "pilots", limit=5).rows  # a fresh database, read
        with pytest.raises(DatabaseReadOnlyError, match=r"^read-only: .*nothing was changed$"):
            create_record(db, table="pilot", values={"name": "Nowhere"}, source=ChangeSource.CLI)
        # And the server itself refuses: every transaction on these connections is read-only.
        with pytest.raises(DBAPIError, match="read-only transaction"), db.engine.begin() as conn:
            conn.execute(text("CREATE TABLE nope (id integer)"))
    finally:
        db.dispose()
