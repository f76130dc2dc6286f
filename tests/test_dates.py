"""Natural date parsing: every form the forms and the meeting-log CLI accept."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pfpp_tui.dates import DateParseError, add_months, parse_date, parse_datetime, parse_time

# A Wednesday.
TODAY = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("  2026-12-01 ", date(2026, 12, 1)),
        ("today", TODAY),
        ("Today", TODAY),
        ("tomorrow", date(2026, 3, 12)),
        ("yesterday", date(2026, 3, 10)),
        ("+2w", date(2026, 3, 25)),
        ("+3d", date(2026, 3, 14)),
        ("-1d", date(2026, 3, 10)),
        ("+1m", date(2026, 4, 11)),
        ("+1y", date(2027, 3, 11)),
        ("fri", date(2026, 3, 13)),
        ("friday", date(2026, 3, 13)),
        ("next fri", date(2026, 3, 13)),
        ("wed", date(2026, 3, 18)),  # today is Wednesday: the next one
        ("mon", date(2026, 3, 16)),
        ("1/12/2026", date(2026, 12, 1)),
        ("01.12.26", date(2026, 12, 1)),
        ("1/12", date(2026, 12, 1)),
        ("1/2", date(2027, 2, 1)),  # already past this year: next year
        ("1 dec", date(2026, 12, 1)),
        ("1st December 2027", date(2027, 12, 1)),
        ("dec 1 2026", date(2026, 12, 1)),
        ("Sept 3", date(2026, 9, 3)),
    ],
)
def test_parse_date_accepts_natural_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "soon", "31/02/2026", "2026-13-01", "+2x", "32 dec", "f"])
def test_parse_date_rejects_with_examples(text: str) -> None:
    with pytest.raises(DateParseError) as info:
        parse_date(text, today=TODAY)
    assert str(info.value)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14:30", (14, 30)), ("9", (9, 0)), ("2pm", (14, 0)), ("12am", (0, 0)), ("9:15am", (9, 15))],
)
def test_parse_time(text: str, expected: tuple[int, int]) -> None:
    value = parse_time(text)
    assert (value.hour, value.minute) == expected


def test_parse_time_rejects_nonsense() -> None:
    with pytest.raises(DateParseError):
        parse_time("25:00")


def test_parse_datetime_combines_date_and_time() -> None:
    assert parse_datetime("fri 14:00", today=TODAY) == datetime(2026, 3, 13, 14, 0)
    assert parse_datetime("2026-12-01T09:30", today=TODAY) == datetime(2026, 12, 1, 9, 30)
    assert parse_datetime("2026-12-01 09:30", today=TODAY) == datetime(2026, 12, 1, 9, 30)
    assert parse_datetime("+1w", today=TODAY) == datetime(2026, 3, 18, 10, 0)
    assert parse_datetime("tomorrow 2pm", today=TODAY) == datetime(2026, 3, 12, 14, 0)
