"""Migrations at start-up: bring any database to head, safely.

Order of events when a database is behind: refuse if it is *ahead* of this version (a newer
pfpp wrote it), back it up when it holds data, then upgrade inside one transaction — SQLite
and PostgreSQL both roll DDL back, so a crash leaves the old revision intact.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from pfpp_tui.errors import DatabaseTooNewError, MigrationFailedError
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database
from pfpp_tui.words import counted

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "migrations/ has no revisions"
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def check_not_newer(db: Database, current: str | None) -> None:
    if current is None:
        return
    if current not in known_revisions():
        raise DatabaseTooNewError(
            f"{db.display_name}: written by a newer pfpp-tui (schema revision {current}); "
            f"this version knows up to {head_revision()} — upgrade pfpp-tui to open it"
        )


def upgrade_to_head(db: Database) -> bool:
    """Upgrade if needed; return True when a migration ran."""
    current = current_revision(db)
    check_not_newer(db, current)
    head = head_revision()
    if current == head:
        return False
    if db.location.path is not None and _has_tables(db):
        backup_before_migration(db, current)
    run_upgrade(db, "head")
    return True


def run_upgrade(db: Database, target: str) -> None:
    _run_migration(db, lambda config: command.upgrade(config, target))


def run_downgrade(db: Database, target: str) -> None:
    _run_migration(db, lambda config: command.downgrade(config, target))


def _run_migration(db: Database, step: Callable[[Config], None]) -> None:
    """Run Alembic on one connection, in one transaction, with SQLite's foreign keys paused.

    All or nothing, however many revisions: the transaction is begun here (BEGIN IMMEDIATE on
    SQLite) before Alembic sees the connection, so Alembic treats it as external and neither
    begins nor commits per revision. Left to itself, Alembic would commit after each revision
    on SQLite (its SQLite dialect declares no transactional DDL, although SQLite rolls DDL
    back), and a ``kill -9`` between two revisions would leave the database half-way.

    Alembic's batch mode rebuilds a SQLite table by copying it and dropping the original; with
    foreign keys on, dropping a parent table would cascade-delete its children's rows. The
    pragma can only change outside a transaction, so it is switched off before BEGIN, the
    result is checked with ``foreign_key_check`` before COMMIT, and it is switched back on.
    """
    db.refuse_if_read_only()
    config = alembic_config()
    with db._write_engine.connect() as conn:
        raw = conn.connection.dbapi_connection if db.is_sqlite else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                step(config)
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise MigrationFailedError(
                            f"{db.display_name}: migration would leave "
                            f"{counted(len(broken), 'broken link')}; nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
    db.wrote()


def backup_before_migration(db: Database, current: str | None) -> Path:
    """Keep a copy beside the database, named after the revision it was at."""
    assert db.location.path is not None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    stem = f"{db.location.path.name}.before-{current or 'unversioned'}-{stamp}"
    target = db.location.path.with_name(f"{stem}.bak")
    # A rerun within the same second (after a killed upgrade, say) must not be refused.
    extra = 1
    while target.exists():
        extra += 1
        target = db.location.path.with_name(f"{stem}-{extra}.bak")
    sqlite_corner.backup_to(db.location.path, target)
    return target


def _has_tables(db: Database) -> bool:
    with db.engine.connect() as conn:
        return bool(inspect(conn).get_table_names())
