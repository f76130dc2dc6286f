"""``purge``: archived contacts and closed records past retention go; everything else stays."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import event, text

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, get_record
from pfpp_tui.store.history.retention import parse_period, purge

CLI = ChangeSource.CLI
# Seven years from now: everything written by the test is then older than six years.
LATER = datetime.now(UTC) + relativedelta(years=7)


def build(db: Database) -> dict[str, int]:
    gone = create_record(
        db, table="contact", values={"first_name": "Old", "archived": True}, source=CLI
    )
    live = create_record(db, table="contact", values={"first_name": "Live"}, source=CLI)
    m_old = create_record(
        db,
        table="meeting",
        values={"title": "2021 board", "held_at": datetime(2021, 5, 1)},
        source=CLI,
    )
    m_kept = create_record(
        db,
        table="meeting",
        values={"title": "2021 review", "held_at": datetime(2021, 6, 1)},
        source=CLI,
    )
    create_record(
        db,
        table="meeting_attendee",
        values={"meeting_id": m_old.id, "contact_id": live.id},
        source=CLI,
    )
    barrier = create_record(
        db,
        table="barrier",
        values={
            "title": "Solved",
            "status": "resolved",
            "resolution": "fixed",
            "raised_on": date(2021, 1, 1),
        },
        source=CLI,
    )
    done = create_record(
        db,
        table="action",
        values={"title": "Done", "status": "done", "meeting_id": m_old.id, "owner_id": gone.id},
        source=CLI,
    )
    open_ = create_record(
        db,
        table="action",
        values={"title": "Still open", "meeting_id": m_kept.id, "barrier_id": barrier.id},
        source=CLI,
    )
    return {
        "gone": gone.id,
        "live": live.id,
        "m_old": m_old.id,
        "m_kept": m_kept.id,
        "barrier": barrier.id,
        "done": done.id,
        "open": open_.id,
    }


def count(db: Database, sql: str, **params: object) -> int:
    with db.read() as session:
        return int(session.execute(text(sql), params).scalar() or 0)


def test_dry_run_counts_and_changes_nothing(any_db: Database) -> None:
    build(any_db)
    before = count(any_db, "SELECT count(*) FROM change")
    plan = purge(any_db, "6y", dry_run=True, now=LATER)
    assert plan.counts() == {
        "archived contacts": 1,
        "closed actions": 1,
        "closed barriers": 1,
        "meetings": 1,
    }
    assert count(any_db, "SELECT count(*) FROM change") == before
    # Nothing is six years old today.
    assert purge(any_db, "6y", dry_run=True).empty


def test_purge_removes_closed_and_archived_past_retention(any_db: Database) -> None:
    ids = build(any_db)
    purge(any_db, "6y", now=LATER)
    assert count(any_db, "SELECT count(*) FROM contact") == 1
    assert count(any_db, "SELECT count(*) FROM action") == 1
    assert count(any_db, "SELECT count(*) FROM barrier") == 0
    assert count(any_db, "SELECT id FROM meeting") == ids["m_kept"]
    assert count(any_db, "SELECT count(*) FROM meeting_attendee") == 0
    # The purged rows' history went with them; no delete row repeats their values.
    for table in ("action", "barrier", "meeting"):
        key = {"action": "done", "barrier": "barrier", "meeting": "m_old"}[table]
        assert (
            count(
                any_db,
                "SELECT count(*) FROM change WHERE table_name = :t AND row_id = :i",
                t=table,
                i=ids[key],
            )
            == 0
        )
    # A kept action that pointed at a purged barrier was updated through the store.
    kept = get_record(any_db, table="action", row_id=ids["open"])
    assert kept["barrier_id"] is None and kept.version == 2
    assert count(any_db, "SELECT count(*) FROM change WHERE table_name = 'retention'") == 1
    assert count(any_db, "SELECT count(*) FROM change WHERE changes LIKE '%Old%'") == 0


@pytest.mark.parametrize("bad", ["", "6", "six years", "0y", "6x", "-1y"])
def test_bad_periods_are_one_line(bad: str) -> None:
    with pytest.raises(ValidationFailedError, match="--older-than"):
        parse_period(bad)


def test_periods() -> None:
    start = datetime(2030, 3, 1, tzinfo=UTC)
    assert start - parse_period("6y") == datetime(2024, 3, 1, tzinfo=UTC)
    assert start - parse_period("18m") == datetime(2028, 9, 1, tzinfo=UTC)
    assert start - parse_period("2W") == start - timedelta(days=14)


def _purge_work(tmp_path: Path, archived: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """SQLite VM instructions a purge of ``archived`` contacts runs on a database of 20,000
    live contacts and 20,000 history rows (space reclaiming, the same for any count, left out).
    Each archived contact is named in a barrier's title, which the purge rewrites."""
    from pfpp_tui.store.db.database import open_database
    from pfpp_tui.store.history import retention

    path = tmp_path / f"purge{archived}.db"
    db = open_database(path)
    pilot = create_record(db, table="pilot", values={"name": "Luton"}, source=CLI)
    for n in range(archived):
        create_record(db, table="contact", values={"first_name": "Gone", "last_name": f"Person{n}",
                      "archived": True}, source=CLI)  # fmt: skip
        create_record(db, table="barrier", values={"title": f"Ask Gone Person{n} first",
                      "pilot_id": pilot.id, "raised_on": date(2021, 1, 1)}, source=CLI)  # fmt: skip
    db.dispose()
    now = "2026-01-01 00:00:00.000000"
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (first_name, last_name, role, notes, tags, email, email_key,"
            " archived, created_at, updated_at, version)"
            " VALUES ('Ada', ?, '', 'Met at the check-in', '', ?, ?, 0, ?, ?, 1)",
            ((f"L{n}", f"p{n}@x.example", f"p{n}@x.example", now, now) for n in range(20_000)),
        )
        conn.executemany(
            "INSERT INTO change (table_name, row_id, op, changes, at, actor, source, reason)"
            " VALUES ('contact', ?, 'update', '{\"notes\": [null, \"Met\"]}', ?, 'x', 'cli', '')",
            ((n, now) for n in range(20_000)),
        )
    conn.close()
    db = open_database(path)
    counter = {"n": 0}

    def tick() -> int:
        counter["n"] += 1
        return 0

    def hook(dbapi_conn: Any, *_: Any) -> None:
        dbapi_conn.set_progress_handler(tick, 1)

    db.engine.dispose()
    event.listen(db.engine, "checkout", hook)
    monkeypatch.setattr(retention, "reclaim_erased_space", lambda *_: True)
    try:
        plan = purge(db, "6y", now=LATER)
        assert len(plan.contacts) == archived
        assert count(db, "SELECT count(*) FROM barrier WHERE title LIKE 'Ask Gone%'") == 0
        assert count(db, "SELECT count(*) FROM contact WHERE archived") == 0
    finally:
        db.dispose()
    return counter["n"]


@pytest.mark.slow
def test_purge_reads_the_database_once_not_once_per_archived_contact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It scanned every record and the whole history once per archived contact (issue 17:
    "purge scans once per archived contact"); now once for all of them. Counted in SQLite VM
    instructions, not timed: four times the archived contacts may cost at most twice as much
    (each still has its own few rows to rewrite)."""
    few, many = _purge_work(tmp_path, 3, monkeypatch), _purge_work(tmp_path, 12, monkeypatch)
    print(
        f"\npurge of 3 archived contacts: {few:,} SQLite VM instructions; of 12: {many:,} "
        f"(ratio {many / few:.2f}) on 20,000 live contacts and 20,000 history rows"
    )
    assert many <= few * 2
