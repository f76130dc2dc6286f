"""Migrations and models agree; upgrade, downgrade and the pre-migration backup work."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import pfpp_tui.models  # noqa: F401
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.migrate import current_revision, head_revision, run_downgrade, run_upgrade
from pfpp_tui.store.db.search_index import include_name


def _diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, SQLModel.metadata))


def test_the_fast_head_constant_matches_alembic() -> None:
    from pfpp_tui.store.db.schema_version import HEAD_REVISION

    assert head_revision() == HEAD_REVISION, "update pfpp_tui/store/db/schema_version.py"


def test_models_and_migrations_agree(db: Database) -> None:
    assert current_revision(db) == head_revision()
    assert _diff(db) == []


def test_upgrade_downgrade_upgrade_round_trip(db: Database) -> None:
    run_downgrade(db, "base")
    assert current_revision(db) is None
    with db.engine.connect() as conn:
        tables = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'alembic_version'"
        ).all()
    assert tables == []
    run_upgrade(db, "head")
    assert current_revision(db) == head_revision()
    assert _diff(db) == []


def test_a_database_behind_head_is_backed_up_before_migrating(db_path: Path) -> None:
    db = open_database(db_path)
    run_downgrade(db, "base")
    db.dispose()
    db = open_database(db_path)
    assert current_revision(db) == head_revision()
    db.dispose()
    backups = list(db_path.parent.glob("test.db.before-*.bak"))
    assert len(backups) == 1
    assert backups[0].stat().st_mode & 0o777 == 0o600
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_a_fresh_database_is_not_backed_up(db_path: Path) -> None:
    open_database(db_path).dispose()
    assert list(db_path.parent.glob("*.bak")) == []


def test_migrating_keeps_child_rows_of_rebuilt_parent_tables(db_path: Path) -> None:
    """Batch mode drops and recreates tables: foreign keys must not cascade while it does."""
    from typing import Any

    from pfpp_tui.models import ChangeSource
    from pfpp_tui.store.db import migrate
    from pfpp_tui.store.db.records import create_record

    db = open_database(db_path)
    pilot = create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
    person = create_record(
        db, table="contact", values={"first_name": "Ada"}, source=ChangeSource.CLI
    )
    create_record(
        db,
        table="contact_pilot",
        values={"contact_id": person.id, "pilot_id": pilot.id},
        source=ChangeSource.CLI,
    )

    def rebuild_contact_like_batch_mode(config: Any) -> None:
        conn = config.attributes["connection"]
        create = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contact'"
        ).scalar()
        conn.exec_driver_sql(create.replace("CREATE TABLE contact", "CREATE TABLE _tmp_contact"))
        conn.exec_driver_sql("INSERT INTO _tmp_contact SELECT * FROM contact")
        conn.exec_driver_sql("DROP TABLE contact")
        conn.exec_driver_sql("ALTER TABLE _tmp_contact RENAME TO contact")

    migrate._run_migration(db, rebuild_contact_like_batch_mode)
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM contact_pilot").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    db.dispose()
