"""Section ``0``: the programme at a glance — counts per section, then the ``OverviewPanel``.

Owns: loading ``store.listing.browse.overview_counts`` in a worker and showing it as one line per
section key, and hosting ``OverviewPanel`` (per-pilot table, heat map, charts, escalations),
which loads itself. ``enter`` on a pilot posts ``OverviewPanel.PilotChosen``; the app opens it.
Both reload whenever the section is shown again, so they reflect changes made elsewhere.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from pfpp_tui.errors import PfppError
from pfpp_tui.shapes.pilot_overview import PilotOverview
from pfpp_tui.store.listing.sections import SECTIONS
from pfpp_tui.tui.read_only import READ_ONLY_MARK
from pfpp_tui.tui.widgets.key_bar import OVERVIEW_KEYS, KeyBar
from pfpp_tui.tui.widgets.overview import OverviewPanel
from pfpp_tui.tui.workspace import workspace
from pfpp_tui.words import counted

if TYPE_CHECKING:  # the first frame shows before the ORM loads (issue 19)
    from pfpp_tui.store.db.database import Database
    from pfpp_tui.store.listing.browse import OverviewCounts
    from pfpp_tui.tui.looking_at import LookingAt

KEYS = ("pilots", "contacts", "organisations", "meetings", "actions", "barriers")


def overview_markup(counts: OverviewCounts) -> str:
    """Two lines: each section's key and count, then the open and overdue totals."""
    parts = []
    for number, key in enumerate(KEYS, start=1):
        title = "Orgs & teams" if key == "organisations" else SECTIONS[key].title
        teams = counts.counts["teams"]
        extra = f"/{counted(teams, 'team')}" if key == "organisations" else ""
        parts.append(f"[b reverse] {number} [/] {title} [b]{counts.counts[key]:,}[/b]{extra}")
    return (
        "  ".join(parts) + "\nWhole programme, programme-wide items included: "
        f"open actions [b]{counts.open_actions:,}[/b] · "
        f"overdue: [b red]{counts.overdue_actions:,}[/b red] · "
        f"open barriers: [b]{counts.open_barriers:,}[/b]  "
        f"[dim]{escape(database_name(str(counts.database)))}[/dim]"
    )


def database_name(display: str) -> str:
    """A database file by its name (the full path wrapped the line at 80 columns); a server URL
    as it is shown everywhere else."""
    return display if "://" in display else PurePath(display).name


class OverviewScreen(Screen[None]):
    class Counted(Message):
        def __init__(self, counts: OverviewCounts | None, error: str = "") -> None:
            self.counts, self.error = counts, error
            super().__init__()

    def __init__(self, first: tuple[PilotOverview, ...] | None = None) -> None:
        """``first``: the pilots read for the first frame (``store.first_rows``), shown while
        the database opens; without it the database must be open."""
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        host = workspace(self)
        yield Static("Counting…", id="overview-body")
        db = host.db if host.is_open else None
        yield OverviewPanel(db, id="overview-panel", first=None if db else self.first)
        yield KeyBar(OVERVIEW_KEYS)

    def database_opened(self, db: Database) -> None:
        """Shown from the first frame's rows: now count and load the rest."""
        panel = self.query_one(OverviewPanel)
        if panel.db is None:
            panel.open_with(db)
            self.action_refresh_counts()

    def on_mount(self) -> None:
        self.query_one("#overview-pilots", DataTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_all()

    def refresh_all(self) -> None:
        """Count again and reload the panel: shown again, or after an undo made from here."""
        if not workspace(self).is_open:
            return  # ``database_opened`` loads both
        panel = self.query_one(OverviewPanel)
        if panel.data is not None:  # else it is loading for the first time already
            panel.load()
        self.action_refresh_counts()

    def looking_at(self) -> LookingAt:
        """The pilot under the cursor of the per-pilot table."""
        from pfpp_tui.store.directory.workflow_lookup import Named
        from pfpp_tui.tui.looking_at import LookingAt

        panel = self.query_one(OverviewPanel)
        table = panel.query_one("#overview-pilots", DataTable)
        if not panel.pilots() or not table.row_count:
            return LookingAt()
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is None:
            return LookingAt()
        pilot_id = int(key)
        name = next((p.name for p in panel.pilots() if p.pilot_id == pilot_id), "")
        return LookingAt("pilot", pilot_id, name, Named(pilot_id, name))

    def action_refresh_counts(self) -> None:
        from pfpp_tui.store.listing.browse import overview_counts

        db = workspace(self).db

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
            read_only = workspace(self).db.read_only
            body.update(overview_markup(message.counts) + (READ_ONLY_MARK if read_only else ""))
