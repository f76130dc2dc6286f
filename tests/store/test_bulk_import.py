"""Funding and assessment imports write in short steps, yet stay one all-or-nothing import.

Issue 17.10: ``pfpp import funding`` and ``pfpp import assessments`` wrote their whole file in
one transaction, so an editor's save waited for all of it (33.6 s behind 50,000 funding rows).
They now write through ``store.imports.bulk_import``: a step at a time under one ``import_batch``
record. These tests hold the other half of the promise -- all or nothing -- on both engines:

- no step writes more than ``CHUNK`` rows (counted at every commit, not timed);
- a failure part-way (a full disk, say) takes back every row written and every update, their
  versions and history too: the tables are as they were;
- a kill part-way (the batch left ``publishing``, its writer gone) is taken back by the next
  open;
- a row someone changed while the import wrote is kept, its history saying why.
"""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from pfpp_tui.importers.assessments_csv import read_assessments
from pfpp_tui.importers.funding_csv import parse_funding
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import update_record
from pfpp_tui.store.imports import bulk_import
from pfpp_tui.store.imports.assessment_import import import_assessments
from pfpp_tui.store.imports.funding_import import import_funding
from tests.bulk_files import seed_places, write_assessments_csv, write_funding_csv

ROWS = 600


def _rows(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql), params)]


def _state(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import may touch, as plain rows."""
    return {
        "flows": _rows(
            db, "SELECT id, pot, amount_gbp, outcome, version FROM funding_flow ORDER BY id"
        ),
        "assessments": _rows(
            db, "SELECT id, history_rating, version FROM partnership_assessment ORDER BY id"
        ),
        "history": _rows(db, "SELECT id, table_name, row_id, op, batch FROM change ORDER BY id"),
        "batches": _rows(db, "SELECT id, state FROM import_batch"),
    }


def _funding(db: Database, path: Path) -> Any:
    return import_funding(db, parse_funding(path.read_bytes(), str(path)))


def _assessments(db: Database, path: Path) -> Any:
    return import_assessments(db, read_assessments(path))


KINDS = {"funding": (write_funding_csv, _funding), "assessments": (write_assessments_csv,
                                                                   _assessments)}  # fmt: skip


@pytest.fixture
def seeded(any_db: Database) -> Database:
    seed_places(any_db)
    return any_db


@pytest.mark.parametrize("kind", KINDS)
def test_no_step_of_an_import_writes_more_than_a_chunk(
    seeded: Database, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, run = KINDS[kind]
    monkeypatch.setattr(bulk_import, "CHUNK", 100)
    monkeypatch.setattr(bulk_import, "INSERTS_AT_ONCE", 40)
    table = "funding_flow" if kind == "funding" else "partnership_assessment"
    commits: list[int] = []

    def on_commit(conn: Any) -> None:
        with seeded.engine.connect() as other:
            commits.append(int(other.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()))

    event.listen(seeded.write_engine, "commit", on_commit)
    path = tmp_path / "big.csv"
    write(path, ROWS)
    try:
        assert run(seeded, path).added == ROWS
    finally:
        event.remove(seeded.write_engine, "commit", on_commit)
    with seeded.engine.connect() as other:
        commits.append(int(other.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()))
    steps = [b - a for a, b in itertools.pairwise(commits) if b != a]
    assert sum(steps) == ROWS
    assert len(steps) >= ROWS // 100 and max(steps) <= 100, steps


def _fail_after(monkeypatch: pytest.MonkeyPatch, steps: int, exc: BaseException) -> None:
    """The import's insert number ``steps + 1`` fails as ``exc`` (a full disk, a kill), each
    insert of 40 rows its own step (the steps before it are committed)."""
    monkeypatch.setattr(bulk_import, "CHUNK", 40)
    monkeypatch.setattr(bulk_import, "INSERTS_AT_ONCE", 40)
    real = bulk_import._insert_many
    calls = {"n": 0}

    def failing(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] > steps:
            raise exc
        real(*args)

    monkeypatch.setattr(bulk_import, "_insert_many", failing)


@pytest.mark.parametrize("kind", KINDS)
def test_a_failure_part_way_takes_back_every_row_and_update(
    seeded: Database, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, run = KINDS[kind]
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write(first, 50)
    run(seeded, first)
    # The second file changes those 50 (updates) and adds 250 more.
    if kind == "funding":
        write_funding_csv(second, 300, amount=5000)
    else:
        write_assessments_csv(second, 300, rating=4)
    before = _state(seeded)
    _fail_after(monkeypatch, 3, OSError("disk full"))
    with pytest.raises(OSError, match="disk full"):
        run(seeded, second)
    assert _state(seeded) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_kill_part_way_is_taken_back_by_the_next_open(
    seeded: Database, tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write, run = KINDS[kind]
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write(first, 50)
    run(seeded, first)
    if kind == "funding":
        write_funding_csv(second, 300, amount=5000)
    else:
        write_assessments_csv(second, 300, rating=4)
    before = _state(seeded)
    # A kill: the process stops between steps, nothing of it runs afterwards.
    monkeypatch.setattr(bulk_import, "take_back", lambda *_: None)
    _fail_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        run(seeded, second)
    monkeypatch.undo()
    states = _rows(seeded, "SELECT state FROM import_batch ORDER BY id")
    assert states == [("done",), ("publishing",)]
    assert _state(seeded) != before  # part of it is there, under the unfinished batch
    with seeded.write(source=ChangeSource.SYSTEM) as session:
        session.execute(text("UPDATE import_batch SET owner = :o"), {"o": _dead_owner()})
    location = seeded.location.url.render_as_string(hide_password=False)
    open_database(location).dispose()  # the next open
    assert _state(seeded) == before


def _dead_owner() -> str:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return f"{socket.gethostname()}:{done.stdout.strip()}"


def test_a_flow_someone_changed_while_the_import_wrote_is_kept(
    seeded: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "flows.csv"
    write_funding_csv(path, 300)
    monkeypatch.setattr(bulk_import, "take_back", lambda *_: None)
    _fail_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        _funding(seeded, path)
    monkeypatch.undo()
    first = _rows(seeded, "SELECT min(id) FROM funding_flow")[0][0]
    update_record(seeded, table="funding_flow", row_id=first, changes={"outcome": "Checked"},
                  source=ChangeSource.TUI)  # fmt: skip
    with seeded.write(source=ChangeSource.SYSTEM) as session:
        session.execute(text("UPDATE import_batch SET owner = :o"), {"o": _dead_owner()})
    assert bulk_import.recover(seeded) == 1
    assert _rows(seeded, "SELECT id, outcome FROM funding_flow") == [(first, "Checked")]
    kept = _rows(
        seeded,
        "SELECT op, batch, reason FROM change WHERE table_name = 'funding_flow' AND row_id = :i"
        " ORDER BY id",
        i=first,
    )
    assert kept[0] == ("create", None, bulk_import.KEPT_REASON)
    assert kept[1][0] == "update"
    assert _rows(seeded, "SELECT count(*) FROM import_batch") == [(0,)]


def test_taking_back_survives_a_row_gone_without_history(
    seeded: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flow the import updated, then removed with no history row (its pilot deleted by the
    database's ON DELETE CASCADE): taking the import back skips it instead of failing -- a
    failure here would stop every later open of the database."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    write_funding_csv(first, 50)
    _funding(seeded, first)
    write_funding_csv(second, 300, amount=5000)
    monkeypatch.setattr(bulk_import, "take_back", lambda *_: None)
    _fail_after(monkeypatch, 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        _funding(seeded, second)
    monkeypatch.undo()
    updated = _rows(seeded, "SELECT min(id) FROM funding_flow WHERE amount_gbp >= 5000")[0][0]
    with seeded.write(source=ChangeSource.SYSTEM) as session:
        session.execute(text("DELETE FROM funding_flow WHERE id = :i"), {"i": updated})
        session.execute(text("UPDATE import_batch SET owner = :o WHERE state = 'publishing'"),
                        {"o": _dead_owner()})  # fmt: skip
    assert bulk_import.recover(seeded) == 1
    assert _rows(seeded, "SELECT count(*), max(amount_gbp) FROM funding_flow") == [(49, 1049)]
    assert _rows(seeded, "SELECT state FROM import_batch") == [("done",)]
