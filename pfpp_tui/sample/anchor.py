"""The fixed "today" the sample is written around, and the date helpers built on it.

Every sample date and timestamp is derived from ``SAMPLE_ANCHOR`` (never from the clock) so two
builds are identical and ``pfpp demo`` can shift relative dates by ``today - SAMPLE_ANCHOR``.
No I/O here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # ``pfpp demo`` reads the anchor without loading the ORM (issue 19)
    from sqlmodel import SQLModel

# Two years to the day after the 13 pilots were announced (8 Nov 2021): pilots are deep in
# delivery or evaluation, and financial year 2023-24 is the current one.
SAMPLE_ANCHOR = date(2023, 11, 8)
SAMPLE_SEED = 20211108

UK = ZoneInfo("Europe/London")


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A row timestamp (created/updated): UK office hours on ``day``, stored as aware UTC."""
    return utc(wall_clock(day, hour, minute))


def wall_clock(day: date, hour: int, minute: int = 0) -> datetime:
    """A naive UK wall-clock time, as users type a meeting's time (``Meeting.held_at``)."""
    return datetime.combine(day, time(hour, minute))


def utc(local: datetime) -> datetime:
    return local.replace(tzinfo=UK).astimezone(UTC)


# When the programme team loaded its reference data into the tool.
SETUP_AT = at(SAMPLE_ANCHOR - timedelta(days=400), 9)


def days_before(days: int) -> date:
    return SAMPLE_ANCHOR - timedelta(days=days)


def weekday(day: date) -> date:
    """Move a weekend day back to the Friday before: nobody meets or files on a Sunday."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def row_id(row: SQLModel) -> int:
    value = getattr(row, "id", None)
    if not isinstance(value, int):
        raise RuntimeError(f"{type(row).__name__} has no id: flush before reading it")
    return value
