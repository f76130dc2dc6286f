"""Bad server URLs: one line naming what is wrong, exit 1, no password, and no hang.

No test measures time (load makes any bound flaky): a hang shows as the subprocess's generous
safety timeout, and the silent-server case sets ``PFPP_CONNECT_TIMEOUT_S`` and checks that the
command gave up with the wait it was given.

Runs ``pfpp`` in a subprocess against the session's throw-away PostgreSQL server. That server
trusts loopback connections, so the password cases use a role ``pwuser`` for which a
``scram-sha-256`` line is put first in ``pg_hba.conf`` (and the configuration reloaded): a
wrong password then really fails at the server, the same way it would in production.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from pfpp_tui.store.db.database import CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT_S, connect_timeout_s
from tests.pg_server import PgServer

RIGHT = "Right-Pass-4417"
WRONG = "Wrong-Canary-Secret-9931"
PW_DB = "pw_owned"


def admin(server: PgServer) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(server.admin_url.replace("+psycopg", ""), autocommit=True)


@pytest.fixture(scope="module")
def pw_server(pg_server: PgServer) -> PgServer:
    with admin(pg_server) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'pwuser'").fetchone() is None:
            conn.execute(f"CREATE ROLE pwuser LOGIN PASSWORD '{RIGHT}'")
            conn.execute(f"CREATE DATABASE {PW_DB} OWNER pwuser")
            hba = pg_server.data_dir / "pg_hba.conf"
            hba.write_text("host all pwuser 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
            conn.execute("SELECT pg_reload_conf()")
            time.sleep(0.3)
    return pg_server


def pfpp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # The timeout is only a safety net against a hang, far above any connect timeout used here.
    return subprocess.run(
        [sys.executable, "-m", "pfpp_tui.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_one_line(done: subprocess.CompletedProcess[str], expected: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]
    assert "Traceback" not in done.stderr


def test_wrong_port(pw_server: PgServer) -> None:
    port = closed_port()
    done = pfpp("--db", f"postgresql+psycopg://postgres@127.0.0.1:{port}/x", "db", "upgrade")
    assert_one_line(done, f"nothing is listening at 127.0.0.1 port {port}")


def test_wrong_host(pw_server: PgServer) -> None:
    url = f"postgresql+psycopg://postgres:{WRONG}@nohost.invalid:{pw_server.port}/x"
    done = pfpp("--db", url, "db", "upgrade")
    assert_one_line(done, "unknown host nohost.invalid")
    assert WRONG not in done.stderr + done.stdout


def test_wrong_database_name(pw_server: PgServer) -> None:
    done = pfpp("--db", pw_server.url_for("no_such_db"), "db", "upgrade")
    assert_one_line(done, 'no database "no_such_db" on the server')


def test_wrong_password_is_named_and_never_shown(pw_server: PgServer) -> None:
    url = f"postgresql+psycopg://pwuser:{WRONG}@127.0.0.1:{pw_server.port}/{PW_DB}"
    done = pfpp("--db", url, "db", "upgrade")
    assert_one_line(done, 'wrong password for user "pwuser"')
    assert WRONG not in done.stderr + done.stdout
    assert "pwuser:***@" in done.stderr


def test_missing_password_says_where_to_put_it(pw_server: PgServer, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://pwuser@127.0.0.1:{pw_server.port}/{PW_DB}"
    done = pfpp("--db", url, "db", "upgrade", env={"PGPASSFILE": str(tmp_path / "none")})
    assert_one_line(done, "wants a password")


def test_password_from_pgpassword_and_pgpass(pw_server: PgServer, tmp_path: Path) -> None:
    url = f"postgresql+psycopg://pwuser@127.0.0.1:{pw_server.port}/{PW_DB}"
    done = pfpp("--db", url, "db", "upgrade", env={"PGPASSWORD": RIGHT})
    assert done.returncode == 0, done.stderr
    assert RIGHT not in done.stdout + done.stderr
    home = tmp_path / "home"
    home.mkdir()
    pgpass = home / ".pgpass"
    pgpass.write_text(f"127.0.0.1:{pw_server.port}:{PW_DB}:pwuser:{RIGHT}\n")
    pgpass.chmod(0o600)
    done = pfpp("--db", url, "db", "check", env={"HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert RIGHT not in done.stdout + done.stderr


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and then never says a word: a hung server."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


@pytest.mark.slow
def test_a_server_that_never_answers_times_out(silent_server: int) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{silent_server}/x"
    done = pfpp("--db", url, "db", "upgrade", env={CONNECT_TIMEOUT_ENV: "2"})
    assert_one_line(done, f"no answer from 127.0.0.1 port {silent_server} within 2 s")


def test_the_connect_timeout_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONNECT_TIMEOUT_ENV, raising=False)
    assert connect_timeout_s() == CONNECT_TIMEOUT_S
    for raw, seconds in (("7", 7), ("1", 2), ("0", 2), ("soon", CONNECT_TIMEOUT_S), ("", 5)):
        monkeypatch.setenv(CONNECT_TIMEOUT_ENV, raw)
        assert connect_timeout_s() == seconds, raw


def test_a_server_database_at_a_newer_head_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
        before = conn.execute("SELECT count(*) FROM change").fetchone()
    done = pfpp("--db", pg_url, "person", "show", "1")
    assert_one_line(done, "newer pfpp-tui (schema revision f00dfeed9999)")
    assert "this version knows up to" in done.stderr
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "f00dfeed9999",
        )
        assert conn.execute("SELECT count(*) FROM change").fetchone() == before
