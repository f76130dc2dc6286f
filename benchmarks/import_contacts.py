"""Benchmark: ``pfpp import contacts`` on 100,000 Google-layout rows against the raw floor.

Generates a Google Contacts CSV (current layout) of N rows, then in the same run times

- the floor: raw ``sqlite3.executemany`` of the same rows (already parsed, in memory) into an
  equivalent contact table -- same columns, unique ``email_key``, the two indexes -- in one
  transaction, in this process;
- the whole command: ``pfpp --db NEW.db import contacts FILE`` in a subprocess (interpreter
  start, imports, migrations check, parse, validate, de-duplicate, write, history) on a fresh,
  already-migrated database;

alternately, ``--repeat`` times each, and prints the best wall time and the best CPU time of
each side (taken separately: the machine may be shared and noisy, and the best run is the one
least disturbed) and their ratios. The goal is <= 3x.

The subprocess runs with byte-code caching on (in a private ``PYTHONPYCACHEPREFIX``, warmed by
the ``db upgrade`` that prepares each database), as an installed pfpp runs; an environment
that sets ``PYTHONDONTWRITEBYTECODE`` would otherwise make every run recompile pfpp's own
modules. ``--lower-bound`` also times, in the same alternation, the least any import meeting the
issue's requirements must do (``_LOWER_BOUND``): start Python, read and ``csv.reader`` the
file, map names to organisation and team ids in a dict, and write the contacts (search index
trigger included) in transactions of 5,000 rows so an editor is never kept waiting (issue
17.10), their creation recorded by one batch record (issue 19's decision); no validation, no
normalisation, no de-duplication, no matching against what is already stored, no SQLAlchemy,
no pauses between transactions. Its ratio to the floor is how far below 3x the whole command
could ever get on this machine (it writes the way the command does: staged rows, one
``INSERT ... SELECT`` per transaction). ``--breakdown`` also times, in separate subprocesses,
the interpreter with the command's imports and ``open_database`` on an up-to-date database
with and without the migration check, so the share of start-up is visible. Run:
``python benchmarks/import_contacts.py [--rows N] [--repeat K] [--lower-bound] [--breakdown]``.

``--scale`` (issue 19) also runs the whole command once each at 10,000 and 100,000 rows (and
1,000,000 with ``--million``; slow) on fresh databases and prints its wall and CPU time, CPU
time per 1,000 rows and peak memory (the child's maximum resident set, from ``os.wait4``: the
whole process), with the ratios of 1M to 100k: time should grow linearly and memory at most
1.5x. Every run of the command above prints its peak memory too. For the issue's figures:
``python benchmarks/import_contacts.py --repeat 3 --lower-bound --scale --million``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
]
FIRST = ["Ada", "Bola", "Cerys", "Dev", "Eilidh", "Femi", "Gwen", "Hamid", "Iona", "Jas", "Kofi"]
LAST = ["Lovelace", "Okafor", "Jones", "Patel", "Campbell", "Adeyemi", "Evans", "Khan", "Reid"]
ORGS = [f"Department {n}" for n in range(40)] + [f"Council {n}" for n in range(20)]
TEAMS = ["Policy", "Delivery", "Data", "Finance", "Local Partnerships", "Evaluation"]


def generate(path: Path, rows: int, seed: int = 4, *, keep: bool = True) -> list[tuple[str, ...]]:
    """Write the CSV; return the rows as the floor inserts them (already 'parsed'; none when
    not ``keep``, so a million rows are not held here)."""
    rng = random.Random(seed)
    parsed: list[tuple[str, ...]] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first}.{last}.{n}@dept{n % 60}.example".lower()
            phone = f"020 7946 {n % 10000:04d}"
            org, team = rng.choice(ORGS), rng.choice(TEAMS)
            note = "Met at the pilot check-in" if n % 7 == 0 else ""
            writer.writerow(
                [
                    first,
                    "",
                    last,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    org,
                    "Adviser",
                    team,
                    "",
                    note,
                    "",
                    "* myContacts",
                    "Work",
                    email,
                    "Mobile",
                    phone,
                ]
            )
            if keep:
                parsed.append((first, last, email, phone, org, team, "Adviser", note))
    return parsed


FLOOR_SCHEMA = """
CREATE TABLE contact (
    id INTEGER PRIMARY KEY, first_name VARCHAR(120) NOT NULL, last_name VARCHAR(120) NOT NULL,
    email VARCHAR(320), phone VARCHAR(60), phone_e164 VARCHAR(20), organisation_id INTEGER,
    team_id INTEGER, role VARCHAR NOT NULL, notes VARCHAR NOT NULL, tags VARCHAR NOT NULL,
    archived BOOLEAN NOT NULL, email_key VARCHAR(320), created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL, version INTEGER NOT NULL, UNIQUE (email_key));
CREATE INDEX ix_contact_organisation_id ON contact (organisation_id);
CREATE INDEX ix_contact_team_id ON contact (team_id);
"""


def floor(db: Path, parsed: list[tuple[str, ...]]) -> tuple[float, float]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(FLOOR_SCHEMA)
    now = "2026-01-01 00:00:00.000000"
    orgs = {name: n + 1 for n, name in enumerate(ORGS)}
    teams = {
        (org, team): n + 1 for n, (org, team) in enumerate((o, t) for o in ORGS for t in TEAMS)
    }
    rows = [
        (
            first,
            last,
            email,
            phone,
            None,
            orgs[org],
            teams[org, team],
            role,
            note,
            "",
            0,
            email,
            now,
            now,
            1,
        )
        for first, last, email, phone, org, team, role, note in parsed
    ]
    start, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO contact (first_name, last_name, email, phone, phone_e164, organisation_id,"
        " team_id, role, notes, tags, archived, email_key, created_at, updated_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return elapsed, cpu


def pfpp(*args: str) -> list[str]:
    return [sys.executable, "-m", "pfpp_tui.cli", *args]


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ, PFPP_USER="bench", PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    elapsed, cpu, _, out = _run(argv, env)
    return elapsed, cpu, out


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run ``argv``: wall seconds, CPU seconds, peak resident memory in MiB (the child's own
    ``ru_maxrss``, from ``os.wait4``: the whole process) and its stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{argv[3:]} failed ({proc.returncode}):\n{stdout}\n{stderr}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``argv``; its wall seconds and peak resident memory in MiB (``os.wait4``)."""
    elapsed, _, peak, _ = _run(argv, env)
    return elapsed, peak


def scale(folder: Path, env: dict[str, str], sizes: list[int]) -> None:
    """Whole-command time and peak memory at each size, on a fresh, migrated database."""
    print("scale (whole command, one run each): rows, wall, cpu, cpu per 1,000 rows, peak memory")
    results: dict[int, tuple[float, float, float]] = {}
    for rows in sizes:
        csv_path = folder / f"scale{rows}.csv"
        generate(csv_path, rows, keep=False)
        db = folder / f"scale{rows}.db"
        subprocess.run(pfpp("--db", str(db), "db", "upgrade"), check=True, env=env,
                       capture_output=True)  # fmt: skip
        wall, cpu, peak, _ = _run(pfpp("--db", str(db), "import", "contacts", str(csv_path)), env)
        results[rows] = (wall, cpu, peak)
        print(f"  {rows:>9,}: {wall:7.2f} s wall  {cpu:7.2f} s cpu  "
              f"{cpu / rows * 1000 * 1000:6.1f} ms  {peak:7.0f} MiB")  # fmt: skip
        csv_path.unlink()
        for leftover in folder.glob(f"scale{rows}.db*"):
            leftover.unlink()
    if 100_000 in results and 1_000_000 in results:
        (t1, c1, m1), (t2, c2, m2) = results[100_000], results[1_000_000]
        print(f"  1M vs 100k: wall {t2 / t1:.1f}x, cpu {c2 / c1:.1f}x for 10x the rows; "
              f"peak memory {m2 / m1:.2f}x (goal <= 1.5x)")  # fmt: skip


def command(db: Path, csv_path: Path, env: dict[str, str]) -> tuple[float, float]:
    subprocess.run(pfpp("--db", str(db), "db", "upgrade"), check=True, env=env, capture_output=True)
    argv = pfpp("--db", str(db), "import", "contacts", str(csv_path))
    elapsed, cpu, peak, out = _run(argv, env)
    print(f"  {out.strip()}  ({elapsed:.3f} s wall, {cpu:.3f} s cpu, {peak:.0f} MiB peak)")
    return elapsed, cpu


# The least a correct import must do, without pfpp: a separate interpreter, like the command.
_LOWER_BOUND = """
import csv, sqlite3, sys
path, db = sys.argv[1:]
with open(path, newline="", encoding="utf-8") as handle:
    rows = list(csv.reader(handle))
at = {name: n for n, name in enumerate(rows[0])}
first, last, email, phone = (at[k] for k in ("First Name", "Last Name", "E-mail 1 - Value",
                                             "Phone 1 - Value"))
org, team, role, notes = (at[k] for k in ("Organization Name", "Organization Department",
                                          "Organization Title", "Notes"))
now = "2026-01-01 00:00:00.000000"
orgs, teams, contacts = {}, {}, []
for row in rows[1:]:
    org_id = orgs.setdefault(row[org], len(orgs) + 1)
    team_id = teams.setdefault((org_id, row[team]), len(teams) + 1)
    contacts.append((row[first], row[last], row[email], row[phone], None, org_id, team_id,
                     row[role], row[notes], "", 0, row[email].lower(), now, now, 1))
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA synchronous = NORMAL")
conn.execute("BEGIN IMMEDIATE")
conn.executemany("INSERT INTO organisation (id, name, kind, notes, created_at, updated_at,"
                 " version) VALUES (?, ?, 'unknown', '', ?, ?, 1)",
                 [(n, name, now, now) for name, n in orgs.items()])
conn.executemany("INSERT INTO team (id, organisation_id, name, remit, created_at, updated_at,"
                 " version) VALUES (?, ?, ?, '', ?, ?, 1)",
                 [(n, o, name, now, now) for (o, name), n in teams.items()])
# As the command does it (issues 17.10 and 19): staged in a TEMP table, then written in
# transactions of 5,000 rows (one INSERT ... SELECT each, the index trigger inside it), with a
# page cache big enough for the unique e-mail index, and one batch record for the creations.
conn.execute("COMMIT")
conn.execute("PRAGMA cache_size = -65536")
conn.execute("CREATE TEMP TABLE stage (seq INTEGER PRIMARY KEY, first_name, last_name, email,"
             " phone, phone_e164, organisation_id, team_id, role, notes, tags, archived,"
             " email_key, created_at, updated_at, version)")
conn.execute("BEGIN")
conn.executemany("INSERT INTO stage VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 contacts)
conn.execute("COMMIT")
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO import_batch (id, batch, state, at, actor, source, reason, files,"
             " options, contacts_added, change_mark, owner, heartbeat) VALUES (1, 'b',"
             " 'publishing', ?, 'bench', 'import', '', '[]', '{}', 0, 0, '', ?)", (now, now))
conn.execute("COMMIT")
for low in range(0, len(contacts), 5000):
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO contact (first_name, last_name, email, phone, phone_e164,"
                 " organisation_id, team_id, role, notes, tags, archived, email_key, created_at,"
                 " updated_at, version, import_batch_id) SELECT first_name, last_name, email,"
                 " phone, phone_e164, organisation_id, team_id, role, notes, tags, archived,"
                 " email_key, created_at, updated_at, version, 1 FROM stage"
                 " WHERE seq > ? AND seq <= ? ORDER BY seq", (low, low + 5000))
    conn.execute("COMMIT")
conn.execute("UPDATE import_batch SET state = 'done', contacts_added = ?", (len(contacts),))
"""


def lower_bound(db: Path, csv_path: Path, env: dict[str, str]) -> tuple[float, float]:
    subprocess.run(pfpp("--db", str(db), "db", "upgrade"), check=True, env=env, capture_output=True)
    elapsed, cpu, _ = _timed([sys.executable, "-c", _LOWER_BOUND, str(csv_path), str(db)], env)
    print(f"  lower bound ({elapsed:.3f} s wall, {cpu:.3f} s cpu)")
    return elapsed, cpu


# Start-up pieces, each in its own interpreter: CPU seconds of the part after the imports.
_OPEN_PROBE = """
import sys, time
import pfpp_tui.cli.main
from pfpp_tui.store.db.database import open_database
start = time.process_time()
db = open_database(sys.argv[1], upgrade=sys.argv[2] == "1")
print(time.process_time() - start, "alembic" in sys.modules)
db.dispose()
"""


def breakdown(db: Path, env: dict[str, str], repeat: int) -> None:
    """Start-up costs: interpreter + CLI imports, and opening an up-to-date database."""
    imports = min(
        _timed([sys.executable, "-c", "import pfpp_tui.cli.main"], env)[1] for _ in range(repeat)
    )
    print(f"  python start-up + CLI imports: {imports:.3f} s cpu")
    for upgrade, label in (("1", "with the migration check"), ("0", "without (upgrade=False)")):
        probes = [
            _timed([sys.executable, "-c", _OPEN_PROBE, str(db), upgrade], env)[2].split()
            for _ in range(repeat)
        ]
        best = min(float(cpu) for cpu, _ in probes)
        print(f"  open_database {label}: {best:.3f} s cpu (alembic imported: {probes[0][1]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--breakdown", action="store_true", help="also time start-up pieces")
    parser.add_argument(
        "--lower-bound", action="store_true", help="also time the least a correct import does"
    )
    parser.add_argument(
        "--scale", action="store_true", help="also time and measure memory at 10k and 100k rows"
    )
    parser.add_argument("--million", action="store_true", help="with --scale: also 1,000,000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = _environment(folder)
        csv_path = folder / "google.csv"
        parsed = generate(csv_path, args.rows)
        print(f"{args.rows} rows, {csv_path.stat().st_size / 1e6:.1f} MB Google-layout CSV")
        few_path = folder / "few.csv"
        generate(few_path, 10, keep=False)
        floors, commands, bounds, few = [], [], [], []
        for attempt in range(args.repeat):
            floors.append(floor(folder / f"floor{attempt}.db", parsed))
            commands.append(command(folder / f"pfpp{attempt}.db", csv_path, env))
            few.append(command(folder / f"few{attempt}.db", few_path, env))
            if args.lower_bound:
                bounds.append(lower_bound(folder / f"bound{attempt}.db", csv_path, env))
        floor_s, floor_cpu = min(w for w, _ in floors), min(c for _, c in floors)
        command_s, command_cpu = min(w for w, _ in commands), min(c for _, c in commands)
        print(f"best of {args.repeat} runs of each, alternating:")
        print(f"floor (raw sqlite3.executemany, one transaction): {floor_s:.3f} s wall")
        print(f"pfpp import contacts (whole command, subprocess):  {command_s:.3f} s wall")
        print(f"ratio: {command_s / floor_s:.2f}x wall (goal <= 3x)")
        # CPU seconds are steadier than wall time on a busy machine.
        print(
            f"cpu: floor {floor_cpu:.3f} s, command {command_cpu:.3f} s, "
            f"ratio {command_cpu / floor_cpu:.2f}x"
        )
        if bounds:
            bound_s, bound_cpu = min(w for w, _ in bounds), min(c for _, c in bounds)
            print(
                f"lower bound (csv.reader + staged 5,000-row INSERT ... SELECTs + index + one "
                f"batch record, no checks): "
                f"{bound_s:.3f} s wall, {bound_s / floor_s:.2f}x wall, "
                f"{bound_cpu / floor_cpu:.2f}x cpu"
            )
        # The command's fixed cost (start-up, imports, opening the database: the same 10-row
        # import) is paid once whatever the file; what is left is the per-row part.
        few_cpu = min(c for _, c in few)
        print(
            f"fixed cost (the same command on 10 rows): {few_cpu:.3f} s cpu; the rest, per row: "
            f"{(command_cpu - few_cpu) / floor_cpu:.2f}x the floor's cpu"
        )
        if args.breakdown:
            breakdown(folder / "pfpp0.db", env, args.repeat)
        if args.scale:
            scale(folder, env, [10_000, 100_000] + ([1_000_000] if args.million else []))


if __name__ == "__main__":
    main()
