"""Nothing touches the database file until a command knows it will write (issue 17, items 8-9).

Reading commands, dry runs and refused commands leave a SQLite file byte for byte as it was,
in rollback-journal mode as in WAL mode, and leave no -wal/-shm file behind; the first write
switches a rollback-journal database to WAL. Another application's SQLite file is refused in
one line naming what it holds, by every command (the TUI: ``tests/tui/test_read_only.py``),
and is left unchanged.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from tests.conftest import SAMPLE_DB
from tests.pg_server import PgServer

runner = CliRunner()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(f"{path.name}-*"))


def journal_mode(path: Path) -> str:
    """From the header alone (bytes 18-19: 1 rollback journal, 2 WAL), opening nothing."""
    return {1: "rollback", 2: "wal"}[path.read_bytes()[18]]


def sample_facts() -> tuple[str, str]:
    """A contact's e-mail and a pilot's name from sample.db."""
    conn = sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True)
    try:
        email = conn.execute("SELECT email FROM contact WHERE email IS NOT NULL").fetchone()[0]
        pilot = conn.execute("SELECT name FROM pilot ORDER BY id").fetchone()[0]
    finally:
        conn.close()
    return str(email), str(pilot)


EMAIL, PILOT = sample_facts()

READING_COMMANDS = {
    "person show": ["person", "show", EMAIL],
    "export csv": ["export", "contacts", "--format", "csv"],
    "export all json": ["export", "all", "--format", "json"],
    "export md": ["export", "barriers", "--format", "md"],
    "report pilot": ["report", "pilot", PILOT],
    "report coverage": ["report", "coverage"],
    "history": ["history"],
    "barrier queue": ["barrier", "queue"],
    "db check": ["db", "check"],
    "import dry run": ["import", "contacts", "{csv}", "--dry-run"],
    "purge dry run": ["purge", "--older-than", "1d", "--dry-run"],
}


@pytest.fixture(params=["rollback", "wal"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """sample.db (which ships in rollback-journal mode), or a copy switched to WAL."""
    path = tmp_path / "p.db"
    shutil.copyfile(SAMPLE_DB, path)
    if request.param == "wal":
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
    assert journal_mode(path) == request.param and side_files(path) == []
    return path


@pytest.mark.parametrize("command", list(READING_COMMANDS))
def test_a_reading_command_leaves_the_file_byte_for_byte(
    database: Path, tmp_path: Path, command: str
) -> None:
    csv_file = tmp_path / "new.csv"
    csv_file.write_text("First Name,Last Name,E-mail 1 - Value\nAsha,Patel,asha@example.org\n")
    args = [a.replace("{csv}", str(csv_file)) for a in READING_COMMANDS[command]]
    before = database.read_bytes()
    result = runner.invoke(app, ["--db", str(database), *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert database.read_bytes() == before
    assert side_files(database) == []


def test_the_first_write_switches_a_rollback_journal_database_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    shutil.copyfile(SAMPLE_DB, path)
    assert journal_mode(path) == "rollback"
    csv_file = tmp_path / "new.csv"
    csv_file.write_text("First Name,Last Name,E-mail 1 - Value\nAsha,Patel,asha@example.org\n")
    result = runner.invoke(app, ["--db", str(path), "import", "contacts", str(csv_file)])
    assert result.exit_code == 0, result.stderr
    assert journal_mode(path) == "wal"


@pytest.mark.parametrize("mode", ["rollback", "wal"])
@pytest.mark.parametrize("command", ["export csv", "db check", "person show"])
def test_a_database_from_a_newer_pfpp_is_refused_and_left_untouched(
    tmp_path: Path, mode: str, command: str
) -> None:
    path = tmp_path / "newer.db"
    shutil.copyfile(SAMPLE_DB, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.commit()
    if mode == "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    before = path.read_bytes()
    result = runner.invoke(app, ["--db", str(path), *READING_COMMANDS[command]])
    assert result.exit_code == 1
    assert "newer pfpp-tui" in result.stderr and len(result.stderr.splitlines()) == 1
    assert path.read_bytes() == before
    assert side_files(path) == []


# --- another application's database --------------------------------------------------------

FOREIGN_LINE = (
    "not a pfpp database: it holds 4 tables (customers, invoices, orders, …) and no pfpp revision"
)


@pytest.fixture
def foreign(tmp_path: Path) -> Path:
    path = tmp_path / "shop.db"
    conn = sqlite3.connect(path)
    for table in ("customers", "orders", "invoices", "products"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('Ada')")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["db", "upgrade"],
        ["db", "check"],
        ["db", "compact"],
        ["export", "contacts", "--format", "csv"],
        ["person", "show", "ada@example.org"],
        ["report", "coverage"],
        ["import", "contacts", "{csv}"],
        ["log", "meeting", "--pilot", "Luton", "--kind", "pilot_check_in", "--notes-file", "-"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_another_applications_database_is_refused_in_one_line(
    foreign: Path, tmp_path: Path, args: list[str]
) -> None:
    csv_file = tmp_path / "new.csv"
    csv_file.write_text("First Name,Last Name,E-mail 1 - Value\nAsha,Patel,asha@example.org\n")
    args = [a.replace("{csv}", str(csv_file)) for a in args]
    before = foreign.read_bytes()
    result = runner.invoke(app, ["--db", str(foreign), *args], input="notes\n")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert FOREIGN_LINE in result.stderr
    assert foreign.read_bytes() == before
    assert side_files(foreign) == []


@pytest.mark.parametrize("args", [["db", "upgrade"], ["db", "check"], ["history"]])
def test_another_application_that_also_uses_alembic_is_refused(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "crm.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
    conn.execute("INSERT INTO alembic_version VALUES ('3f2a9c1b7d10')")
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = runner.invoke(app, ["--db", str(path), *args])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr
    assert (
        "not a pfpp database: it holds 1 table (customers) and another application's "
        "revision 3f2a9c1b7d10"
    ) in result.stderr
    assert path.read_bytes() == before
    assert side_files(path) == []


def test_another_applications_postgresql_database_is_refused(pg_server: PgServer) -> None:
    admin = pg_server.admin_url.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS someone_elses")
        conn.execute("CREATE DATABASE someone_elses")
    url = pg_server.url_for("someone_elses")
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id serial PRIMARY KEY)")
    try:
        result = runner.invoke(app, ["--db", url, "db", "upgrade"])
        assert result.exit_code == 1
        assert "is not a pfpp database: it holds 1 table (customers)" in result.stderr
        with psycopg.connect(url.replace("+psycopg", "")) as conn:
            tables = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        assert tables == [("customers",)]
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE someone_elses WITH (FORCE)")
