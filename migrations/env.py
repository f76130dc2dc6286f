"""Alembic environment on SQLModel.metadata.

The app passes an open connection in ``config.attributes["connection"]`` (see
``pfpp_tui/store/db/migrate.py``), already inside one BEGIN IMMEDIATE transaction, so an upgrade
of any number of revisions commits once and a crash rolls all of it back. From the command
line, ``-x db=...`` names the database.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import pfpp_tui.models  # noqa: F401  (registers every table)
from pfpp_tui.store.db.search_index import include_name

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: object) -> None:
    is_sqlite = getattr(getattr(connection, "dialect", None), "name", "") == "sqlite"
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=is_sqlite,
        compare_type=True,
        include_name=include_name,  # the contacts' text index is no model (migration 0003)
        transaction_per_migration=False,
        # SQLite rolls DDL back too; without this Alembic commits after every revision there.
        transactional_ddl=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    from pfpp_tui.store.db.database import open_database

    location = context.get_x_argument(as_dictionary=True).get("db")
    db = open_database(location, upgrade=False)
    with db.engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; use a database")
run_migrations_online()
