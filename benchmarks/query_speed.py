"""How does the shared filter's SQL scale from 1,000 to 100,000 contacts, on both engines?

``benchmarks/tui_scale.py`` measures the whole TUI round trip; this isolates the store calls
that round trip makes (``fetch_page`` for the first window, ``count_rows`` for the total) so a
slow query shows up without Textual's noise, and runs them on SQLite *and* PostgreSQL, which
the TUI benchmark does not. The databases are the TUI benchmark's (same ``build``), so the
two benchmarks' figures can be read side by side.

Each figure is the best of ``--repeat`` runs (noise only ever adds time). The goal the TUI
benchmark sets for filter latency, 100k ≤ 1.5 times 1k, is printed against the rare word, which
matches one row and so must be found without reading every row.

Run: ``python benchmarks/query_speed.py [--rows 100000] [--pg URL-of-an-empty-server-db]``;
without ``--pg`` a throw-away PostgreSQL server is started when its binaries are installed
(``--no-pg`` skips PostgreSQL).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from tui_scale import COMMON_WORDS, RARE_WORD, build  # noqa: E402

from pfpp_tui.store.db.database import Database, open_database  # noqa: E402
from pfpp_tui.store.listing.browse import count_rows, fetch_page, search_records  # noqa: E402

WORDS = [RARE_WORD, "zzqq", *COMMON_WORDS, "team 7"]


def _best(repeat: int, call: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def measure(db: Database, repeat: int) -> dict[str, tuple[float, float]]:
    """Per word: (first window, count) in seconds."""
    out: dict[str, tuple[float, float]] = {}
    for word in WORDS:
        fetch_page(db, "contacts", filter_text=word, limit=100)  # warm the cache
        page = _best(repeat, partial(fetch_page, db, "contacts", filter_text=word, limit=100))
        count = _best(repeat, partial(count_rows, db, "contacts", filter_text=word))
        out[word] = (page, count)
    out["palette: go to 'person-0000042'"] = (
        _best(repeat, lambda: search_records(db, "contact", "person-0000042")),
        0.0,
    )
    return out


@contextlib.contextmanager
def _pg_locations(url: str | None, sizes: tuple[int, ...]) -> Iterator[dict[int, str]]:
    """One PostgreSQL database per size: on ``url``'s server, or a throw-away server."""
    import psycopg

    if url:
        server_admin = url.rsplit("/", 1)[0] + "/postgres"
        make = server_admin.replace("+psycopg", "")
        base = url.rsplit("/", 1)[0]
        server = None
    else:
        from tests.pg_server import PgServer, find_pg_bin

        if find_pg_bin() is None:
            yield {}
            return
        server = PgServer.start()
        make = server.admin_url.replace("+psycopg", "")
        base = server.admin_url.rsplit("/", 1)[0]
    try:
        names = {n: f"pfpp_query_speed_{n}" for n in sizes}
        with psycopg.connect(make, autocommit=True) as conn:
            for name in names.values():
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
        yield {n: f"{base}/{name}" for n, name in names.items()}
    finally:
        if server is not None:
            server.stop()


def report(engine: str, small: dict[str, tuple[float, float]], big: dict[str, tuple[float, float]],
           sizes: tuple[int, int]) -> None:  # fmt: skip
    print(f"\n{engine}: {sizes[1]:,} vs {sizes[0]:,} contacts (best of runs, ms)")
    print(f"  {'filter':<34}{'page':>9}{'page':>9}{'ratio':>7}{'count':>9}{'count':>9}")
    for word in big:
        (ps, cs), (pb, cb) = small[word], big[word]
        ratio = pb / ps if ps else float("inf")
        mark = "  <- goal ≤ 1.5" if word == RARE_WORD else ""
        print(f"  {word:<34}{ps * 1000:>9.1f}{pb * 1000:>9.1f}{ratio:>6.1f}x"
              f"{cs * 1000:>9.1f}{cb * 1000:>9.1f}{mark}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the SQLite files here")
    parser.add_argument("--pg", help="a PostgreSQL URL whose server may hold scratch databases")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    sizes = (args.small, args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results: dict[int, dict[str, tuple[float, float]]] = {}
        for n in sizes:
            path = folder / f"rows-{n}.db"
            if not path.exists():
                build(path, n)
            db = open_database(path)
            try:
                results[n] = measure(db, args.repeat)
            finally:
                db.dispose()
        report("SQLite", results[sizes[0]], results[sizes[1]], sizes)
    if args.no_pg:
        return
    with _pg_locations(args.pg, sizes) as locations:
        if not locations:
            print("\nPostgreSQL: server binaries not installed; skipped")
            return
        for n, location in locations.items():
            build(location, n)  # type: ignore[arg-type]  # open_database takes a URL too
            db = open_database(location)
            try:
                with db.engine.begin() as conn:
                    conn.exec_driver_sql("ANALYZE")
                results[n] = measure(db, args.repeat)
            finally:
                db.dispose()
        report("PostgreSQL", results[sizes[0]], results[sizes[1]], sizes)


if __name__ == "__main__":
    main()
