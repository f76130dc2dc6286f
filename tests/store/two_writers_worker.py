"""A worker process for the two-writers test: ``python -m tests.store.two_writers_worker``.

``editor LOCATION CONTACT_ID START_AT SECONDS OUT BULK_OUT``: edit one contact every 50 ms
through ``update_record`` (its own transaction each time), timing each save, from START_AT
until the bulk writer has written BULK_OUT (or SECONDS have passed).
``bulk LOCATION CSV START_AT SECONDS OUT [KIND]``: at START_AT, run the real ``pfpp --db
LOCATION import KIND CSV`` (KIND: contacts, funding or assessments; contacts when not given)
as a child process and time it.

Each worker writes a JSON summary to OUT: what was acknowledged (committed), when, and every
error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.records import update_record

EDIT_EVERY_S = 0.05


def editor(
    location: str, contact_id: int, start_at: float, seconds: float, bulk_out: Path
) -> dict[str, Any]:
    db = open_database(location)
    acked: list[int] = []
    saves: list[tuple[float, float]] = []  # (wall-clock start, wait in seconds)
    errors: list[str] = []
    while time.time() < start_at:
        time.sleep(0.005)
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline and not bulk_out.exists():
        i += 1
        began, wall = time.monotonic(), time.time()
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
        saves.append((wall, took))
        time.sleep(max(0.0, EDIT_EVERY_S - took))
    db.dispose()
    return {"acked": len(acked), "last": acked[-1] if acked else None, "errors": errors,
            "saves": saves}  # fmt: skip


def bulk(location: str, csv_path: str, start_at: float, kind: str) -> dict[str, Any]:
    env = dict(os.environ, PFPP_USER="bulk")
    argv = [sys.executable, "-m", "pfpp_tui.cli", "--db", location, "import", kind, csv_path]
    while time.time() < start_at:
        time.sleep(0.005)
    began = time.time()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    ended = time.time()
    errors = [] if done.returncode == 0 else [f"exit {done.returncode}: {done.stderr[-2000:]}"]
    return {"began": began, "ended": ended, "stdout": done.stdout, "errors": errors}


def main() -> None:
    role, location, arg, start_at, seconds, out = sys.argv[1:7]
    if role == "editor":
        result = editor(location, int(arg), float(start_at), float(seconds), Path(sys.argv[7]))
    else:
        kind = sys.argv[7] if len(sys.argv) > 7 else "contacts"
        result = bulk(location, arg, float(start_at), kind)
    partial = Path(out + ".partial")
    partial.write_text(json.dumps(result), encoding="utf-8")
    partial.replace(out)  # appears whole: the editor stops when the bulk's summary exists


if __name__ == "__main__":
    main()
