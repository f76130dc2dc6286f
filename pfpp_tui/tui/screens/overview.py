"""Section ``0``: a simple home with counts (the Insight issue fills it in later).

Owns: loading ``store.browse.overview_counts`` in a worker and showing it with the keys
that lead to each section.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from pfpp_tui.errors import PfppError
from pfpp_tui.store.browse import SECTIONS, OverviewCounts, overview_counts
from pfpp_tui.tui.widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from pfpp_tui.tui.app import PfppApp

KEYS = ("pilots", "contacts", "organisations", "meetings", "actions", "barriers")


def overview_markup(counts: OverviewCounts) -> str:
    lines = [f"[b]pfpp-tui[/b] — place-based partnership programme · [dim]{counts.database}[/dim]",
             ""]  # fmt: skip
    for number, key in enumerate(KEYS, start=1):
        title = "Organisations & teams" if key == "organisations" else SECTIONS[key].title
        extra = f"  [dim]({counts.counts['teams']:,} teams)[/dim]" if key == "organisations" else ""
        lines.append(f"  [b reverse] {number} [/] {title:<24}{counts.counts[key]:>10,}{extra}")
    lines += [
        "",
        f"  Open actions: [b]{counts.open_actions:,}[/b]   "
        f"overdue: [b red]{counts.overdue_actions:,}[/b red]   "
        f"open barriers: [b]{counts.open_barriers:,}[/b]",
        "",
        "  [dim]Press a number to open a section · ctrl+p for commands · ? for every key[/dim]",
    ]
    return "\n".join(lines)


class OverviewScreen(Screen[None]):
    BINDINGS = [Binding("r", "refresh_counts", "Refresh", id="overview.refresh")]

    class Counted(Message):
        def __init__(self, counts: OverviewCounts | None, error: str = "") -> None:
            self.counts, self.error = counts, error
            super().__init__()

    def compose(self) -> ComposeResult:
        yield Static("Counting…", id="overview-body")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        self.action_refresh_counts()

    def action_refresh_counts(self) -> None:
        db = cast("PfppApp", self.app).db

        def job() -> None:
            try:
                self.post_message(self.Counted(overview_counts(db)))
            except PfppError as exc:
                self.post_message(self.Counted(None, str(exc)))

        self.run_worker(job, thread=True, group="overview", exclusive=True, exit_on_error=False)

    def on_overview_screen_counted(self, message: Counted) -> None:
        body = self.query_one("#overview-body", Static)
        if message.counts is None:
            body.update(f"[red]{message.error}[/red]")
        else:
            body.update(overview_markup(message.counts))
