"""A worker process for the two-writers test: ``python -m tests.store.two_writers_worker``.

``editor LOCATION CONTACT_ID START_AT SECONDS OUT``: edit one contact every 50 ms through
``update_record`` (its own transaction each time), timing each save.
``bulk LOCATION 0 START_AT SECONDS OUT MAX_ROWS``: insert contacts through the store in
transactions of ``BULK_BATCH`` rows (with their history rows), sleeping ``BULK_YIELD_S``
between transactions so the editor gets its turn.

Why 100 ms between 2,000-row transactions: SQLite's busy handler sleeps up to 100 ms between
retries, so a bulk writer that takes the lock back sooner keeps winning. Measured here (8 s
runs): 20 ms yields → editor worst wait 858 ms (median 92 ms); 100 ms yields → worst 208 ms
(median 9 ms) for only 5 % fewer rows imported.

Each worker writes a JSON summary to OUT: what was acknowledged (committed) and every error.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from pfpp_tui.models import ChangeOp, ChangeSource, Contact
from pfpp_tui.store.database import open_database
from pfpp_tui.store.history import PendingChange, record_changes
from pfpp_tui.store.records import update_record

EDIT_EVERY_S = 0.05
BULK_BATCH = 2000
BULK_YIELD_S = 0.1


def editor(location: str, contact_id: int, start_at: float, seconds: float) -> dict[str, Any]:
    db = open_database(location)
    acked: list[int] = []
    waits: list[float] = []
    errors: list[str] = []
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        i += 1
        began = time.monotonic()
        try:
            update_record(
                db,
                table="contact",
                row_id=contact_id,
                changes={"notes": f"edit {i}"},
                source=ChangeSource.TUI,
            )
            acked.append(i)
        except Exception as exc:  # every failure is counted, none hidden
            errors.append(f"{type(exc).__name__}: {exc}")
        took = time.monotonic() - began
        waits.append(took)
        time.sleep(max(0.0, EDIT_EVERY_S - took))
    db.dispose()
    waits.sort()
    return {
        "acked": len(acked),
        "last": acked[-1] if acked else None,
        "errors": errors,
        "worst_wait_s": waits[-1] if waits else 0.0,
        "p99_wait_s": waits[int(len(waits) * 0.99)] if waits else 0.0,
        "median_wait_s": waits[len(waits) // 2] if waits else 0.0,
    }


def bulk(location: str, start_at: float, seconds: float, max_rows: int) -> dict[str, Any]:
    db = open_database(location)
    table = Contact.__table__  # type: ignore[attr-defined]
    acked_rows = 0
    transactions = 0
    errors: list[str] = []
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and acked_rows < max_rows:
        n = min(BULK_BATCH, max_rows - acked_rows)
        rows = [
            {
                "first_name": "Bulk",
                "last_name": f"Row {acked_rows + k}",
                "email": f"bulk{acked_rows + k}@import.example",
                "email_key": f"bulk{acked_rows + k}@import.example",
            }
            for k in range(n)
        ]
        try:
            with db.write(source=ChangeSource.IMPORT) as session:
                ids = session.execute(table.insert().returning(table.c.id), rows).scalars().all()
                record_changes(
                    session,
                    (
                        PendingChange(
                            "contact", row_id, ChangeOp.CREATE, {"email": (None, r["email"])}
                        )
                        for row_id, r in zip(ids, rows, strict=True)
                    ),
                )
            acked_rows += n
            transactions += 1
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(BULK_YIELD_S)
    db.dispose()
    return {"acked_rows": acked_rows, "transactions": transactions, "errors": errors}


def main() -> None:
    role, location, contact_id, start_at, seconds, out = sys.argv[1:7]
    if role == "editor":
        result = editor(location, int(contact_id), float(start_at), float(seconds))
    else:
        result = bulk(location, float(start_at), float(seconds), int(sys.argv[7]))
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main()
