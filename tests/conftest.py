"""Fixtures every test package shares: real database files, migrated to head.

``db`` is a fresh SQLite file in ``tmp_path`` opened through ``open_database`` (so every test
exercises the migrations); ``sample_copy`` is a private copy of the committed sample.db.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from pfpp_tui.store.db.database import Database, open_database
from tests.pg_server import PgServer, find_pg_bin

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DB = REPO_ROOT / "sample.db"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real database, config or data folder from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PFPP_CONFIG", str(home / "config" / "pfpp-tui" / "config.toml"))
    monkeypatch.setenv("PFPP_USER", "tester")
    monkeypatch.delenv("PFPP_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One throw-away PostgreSQL server for the session; a missing one fails under CI=true."""
    if find_pg_bin() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required under CI=true (apt-get install postgresql)")
        pytest.skip("PostgreSQL server binaries not installed")
    server = PgServer.start()
    # A migrated template: each test's database is a cheap copy of it.
    with psycopg.connect(server.admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE DATABASE pfpp_template")
    open_database(server.url_for("pfpp_template")).dispose()
    yield server
    server.stop()


_pg_counter = itertools.count(1)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh database on the session's server, already at head, dropped after the test.

    Dropping each one as it ends keeps the server small: left to the session's end, hundreds of
    databases made the server's shutdown take minutes. ``WITH (FORCE)`` ends connections a test's
    engine still holds in its pool.
    """
    name = f"pfpp_test_{next(_pg_counter)}"
    admin = pg_server.admin_url.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE pfpp_template")
    yield pg_server.url_for(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The same test on both engines: a SQLite file, then a PostgreSQL database."""
    location = (
        str(tmp_path / "any.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    )
    database = open_database(location)
    yield database
    database.dispose()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the committed sample.db (tests may change it freely)."""
    if not SAMPLE_DB.exists():
        pytest.fail("sample.db is missing: run `pfpp sample sample.db --force`")
    target = tmp_path / "sample-copy.db"
    shutil.copyfile(SAMPLE_DB, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def sample_db(sample_copy: Path) -> Iterator[Database]:
    """The sample opened as a database pfpp has written to is: in WAL mode (sample.db ships in
    rollback-journal mode, and opening alone no longer switches it: issue 17.8)."""
    conn = sqlite3.connect(sample_copy)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    database = open_database(sample_copy)
    yield database
    database.dispose()


# --- figures -----------------------------------------------------------------------------------
# The reliability tests print the figures issue 8 asks for (worst wait, outcomes counted, files
# fuzzed...). Captured output is normally hidden, so it is repeated in the run's summary.
FIGURE_MODULES = (
    "tests/store/test_two_writers.py",
    "tests/store/test_crash_migration.py",
    "tests/store/test_crash_upgrade.py",
    "tests/store/test_history_complete.py",
    "tests/cli/test_crash_import.py",
    "tests/cli/test_fuzz_import.py",
    "tests/cli/test_disk_full.py",
)
_figures: list[tuple[str, str]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if (
        report.when == "call"
        and report.passed
        and report.nodeid.startswith(FIGURE_MODULES)
        and report.capstdout.strip()
    ):
        _figures.append((report.nodeid, report.capstdout.strip()))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _figures:
        return
    terminalreporter.section("figures from the reliability tests")
    for nodeid, text in _figures:
        terminalreporter.write_line(nodeid)
        for line in text.splitlines():
            terminalreporter.write_line(f"    {line}")
