"""Moving a SQLite file's dates by a number of days, with plain ``sqlite3`` (no ORM).

Owns ``shift_dates``: every named column of every table that has it, moved by ``delta`` in one
write transaction, each value written back in the text form SQLAlchemy stores and reads on
SQLite (``2023-11-08`` for a DATE, ``2023-11-08 13:30:00.000000`` for a DATETIME). ``pfpp demo``
uses it on its fresh copy before the app starts, so the demo's first frame does not wait for
SQLAlchemy to load (issue 19). No history rows: moving a demo in time is not an edit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's DateTime on SQLite


def _mover(declared: str, delta: timedelta) -> Callable[[str], str]:
    if declared.upper() == "DATE":
        return lambda text: (date.fromisoformat(text) + delta).isoformat()
    return lambda text: (datetime.fromisoformat(text) + delta).strftime(DATETIME_FORMAT)


def shift_dates(path: Path, delta: timedelta, columns: Mapping[str, tuple[str, ...]]) -> None:
    """Move ``columns`` (table → its column names; ``"*"`` names those of every table) by
    ``delta``, where a table has them, in one transaction."""
    if not delta:
        return
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
            )
        ]
        for table in tables:
            declared = {r[1]: str(r[2]) for r in conn.execute(f'PRAGMA table_info("{table}")')}
            wanted = (*columns.get(table, ()), *columns.get("*", ()))
            names = [n for n in dict.fromkeys(wanted) if n in declared]
            if not names or "id" not in declared:
                continue
            movers = [_mover(declared[n], delta) for n in names]
            rows = conn.execute(f'SELECT id, {", ".join(names)} FROM "{table}"').fetchall()
            for row_id, *values in rows:
                moved = [
                    None if v is None else move(str(v))
                    for move, v in zip(movers, values, strict=True)
                ]
                sets = ", ".join(f"{n} = ?" for n in names)
                conn.execute(f'UPDATE "{table}" SET {sets} WHERE id = ?', (*moved, row_id))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
