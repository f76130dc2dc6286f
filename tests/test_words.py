"""The one plural helper (``pfpp_tui.words``) and that nothing a user reads says "(s)"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pfpp_tui.words import counted, noun_for, plural_of

PACKAGE = Path(__file__).resolve().parents[1] / "pfpp_tui"


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "attendee", "0 attendees"),
        (1, "attendee", "1 attendee"),
        (2, "attendee", "2 attendees"),
        (1, "barrier", "1 barrier"),
        (3, "history entry", "3 history entries"),
        (2, "match", "2 matches"),
        (2, "day", "2 days"),
        (1200, "row", "1,200 rows"),
        (2, "person", "2 people"),
        (2, "new contact", "2 new contacts"),
    ],
)
def test_counted_nouns_agree_with_their_count(count: int, noun: str, expected: str) -> None:
    assert counted(count, noun) == expected


def test_a_phrase_the_rules_miss_takes_its_plural() -> None:
    assert counted(2, "pilot role", "pilot roles") == "2 pilot roles"
    assert noun_for(1, "attendance") == "attendance" and plural_of("attendance") == "attendances"


# Messages written with "(s)" or a hand-made plural ("{n} barrier{'s' if ...}") instead of
# ``counted``; parsing help (column aliases such as "forename(s)") is not a count.
AD_HOC = re.compile(
    r"""(?<![A-Za-z_])(?!str\(|label\()[a-z]+\(s\)|\{'s' if|\{"s" if|else 's'\}|else "s"\)"""
)
ALLOWED = {"importers/columns.py", "config.py", "exporters/markdown_text.py"}


def test_no_message_makes_its_own_plural() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if str(path.relative_to(PACKAGE)) not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if AD_HOC.search(line)
    ]
    assert found == []
