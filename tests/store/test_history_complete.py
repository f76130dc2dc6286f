"""The change history is complete, and a crash never splits a change from its history row.

Promise (issue 8): "A test makes 1,000 random changes and finds exactly 1,000 history rows; a
crash never leaves a change without its history row or the reverse."

- In process: creates, updates and deletes across ten tables (``store.db.records``), a contact
  import (``store.imports.contact_import``), a triage decision and a "duplicate of" merge
  (``store.work.triage``), a TUI edit and its undo (``store.history.undo``) -- 1,000 row changes in
  all -- and exactly 1,000 history records, each with actor, UTC time, source and changed fields;
  then every row's version matches its history (``history_changes.history_problems``). Since issue
  19 a bulk import's new contacts are recorded by its one ``import_batch`` record (who, when,
  files, counts) rather than a change row each, so a history record is a change row or a
  creation an import batch records; the values a contact was created with are rebuilt from it
  (``tests/importers/test_contact_import_history.py``).
- Crash: ``history_worker`` makes the same random changes (plus 400-row imports, so some
  transactions are long) and is ``kill -9``-ed at random moments, again and again on one
  database. After each kill: integrity clean, every acknowledged change has its history row,
  at most one unacknowledged transaction survived whole, and versions match history.

Knobs: ``PFPP_HISTORY_CHANGES`` (default 1000), ``PFPP_HISTORY_KILLS`` (default 8).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database, open_database
from tests.conftest import REPO_ROOT
from tests.store.history_changes import RandomChanges, history_problems

CHANGES = int(os.environ.get("PFPP_HISTORY_CHANGES", "1000"))
KILLS = int(os.environ.get("PFPP_HISTORY_KILLS", "8"))


# A bulk import records its new contacts' creation in one batch record (issue 19): the history
# holds a change row per change, plus the creations each finished import batch records.
HISTORY_RECORDS = (
    "SELECT (SELECT count(*) FROM change) + (SELECT coalesce(sum(contacts_added), 0) "
    "FROM import_batch WHERE state = 'done')"
)


def history_count(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(text(HISTORY_RECORDS)).scalar_one())


def test_1000_random_changes_make_exactly_1000_history_rows(db: Database, tmp_path: Path) -> None:
    rng = random.Random(8)
    changes = RandomChanges(db, rng, tag="h")
    for _ in range(20):  # something to link to
        changes.create(rng.choice(["organisation", "pilot", "contact"]))
    made = 20
    made += changes.import_contacts(tmp_path, 25, org="Imported Department")
    made += changes.import_contacts(tmp_path, 10)
    made += changes.triage()
    made += changes.merge_duplicate()
    made += changes.undo_gesture()
    while made < CHANGES:
        made += changes.step()
    assert made == CHANGES
    assert history_count(db) == CHANGES
    for kind in ("create", "update", "delete", "import", "triage", "merge", "undo"):
        assert changes.kinds.get(kind, 0) > 0, f"no {kind} among the changes"
    with db.read() as session:
        blank = session.execute(
            text(
                "SELECT count(*) FROM change WHERE actor != 'tester' OR at IS NULL "
                "OR source NOT IN ('cli', 'tui', 'import') OR changes IN ('', '{}')"
            )
        ).scalar_one()
        sources = dict(
            session.execute(text("SELECT source, count(*) FROM change GROUP BY source")).all()
        )
    assert blank == 0
    with db.read() as session:
        batches = session.execute(
            text("SELECT count(*) FROM import_batch WHERE actor != 'tester' OR at IS NULL")
        ).scalar_one()
        imported = session.execute(
            text("SELECT coalesce(sum(contacts_added), 0) FROM import_batch")
        ).scalar_one()
    assert batches == 0
    assert sources.get(ChangeSource.IMPORT.value, 0) + imported == changes.kinds["import"]
    assert history_problems(db) == []
    print(
        f"\n{CHANGES} changes ({', '.join(f'{k} {v}' for k, v in sorted(changes.kinds.items()))}"
        f"; {changes.refused} refused, writing nothing): {history_count(db)} history rows"
    )


def test_a_refused_change_writes_no_history(db: Database) -> None:
    changes = RandomChanges(db, random.Random(1), tag="r")
    assert changes.create("pilot") == 1
    name = f"Pilot {changes.tag}-1"
    before = history_count(db)
    from pfpp_tui.errors import ValidationFailedError
    from pfpp_tui.store.db.records import create_record

    with pytest.raises(ValidationFailedError):
        create_record(db, table="pilot", values={"name": name}, source=ChangeSource.CLI)
    assert history_count(db) == before


@pytest.mark.slow
def test_kill_9_never_splits_a_change_from_its_history(tmp_path: Path) -> None:
    db_file = tmp_path / "crash.db"
    open_database(db_file).dispose()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    rng = random.Random(88)
    totals = {"acked": 0, "in_flight_survived": 0, "kills": 0}
    for attempt in range(KILLS):
        acks = tmp_path / f"acks{attempt}.jsonl"
        before = history_rows(db_file)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.store.history_worker",
                str(db_file),
                str(tmp_path),
                str(acks),
                str(attempt),
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.3 + rng.random() * 1.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        totals["kills"] += 1
        assert sqlite_corner.integrity_problems(db_file) == [], f"kill {attempt}"
        acked = [json.loads(line) for line in acks.read_text().splitlines() if line.endswith("}")]
        acked_rows = sum(a["rows"] for a in acked)
        after = history_rows(db_file)
        gained = after - before
        # Every acknowledged change is there; beyond that at most the one transaction that
        # committed before the worker could acknowledge it.
        assert gained >= acked_rows, f"kill {attempt}: acknowledged changes lost"
        extra = gained - acked_rows
        assert extra <= 401, f"kill {attempt}: {extra} history rows nobody wrote"
        totals["acked"] += acked_rows
        totals["in_flight_survived"] += extra > 0
        db = open_database(db_file)
        try:
            assert history_problems(db) == [], f"kill {attempt}"
        finally:
            db.dispose()
    print(
        f"\n{totals['kills']} kills -9 during random changes: {totals['acked']} acknowledged "
        f"history rows all present, {totals['in_flight_survived']} unacknowledged transactions "
        f"committed whole, 0 changes without history or history without change"
    )
    assert totals["acked"] > 0


def history_rows(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(HISTORY_RECORDS).fetchone()[0])
    finally:
        conn.close()
