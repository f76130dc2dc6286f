"""What the user is looking at: the record under the cursor (or open), and its pilot.

Owns: the small value the global workflow keys (``m``, ``R``, ``a``, ``h``) read from whichever
screen is on top, and working out a record's pilot from the ``Detail`` already loaded for the
detail pane — so pressing a key never waits for the database. Holds no Textual code.
"""

from __future__ import annotations

from dataclasses import dataclass

from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.store.listing.browse_links import Detail
from pfpp_tui.store.listing.query import QueryError
from pfpp_tui.store.listing.query_parse import FieldTerm, parse_query


@dataclass(frozen=True, slots=True)
class LookingAt:
    """A record (``table`` and ``row_id``, both None for nothing) and the pilot it belongs to."""

    table: str | None = None
    row_id: int | None = None
    label: str = ""
    pilot: Named | None = None


def pilot_of(detail: Detail, *, prefer: str = "") -> Named | None:
    """The pilot a record belongs to: itself, its ``pilot_id``, or one of a person's pilots.

    A person on several pilots gives the one whose name contains ``prefer`` (the section's
    ``pilot:`` filter word — the place the user is working on), else the first.
    """
    if detail.table == "pilot":
        return Named(detail.id, detail.title)
    wanted = {"Pilot", "Pilots"} if detail.table == "contact" else {"Pilot"}
    for group in detail.groups:
        if group.title in wanted and group.items:
            named = [Named(i.id, i.label.split(" · ")[0]) for i in group.items]
            word = prefer.casefold()
            return next((n for n in named if word and word in n.label.casefold()), named[0])
    return None


def pilot_word(filter_text: str) -> str:
    """The value of a ``pilot:`` word in a filter (``pilot:luton`` → ``luton``), else ``""``."""
    try:
        terms = parse_query(filter_text).terms
    except QueryError:
        return ""
    for term in terms:
        if isinstance(term, FieldTerm) and term.field == "pilot" and not term.negated:
            return str(term.value)
    return ""
