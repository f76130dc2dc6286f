"""The one classification of faults (``errors.fault_kind``/``fault_words``) on real errors.

Each error is made by SQLite or the OS itself (a second connection holding the write lock,
``query_only``, ``max_page_count``, errno), never built by hand, so a driver that words or
codes its errors differently fails here first.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from pfpp_tui.errors import (
    DISK_FULL,
    LOCKED,
    READ_ONLY,
    cannot_write,
    describe_failure,
    fault_kind,
    fault_words,
    user_path,
)


def _error_from(path: Path, setup: str, statement: str) -> sqlite3.Error:
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute(setup)
        with pytest.raises(sqlite3.Error) as caught:
            conn.execute(statement)
        return caught.value
    finally:
        conn.close()


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (v TEXT)")
    conn.commit()
    conn.close()
    return path


def test_a_lock_held_by_another_connection_is_locked(table: Path) -> None:
    holder = sqlite3.connect(table, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        exc = _error_from(table, "SELECT 1", "BEGIN IMMEDIATE")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert fault_kind(exc) == LOCKED
    words = fault_words(exc, path=table, waited_ms=5000)
    assert words == f"database {table} is locked by another program (waited 5 s)"


def test_a_write_sqlite_refuses_as_read_only_is_read_only(table: Path) -> None:
    exc = _error_from(table, "PRAGMA query_only = ON", "INSERT INTO t VALUES ('a')")
    assert fault_kind(exc) == READ_ONLY
    assert fault_words(exc, path=table) == f"read-only: cannot write {table} (permission denied)"
    assert describe_failure(exc) == "read-only: cannot write the database"


def test_a_full_database_is_disk_full_without_naming_a_file_sqlite_did_not_name(
    table: Path,
) -> None:
    conn = sqlite3.connect(table)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    exc = _error_from(
        table,
        f"PRAGMA max_page_count = {pages}",
        "INSERT INTO t SELECT hex(randomblob(5000)) FROM (SELECT 1 UNION SELECT 2)",
    )
    assert fault_kind(exc) == DISK_FULL
    # SQLite does not say which file was full (the database, a backup, a temp file).
    assert fault_words(exc, path=table) == "disk full"


@pytest.mark.parametrize(
    ("code", "kind"),
    [(errno.ENOSPC, DISK_FULL), (errno.EDQUOT, DISK_FULL), (errno.EACCES, READ_ONLY),
     (errno.EROFS, READ_ONLY), (errno.ENOENT, None)],
)  # fmt: skip
def test_os_errors_by_errno(code: int, kind: str | None) -> None:
    assert fault_kind(OSError(code, "x")) == kind


def test_file_errors_name_the_users_file_not_the_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with pytest.raises(OSError) as caught:
        (tmp_path / "missing" / ".out.csv.pfpp-0a1b2c-42-abcd_123.part").write_text("x")
    assert cannot_write(target, caught.value) == f"cannot write {target}: No such file or directory"
    full = OSError(
        errno.ENOSPC, "No space left on device", str(tmp_path / ".out.csv.ab12cd34.part")
    )
    assert fault_words(full) == f"disk full: cannot write {target}"
    assert cannot_write(target, full) == f"disk full: cannot write {target}: nothing was written"


@pytest.mark.parametrize(
    ("written", "named"),
    [(".copy.db.pfpp-5bce98-3012-z3py2v2t.partial", "copy.db"),
     (".out.csv.pfpp-5bce98-3012-z3py2v2t.part", "out.csv"),
     (".new.db.ab_12cd3.part", "new.db"),
     ("x.db.partial", "x.db"),
     ("plain.csv", "plain.csv")],
)  # fmt: skip
def test_user_path(written: str, named: str) -> None:
    assert user_path(f"/d/{written}") == f"/d/{named}"


def test_anything_else_is_not_a_fault() -> None:
    assert fault_kind(ValueError("bad value")) is None
    assert fault_words(KeyError("x")) is None
