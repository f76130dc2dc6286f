"""A small funding or assessment import costs work in proportion to its file, not the database.

Issue 17.10: planning read every funding flow (and, per assessment, every pilot). Here a 1-row
import runs against a small database and against one with hundreds of thousands more rows
(other pilots' flows and assessments, contacts, history) and the work SQLite does for the
whole import -- opening excepted: planning, writing, settling -- is counted in virtual-machine
instructions (``set_progress_handler``), not timed. The big database may cost at most 1.5 times
the small one (an index one level deeper); reading every flow would cost hundreds of times.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from pfpp_tui.importers.assessments_csv import read_assessments
from pfpp_tui.importers.funding_csv import parse_funding
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.imports.assessment_import import import_assessments
from pfpp_tui.store.imports.funding_import import import_funding
from tests.bulk_files import ASSESSMENT_HEADER, PILOTS, seed_places

EVERY = 1  # VM instructions per progress-handler call (its count restarts at every statement)
OTHER = 5_000  # rows per other pilot in the big database (19 pilots: 95,000 of each kind)
CONTACTS = 100_000  # and as many contacts and history rows
NOW = "2026-01-01 00:00:00.000000"


def _fill(path: Path, per_pilot: int, contacts: int) -> None:
    """Other pilots' flows and assessments, contacts and history rows, written raw."""
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO funding_flow (created_at, updated_at, version, pilot_id,"
            " source_organisation_id, pot, amount_gbp, financial_year, outcome)"
            " VALUES (?, ?, 1, ?, ?, ?, 100, ?, '')",
            (
                (NOW, NOW, pilot, 1 + n % 10, f"Pot {n}", f"{2000 + n % 25}-{(n % 25 + 1):02d}")
                for pilot in range(2, PILOTS + 1)
                for n in range(per_pilot)
            ),
        )
        start = date(2020, 1, 1)
        conn.executemany(
            "INSERT INTO partnership_assessment (created_at, updated_at, version, pilot_id,"
            " assessed_on, assessor_name, history_rating, history_note, attitudes_rating,"
            " attitudes_note, vcs_rating, vcs_note, capacity_rating, capacity_note)"
            " VALUES (?, ?, 1, ?, ?, 'A', 3, '', 3, '', 3, '', 3, '')",
            (
                (NOW, NOW, pilot, (start - timedelta(days=n)).isoformat())
                for pilot in range(2, PILOTS + 1)
                for n in range(per_pilot)
            ),
        )
        conn.executemany(
            "INSERT INTO contact (first_name, last_name, role, notes, tags, email, email_key,"
            " archived, created_at, updated_at, version)"
            " VALUES ('Ada', ?, '', '', '', ?, ?, 0, ?, ?, 1)",
            ((f"L{n}", f"p{n}@x.example", f"p{n}@x.example", NOW, NOW) for n in range(contacts)),
        )
        conn.executemany(
            "INSERT INTO change (table_name, row_id, op, changes, at, actor, source, reason)"
            " VALUES ('contact', ?, 'update', '{}', ?, 'x', 'cli', '')",
            ((n, NOW) for n in range(contacts)),
        )
    conn.close()


def _database(tmp_path: Path, name: str, per_pilot: int, contacts: int) -> Path:
    path = tmp_path / f"{name}.db"
    db = open_database(path)
    seed_places(db)
    db.dispose()
    _fill(path, per_pilot, contacts)
    return path


def _counted(path: Path, run: Callable[[Database], Any]) -> int:
    """VM instructions SQLite runs for ``run`` on a freshly opened database."""
    db = open_database(path)
    counter = {"n": 0}

    def tick() -> int:
        counter["n"] += 1
        return 0

    def hook(dbapi_conn: Any, *_: Any) -> None:
        dbapi_conn.set_progress_handler(tick, EVERY)

    for engine in {db.engine, db.write_engine}:
        engine.dispose()
        event.listen(engine, "checkout", hook)
    try:
        run(db)
    finally:
        db.dispose()
    return counter["n"]


def _one_funding_row(tmp_path: Path) -> Callable[[Database], Any]:
    csv = tmp_path / "one.csv"
    csv.write_text(
        "pilot,source_organisation,pot,amount_gbp,financial_year,outcome\n"
        "Place 0,Department 3,Pot new,2500,2024-25,\n",
        encoding="utf-8",
    )
    return lambda db: import_funding(db, parse_funding(csv.read_bytes(), str(csv)))


def _one_assessment(tmp_path: Path) -> Callable[[Database], Any]:
    csv = tmp_path / "one-assessment.csv"
    csv.write_text(
        ",".join(ASSESSMENT_HEADER) + "\nPlace 0,2024-05-01,p5@x.example,,4,h,4,a,4,v,4,c\n",
        encoding="utf-8",
    )
    return lambda db: import_assessments(db, read_assessments(csv))


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("bulk-scale")
    small = _database(base, "small", per_pilot=100, contacts=1_000)
    big = _database(base, "big", per_pilot=OTHER, contacts=CONTACTS)
    return small, big


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["funding", "assessments"])
def test_a_one_row_import_costs_the_same_on_a_big_database(
    databases: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    small, big = (tmp_path / "small.db", tmp_path / "big.db")
    for template, copy in zip(databases, (small, big), strict=True):
        shutil.copyfile(template, copy)
    run = (_one_funding_row if kind == "funding" else _one_assessment)(tmp_path)
    on_small, on_big = _counted(small, run), _counted(big, run)
    conn = sqlite3.connect(big)
    rows = sum(
        conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("funding_flow", "partnership_assessment", "contact", "change")
    )
    added = conn.execute("SELECT count(*) FROM import_batch WHERE state = 'done'").fetchone()[0]
    conn.close()
    assert added == 1  # it really imported
    print(
        f"\n1-row pfpp import {kind}: {on_small:,} SQLite VM instructions on a small database, "
        f"{on_big:,} on one of {rows:,} rows (ratio {on_big / on_small:.2f})"
    )
    assert on_big <= on_small * 1.5
