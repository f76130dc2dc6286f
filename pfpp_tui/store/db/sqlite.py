"""The one corner that knows SQLite: connection pragmas, BEGIN IMMEDIATE, backups, checks.

Why BEGIN IMMEDIATE: a deferred transaction that reads and then writes fails with "database is
locked" at once when another writer holds the lock, whatever the busy timeout. Write sessions
therefore take the write lock up front and wait (busy timeout) instead. Read sessions stay
deferred so that, in WAL mode, they never block or wait on a writer.

PostgreSQL's twins of these functions live beside their callers in ``database.py``.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from pfpp_tui.errors import DatabaseLocationError
from pfpp_tui.store.db.lock_wait import is_locked, wait_reporter
from pfpp_tui.store.db.sqlite_file import connect_uri as connect_uri  # the file's own corner
from pfpp_tui.store.db.sqlite_file import create_private_file as create_private_file
from pfpp_tui.store.db.sqlite_file import in_wal_mode as in_wal_mode
from pfpp_tui.store.db.sqlite_file import write_problem as write_problem

# How long a write waits for another program's write lock before giving up, unless
# PFPP_BUSY_TIMEOUT_MS says otherwise (``busy_timeout_ms``). Read at each connect and each
# write, so tests shorten it by setting this attribute (in process) or the variable (children).
BUSY_TIMEOUT_MS = 30_000
BUSY_TIMEOUT_ENV = "PFPP_BUSY_TIMEOUT_MS"
CHECKPOINT_WAIT_MS = 2_000
SQLITE_HEADER = b"SQLite format 3\x00"
BEGIN_OPTION = "pfpp_begin"
_CHANGES_AT_BEGIN = "pfpp_changes_at_begin"


def busy_timeout_ms() -> int:
    """How long a write waits for another program's lock: ``PFPP_BUSY_TIMEOUT_MS`` when set to
    a whole number, else ``BUSY_TIMEOUT_MS`` (30 s)."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    try:
        return max(0, int(raw)) if raw else BUSY_TIMEOUT_MS
    except ValueError:
        return BUSY_TIMEOUT_MS


def check_sqlite_path(path: Path) -> None:
    """Refuse paths that cannot be a database, before SQLite gets a chance to create junk."""
    if path.is_dir():
        raise DatabaseLocationError(f"{path}: is a directory, not a database file")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise DatabaseLocationError(f"{path}: cannot be read (permission denied)")
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseLocationError(f"{path}: cannot be read ({exc.strerror})") from exc
        if header and header != SQLITE_HEADER:
            raise DatabaseLocationError(f"{path}: is not a SQLite database")
    else:
        parent = path.parent
        if not parent.is_dir():
            raise DatabaseLocationError(f"{path}: folder {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise DatabaseLocationError(f"{path}: cannot create a database in {parent}")


def connect(path: Path, *, read_only: bool) -> Any:
    """A sqlite3 connection to an existing database, opened as ``connect_uri`` says."""
    return sqlite3.connect(
        connect_uri(path, read_only=read_only),
        uri=True,
        timeout=busy_timeout_ms() / 1000,  # read now: tests shorten it
        check_same_thread=False,
    )


def install_sqlite_hooks(engine: Engine) -> None:
    """Pragmas on every new connection; explicit BEGIN so we choose DEFERRED or IMMEDIATE.

    None of the pragmas changes the file. The switch to WAL (which rewrites the header) waits
    until a write has committed (``switch_to_wal``), so a command that only reads, or refuses
    and rolls back, leaves a rollback-journal database byte for byte as it was.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # Erased personal data must not linger in free pages (UK GDPR erasure).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        raw = connection.connection.dbapi_connection
        if raw is not None:
            connection.info[_CHANGES_AT_BEGIN] = raw.total_changes
        reporter = wait_reporter() if mode != "DEFERRED" else None
        if reporter is None:
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        begin_reporting_wait(connection, mode, reporter)


def begin_reporting_wait(connection: Connection, mode: str, reporter: Callable[[], None]) -> None:
    """BEGIN ``mode``, calling ``reporter`` first if (and only if) another writer holds the lock.

    A first attempt that does not wait tells whether the lock is free; only when it is refused
    does the front end hear "waiting", and then the ordinary busy-timeout wait follows.
    """
    connection.exec_driver_sql("PRAGMA busy_timeout = 0")
    try:
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
            return
        except OperationalError as exc:
            if not is_locked(exc):
                raise
        reporter()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        connection.exec_driver_sql(f"BEGIN {mode}")
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms()}")


def changed_rows_since_begin(connection: Connection) -> bool:
    """Whether the open transaction on ``connection`` inserted, updated or deleted a row."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    return bool(raw.total_changes != connection.info.get(_CHANGES_AT_BEGIN, -1))


def switch_to_wal(engine: Engine) -> None:
    """WAL from now on, once a write has committed: readers and one writer work at once.

    The mode can only change outside a transaction. If another program holds a lock just now
    the database stays in its journal mode (still correct) and the next write tries again.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        try:
            if str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                raw.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:
            pass


def backup_to(source: Path, target: Path) -> None:
    """Online backup (the sqlite3 backup API): consistent even while others write.

    The copy is written under a ``.partial`` name, synced, then renamed into place, so a crash
    or ``kill -9`` half-way never leaves a truncated file that looks like a backup. The name
    says which process wrote it (``exporters.atomic.temp_prefix``), so the next backup or
    export into that folder can remove one whose writer was killed.
    """
    if target.exists():
        raise DatabaseLocationError(f"{target}: already exists; choose a new backup name")
    if not target.parent.is_dir():
        raise DatabaseLocationError(f"{target}: folder {target.parent} does not exist")
    from pfpp_tui.exporters.atomic import temp_prefix

    fd, name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=".partial", dir=target.parent)
    os.close(fd)  # created 0600 by mkstemp
    partial = Path(name)
    src = sqlite3.connect(source, timeout=busy_timeout_ms() / 1000)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, progress=give_up_when_locked())
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except Exception:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()


def give_up_when_locked() -> Callable[[int, int, int], None]:
    """A backup ``progress`` callback that stops waiting for a lock after the busy timeout.

    Python's ``Connection.backup`` retries a step that found the other database locked every
    250 ms, for ever: a program holding a write lock would hang ``db restore`` (and a backup
    of a database in rollback-journal mode) with no end and no word.
    """
    deadline = time.monotonic() + busy_timeout_ms() / 1000

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    return progress


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_from(backup: Path, target: Path) -> None:
    """Copy ``backup``'s pages into the live database ``target`` (the backup API, in reverse).

    Other connections keep working and see the restored contents at their next transaction;
    the copy waits for (busy timeout) and holds the write lock while it runs.
    """
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=busy_timeout_ms() / 1000)
        try:
            dst.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            src.backup(dst, progress=give_up_when_locked())
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    finally:
        src.close()


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` and ``foreign_key_check`` report; empty when clean."""
    problems: list[str] = []
    try:
        conn = connect(path, read_only=write_problem(path) is not None)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        problems.extend(str(r[0]) for r in rows if r[0] != "ok")
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} row {rowid}: points at a missing {parent}")
    except sqlite3.DatabaseError as exc:
        problems.append(str(exc))
    finally:
        conn.close()
    return problems


def vacuum_and_truncate_wal(engine: Engine) -> bool:
    """Leave no trace of deleted rows in the file or its WAL; False if the WAL stayed in use.

    ``secure_delete`` already zeroes freed cells in the pages it writes, but those pages reach
    the main file only at a checkpoint, and the WAL keeps older page images until it is reset.
    So: checkpoint and truncate the WAL, VACUUM (which rebuilds the file, dropping free pages —
    and itself writes through the WAL), then checkpoint and truncate once more. A reader in
    another process holding an old snapshot makes the checkpoint report "busy".
    """
    raw = engine.raw_connection()
    conn = raw.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    try:
        # A TRUNCATE checkpoint waits (busy handler) for every reader to finish; don't keep
        # the user waiting the full busy timeout for a colleague's open app, report it instead.
        conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
        busy_before = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        conn.execute("VACUUM")
        busy_after = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:
        # Another writer held on past the wait: the erasure itself is committed; the caller
        # reports that the space could not be reclaimed yet.
        return False
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        raw.close()
    return not busy_before and not busy_after


def table_names(path: Path) -> list[str]:
    """The file's own tables (not SQLite's internal ones), sorted, read without changing it."""
    conn = connect(path, read_only=write_problem(path) is not None)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return sorted(str(row[0]) for row in rows)


def schema_revision(path: Path) -> str | None:
    """The Alembic revision recorded in the file, read without changing it."""
    conn = connect(path, read_only=write_problem(path) is not None)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None
