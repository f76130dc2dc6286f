"""Benchmark: export 100,000 contacts to CSV and XLSX, against the floor.

The floor is Python's ``csv`` writer fed straight from a ``sqlite3`` cursor running the same
join (contact + organisation + team names, same order) — what no exporter can beat in Python.
We report:

* CSV: ``pfpp export contacts --format csv`` code path (store rows → injection-safe writer,
  atomic 0600 file) time / floor time. Goal: at most 2x.
* XLSX: time, and peak memory (max RSS of a fresh process) at 10% of the rows and at all of
  them: write-only mode should keep the two close (constant memory).

Times are CPU seconds of this process (``time.process_time``), best of several runs taken in
turns, so other work on a shared machine does not skew the ratio.

Run: ``python benchmarks/export_contacts.py [--rows 100000] [--keep DIR]``
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import SQLModel

from pfpp_tui.exporters import csv_format, xlsx
from pfpp_tui.exporters.atomic import atomic_output
from pfpp_tui.models import utcnow
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.listing.export_rows import export_table

FIRST = ["Priya", "Tom", "Zoë", "Aisha", "Ben", "Chloé", "Dafydd", "Ewa", "Farah", "Gareth"]
LAST = ["Patel", "Brown", "Ågren", "Baker", "Morgan", "Lewis", "O'Neill", "Nowak", "Khan", "Jones"]
FLOOR_SQL = """
SELECT c.id, c.first_name, c.last_name, c.email, c.phone, o.name, t.name, c.role, c.notes,
       c.tags, c.archived, c.created_at, c.updated_at
FROM contact c
LEFT JOIN organisation o ON o.id = c.organisation_id
LEFT JOIN team t ON t.id = c.team_id
ORDER BY c.id
"""


def build(path: Path, rows: int) -> None:
    """A migrated database with ``rows`` contacts across 40 organisations, 13 pilots."""
    db = open_database(path)
    rnd = random.Random(5)
    now = utcnow()
    tables = SQLModel.metadata.tables
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    with db.engine.begin() as conn:
        conn.execute(
            insert(tables["organisation"]),
            [
                {"name": f"Organisation {i}", "kind": "central_department", "notes": "", **stamps}
                for i in range(1, 41)
            ],
        )
        conn.execute(
            insert(tables["team"]),
            [
                {"organisation_id": 1 + i % 40, "name": f"Team {i}", "remit": "", **stamps}
                for i in range(1, 201)
            ],
        )
        conn.execute(
            insert(tables["pilot"]),
            [
                {
                    "name": f"Place {i}",
                    "project_name": "",
                    "local_challenge": "",
                    "challenge_published": True,
                    "stage": "delivery",
                    "rag": "green",
                    "notes": "",
                    **stamps,
                }
                for i in range(1, 14)
            ],
        )
        batch = []
        for i in range(1, rows + 1):
            team = rnd.randint(1, 200)
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            email = f"{first.lower()}.{i}@dept{team % 40}.example"
            batch.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "email_key": email.lower(),
                    "phone": f"+44 20 7946 {i % 10000:04d}" if i % 3 else None,
                    "organisation_id": 1 + team % 40,
                    "team_id": team,
                    "role": "Policy adviser" if i % 7 else "=1+1",
                    "notes": "Met at the Luton board; follow up on data sharing" if i % 5 else "",
                    "tags": "buddy, data lead" if i % 11 == 0 else "",
                    "archived": False,
                    **stamps,
                }
            )
            if len(batch) == 10_000:
                conn.execute(insert(tables["contact"]), batch)
                batch = []
        if batch:
            conn.execute(insert(tables["contact"]), batch)
        conn.execute(
            insert(tables["contact_pilot"]),
            [
                {"contact_id": c, "pilot_id": 1 + c % 13, "role": "partner", **stamps}
                for c in range(1, rows + 1, 2)
            ],
        )
    db.dispose()


def floor_csv(path: Path, target: Path) -> float:
    start = time.process_time()
    conn = sqlite3.connect(path)
    with target.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        cursor = conn.execute(FLOOR_SQL)
        writer.writerow([d[0] for d in cursor.description])
        writer.writerows(cursor)
    conn.close()
    return time.process_time() - start


def ours(path: Path, target: Path, fmt: str) -> float:
    start = time.process_time()
    db = open_database(path)
    writer = csv_format.write if fmt == "csv" else xlsx.write
    with db.engine.connect() as conn, atomic_output(target) as stream:
        writer([export_table(conn, Entity.CONTACTS)], stream, False)
    db.dispose()
    return time.process_time() - start


def child(fmt: str, path: Path, target: Path) -> None:
    seconds = ours(path, target, fmt)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024}))


def in_child(fmt: str, path: Path, target: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", fmt, str(path), str(target)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def best_of_alternating(runs: int, *measures: Callable[[], float]) -> list[float]:
    """Best time of each measure, run in turns so background load hits them alike."""
    best = [float("inf")] * len(measures)
    for _ in range(runs):
        for index, measure in enumerate(measures):
            best[index] = min(best[index], measure())
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="CSV: best of this many runs")
    parser.add_argument("--keep", type=Path, help="Keep the databases and files here")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="pfpp-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    big, small = work / "contacts.db", work / "contacts-small.db"
    small_rows = max(args.rows // 10, 1)
    for path, rows in ((big, args.rows), (small, small_rows)):
        if not path.exists():
            started = time.perf_counter()
            build(path, rows)
            print(f"built {rows:,} contacts in {time.perf_counter() - started:.1f} s")

    floor, csv_time = best_of_alternating(
        args.runs,
        lambda: floor_csv(big, work / "floor.csv"),
        lambda: ours(big, work / "contacts.csv", "csv"),
    )
    print(f"CSV  {args.rows:,} contacts: floor {floor:.2f} s, pfpp {csv_time:.2f} s")
    print(f"CSV  ratio to floor: {csv_time / floor:.2f}x (goal <= 2.00x)")

    small_x = in_child("xlsx", small, work / "small.xlsx")
    big_x = in_child("xlsx", big, work / "contacts.xlsx")
    print(
        f"XLSX {args.rows:,} contacts: {big_x['seconds']:.2f} s "
        f"({big_x['seconds'] / floor:.1f}x the CSV floor)"
    )
    print(
        f"XLSX peak memory: {small_x['peak_mib']:.0f} MiB at {small_rows:,} rows, "
        f"{big_x['peak_mib']:.0f} MiB at {args.rows:,} rows "
        f"(ratio {big_x['peak_mib'] / small_x['peak_mib']:.2f}x for 10x the rows)"
    )
    if not args.keep:
        print(f"(files in {work}; pass --keep DIR to reuse the databases)")


if __name__ == "__main__":
    main()
