"""``copy_database``: SQLite → PostgreSQL → SQLite gives back exactly the same rows and history."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pfpp_tui.errors import DatabaseLocationError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.copy import (
    CopyVerificationError,
    copy_database,
    logical_dump,
    row_counts,
)
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record
from tests.conftest import SAMPLE_DB
from tests.store.programme_fill import fill_programme


@pytest.fixture
def source_db(tmp_path: Path) -> Database:
    """sample.db when it is committed at the repo top, else a database filled here."""
    path = tmp_path / "source.db"
    if SAMPLE_DB.exists():
        shutil.copyfile(SAMPLE_DB, path)
        path.chmod(0o600)
        return open_database(path)
    db = open_database(path)
    fill_programme(db)
    return db


def test_sqlite_to_postgresql_to_sqlite_is_identical(
    source_db: Database, pg_url: str, tmp_path: Path
) -> None:
    original = logical_dump(source_db)
    assert sum(len(rows) for rows in original.values()) > 100
    pg = open_database(pg_url)
    there = copy_database(source_db, pg)
    back = open_database(tmp_path / "back.db")
    home = copy_database(pg, back)
    assert there.checksum == home.checksum
    assert there.rows == home.rows == {k: len(v) for k, v in original.items()}
    assert logical_dump(back) == original
    print(f"\ncopied {there.total} rows there and back; checksum {home.checksum[:16]}")
    # Sequences were reset: the next record on PostgreSQL gets a fresh id, not a clash.
    with pg.read() as session:
        top = int(
            session.execute(text("SELECT coalesce(max(id), 0) FROM organisation")).scalar() or 0
        )
    org = create_record(
        pg, table="organisation", values={"name": "New body"}, source=ChangeSource.CLI
    )
    assert org.id == top + 1
    for db in (source_db, pg, back):
        db.dispose()


def test_copy_into_a_database_with_data_is_refused(any_db: Database, tmp_path: Path) -> None:
    source = open_database(tmp_path / "s.db")
    fill_programme(source, people=5)
    create_record(any_db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
    before = row_counts(any_db)
    with pytest.raises(DatabaseLocationError, match=r"already holds data .*1 pilot"):
        copy_database(source, any_db)
    assert row_counts(any_db) == before
    source.dispose()


def test_copy_between_any_engines_round_trips(any_db: Database, tmp_path: Path) -> None:
    fill_programme(any_db, people=12)
    target = open_database(tmp_path / "t.db")
    report = copy_database(any_db, target)
    assert report.rows["change"] > 0
    assert logical_dump(target) == logical_dump(any_db)
    target.dispose()


def test_a_copy_that_fails_verification_leaves_the_target_empty(
    any_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pfpp_tui.store.db import copy as copy_module

    source = open_database(tmp_path / "s.db")
    fill_programme(source, people=5)
    real = copy_module._copy_table

    def lossy(src: Any, dst: Any, table: Any) -> int:
        copied = real(src, dst, table)
        if table.name == "change":  # lose one history row on the way
            dst.execute(table.delete().where(table.c.id == 1))
        return copied

    monkeypatch.setattr(copy_module, "_copy_table", lossy)
    with pytest.raises(CopyVerificationError, match=r"change has .* rows, the source"):
        copy_database(source, any_db)
    assert set(row_counts(any_db).values()) == {0}
    source.dispose()
