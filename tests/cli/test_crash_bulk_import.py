"""``kill -9`` during ``pfpp import funding`` / ``pfpp import assessments``: all of it or none.

Promise (issue 17.10): these imports write in short steps so an editor is never kept waiting
(``store.imports.bulk_import``), yet after a kill at any moment, once the database is next opened,
the import is there completely (every row and its history row) or not at all; ``integrity_check``
and ``foreign_key_check`` are clean every time. Read raw right after a kill, part of it may be
there -- only ever under an ``import_batch`` still ``publishing``, which the next open takes
back.

The moments, per import: one uninterrupted run is timed first; then the kills are a mix of
random times across the run (parsing, planning, writing, tidying up), "mid-write" (the moment
its batch is seen ``publishing`` plus a random part of the timed run's write) and "just
committed" (the moment its batch is seen ``done``, before the process exits). The test prints
the outcomes.

Knobs: ``PFPP_CRASH_BULK_ROWS`` (default 5000; README quotes 10000) and
``PFPP_CRASH_BULK_KILLS`` (default 10).
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
from collections import Counter
from pathlib import Path

import pytest

from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import open_database
from tests.bulk_files import seed_places, write_assessments_csv, write_funding_csv
from tests.conftest import REPO_ROOT

ROWS = int(os.environ.get("PFPP_CRASH_BULK_ROWS", "5000"))
KILLS = int(os.environ.get("PFPP_CRASH_BULK_KILLS", "10"))
POLL_S = 0.002
TABLES = {"funding": "funding_flow", "assessments": "partnership_assessment"}


def counts(path: Path, table: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in (table, "change")}  # fmt: skip
    finally:
        conn.close()


def states(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT state FROM import_batch")]


def start(db: Path, kind: str, csv: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", "from pfpp_tui.cli.main import run; run()",
         "--db", str(db), "import", kind, str(csv)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["funding", "assessments"])
def test_kill_9_during_a_bulk_import_leaves_all_or_nothing(tmp_path: Path, kind: str) -> None:
    table = TABLES[kind]
    big = tmp_path / "big.csv"
    (write_funding_csv if kind == "funding" else write_assessments_csv)(big, ROWS)
    template = tmp_path / "template.db"
    db = open_database(template)
    seed_places(db)
    db.dispose()
    conn = sqlite3.connect(template)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = counts(template, table)

    timing = tmp_path / "timing.db"
    shutil.copyfile(template, timing)
    proc = start(timing, kind, big)
    watcher = sqlite3.connect(timing)
    began = time.monotonic()
    write_began = None
    while proc.poll() is None:
        if write_began is None and states(watcher):
            write_began = time.monotonic()
        time.sleep(POLL_S)
    full_s = time.monotonic() - began
    write_s = time.monotonic() - (write_began or began)
    watcher.close()
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    whole = counts(timing, table)
    added = {t: whole[t] - before[t] for t in whole}
    assert added == {table: ROWS, "change": ROWS}

    rng = random.Random(17)
    plan = ["time"] * (KILLS - KILLS * 4 // 10 - KILLS // 5)
    plan += ["mid-write"] * (KILLS * 4 // 10) + ["just committed"] * (KILLS // 5)
    rng.shuffle(plan)
    outcomes: Counter[str] = Counter()
    missed = 0
    i = 0
    while plan:
        trigger = plan[-1]
        i += 1
        db_path = tmp_path / f"kill{i}.db"
        for leftover in tmp_path.glob("kill*.db*"):
            leftover.unlink()
        shutil.copyfile(template, db_path)
        proc = start(db_path, kind, big)
        t0 = time.monotonic()
        watcher = sqlite3.connect(db_path)
        if trigger == "time":
            moment = full_s * rng.uniform(0.05, 0.95)
            while proc.poll() is None and time.monotonic() - t0 < moment:
                time.sleep(POLL_S)
        elif trigger == "mid-write":
            while proc.poll() is None and not states(watcher):
                time.sleep(POLL_S)
            moment = time.monotonic() + write_s * rng.uniform(0.05, 0.9)
            while proc.poll() is None and time.monotonic() < moment:
                time.sleep(POLL_S)
        else:
            while proc.poll() is None and states(watcher) != ["done"]:
                time.sleep(POLL_S)
        alive = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        watcher.close()
        if not alive:  # finished first: not a kill; try this trigger again
            missed += 1
            assert missed <= KILLS, "the import keeps finishing before the kill"
            continue
        plan.pop()
        assert sqlite_corner.integrity_problems(db_path) == [], f"kill {i} ({trigger})"
        raw_conn = sqlite3.connect(db_path)
        raw_states = states(raw_conn)
        raw_conn.close()
        now = counts(db_path, table)
        delta = {t: now[t] - before[t] for t in now}
        if delta == added:
            raw = "complete"
        elif delta == dict.fromkeys(delta, 0):
            raw = "not at all"
        else:  # part-written: only ever under an unfinished batch
            assert raw_states == ["publishing"], f"kill {i} ({trigger}): {delta} {raw_states}"
            raw = "part-written"
        open_database(db_path).dispose()  # the next open settles it
        now = counts(db_path, table)
        delta = {t: now[t] - before[t] for t in now}
        conn = sqlite3.connect(db_path)
        after = states(conn)
        conn.close()
        assert set(after) <= {"done"}, f"kill {i}: {after} after the next open"
        if delta == added:
            assert raw == "complete", f"kill {i}: {raw} became complete"
            outcomes["complete"] += 1
        else:
            assert delta == dict.fromkeys(delta, 0), f"kill {i} after the next open: {delta}"
            assert after == []
            outcomes["not at all" if raw == "not at all" else "taken back"] += 1
        assert sqlite_corner.integrity_problems(db_path) == [], f"kill {i} after the next open"

    print(
        f"\npfpp import {kind}, {ROWS:,} rows, uninterrupted {full_s:.1f} s; {KILLS} kill -9: "
        f"{outcomes['complete']} complete, {outcomes['not at all']} not at all, "
        f"{outcomes['taken back']} part-written and taken back by the next open; integrity and "
        "foreign keys clean every time"
        + (f"; {missed} runs finished before their kill moment, retried" if missed else "")
    )
    assert outcomes["complete"] > 0 and outcomes["not at all"] > 0
    assert outcomes["taken back"] > 0, "no kill landed while it wrote"
