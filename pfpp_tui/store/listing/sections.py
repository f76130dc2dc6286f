"""What each TUI section lists, and how a stored value reads in its cell: plain data, no ORM.

Owns: ``Section`` (its columns, default order) and ``SECTIONS``; ``BrowseRow`` and ``Page``, the
rows a window holds; ``cell_text`` and ``decorate``, which turn a stored value into the cell's
text (a vocabulary's label, a date, "! " on an overdue action, "(archived)").
``store.listing.browse`` builds the SQL for every listing with these; ``store.listing.first_rows``
reads the first frame's rows with plain ``sqlite3`` and the same functions, before SQLAlchemy
loads (issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pfpp_tui.errors import NotFoundError
from pfpp_tui.labels import column_label
from pfpp_tui.vocabulary import OPEN_ACTION_STATUSES

OPEN_ACTIONS = sorted(s.value for s in OPEN_ACTION_STATUSES)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # relative share of the table width; 0 < width
    numeric: bool = False
    min_width: int = 4  # kept however narrow the terminal: a date, a status stays whole
    grows: bool = False  # a title column: takes the width left once the others fit


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One listed record: its id and the cell texts in column order."""

    id: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    rows: tuple[BrowseRow, ...]


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # "contacts"
    table: str  # records.TABLES name: "contact"
    title: str
    noun: str  # "person"
    columns: tuple[Column, ...]
    default_sort: str  # "id": by when added (the header says newest or oldest first)
    default_descending: bool = False

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise NotFoundError(f"{self.title} has no column {key!r}")


_C = Column
SECTIONS: dict[str, Section] = {
    s.key: s
    for s in (
        Section("pilots", "pilot", "Pilots", "pilot", (
            _C("name", "Pilot", 3, min_width=10, grows=True),
            _C("lead", "Lead organisation", 4, min_width=10, grows=True),
            _C("stage", "Stage", 2, min_width=10), _C("rag", "RAG", 1, min_width=5),
            _C("start", "Start", 2, min_width=10), _C("end", "End", 2, min_width=10),
        ), "name"),
        Section("contacts", "contact", "People", "person", (
            _C("name", "Name", 3, min_width=12, grows=True),
            _C("org", "Organisation", 3, min_width=8),
            _C("team", "Team", 3, min_width=6), _C("role", "Role", 3, min_width=8),
            _C("email", "E-mail", 3, min_width=10), _C("last_met", "Last met", 2, min_width=10),
        ), "id", True),  # newest first: people just added or imported are on top
        Section("organisations", "organisation", "Organisations", "organisation", (
            _C("name", "Organisation", 5, min_width=14, grows=True),
            _C("short", "Short", 2, min_width=6), _C("kind", "Kind", 3, min_width=10),
            _C("teams", "Teams", 1, True, min_width=5),
            _C("people", "People", 1, True, min_width=6),
        ), "name"),
        Section("teams", "team", "Teams", "team", (
            _C("name", "Team", 4, min_width=12, grows=True),
            _C("org", "Organisation", 4, min_width=8),
            _C("directorate", "Directorate", 3, min_width=8),
            _C("remit", "Remit", 4, min_width=10, grows=True),
        ), "name"),
        Section("meetings", "meeting", "Meetings", "meeting", (
            _C("when", "When", 2, min_width=16), _C("title", "Title", 5, min_width=12, grows=True),
            _C("kind", "Kind", 3, min_width=8), _C("pilot", "Pilot", 2, min_width=8),
            _C("attendees", "People", 1, True, min_width=6),
        ), "when", True),
        Section("actions", "action", "Actions", "action", (
            _C("title", "Action", 6, min_width=12, grows=True),
            _C("owner", "Owner", 3, min_width=10),
            _C("pilot", "Pilot", 2, min_width=8), _C("due", "Due", 3, min_width=12),
            _C("status", "Status", 2, min_width=11),
        ), "id", True),
        Section("barriers", "barrier", "Barriers", "barrier", (
            _C("title", "Barrier", 6, min_width=12, grows=True),
            _C("category", "Category", 2, min_width=8), _C("severity", "Severity", 2, min_width=8),
            _C("status", "Status", 2, min_width=9), _C("pilot", "Pilot", 2, min_width=8),
            _C("raised", "Raised", 2, min_width=10),
        ), "id", True),
    )
}  # fmt: skip
"""Sections in the order of their keys (1..6); organisations and teams share key 3."""


def cell_text(value: Any, key: str, table: str) -> str:
    if value is None:
        return ""
    if key == "last_met":
        return str(value)[:10]  # SQLite hands max() back as text; the day is what matters
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    # A vocabulary column shows its label ("In progress"); sorting stays on the stored value.
    shown = column_label(table, key, value)
    return str(value) if shown is None else shown


def decorate(
    section: Section, cells: list[str], raw: dict[str, Any], extra: Any, today: date
) -> None:
    """Derived markers: overdue actions (never stored), archived people."""
    if section.key == "actions":
        due_i = [c.key for c in section.columns].index("due")
        status = raw["status"]
        if cells[due_i] and status in OPEN_ACTIONS and cells[due_i] < today.isoformat():
            cells[due_i] = "! " + cells[due_i]
    elif section.key == "contacts" and extra:
        cells[0] = f"{cells[0]} (archived)"
