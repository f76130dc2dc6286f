"""Engine and sessions: the only door to the database for the CLI and the TUI alike.

``open_database`` resolves the location, refuses unusable ones with one clear line (another
application's database among them), and migrates to head (backing up a non-empty database
first). Nothing is written until a command writes: opening and reading leave the file byte for
byte as it was. A database this user cannot write opens read-only (``Database.read_only``):
reads work, ``Database.write`` refuses with a ``read-only:`` line. Sessions come from
``Database.read`` (deferred, never blocks a writer in WAL mode) and ``Database.write`` (BEGIN
IMMEDIATE on SQLite, commit on success, rollback on error). Use-case functions own their
transaction by calling one of these; nothing outside ``pfpp_tui.store`` builds SQL.
"""

from __future__ import annotations

import atexit
import getpass
import os
import re
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlmodel import Session

from pfpp_tui.errors import (
    DISK_FULL,
    LOCKED,
    NOTHING_CHANGED,
    DatabaseLocationError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    NotPfppDatabaseError,
    fault_kind,
    fault_words,
)
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.location import DatabaseLocation, resolve_location
from pfpp_tui.store.db.lock_wait import busy_error, is_locked
from pfpp_tui.store.db.schema_version import HEAD_REVISION

# How long opening a server database waits for the server to answer, unless
# PFPP_CONNECT_TIMEOUT_S says otherwise (``connect_timeout_s``). libpq counts whole seconds and
# treats 1 as 2, so the smallest wait that takes effect is 2 s.
CONNECT_TIMEOUT_S = 5
CONNECT_TIMEOUT_ENV = "PFPP_CONNECT_TIMEOUT_S"
MIN_CONNECT_TIMEOUT_S = 2


def connect_timeout_s() -> int:
    """Seconds to wait for a server to answer: ``PFPP_CONNECT_TIMEOUT_S`` when set to a whole
    number (at least 2, libpq's smallest), else ``CONNECT_TIMEOUT_S`` (5 s)."""
    raw = os.environ.get(CONNECT_TIMEOUT_ENV, "").strip()
    try:
        return max(MIN_CONNECT_TIMEOUT_S, int(raw)) if raw else CONNECT_TIMEOUT_S
    except ValueError:
        return CONNECT_TIMEOUT_S


def current_actor() -> str:
    """Who is making changes: ``PFPP_USER``, else the OS user."""
    explicit = os.environ.get("PFPP_USER")
    if explicit:
        return explicit
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# Every database opened in this process, closed at exit: the process leaves without the
# interpreter's teardown (``pfpp_tui.process_exit``), which used to close a connection nobody
# disposed. Closing the last connection to a SQLite file checkpoints its WAL into the file.
_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


@atexit.register
def _dispose_all() -> None:
    for db in list(_OPEN):
        db.dispose()


class Database:
    """An opened database: one engine, sessions for reading and for writing."""

    def __init__(
        self, location: DatabaseLocation, engine: Engine, *, read_only_reason: str | None = None
    ) -> None:
        self.location = location
        self.engine = engine
        # Why this database cannot be written (None: it can), in words for the user.
        self.read_only_reason = read_only_reason
        self._wal_checked = not location.is_sqlite
        self._write_engine = (
            engine.execution_options(**{sqlite_corner.BEGIN_OPTION: "IMMEDIATE"})
            if location.is_sqlite
            else engine
        )
        _OPEN.add(self)

    @property
    def write_engine(self) -> Engine:
        """The engine ``write`` uses (BEGIN IMMEDIATE on SQLite), for a writer that must keep
        one connection across several transactions (a bulk import's TEMP staging table)."""
        return self._write_engine

    @property
    def is_sqlite(self) -> bool:
        return self.location.is_sqlite

    @property
    def display_name(self) -> str:
        return self.location.display_name

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def refuse_if_read_only(self, what: str = "nothing was changed") -> None:
        """Raise ``DatabaseReadOnlyError`` (one line, ``read-only: …``) on a read-only database."""
        if self.read_only_reason is not None:
            raise DatabaseReadOnlyError(
                f"read-only: {self.display_name} cannot be written "
                f"({self.read_only_reason}); {what}"
            )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; objects are expunged-safe only while it is open."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(
        self,
        *,
        source: ChangeSource,
        actor: str | None = None,
        batch: str | None = None,
        reason: str = "",
    ) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error.

        The session carries who/where/why in ``session.info`` so history rows written inside
        it (``store.db.changes``) are attributed without threading those through every call.
        """
        self.refuse_if_read_only()
        with Session(self._write_engine, expire_on_commit=False) as session:
            session.info["pfpp_source"] = ChangeSource(source)
            session.info["pfpp_actor"] = actor or current_actor()
            session.info["pfpp_batch"] = batch or str(uuid.uuid4())
            session.info["pfpp_reason"] = reason
            try:
                yield session
                changed = self._changed_rows(session)
                session.commit()
            except OperationalError as exc:
                session.rollback()
                if self.is_sqlite and is_locked(exc):
                    # The busy timeout ran out: say so in words a screen can show as it is.
                    raise busy_error(sqlite_corner.busy_timeout_ms()) from exc
                raise
            except BaseException:
                session.rollback()
                raise
        if changed:
            self.wrote()

    def _changed_rows(self, session: Session) -> bool:
        if self._wal_checked or not session.in_transaction():
            return False
        return sqlite_corner.changed_rows_since_begin(session.connection())

    def wrote(self) -> None:
        """After a committed write that changed rows: a SQLite file moves to WAL mode now.

        Not on open: a command that only reads, or refuses (a refused import commits a
        transaction that only read), leaves a rollback-journal file byte for byte as it was.
        """
        if not self._wal_checked:
            self._wal_checked = True
            sqlite_corner.switch_to_wal(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(location: DatabaseLocation, read_only: bool = False) -> Engine:
    if location.is_sqlite:
        path = location.path
        assert path is not None
        # The URL picks the dialect and pool; the connection itself comes from a SQLite URI
        # that never creates the file (mode=rw) or only reads it (mode=ro).
        engine = create_engine(
            location.url,
            creator=lambda: sqlite_corner.connect(path, read_only=read_only),
        )
        sqlite_corner.install_sqlite_hooks(engine)
        return engine
    connect_args: dict[str, object] = {}
    if location.url.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = connect_timeout_s()
        if read_only:
            connect_args["options"] = "-c default_transaction_read_only=on"
    return create_engine(location.url, pool_pre_ping=True, connect_args=connect_args)


READ_ONLY_ENV = "PFPP_READ_ONLY"


def open_database(
    location: str | Path | None = None, *, upgrade: bool = True, read_only: bool | None = None
) -> Database:
    """Open (creating if needed) and migrate the database at ``location``.

    ``read_only``: True opens it for reading only; None (the default) does so when
    ``PFPP_READ_ONLY`` is set or when the OS says this user cannot write the SQLite file. A
    read-only database is never migrated: one behind this version's schema is refused.

    Raises a ``PfppError`` subclass with a one-line message for every unusable location.
    """
    resolved = resolve_location(location)
    created = False
    reason = "it was opened read-only" if read_only else None
    if read_only is None and os.environ.get(READ_ONLY_ENV, "") not in ("", "0"):
        reason = f"{READ_ONLY_ENV} is set"
    if resolved.path is not None:
        sqlite_corner.check_sqlite_path(resolved.path)
        if not resolved.path.exists():
            if not upgrade or reason is not None:
                raise DatabaseLocationError(f"{resolved.path}: no such database")
            sqlite_corner.create_private_file(resolved.path)
            created = True
        elif read_only is None and reason is None:
            reason = sqlite_corner.write_problem(resolved.path)
    engine = make_engine(resolved, True) if reason is not None else make_engine(resolved)
    db = Database(resolved, engine, read_only_reason=reason)
    try:
        current = _revision_or_refuse(db)
        if upgrade and current != HEAD_REVISION:
            from pfpp_tui.store.db.migrate import check_not_newer, upgrade_to_head

            if db.read_only:
                check_not_newer(db, current)
                db.refuse_if_read_only(
                    f"it is at schema revision {current or 'none'} and this version needs "
                    f"{HEAD_REVISION}: someone who can write it must run `pfpp db upgrade`"
                )
            upgrade_to_head(db)
        if upgrade and not db.read_only:
            _settle_interrupted_imports(db)
    except (OperationalError, DBAPIError) as exc:
        db.dispose()
        if created and resolved.path is not None:
            resolved.path.unlink(missing_ok=True)
        raise DatabaseUnavailableError(describe_connect_error(resolved, exc)) from None
    except BaseException:
        db.dispose()
        if created and resolved.path is not None:
            resolved.path.unlink(missing_ok=True)
        raise
    return db


def _settle_interrupted_imports(db: Database) -> None:
    """Take back a bulk import a kill interrupted (``store.imports.bulk_import.recover_all``).

    One cheap query when there is none (the usual case); the module is loaded only when there is.
    """
    with db.read() as session:
        pending = session.execute(
            text("SELECT 1 FROM import_batch WHERE state <> 'done' LIMIT 1")
        ).first()
    if pending is not None:
        from pfpp_tui.store.imports.bulk_import import recover_all

        recover_all(db)


def _revision_or_refuse(db: Database) -> str | None:
    """The recorded revision, read cheaply (no Alembic); refuses another application's database.

    Comparing it with ``HEAD_REVISION`` lets an up-to-date database open without loading
    Alembic. A server that cannot be reached must fail here, once: retrying it through Alembic
    would double the wait (two connect timeouts) before the user hears which part of the URL
    is wrong.
    """
    with db.engine.connect() as conn:
        try:
            current: str | None = conn.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar()
        except (OperationalError, ProgrammingError):
            conn.rollback()  # PostgreSQL: the failed statement ended the transaction
            current, tables = None, sorted(inspect(conn).get_table_names())
        else:
            if current == HEAD_REVISION:
                return current
            tables = sorted(inspect(conn).get_table_names())
    if is_foreign(tables, current):
        raise NotPfppDatabaseError(foreign_database_message(db.display_name, tables, current))
    return current


# Tables every pfpp schema since revision 0001 has: an Alembic revision beside none of them
# belongs to another application that also uses Alembic.
PFPP_TABLES = frozenset({"contact", "change"})


def is_foreign(tables: list[str], revision: str | None) -> bool:
    """Another application's database: tables of its own, and no pfpp revision or tables."""
    own = set(tables) - {"alembic_version"}
    if not own:
        return False  # empty, or pfpp's at base (only the revision table)
    return "alembic_version" not in tables or (revision is not None and not own & PFPP_TABLES)


def foreign_database_message(name: str, tables: list[str], revision: str | None = None) -> str:
    """``x.db is not a pfpp database: it holds 3 tables (a, b, c) and no pfpp revision``."""
    return f"{name} is {foreign_database_problem(tables, revision)}; nothing was changed"


def foreign_database_problem(tables: list[str], revision: str | None = None) -> str:
    own = [t for t in tables if t != "alembic_version"]
    shown = ", ".join(own[:3]) + (", …" if len(own) > 3 else "")
    noun = "table" if len(own) == 1 else "tables"
    what = "no pfpp revision" if revision is None else f"another application's revision {revision}"
    return f"not a pfpp database: it holds {len(own)} {noun} ({shown}) and {what}"


def describe_connect_error(location: DatabaseLocation, exc: DBAPIError) -> str:
    """One line naming the database and the problem, with no password in it."""
    message = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if fault_kind(exc) in (LOCKED, DISK_FULL):  # in the words every command uses
        waited = sqlite_corner.busy_timeout_ms() if location.is_sqlite else None
        message = f"{fault_words(exc, waited_ms=waited)}: {NOTHING_CHANGED}"
    elif location.is_sqlite and "not a database" in message:
        message = "is not a SQLite database (or is corrupted)"
    elif location.is_sqlite and location.path is not None and _read_only(location.path, message):
        message = (
            "is read-only (the file, its folder or the file system cannot be written; "
            "SQLite needs to write the database and its -wal/-shm files beside it)"
        )
    elif not location.is_sqlite:
        message = explain_server_error(location, message)
    password = location.url.password
    if password:
        message = message.replace(str(password), "***")
    return f"{location.display_name}: {message}"


def _read_only(path: Path, message: str) -> bool:
    """SQLite says "unable to open database file" when it cannot create the -shm file."""
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return True
    if "unable to open database file" not in lowered:
        return False
    return sqlite_corner.write_problem(path) is not None


_SERVER_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"failed to resolve host|could not translate host name", re.I),
        "unknown host {host}",
    ),
    (
        re.compile(r"connection refused", re.I),
        "nothing is listening at {host} port {port} (wrong host or port, or the server is down)",
    ),
    (
        re.compile(r"timeout expired|timed out", re.I),
        "no answer from {host} port {port} within {timeout} s (wrong host or port, or a firewall)",
    ),
    (
        re.compile(r'database "(?P<name>[^"]*)" does not exist', re.I),
        'no database "{name}" on the server (wrong database name)',
    ),
    (
        re.compile(r'password authentication failed for user "(?P<name>[^"]*)"', re.I),
        'wrong password for user "{name}" (from the URL, PGPASSWORD or ~/.pgpass)',
    ),
    (
        re.compile(r"no password supplied|fe_sendauth", re.I),
        'the server wants a password for user "{user}": put it in PGPASSWORD or ~/.pgpass',
    ),
    (
        re.compile(r'role "(?P<name>[^"]*)" does not exist', re.I),
        'no user "{name}" on the server (wrong user name)',
    ),
)


def explain_server_error(location: DatabaseLocation, message: str) -> str:
    """libpq's wording → which part of the URL is wrong, in one line."""
    url = location.url
    for pattern, template in _SERVER_ERRORS:
        match = pattern.search(message)
        if match:
            return template.format(
                host=url.host or "localhost",
                port=url.port or 5432,
                user=url.username or "",
                timeout=connect_timeout_s(),
                name=match.groupdict().get("name", ""),
            )
    return message
