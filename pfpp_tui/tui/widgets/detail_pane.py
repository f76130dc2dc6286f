"""The pane beside a section's table: the highlighted record's key fields and its links.

Owns: rendering a ``Detail`` (from ``store.browse_links``) as readable text. It renders what
it is given and never loads anything; the section screen loads details in a worker.
"""

from __future__ import annotations

from rich.markup import escape
from textual.containers import VerticalScroll
from textual.widgets import Static

from pfpp_tui.store.browse_links import Detail

FIELD_LIMIT = 8


def detail_markup(detail: Detail, *, all_fields: bool = False) -> str:
    """Console markup for a record: title, fields (non-empty first few), then link groups."""
    lines = [f"[b]{escape(detail.title)}[/b]  [dim]{detail.table.replace('_', ' ')}[/dim]", ""]
    fields = [(k, v) for k, v in detail.fields if all_fields or v != "—"]
    for label, value in fields if all_fields else fields[:FIELD_LIMIT]:
        lines.append(f"[dim]{escape(label)}:[/dim] {escape(value)}")
    for group in detail.groups:
        more = f" [dim]({group.total})[/dim]" if group.total > len(group.items) else ""
        lines += ["", f"[b]{escape(group.title)}[/b]{more}"]
        for item in group.items:
            mark = "[red]●[/red] " if item.label.startswith("! ") else "· "
            lines.append(mark + escape(item.label.removeprefix("! ")))
    return "\n".join(lines)


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one record, or a hint when none is highlighted."""

    DEFAULT_CSS = """
    DetailPane { width: 40%; min-width: 30; border-left: vkey $primary 50%; padding: 0 1; }
    DetailPane > Static { width: 100%; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("Nothing highlighted.", id="detail-body")

    def show(self, detail: Detail | None, message: str = "Nothing highlighted.") -> None:
        body = self.query_one("#detail-body", Static)
        body.update(detail_markup(detail) if detail else message)
        self.scroll_home(animate=False)
