"""The demo copy: sample.db moved forward in time so open actions fall due around today.

The sample is written around ``SAMPLE_ANCHOR``; every date and timestamp in the copy is shifted
by the days between that anchor and today, so "overdue", "due this week" and "days since the
last meeting" look as they would in a live programme.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pfpp_tui
from pfpp_tui.errors import DatabaseLocationError
from pfpp_tui.store.db.date_shift import shift_dates as move_dates
from pfpp_tui.store.db.sqlite_file import create_private_file

SHIPPED_SAMPLE = Path(pfpp_tui.__file__).resolve().parents[1] / "sample.db"


def make_demo_copy(target: Path, *, today: date) -> Path:
    """Copy the shipped sample (or build one) to ``target`` and shift its dates to ``today``."""
    from pfpp_tui.sample.anchor import SAMPLE_ANCHOR

    target = target.expanduser().absolute()
    if target.exists():
        raise DatabaseLocationError(f"{target}: already exists")
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, mode=0o700)
    try:
        if SHIPPED_SAMPLE.is_file():
            create_private_file(target)
            with SHIPPED_SAMPLE.open("rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            from pfpp_tui.sample.build import write_sample_database

            write_sample_database(target)
            target.chmod(0o600)
        # Whole weeks, so meetings stay on the weekdays they were held on.
        shift_dates(target, timedelta(weeks=(today - SAMPLE_ANCHOR).days // 7))
    except BaseException:
        # A full disk half-way: no half-copied demo left behind to be mistaken for one.
        for leftover in (target, *(target.with_name(target.name + s) for s in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        raise
    return target


# Columns that describe the programme's live work, pilots' own dates included so a pilot is
# still running in the demo. The dates departments were renamed are historical facts and stay.
LIVE_COLUMNS: dict[str, tuple[str, ...]] = {
    "pilot": ("start_date", "end_date"),
    "meeting": ("held_at",),
    "action": ("due_date", "completed_on"),
    "barrier": ("raised_on", "snoozed_until"),
    "partnership_agreement": ("review_date", "agreed_on"),
    "partnership_assessment": ("assessed_on",),
}
TIMESTAMP_COLUMNS = ("created_at", "updated_at")


def shift_dates(path: Path, delta: timedelta) -> None:
    """Move live dates and timestamps forward by ``delta`` (no history rows: not edits).

    With plain ``sqlite3`` (``store.date_shift``): the demo's first frame does not wait for
    SQLAlchemy to load first (issue 19).
    """
    columns = {**LIVE_COLUMNS, "change": ("at",), "*": TIMESTAMP_COLUMNS}
    move_dates(path, delta, columns)
