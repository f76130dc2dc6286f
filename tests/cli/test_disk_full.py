"""Disk full, or a read-only database, during an import: a clear message, nothing written.

Promise (issue 8): "Disk full or a read-only database during an import: a clear message,
nothing written, the database still opens."

Two ways each, because the honest one needs privileges CI may not have:

- Always run, in process: the importing engine's connections get ``PRAGMA max_page_count`` set
  just above the file's size (SQLite then fails the write with ``SQLITE_FULL``, "database or
  disk is full" -- the very error a full disk gives), or ``PRAGMA query_only`` (SQLite's
  "attempt to write a readonly database", as for a read-only file). The hook wraps
  ``store.db.database.make_engine``, so the command runs unchanged otherwise.
- Real file systems, when ``mount`` is permitted (root in CI; skipped elsewhere): a 1 MiB tmpfs
  that a 20,000-row import overflows, and a read-only bind mount of the database's folder. A
  ``chmod 0444`` would prove nothing here: root (CI) ignores permission bits, while a
  read-only mount refuses writes to everyone, root included.

Each checks: exit 1, one line on stderr naming the problem and saying nothing was written, no
traceback and no SQL or row values echoed, every table's row count unchanged, integrity clean,
and the database opens again afterwards (through ``open_database``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from typer.testing import CliRunner

import pfpp_tui.store.db.database as database
from pfpp_tui.cli.main import app
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import open_database
from tests.cli.test_crash_import import write_csv
from tests.conftest import REPO_ROOT

TABLES = ("contact", "organisation", "team", "change")
runner = CliRunner()


def counts(path: Path, *, read_only: bool = False) -> tuple[int, ...]:
    uri = f"file:{path}?immutable=1" if read_only else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True)
    try:
        return tuple(int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES)
    finally:
        conn.close()


def seeded(path: Path) -> Path:
    db = open_database(path)
    db.dispose()
    code = runner.invoke(
        app,
        ["--db", str(path), "import", "contacts", str(REPO_ROOT / "tests/data/import/outlook.csv")],
    ).exit_code
    assert code == 0
    return path


def assert_clear_refusal(code: int, stderr: str, *words: str) -> None:
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert "[SQL:" not in stderr and "parameters" not in stderr, "SQL or row values echoed"
    assert "nothing was written" in stderr
    assert any(w in stderr for w in words), stderr
    assert len(stderr.strip().splitlines()) <= 2, stderr


@pytest.fixture(scope="module")
def csv_3000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csv") / "contacts.csv"
    write_csv(path, 3000)
    return path


def _hook(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    original = database.make_engine

    def make_engine(location: Any) -> Engine:
        engine = original(location)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
            if pragma == "query_only":
                dbapi_connection.execute("PRAGMA query_only = ON")
            else:
                pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
                dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 5}")

        return engine

    monkeypatch.setattr(database, "make_engine", make_engine)


@pytest.mark.parametrize(
    ("pragma", "words"),
    [("max_page_count", ("disk is full", "disk full")), ("query_only", ("read-only", "readonly"))],
    ids=["disk-full", "read-only"],
)
def test_simulated_in_process(
    tmp_path: Path, csv_3000: Path, monkeypatch: pytest.MonkeyPatch, pragma: str, words: Any
) -> None:
    db_file = seeded(tmp_path / "p.db")
    before = counts(db_file)
    with monkeypatch.context() as patch:
        _hook(patch, pragma)
        result = runner.invoke(app, ["--db", str(db_file), "import", "contacts", str(csv_3000)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert_clear_refusal(result.exit_code, result.stderr, *words)
    assert counts(db_file) == before
    assert sqlite_corner.integrity_problems(db_file) == []
    open_database(db_file).dispose()


def run_pfpp(db_file: Path, csv_file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-c", "from pfpp_tui.cli.main import run; run()",
         "--db", str(db_file), "import", "contacts", str(csv_file)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[list[Path]]:
    """Mount points to unmount afterwards; skips the test when mount is not permitted."""
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mount needs root (CI runs as root)")
    points: list[Path] = []
    yield points
    for point in reversed(points):
        subprocess.run(["umount", str(point)], check=False, capture_output=True, timeout=30)


def try_mount(points: list[Path], target: Path, *args: str) -> None:
    target.mkdir(exist_ok=True)
    try:
        _mount(*args, str(target))
    except (subprocess.CalledProcessError, OSError) as exc:
        pytest.skip(f"mount not permitted here: {getattr(exc, 'stderr', exc)!r}")
    points.append(target)


@pytest.mark.slow
def test_a_real_full_file_system(tmp_path: Path, mounted: list[Path]) -> None:
    small = tmp_path / "small"
    try_mount(mounted, small, "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs")
    db_file = seeded(small / "p.db")
    before = counts(db_file)
    big = tmp_path / "big.csv"  # on the roomy disk: only the database is short of space
    write_csv(big, 20_000)
    done = run_pfpp(db_file, big)
    assert_clear_refusal(done.returncode, done.stderr, "disk is full", "disk full", "No space")
    assert counts(db_file) == before
    assert sqlite_corner.integrity_problems(db_file) == []
    open_database(db_file).dispose()
    print(f"\nreal 1 MiB tmpfs: import refused: {done.stderr.strip()}")


def read_only_import(tmp_path: Path, csv_file: Path, mounted: list[Path]) -> str:
    """Import into a database seen through a read-only bind mount; returns stderr."""
    folder = tmp_path / "data"
    folder.mkdir()
    db_file = seeded(folder / "p.db")
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = counts(db_file)
    view = tmp_path / "ro"
    try_mount(mounted, view, "--bind", str(folder))
    try:
        _mount("-o", "remount,ro,bind", str(view))
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"read-only remount not permitted: {exc.stderr!r}")
    ro_db = view / "p.db"
    with pytest.raises(OSError):
        (view / "probe").write_text("x")  # really read-only, for root too
    done = run_pfpp(ro_db, csv_file)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "[SQL:" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert counts(ro_db, read_only=True) == before
    assert counts(db_file) == before
    assert sqlite_corner.integrity_problems(db_file) == []
    open_database(db_file).dispose()  # opens again where it can be written
    return done.stderr.strip()


@pytest.mark.slow
def test_a_real_read_only_file_system(tmp_path: Path, csv_3000: Path, mounted: list[Path]) -> None:
    message = read_only_import(tmp_path, csv_3000, mounted)
    print(f"\nread-only bind mount: import refused: {message}")


def test_a_real_read_only_file_system_is_named_as_such(
    tmp_path: Path, csv_3000: Path, mounted: list[Path]
) -> None:
    message = read_only_import(tmp_path, csv_3000, mounted)
    assert "read-only" in message or "readonly" in message
