"""The database door: locations, file modes, pragmas, BEGIN IMMEDIATE, history atomicity."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from pfpp_tui.errors import (
    DatabaseLocationError,
    DatabaseTooNewError,
    StaleEditError,
    ValidationFailedError,
)
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record, delete_record, update_record


def test_new_database_files_are_private_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "new.db"
        db = open_database(path)
        create_record(
            db, table="organisation", values={"name": "Home Office"}, source=ChangeSource.CLI
        )
        for name in ("new.db", "new.db-wal", "new.db-shm"):
            mode = (tmp_path / name).stat().st_mode & 0o777
            assert mode == 0o600, f"{name} is {oct(mode)}"
        db.dispose()
    finally:
        os.umask(old)


def test_pragmas_are_in_force_on_every_connection(db: Database) -> None:
    connections = [db.engine.connect() for _ in range(3)]
    try:
        for conn in connections:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        for conn in connections:
            conn.close()


def _other_writer_can_begin(path: Path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_write_sessions_take_the_write_lock_up_front(db: Database, db_path: Path) -> None:
    with db.write(source=ChangeSource.CLI) as session:
        # Only a read so far: a deferred transaction would not hold the write lock yet.
        session.execute(text("SELECT count(*) FROM contact")).scalar()
        assert not _other_writer_can_begin(db_path)
    assert _other_writer_can_begin(db_path)


def test_read_sessions_never_hold_the_write_lock(db: Database, db_path: Path) -> None:
    with db.read() as session:
        session.execute(text("SELECT count(*) FROM contact")).scalar()
        assert _other_writer_can_begin(db_path)


def test_a_failed_write_leaves_neither_row_nor_history(db: Database) -> None:
    from pfpp_tui.store.db.records import insert_row

    with pytest.raises(RuntimeError), db.write(source=ChangeSource.CLI) as session:
        insert_row(session, "organisation", {"name": "Cabinet Office"})
        raise RuntimeError("crash mid-way")
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM organisation")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM change")).scalar() == 0


def test_every_change_has_one_history_row_with_actor_and_source(db: Database) -> None:
    org = create_record(db, table="organisation", values={"name": "Defra"}, source=ChangeSource.TUI)
    update_record(
        db,
        table="organisation",
        row_id=org.id,
        changes={"short_name": "Defra"},
        source=ChangeSource.CLI,
        expected_version=1,
    )
    delete_record(db, table="organisation", row_id=org.id, source=ChangeSource.CLI)
    with db.read() as session:
        rows = session.execute(
            text("SELECT op, actor, source, changes FROM change ORDER BY id")
        ).all()
    assert [r.op for r in rows] == ["create", "update", "delete"]
    assert {r.actor for r in rows} == {"tester"}
    assert [r.source for r in rows] == ["tui", "cli", "cli"]
    assert '"short_name": [null, "Defra"]' in rows[1].changes


def test_a_stale_save_is_refused_and_names_who_changed_it(db: Database) -> None:
    org = create_record(db, table="organisation", values={"name": "DWP"}, source=ChangeSource.CLI)
    update_record(
        db,
        table="organisation",
        row_id=org.id,
        changes={"notes": "first"},
        source=ChangeSource.TUI,
        expected_version=org.version,
    )
    with pytest.raises(StaleEditError) as caught:
        update_record(
            db,
            table="organisation",
            row_id=org.id,
            changes={"notes": "second"},
            source=ChangeSource.TUI,
            expected_version=org.version,
        )
    assert "changed by tester" in str(caught.value)
    with db.read() as session:
        assert session.execute(text("SELECT notes FROM organisation")).scalar() == "first"


def test_email_is_unique_case_insensitively(db: Database) -> None:
    create_record(
        db,
        table="contact",
        values={"first_name": "Ada", "email": "Ada@X.example"},
        source=ChangeSource.CLI,
    )
    with pytest.raises(ValidationFailedError, match="e-mail"):
        create_record(
            db, table="contact", values={"email": " ada@x.EXAMPLE "}, source=ChangeSource.CLI
        )


def test_a_contact_needs_a_name_or_an_email(db: Database) -> None:
    with pytest.raises(ValidationFailedError):
        create_record(db, table="contact", values={"role": "x"}, source=ChangeSource.CLI)


def test_phone_kept_as_written_and_normalised(db: Database) -> None:
    c = create_record(
        db,
        table="contact",
        values={"first_name": "Bo", "phone": "020 7946 0018"},
        source=ChangeSource.CLI,
    )
    assert c["phone"] == "020 7946 0018"
    assert c["phone_e164"] == "+442079460018"


def _snapshot(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.is_file()}


def test_a_directory_is_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(DatabaseLocationError, match="is a directory"):
        open_database(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    before = _snapshot(path)
    with pytest.raises(DatabaseLocationError, match="not a SQLite database"):
        open_database(path)
    assert _snapshot(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    open_database(path).dispose()
    path.chmod(0)
    with pytest.raises(DatabaseLocationError, match="cannot be read"):
        open_database(path)


def test_a_missing_folder_is_refused_without_creating_it(tmp_path: Path) -> None:
    with pytest.raises(DatabaseLocationError, match="does not exist"):
        open_database(tmp_path / "nope" / "x.db")
    assert not (tmp_path / "nope").exists()


def test_a_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    open_database(db_path).dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _snapshot(db_path)
    with pytest.raises(DatabaseTooNewError, match="newer pfpp-tui"):
        open_database(db_path)
    after = _snapshot(db_path)
    assert after["test.db"] == before["test.db"]
    assert not any(name.endswith(".bak") for name in after)
