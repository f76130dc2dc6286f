"""The pane beside a section's table: the highlighted record's key fields and its links.

Owns: rendering a ``Detail`` (from ``store.listing.browse_links``) as readable text — title and
fields, then a pilot's partnership ratings (``PartnershipRatings``), then the link groups. It
renders what it is given and never loads anything; the section screen loads details and ratings in
workers and hands them down.
"""

from __future__ import annotations

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

from pfpp_tui.store.insight.partnership_health import RatingsSummary
from pfpp_tui.store.listing.browse_links import Detail
from pfpp_tui.text_safety import terminal_safe
from pfpp_tui.tui.widgets.partnership_ratings import PartnershipRatings

FIELD_LIMIT = 8


def detail_markup(detail: Detail, *, all_fields: bool = False) -> str:
    """Console markup for a record: title, fields (non-empty first few), then link groups."""
    links = links_markup(detail)
    return fields_markup(detail, all_fields=all_fields) + ("\n" + links if links else "")


def shown(text: str, *, single_line: bool = True) -> str:
    """User text as console markup: markup escaped, control characters shown visibly."""
    return escape(terminal_safe(text, single_line=single_line))


def fields_markup(detail: Detail, *, all_fields: bool = False) -> str:
    lines = [f"[b]{shown(detail.title)}[/b]  [dim]{detail.table.replace('_', ' ')}[/dim]", ""]
    fields = [(k, v) for k, v in detail.fields if all_fields or v != "—"]
    for label, value in fields if all_fields else fields[:FIELD_LIMIT]:
        lines.append(f"[dim]{escape(label)}:[/dim] {shown(value, single_line=False)}")
    return "\n".join(lines)


def links_markup(detail: Detail) -> str:
    lines: list[str] = []
    for group in detail.groups:
        more = f" [dim]({group.total})[/dim]" if group.total > len(group.items) else ""
        lines += ["", f"[b]{shown(group.title)}[/b]{more}"]
        for item in group.items:
            mark = "[red]●[/red] " if item.label.startswith("! ") else "· "
            lines.append(mark + shown(item.label.removeprefix("! ")))
    return "\n".join(lines)


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one record, or a hint when none is highlighted."""

    DEFAULT_CSS = """
    DetailPane { width: 40%; min-width: 30; border-left: vkey $primary 50%; padding: 0 1; }
    DetailPane > Static { width: 100%; }
    DetailPane > PartnershipRatings { margin-top: 1; padding: 0; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ratings_for: int | None = None  # the pilot whose ratings are shown

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Nothing highlighted.", id="detail-body")
        yield PartnershipRatings(compact=True, id="detail-ratings")
        yield Static("", id="detail-links")

    def show(self, detail: Detail | None, message: str = "Nothing highlighted.") -> None:
        self.query_one("#detail-body", Static).update(fields_markup(detail) if detail else message)
        self.query_one("#detail-links", Static).update(links_markup(detail) if detail else "")
        if detail is None or detail.table != "pilot" or detail.id != self.ratings_for:
            # Ratings arrive from their own worker, before or after the detail.
            self.query_one(PartnershipRatings).display = False
        self.scroll_home(animate=False)

    def show_ratings(self, pilot_id: int, summary: RatingsSummary | None) -> None:
        """A pilot's latest partnership ratings (None: not assessed yet)."""
        self.ratings_for = pilot_id
        ratings = self.query_one(PartnershipRatings)
        ratings.summary = summary
        ratings.display = True
