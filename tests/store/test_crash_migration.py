"""``kill -9`` during a start-up migration: the database is wholly at the old or the new revision.

A test-only revision rebuilds the history table (SQLite batch mode: create, copy, drop,
rename) and rewrites every row, so the migration takes long enough to be killed inside. The
worker is killed at 20 moments spread over a measured uninterrupted run (before, during and
after the backup and the upgrade). After each kill: ``integrity_check`` and
``foreign_key_check`` are clean, the revision is the old or the new one with the matching
table shape and every row, and any pre-migration backup is whole and restores.
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
from pathlib import Path

import pytest

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.backup import verify_backup_file
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.migrate import MIGRATIONS_DIR, head_revision
from tests.conftest import REPO_ROOT
from tests.store.programme_fill import fill_programme

KILLS = 20
HISTORY_ROWS = 60_000
TEST_REVISION = "9999crash"
HEAVY_REVISION = f'''"""test only: rebuild the history table with a new column"""
import sqlalchemy as sa
from alembic import op

revision = "{TEST_REVISION}"
down_revision = "{{down}}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change", recreate="always") as batch:
        batch.add_column(sa.Column("crash_test", sa.String(40), nullable=True))
    op.execute("UPDATE change SET crash_test = 'migrated-' || id")


def downgrade() -> None:
    with op.batch_alter_table("change", recreate="always") as batch:
        batch.drop_column("crash_test")
'''


def state(path: Path) -> tuple[str | None, bool, int]:
    """(revision, has the new column, history rows), opened read-only after recovery."""
    conn = sqlite3.connect(path)
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        columns = {row[1] for row in conn.execute("PRAGMA table_info(change)")}
        rows = conn.execute("SELECT count(*) FROM change").fetchone()[0]
    finally:
        conn.close()
    return revision, "crash_test" in columns, rows


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    base = tmp_path_factory.mktemp("crash")
    migrations = base / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9999_crash_test.py").write_text(
        HEAVY_REVISION.replace("{down}", head_revision())
    )
    template = base / "template.db"
    db = open_database(template)
    fill_programme(db, people=30)
    db.dispose()
    conn = sqlite3.connect(template)
    conn.executemany(
        "INSERT INTO change (table_name, row_id, op, changes, actor, at, source, reason) "
        "VALUES ('contact', ?, 'update', '{\"notes\": [\"a\", \"b\"]}', 'tester', "
        "'2024-01-01 00:00:00.000000', 'cli', '')",
        ((i,) for i in range(HISTORY_ROWS)),
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    total = conn.execute("SELECT count(*) FROM change").fetchone()[0]
    conn.close()
    return migrations, template, total


def run_worker(db: Path, migrations: Path, kill_after: float | None) -> float:
    """Start the worker; kill it ``kill_after`` s after it is ready. Returns the run time."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.store.crash_migration_worker",
            str(db),
            str(migrations),
            TEST_REVISION,
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    if kill_after is None:
        assert proc.stdout.readline().strip() == "done"
        proc.wait(timeout=60)
        return time.monotonic() - started
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return time.monotonic() - started


@pytest.mark.slow
def test_kill_9_during_migration_leaves_old_or_new_never_half(
    setup: tuple[Path, Path, int], tmp_path: Path
) -> None:
    migrations, template, total = setup
    old = head_revision()
    timing = tmp_path / "timing.db"
    shutil.copyfile(template, timing)
    full = run_worker(timing, migrations, None)
    assert state(timing) == (TEST_REVISION, True, total)
    rnd = random.Random(2024)
    outcomes = {"old": 0, "new": 0, "backups": 0, "backups_restored": 0}
    for i in range(KILLS):
        work = tmp_path / f"run{i}"
        work.mkdir()
        db = work / "p.db"
        shutil.copyfile(template, db)
        # Spread over the whole run and a little beyond, with jitter.
        moment = full * 1.25 * (i + rnd.random()) / KILLS
        run_worker(db, migrations, moment)
        assert sqlite_corner.integrity_problems(db) == [], f"kill at {moment:.3f}s"
        revision, has_column, rows = state(db)
        assert rows == total
        if revision == old:
            assert not has_column
            outcomes["old"] += 1
        else:
            assert (revision, has_column) == (TEST_REVISION, True)
            outcomes["new"] += 1
        for backup in work.glob("p.db.before-*.bak"):
            outcomes["backups"] += 1
            assert verify_backup_file(backup) == old
            assert sqlite_corner.integrity_problems(backup) == []
            assert state(backup) == (old, False, total)
            sqlite_corner.restore_from(backup, db)
            assert state(db) == (old, False, total)
            outcomes["backups_restored"] += 1
    print(
        f"\nmigration run {full * 1000:.0f} ms; {KILLS} kills: {outcomes['old']} at the old "
        f"revision, {outcomes['new']} at the new; {outcomes['backups']} backups checked and "
        f"restored"
    )
    assert outcomes["old"] > 0 and outcomes["new"] > 0
    assert outcomes["backups_restored"] > 0
