"""``kill -9`` during a multi-step ``pfpp db upgrade``: the database is at the old revision or at
head, never in between, on SQLite and PostgreSQL.

A database at revision 0001 holding many contacts (100,000 by default) is upgraded to head by
the real command in a worker process, which is killed at moments spread over a measured
uninterrupted run (before, during and after the backup and each revision). After each kill:
SQLite's ``integrity_check`` and ``foreign_key_check`` are clean, the revision is 0001 or head,
the schema matches that revision (no table of a later revision at 0001, every one at head),
every contact is there, and the database then opens and reaches head with every contact.

Knobs: ``PFPP_CRASH_UPGRADE_KILLS`` (default 10; CI runs 30) and
``PFPP_CRASH_UPGRADE_CONTACTS`` (default 100000).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import inspect, text

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.migrate import head_revision, run_downgrade
from tests.conftest import REPO_ROOT
from tests.pg_server import PgServer

KILLS = int(os.environ.get("PFPP_CRASH_UPGRADE_KILLS", "10"))
CONTACTS = int(os.environ.get("PFPP_CRASH_UPGRADE_CONTACTS", "100000"))
OLD = "0001"
# A table each later revision adds: present at head, absent at 0001.
LATER_TABLES = {"partnership_agreement"}
SQLITE_LATER_TABLES = LATER_TABLES | {"contact_search"}

_FILL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
INSERT INTO contact (created_at, updated_at, version, first_name, last_name, email, email_key,
                     role, notes, tags, archived)
SELECT {now}, {now}, 1, 'First' || i, 'Last' || i, 'p' || i || '@example.org',
       'p' || i || '@example.org', 'Role ' || i, 'notes about ' || i, '', {false} FROM n
"""


def fill_contacts(location: str, *, postgres: bool) -> None:
    """Bring a fresh head database back to 0001 and give it ``CONTACTS`` contacts."""
    db = open_database(location)
    try:
        run_downgrade(db, OLD)
        now = "TIMESTAMP '2024-01-01 00:00:00'" if postgres else "'2024-01-01 00:00:00.000000'"
        statement = _FILL.format(count=CONTACTS, now=now, false="false" if postgres else "0")
        with db.engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        db.dispose()


def run_worker(location: str, kill_after: float | None) -> float:
    """Start ``pfpp db upgrade``; kill it ``kill_after`` s after it is ready. Returns the time."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_upgrade_worker", location],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    if kill_after is None:
        lines = [line.strip() for line in proc.stdout]  # the command's own line, then "done"
        assert proc.wait(timeout=120) == 0 and lines[-1] == "done", lines
        return time.monotonic() - started
    time.sleep(kill_after)  # the point of the test: a kill at an arbitrary moment
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return time.monotonic() - started


def kill_trials(
    name: str,
    fresh_copy: Callable[[int], str],
    check: Callable[[str], str],
    discard: Callable[[str], None],
) -> dict[str, int]:
    """Time one whole upgrade, then kill ``KILLS`` upgrades spread over it; tally outcomes.

    Each copy is discarded once checked: 30 copies of a 100,000-contact database would
    otherwise hold gigabytes on a shared disk.
    """
    timing = fresh_copy(-1)
    full = run_worker(timing, None)
    assert check(timing) == head_revision()
    discard(timing)
    rnd = random.Random(2026)
    outcomes = {OLD: 0, head_revision(): 0}
    for i in range(KILLS):
        location = fresh_copy(i)
        moment = full * 1.3 * (i + rnd.random()) / KILLS
        run_worker(location, moment)
        revision = check(location)
        outcomes[revision] += 1
        discard(location)
    print(
        f"\n[{name}] upgrade {OLD} -> {head_revision()} of {CONTACTS} contacts: "
        f"{full:.1f} s uninterrupted; {KILLS} kills -9: {outcomes[OLD]} at {OLD}, "
        f"{outcomes[head_revision()]} at head, 0 in between"
    )
    return outcomes


@pytest.mark.slow
def test_kill_9_during_a_multi_step_sqlite_upgrade_leaves_old_or_head(
    tmp_path: Path,
) -> None:
    template = tmp_path / "template.db"
    fill_contacts(str(template), postgres=False)

    def fresh_copy(i: int) -> str:
        work = tmp_path / f"run{i}"
        work.mkdir()
        shutil.copyfile(template, work / "p.db")
        return str(work / "p.db")

    def check(location: str) -> str:
        path = Path(location)
        assert sqlite_corner.integrity_problems(path) == []
        conn = sqlite3.connect(path)
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            contacts = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
        finally:
            conn.close()
        assert revision in (OLD, head_revision()), f"left half-way at {revision}"
        later = tables & SQLITE_LATER_TABLES
        assert later == (SQLITE_LATER_TABLES if revision != OLD else set()), revision
        assert contacts == CONTACTS
        db = open_database(path)  # recovers and finishes the upgrade
        try:
            with db.read() as session:
                assert session.execute(text("SELECT count(*) FROM contact")).scalar() == CONTACTS
        finally:
            db.dispose()
        return str(revision)

    def discard(location: str) -> None:
        shutil.rmtree(Path(location).parent)

    outcomes = kill_trials("SQLite", fresh_copy, check, discard)
    assert sum(outcomes.values()) == KILLS


@pytest.mark.slow
def test_kill_9_during_a_multi_step_postgresql_upgrade_leaves_old_or_head(
    pg_server: PgServer,
) -> None:
    admin = pg_server.admin_url.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CREATE DATABASE crash_upgrade_template TEMPLATE pfpp_template")
    fill_contacts(pg_server.url_for("crash_upgrade_template"), postgres=True)

    def fresh_copy(i: int) -> str:
        name = f"crash_upgrade_{i + 1}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE crash_upgrade_template")
        return pg_server.url_for(name)

    def check(location: str) -> str:
        name = location.rsplit("/", 1)[1]
        with psycopg.connect(admin, autocommit=True) as conn:
            # The killed client can never send COMMIT; end its orphaned server process now
            # rather than when the server next writes to the dead socket.
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
        db = open_database(location, upgrade=False)
        try:
            with db.engine.connect() as conn:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                tables = set(inspect(conn).get_table_names())
                contacts = conn.execute(text("SELECT count(*) FROM contact")).scalar()
        finally:
            db.dispose()
        assert revision in (OLD, head_revision()), f"left half-way at {revision}"
        assert tables & LATER_TABLES == (LATER_TABLES if revision != OLD else set()), revision
        assert contacts == CONTACTS
        return str(revision)

    def discard(location: str) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {location.rsplit('/', 1)[1]} WITH (FORCE)")

    try:
        outcomes = kill_trials("PostgreSQL", fresh_copy, check, discard)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS crash_upgrade_template WITH (FORCE)")
    assert sum(outcomes.values()) == KILLS
