"""Natural dates as people type them: ``2026-12-01``, ``today``, ``fri``, ``+2w``, ``1/12/26``.

Owns: turning one short piece of text into a ``date`` (or a ``datetime`` for meeting times),
relative to a given ``today`` so results are testable. Pure functions, no I/O, no Textual:
the TUI forms and the meeting-log CLI share this module.

Rules, in order: ISO dates; ``today``/``tomorrow``/``yesterday`` (``tod``, ``tom``, ``yest``);
signed offsets ``+3d``, ``-1w``, ``+2m`` (months keep the day, clamped to the month's end),
``+1y``; weekday names (``fri``, ``friday``, ``next fri``): the next such day *after* today,
so on a Friday ``fri`` means a week later; day-first numeric dates (``1/12/2026``,
``01.12.26``); and a day with a month name (``1 dec``, ``dec 1 2026``) — without a year the
next such day on or after today. UK convention: day before month, never month/day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from pfpp_tui.errors import PfppError


class DateParseError(PfppError, ValueError):
    """The text is not a date this module understands; the message gives examples."""


EXAMPLES = "e.g. 2026-12-01, today, fri, +2w, 1/12/2026, 1 dec"

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RELATIVE = {"today": 0, "tod": 0, "now": 0, "tomorrow": 1, "tom": 1, "yesterday": -1, "yest": -1}
_OFFSET = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmy])$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def _weekday(word: str) -> int | None:
    if len(word) < 2:
        return None
    for index, name in enumerate(_WEEKDAYS):
        full = calendar.day_name[index].lower()
        if word in (name, full) or (len(word) >= 3 and full.startswith(word)):
            return index
    return None


def _month(word: str) -> int | None:
    if len(word) < 3:
        return None
    for index in range(1, 13):
        if calendar.month_name[index].lower().startswith(word):
            return index
    return None


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the last day of the target month."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(f"{text!r} is not a real date") from None


def _upcoming(month: int, day: int, today: date, text: str) -> date:
    candidate = _make(today.year, month, day, text) if _valid(today.year, month, day) else None
    if candidate is None or candidate < today:
        return _make(today.year + 1, month, day, text)
    return candidate


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _year(raw: str) -> int:
    value = int(raw)
    return 2000 + value if value < 100 else value


def parse_date(text: str, *, today: date | None = None) -> date:
    """The date ``text`` names, counted from ``today`` (default: the real today)."""
    day0 = today or date.today()
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise DateParseError(f"empty date ({EXAMPLES})")
    if raw in _RELATIVE:
        return day0 + timedelta(days=_RELATIVE[raw])
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    if match := _OFFSET.match(raw):
        sign = -1 if match.group(1) == "-" else 1
        amount = sign * int(match.group(2))
        unit = match.group(3)
        if unit == "d":
            return day0 + timedelta(days=amount)
        if unit == "w":
            return day0 + timedelta(weeks=amount)
        return add_months(day0, amount if unit == "m" else amount * 12)
    word = raw.removeprefix("next ").removeprefix("this ")
    weekday = _weekday(word)
    if weekday is not None:
        ahead = (weekday - day0.weekday()) % 7 or 7
        return day0 + timedelta(days=ahead)
    if match := _NUMERIC.match(raw):
        d, m, y = int(match.group(1)), int(match.group(2)), match.group(3)
        if y is None:
            return _upcoming(m, d, day0, text) if 1 <= m <= 12 else _make(0, m, d, text)
        return _make(_year(y), m, d, text)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if match := pattern.match(raw):
            month = _month(match.group(month_group))
            if month is None:
                break
            d = int(match.group(day_group))
            if match.group(3):
                return _make(int(match.group(3)), month, d, text)
            return _upcoming(month, d, day0, text)
    raise DateParseError(f"{text.strip()!r} is not a date I understand ({EXAMPLES})")


def parse_time(text: str) -> time:
    """``14:30``, ``9``, ``2pm``, ``9:15am`` as a wall-clock time."""
    raw = text.strip().lower()
    match = _TIME.match(raw)
    if not match:
        raise DateParseError(f"{text.strip()!r} is not a time (e.g. 14:30, 2pm)")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = match.group(3)
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        raise DateParseError(f"{text.strip()!r} is not a time (e.g. 14:30, 2pm)")
    return time(hour, minute)


def parse_datetime(
    text: str, *, today: date | None = None, default_time: time = time(10, 0)
) -> datetime:
    """A date (any form ``parse_date`` takes) optionally followed by a time: ``fri 14:00``.

    ISO ``2026-12-01T09:30`` works too. Without a time, ``default_time`` is used.
    """
    raw = text.strip()
    if "t" in raw.lower() or ":" in raw:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    parts = raw.rsplit(" ", 1)
    if (
        len(parts) == 2
        and _TIME.match(parts[1].strip().lower())
        and (":" in parts[1] or parts[1].lower().endswith(("am", "pm")))
    ):
        return datetime.combine(parse_date(parts[0], today=today), parse_time(parts[1]))
    return datetime.combine(parse_date(raw, today=today), default_time)


def format_date(value: date | None) -> str:
    """How the app shows a date: ISO, so it sorts and reads the same everywhere."""
    return value.isoformat() if value else ""
