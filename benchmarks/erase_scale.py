"""How long do ``person show`` and ``person erase`` take on a big database, and in how much memory?

Both read every record's free text and every history row through Python's Unicode case
folding (``store.history.person_mentions``), streamed in chunks, so time grows with the database and
memory should not. This builds a SQLite database with ``--rows`` contacts and actions (the TUI
benchmark's ``build``) plus one history row per contact, as an import writes them, then times
``person_report`` and ``erase_person`` for one contact (CPU seconds: a shared machine adds only
waiting) and reports the peak memory (max RSS) of a fresh process doing each, at a tenth of the
rows and at all of them: the two should be close.

Run: ``python benchmarks/erase_scale.py [--rows 100000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

WHO = "person-0000042@dept.example"


def make(path: Path, rows: int) -> None:
    from sqlalchemy import text
    from tui_scale import build

    from pfpp_tui.store.db.database import open_database

    build(path, rows)
    db = open_database(path)
    try:
        history = [
            {
                "r": i + 1,
                "c": json.dumps(
                    {
                        "first_name": [None, "Ada"],
                        "last_name": [None, "Lovelace"],
                        "email": [None, f"person-{i:07d}@dept.example"],
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            }
            for i in range(rows)
        ]
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO change (table_name, row_id, op, changes, actor, at, source,"
                    " reason) VALUES ('contact', :r, 'create', :c, 'importer',"
                    " '2026-01-01 00:00:00', 'import', '')"
                ),
                history,
            )
    finally:
        db.dispose()


def run_one(path: Path, what: str) -> None:
    """In a fresh process: do ``what`` once, print its seconds and the peak RSS in MiB."""
    if what.startswith("build-"):
        make(path, int(what.removeprefix("build-")))
        return
    from pfpp_tui.store.db.database import open_database
    from pfpp_tui.store.history.erasure import erase_person
    from pfpp_tui.store.history.person import person_report

    db = open_database(path)
    start = time.process_time()
    if what == "show":
        person_report(db, WHO)
    else:
        erase_person(db, WHO)
    seconds = time.process_time() - start
    db.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak}))


def measure(path: Path, what: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", what, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--one", nargs=2, metavar=("WHAT", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(Path(args.one[1]), args.one[0])
        return
    with tempfile.TemporaryDirectory() as folder:
        for rows in (args.rows // 10, args.rows):
            path = Path(folder) / f"erase-{rows}.db"
            # Built in another process too: on Linux a child inherits its parent's peak RSS.
            subprocess.run(
                [sys.executable, __file__, "--one", f"build-{rows}", str(path)], check=True
            )
            show, erase = measure(path, "show"), measure(path, "erase")
            print(
                f"{rows:>7,} contacts + {rows:,} history rows: "
                f"show {show['seconds']:.2f} s CPU (peak {show['peak_mib']:.0f} MiB), "
                f"erase {erase['seconds']:.2f} s CPU (peak {erase['peak_mib']:.0f} MiB)"
            )


if __name__ == "__main__":
    main()
