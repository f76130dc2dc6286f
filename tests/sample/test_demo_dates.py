"""``pfpp demo`` moves the copy's dates with plain ``sqlite3`` (``store.date_shift``): the values
read back through SQLAlchemy are the originals plus the shift, in the text form SQLAlchemy
writes, and making the copy loads none of the ORM (issue 19: the demo's first frame)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlmodel import SQLModel

import pfpp_tui.models  # noqa: F401 -- registers the tables
from pfpp_tui.sample.demo import LIVE_COLUMNS, TIMESTAMP_COLUMNS, shift_dates

SAMPLE_DB = Path(__file__).resolve().parents[2] / "sample.db"
DELTA = timedelta(weeks=150)
STORED = re.compile(r"^\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d\.\d{6})?$")


def _moved_columns(table: Any) -> list[str]:
    names = (*LIVE_COLUMNS.get(table.name, ()), *TIMESTAMP_COLUMNS, "at")
    return [n for n in names if n in table.columns and (n != "at" or table.name == "change")]


def _read(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(f"sqlite:///{path}")
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            names = _moved_columns(table)
            if names:
                stmt = select(table.c.id, *[table.c[n] for n in names]).order_by(table.c.id)
                out[table.name] = [tuple(row) for row in conn.execute(stmt)]
    engine.dispose()
    return out


def test_every_live_date_moves_by_the_shift_and_reads_back(tmp_path: Path) -> None:
    copy = tmp_path / "demo.db"
    shutil.copyfile(SAMPLE_DB, copy)
    before = _read(copy)
    shift_dates(copy, DELTA)
    after = _read(copy)
    assert after.keys() == before.keys() and "change" in after and "meeting" in after
    for name, rows in before.items():
        expected = [(row[0], *(None if v is None else v + DELTA for v in row[1:])) for row in rows]
        assert after[name] == expected, name
    with sqlite3.connect(copy) as conn:
        texts = [row[0] for row in conn.execute("SELECT held_at FROM meeting")]
        texts += [row[0] for row in conn.execute("SELECT due_date FROM action")]
    conn.close()
    assert all(STORED.match(text) for text in texts if text is not None)


def test_making_the_demo_copy_loads_no_orm(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from pfpp_tui.sample.demo import make_demo_copy\n"
        f"make_demo_copy(Path({str(tmp_path / 'demo.db')!r}), today=date(2026, 1, 5))\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'pydantic', 'pfpp_tui.models')"
        " if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
