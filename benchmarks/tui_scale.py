"""Does the TUI stay fast and small at 100,000 contacts + 100,000 actions? Three ratios.

Builds two databases (100,000 contacts and 100,000 actions; 1,000 of each), then measures, each
run in a fresh subprocess so imports, caches and memory never leak between measurements:

1. first paint: launch → the People table showing its first rows, against a minimal Textual
   app (one Static) launched and painted the same way. Imports happen before the clock starts
   in both, and are reported separately.
2. filter latency: set the filter text → the table showing the matching first window, median
   over several words, at 100k against 1k (common words, plus a rare word reported apart).
3. peak memory (max RSS): open People, jump to the last row (fetches a window at offset
   ~100,000), filter, at 100k against 1k.

Two reference figures put the first-paint ratio in proportion (neither is one of the three):

- a bare app: a filter ``Input``, the first 40 rows read with raw ``sqlite3`` into one
  ``Static``, and a key line -- the least a table-from-SQLite screen can be, with no store,
  no migrations check, no detail pane;
- the store's part: ``open_database`` (engine, pragmas, migrations check) plus the People
  section's first window through ``fetch_page``, timed in a fresh process after its imports,
  as a share of the minimal app's whole first paint.

Goals: every ratio ≤ 1.5. Run: ``python benchmarks/tui_scale.py [--rows 100000] [--repeat 5]``
(each figure is the best of the repeats: the machine's noise only ever adds time).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FIRST = [
    "Asha",
    "Gareth",
    "Ngozi",
    "Priya",
    "Tom",
    "Siobhan",
    "Kwame",
    "Mei",
    "Olu",
    "Ruth",
    "Imran",
    "Fatima",
    "Dylan",
    "Chloe",
    "Hamza",
    "Grace",
    "Arjun",
    "Niamh",
    "Yusuf",
    "Ellie",
]
LAST = [
    "Patel",
    "Jones",
    "Okafor",
    "Smith",
    "Khan",
    "Murphy",
    "Williams",
    "Brown",
    "Taylor",
    "Ahmed",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Walker",
    "Wright",
    "Hughes",
    "Green",
    "Hall",
    "Clarke",
    "Lewis",
    "Young",
    "King",
    "Baker",
    "Hill",
    "Moore",
    "Ali",
    "Begum",
]
ROLES = ["Policy lead", "Programme manager", "Analyst", "Head of partnerships", "Data lead",
         "Community organiser", "Commissioner", "Deputy director"]  # fmt: skip
PLACES = ["Luton", "Hackney", "Bradford", "Cornwall", "Durham"]
COMMON_WORDS = ["patel", "smith", "analyst", "pilot:luton", "org:home"]
RARE_WORD = "person-0000042@"


def build(path: Path, n: int) -> None:
    """A database with ``n`` contacts and ``n`` actions, written with bulk inserts."""
    from sqlmodel import SQLModel

    from pfpp_tui.store.db.database import open_database

    db = open_database(path)
    t = SQLModel.metadata.tables
    rng = random.Random(7)
    now = datetime.now(UTC)
    tracked = {"created_at": now, "updated_at": now, "version": 1}
    orgs = [{"id": i + 1, "name": name, "short_name": None, "kind": "central_department",
             "parent_id": None, "notes": "", **tracked}
            for i, name in enumerate(["Home Office", "Department for Education",
                                      "Department for Work and Pensions", "Luton Borough Council",
                                      "Cabinet Office", "NHS England"])]  # fmt: skip
    teams = [{"id": i + 1, "organisation_id": (i % len(orgs)) + 1, "name": f"Team {i + 1}",
              "directorate": f"Directorate {i % 7}", "remit": rng.choice(ROLES).lower(),
              **tracked} for i in range(60)]  # fmt: skip
    pilots = [{"id": i + 1, "name": name, "lead_organisation_id": None, "project_name": "",
               "local_challenge": "", "challenge_published": True, "stage": "delivery",
               "rag": "green", "start_date": None, "end_date": None, "notes": "", **tracked}
              for i, name in enumerate(PLACES)]  # fmt: skip
    contacts = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"person-{i:07d}@dept.example"
        team = rng.choice(teams)
        contacts.append({"id": i + 1, "first_name": first, "last_name": last, "email": email,
                         "email_key": email, "phone": None, "phone_e164": None,
                         "organisation_id": team["organisation_id"], "team_id": team["id"],
                         "role": rng.choice(ROLES), "notes": "", "tags": "", "archived": False,
                         **tracked})  # fmt: skip
    links = [{"contact_id": i + 1, "pilot_id": rng.randint(1, len(pilots)), "role": "partner",
              **tracked} for i in range(0, n, 3)]  # fmt: skip
    statuses = ["open", "in_progress", "waiting", "blocked", "done", "dropped"]
    today = date.today()
    actions = [{"title": f"Follow up {rng.choice(ROLES).lower()} {i}", "detail": "",
                "owner_id": rng.randint(1, n), "pilot_id": rng.randint(1, len(pilots)),
                "meeting_id": None, "barrier_id": None,
                "due_date": today + timedelta(days=rng.randint(-60, 120)),
                "status": rng.choice(statuses), "completed_on": None, **tracked}
               for i in range(n)]  # fmt: skip
    with db.engine.begin() as conn:
        tables = {"organisation": orgs, "team": teams, "pilot": pilots, "contact": contacts,
                  "contact_pilot": links, "action": actions}  # fmt: skip
        for table, rows in tables.items():
            conn.execute(t[table].insert(), rows)
    db.dispose()


# --- measurements (each runs in its own subprocess) ------------------------------------------

SIZE = (160, 45)


async def _until(pilot: Any, condition: Any, timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("condition not met")
        await pilot.pause(0.001)


async def _quiet(app: Any) -> None:
    """Wait for every worker; a superseded (cancelled) one is fine."""
    from textual.worker import WorkerCancelled

    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


def _mark_first_frame(marks: dict[str, float], shown: dict[str, bool]) -> None:
    """Record when the first frame holding the content is composed and handed to the driver.

    A frame counts once ``shown["content"]`` is set (by the content's own render) before the
    compositor hands the frame over (``App._display``), unless updates are held back then
    (``batch_update``, ``delay_update``: the frame is dropped). The earlier hook,
    ``call_after_refresh`` after ``add_rows``, was wrong both ways: while updates are held it
    fires at once, with nothing shown (``switch_mode`` holds them 50 ms), and otherwise it can
    miss the refresh that painted the rows and fire a frame later.
    """
    from textual.app import App

    original = App._display

    def display(self: App[Any], screen: Any, renderable: Any) -> None:
        held = self._batch_count > 0  # during batch_update / delay_update nothing is shown
        original(self, screen, renderable)
        if renderable is not None and not held and shown.get("content"):
            marks.setdefault("painted", time.perf_counter())

    App._display = display  # type: ignore[method-assign]


def _instrument() -> dict[str, float]:
    """Record when the table first shows rows: the first frame with a real row rendered."""
    from pfpp_tui.tui.widgets.record_table import RecordTable

    marks: dict[str, float] = {}
    shown: dict[str, bool] = {}
    original = RecordTable.render_line

    def render_line(self: RecordTable, y: int) -> Any:
        strip = original(self, y)
        if y > 0 and self.rows.get(int(self.scroll_offset.y) + y - 1) is not None:
            shown["content"] = True  # a fetched row, not "Loading…" nor a "…" placeholder
        return strip

    RecordTable.render_line = render_line  # type: ignore[method-assign]
    _mark_first_frame(marks, shown)
    return marks


def _first_paint(make_app: Any, marks: dict[str, float]) -> float:
    """Seconds from creating the app to the first frame shown with its content."""

    async def run() -> float:
        start = time.perf_counter()
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: "painted" in marks)
        return marks["painted"] - start

    return asyncio.run(run())


def _content_static(shown: dict[str, bool]) -> Any:
    """A ``Static`` that notes when it renders: the content of the reference apps."""
    from textual.widgets import Static

    class Rows(Static):
        def render(self) -> Any:
            shown["content"] = True
            return super().render()

    return Rows


def measure_paint(db_path: str) -> dict[str, float]:
    import_start = time.perf_counter()
    import pfpp_tui.store.db.migrate  # noqa: F401 - open_database imports it (and Alembic) lazily
    from pfpp_tui.tui.app import PfppApp

    imported = time.perf_counter() - import_start
    marks = _instrument()

    return {"seconds": _first_paint(lambda: PfppApp(db_path, section="contacts"), marks),
            "imports": imported}  # fmt: skip


def measure_minimal() -> dict[str, float]:
    import_start = time.perf_counter()
    from textual.app import App, ComposeResult

    imported = time.perf_counter() - import_start
    marks: dict[str, float] = {}
    shown: dict[str, bool] = {}
    _mark_first_frame(marks, shown)

    rows_widget = _content_static(shown)

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield rows_widget("\n".join(f"row {i}" for i in range(40)))

    return {"seconds": _first_paint(Minimal, marks), "imports": imported}


def measure_bare(db_path: str) -> dict[str, float]:
    """The bare table-from-SQLite app (see the module docstring), painted like the others."""
    import sqlite3

    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    marks: dict[str, float] = {}
    shown: dict[str, bool] = {}
    _mark_first_frame(marks, shown)

    rows_widget = _content_static(shown)

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(placeholder="filter")
            conn = sqlite3.connect(db_path)
            rows = conn.execute("SELECT first_name, last_name, email, role FROM contact"
                                " ORDER BY id DESC LIMIT 40").fetchall()  # fmt: skip
            conn.close()
            yield rows_widget("\n".join(" | ".join(map(str, row)) for row in rows))
            yield Static("q Quit  / Filter  n New  e Edit  d Delete")

    return {"seconds": _first_paint(Bare, marks)}


def measure_store(db_path: str) -> dict[str, float]:
    """Opening the database through the store and fetching People's first window."""
    # The same imports before the clock as measure_paint.
    import pfpp_tui.store.db.migrate
    import pfpp_tui.tui.app  # noqa: F401
    from pfpp_tui.store.db.database import open_database
    from pfpp_tui.store.listing.browse import SECTIONS, fetch_page
    from pfpp_tui.tui.widgets.record_table import WINDOW

    section = SECTIONS["contacts"]
    start = time.perf_counter()
    db = open_database(db_path)
    opened = time.perf_counter()
    fetch_page(db, section.key, sort=section.default_sort, descending=section.default_descending,
               limit=WINDOW)  # fmt: skip
    done = time.perf_counter()
    db.dispose()
    return {"seconds": done - start, "open": opened - start, "fetch": done - opened}


def measure_filter(db_path: str) -> dict[str, float]:
    from pfpp_tui.tui.app import PfppApp
    from pfpp_tui.tui.screens.section import SectionScreen
    from pfpp_tui.tui.widgets.record_table import RecordTable

    async def run() -> dict[str, float]:
        app = PfppApp(db_path)
        results: dict[str, float] = {}
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: app._db is not None and app.current_mode == "overview")
            await pilot.press("2")
            await _until(pilot, lambda: bool(app.screen.query_one(RecordTable).rows))
            screen = app.screen
            assert isinstance(screen, SectionScreen)
            table = screen.query_one(RecordTable)
            for word in [*COMMON_WORDS, RARE_WORD]:
                await _quiet(app)
                await pilot.pause()
                start = time.perf_counter()
                screen.apply_filter(word)
                generation = screen.generation
                await _until(pilot, lambda g=generation: screen.generation == g and (
                    bool(table.rows) or screen.total == 0))  # fmt: skip
                results[word] = time.perf_counter() - start
                screen.apply_filter("")
        return results

    found = asyncio.run(run())
    common = statistics.median(found[w] for w in COMMON_WORDS)
    return {"seconds": common, "rare": found[RARE_WORD]}


def measure_memory(db_path: str) -> dict[str, float]:
    from pfpp_tui.tui.app import PfppApp
    from pfpp_tui.tui.widgets.record_table import RecordTable

    async def run() -> None:
        app = PfppApp(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: app._db is not None and app.current_mode == "overview")
            await pilot.press("2")
            await _until(pilot, lambda: bool(app.screen.query_one(RecordTable).rows))
            await _quiet(app)
            await pilot.press("end")
            await pilot.pause(0.2)
            await _quiet(app)
            await pilot.pause(0.2)
            await pilot.press("slash", *"patel")
            await pilot.pause(0.2)
            await _quiet(app)
            await pilot.pause(0.1)
            await pilot.press("5")
            await pilot.pause(0.2)
            await _quiet(app)
            await pilot.pause(0.1)

    asyncio.run(run())
    return {"max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


MEASURES = {
    "paint": measure_paint,
    "filter": measure_filter,
    "memory": measure_memory,
    "bare": measure_bare,
    "store": measure_store,
}


def _subprocess(kind: str, db: Path | None) -> dict[str, float]:
    args = [sys.executable, __file__, "--measure", kind] + ([str(db)] if db else [])
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode:
        raise SystemExit(f"measuring {kind} failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def _shown(value: float, unit: str) -> str:
    return f"{value * 1000:.0f} ms" if unit == "s" else f"{value:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the databases here")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, *rest = args.measure
        result = measure_minimal() if kind == "minimal" else MEASURES[kind](rest[0])
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        big, small = folder / f"rows-{args.rows}.db", folder / f"rows-{args.small}.db"
        started = time.perf_counter()
        for path, n in ((big, args.rows), (small, args.small)):
            if not path.exists():
                build(path, n)
        print(f"built {args.rows:,} + {args.small:,} row databases "
              f"in {time.perf_counter() - started:.1f}s")  # fmt: skip

        def best(
            kind: str, db: Path | None, key: str = "seconds"
        ) -> tuple[float, dict[str, float]]:
            runs = [_subprocess(kind, db) for _ in range(args.repeat)]
            return min(r[key] for r in runs), runs[0]

        minimal, minimal_run = best("minimal", None)
        paint_big, paint_run = best("paint", big)
        paint_small, _ = best("paint", small)
        filter_big, filter_run = best("filter", big)
        filter_small, filter_small_run = best("filter", small)
        mem_big, _ = best("memory", big, "max_rss_mib")
        mem_small, _ = best("memory", small, "max_rss_mib")
        bare, _ = best("bare", big)
        store, store_run = best("store", big)
    rows = [
        ("first paint 100k vs minimal app", paint_big, minimal, "s"),
        ("filter latency 100k vs 1k", filter_big, filter_small, "s"),
        ("peak memory 100k vs 1k", mem_big, mem_small, "MiB"),
    ]
    print(f"{'measure':<34}{'value':>12}{'baseline':>12}{'ratio':>8}  goal ≤ 1.5")
    for name, value, base, unit in rows:
        ratio = value / base if base else float("inf")
        mark = "ok" if ratio <= 1.5 else "OVER"
        print(f"{name:<34}{_shown(value, unit):>12}{_shown(base, unit):>12}{ratio:>7.2f}x  {mark}")
    print(f"(also: first paint at 1k {paint_small * 1000:.0f} ms; imports before the clock: "
          f"app {paint_run['imports'] * 1000:.0f} ms, "
          f"minimal {minimal_run['imports'] * 1000:.0f} ms; "
          f"rare-word filter {filter_run['rare'] * 1000:.0f} ms at 100k vs "
          f"{filter_small_run['rare'] * 1000:.0f} ms at 1k)")  # fmt: skip
    print(f"reference: bare table-from-sqlite3 app {bare * 1000:.0f} ms = {bare / minimal:.2f}x "
          f"the minimal app; the store opening the database and fetching the first window "
          f"{store * 1000:.0f} ms (open {store_run['open'] * 1000:.0f} ms, fetch "
          f"{store_run['fetch'] * 1000:.0f} ms) = {store / minimal:.2f}x the minimal app's "
          f"whole first paint")  # fmt: skip


if __name__ == "__main__":
    main()
