"""The committed sample.db is exactly what the generator and the head migration produce."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from pfpp_tui.sample.build import write_sample_database
from pfpp_tui.sample.demo import make_demo_copy
from pfpp_tui.sample.generate import SAMPLE_ANCHOR
from pfpp_tui.store.db.check import check_database
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.migrate import head_revision
from tests.conftest import SAMPLE_DB


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        dump: dict[str, list[tuple[object, ...]]] = {
            "__schema__": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
            ).fetchall()
        }
        for table in tables:
            dump[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
        return dump
    finally:
        conn.close()


def test_committed_sample_matches_a_fresh_build(tmp_path: Path) -> None:
    fresh = write_sample_database(tmp_path / "fresh.db")
    committed = _dump(SAMPLE_DB)
    rebuilt = _dump(fresh)
    assert committed.keys() == rebuilt.keys()
    for table in rebuilt:
        assert committed[table] == rebuilt[table], (
            f"sample.db's {table} differs from the generator: "
            "run `pfpp sample sample.db --force` and commit it"
        )


def test_committed_sample_is_at_head_and_healthy() -> None:
    assert _dump(SAMPLE_DB)["alembic_version"] == [(head_revision(),)]
    assert check_database(str(SAMPLE_DB)) == []


def test_sample_has_the_promised_counts() -> None:
    conn = sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "pilot",
            "organisation",
            "team",
            "contact",
            "meeting",
            "action",
            "barrier",
            "funding_flow",
        )
    }
    small = conn.execute("SELECT count(*) FROM funding_flow WHERE amount_gbp < 100000").fetchone()
    conn.close()
    assert counts["pilot"] == 13
    assert 35 <= counts["organisation"] <= 50
    assert 50 <= counts["team"] <= 70
    assert 130 <= counts["contact"] <= 170
    assert 50 <= counts["meeting"] <= 70
    assert 130 <= counts["action"] <= 170
    assert 70 <= counts["barrier"] <= 90
    assert 25 <= counts["funding_flow"] <= 40
    assert small[0] >= 10


def test_demo_copy_moves_live_dates_to_today(tmp_path: Path) -> None:
    today = SAMPLE_ANCHOR + timedelta(weeks=150, days=3)
    target = make_demo_copy(tmp_path / "demo.db", today=today)
    assert target.stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(target)
    original = sqlite3.connect(f"file:{SAMPLE_DB}?mode=ro", uri=True)
    try:
        shifted = conn.execute("SELECT max(due_date) FROM action").fetchone()[0]
        before = original.execute("SELECT max(due_date) FROM action").fetchone()[0]
        renamed = conn.execute("SELECT renamed_on FROM organisation_former_name ORDER BY id")
        renamed_before = original.execute(
            "SELECT renamed_on FROM organisation_former_name ORDER BY id"
        )
        assert date.fromisoformat(shifted) - date.fromisoformat(before) == timedelta(weeks=150)
        # Historical facts (department renames) do not move.
        assert renamed.fetchall() == renamed_before.fetchall()
    finally:
        conn.close()
        original.close()
    assert check_database(str(target)) == []


def test_sample_has_the_same_barrier_in_several_places(sample_db: Database) -> None:
    """Triage's "similar barriers" and the patterns report need something to find."""
    from pfpp_tui.store.insight.patterns import barrier_groups

    groups = barrier_groups(sample_db)
    assert len(groups) >= 3
    assert all(group.places >= 3 for group in groups[:3])
