"""``store.listing.first_rows``: the first frame's rows read with plain ``sqlite3`` are the rows the
ORM path gives (``fetch_page``, ``programme_overview``), and anything unusual is left to that
path."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.overview import programme_overview
from pfpp_tui.store.listing.browse import SECTIONS, fetch_page
from pfpp_tui.store.listing.first_rows import read_first

# A day when the sample has overdue actions and meetings both before and after it.
DAYS = [date(2023, 6, 1), date(2030, 1, 1)]


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("key", sorted(SECTIONS))
def test_a_sections_first_window_is_the_orm_paths(
    sample_db: Database, sample_copy: Path, key: str, today: date
) -> None:
    expected = fetch_page(sample_db, key, limit=40, today=today)
    first = read_first(sample_copy, key, limit=40, today=today)
    assert first is not None and first.window == expected
    assert expected.rows  # the sample has rows in every section


def test_people_show_archived_and_overdue_actions_their_marks(
    sample_db: Database, sample_copy: Path
) -> None:
    people = read_first(sample_copy, "contacts", limit=200, today=DAYS[0])
    actions = read_first(sample_copy, "actions", limit=200, today=DAYS[0])
    assert people is not None and people.window is not None
    assert actions is not None and actions.window is not None
    assert any(r.cells[0].endswith("(archived)") for r in people.window.rows)
    assert any(r.cells[3].startswith("! ") for r in actions.window.rows)
    assert people.window == fetch_page(sample_db, "contacts", limit=200, today=DAYS[0])


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_overviews_pilots_are_the_orm_paths(
    sample_db: Database, sample_copy: Path, today: date
) -> None:
    expected = programme_overview(sample_db, today=today).pilots
    first = read_first(sample_copy, "overview", limit=40, today=today)
    assert first is not None and first.pilots == expected
    assert any(p.partnership_total is not None for p in expected)


def test_a_database_whose_schema_must_move_is_left_to_the_usual_path(sample_copy: Path) -> None:
    with sqlite3.connect(sample_copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    assert read_first(sample_copy, "overview", limit=40) is None


def test_an_unfinished_import_is_left_to_the_usual_path(
    sample_db: Database, sample_copy: Path
) -> None:
    with sqlite3.connect(sample_copy) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(import_batch)")]
        notnull = {row[1]: row[3] for row in conn.execute("PRAGMA table_info(import_batch)")}
        values = {
            c: ("writing" if c == "state" else 1) for c in columns if notnull[c] and c != "id"
        }
        marks = ", ".join("?" * len(values))
        conn.execute(
            f"INSERT INTO import_batch ({', '.join(values)}) VALUES ({marks})",
            list(values.values()),
        )
    conn.close()
    assert read_first(sample_copy, "contacts", limit=40) is None


def test_anything_but_an_existing_sqlite_file_is_left_to_the_usual_path(tmp_path: Path) -> None:
    assert read_first(tmp_path / "missing.db", "overview", limit=40) is None
    assert read_first("postgresql://u@localhost/pfpp", "overview", limit=40) is None
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello")
    assert read_first(not_a_db, "overview", limit=40) is None


def test_reading_leaves_the_file_byte_for_byte(sample_copy: Path) -> None:
    before = sample_copy.read_bytes()
    assert read_first(sample_copy, "overview", limit=40) is not None
    assert sample_copy.read_bytes() == before
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == [sample_copy.name]


@pytest.mark.parametrize("read_only", [False, True], ids=["writable", "PFPP_READ_ONLY"])
def test_reading_a_wal_database_leaves_no_side_files(
    sample_copy: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    conn = sqlite3.connect(sample_copy)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    if read_only:
        monkeypatch.setenv("PFPP_READ_ONLY", "1")
    before = sample_copy.read_bytes()
    assert read_first(sample_copy, "overview", limit=40) is not None
    assert sample_copy.read_bytes() == before
    assert sorted(p.name for p in sample_copy.parent.iterdir()) == [sample_copy.name]
