"""The programme overview panel (section ``0``): the whole programme on one screen.

Owns: loading ``store.insight.overview.programme_overview`` in a thread worker and showing it — the
per-pilot table (RAG, open and overdue actions, open barriers by severity, days since the last
meeting; ``s`` cycles the sort, a header click sorts by that column, ``enter`` posts
``PilotChosen`` so the host can drill in), the category-by-pilot heat map, barriers raised vs
resolved and actions completed per month, and the oldest open escalations by department.
It takes the open ``Database``; it never writes and never reaches into the app.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from pfpp_tui.errors import PfppError
from pfpp_tui.labels import label_of
from pfpp_tui.shapes.pilot_overview import PilotOverview
from pfpp_tui.tui.widgets.insight_charts import MonthChart, heat_map
from pfpp_tui.vocabulary import Rag, Severity
from pfpp_tui.words import counted

if TYPE_CHECKING:  # the first frame shows the pilots before the ORM loads (issue 19)
    from pfpp_tui.store.db.database import Database
    from pfpp_tui.store.insight.overview import ProgrammeOverview

RAG_ORDER = {"red": 0, "amber": 1, "green": 2}
RAG_STYLE = {
    "red": "bold white on red3",
    "amber": "bold black on orange1",
    "green": "black on green3",
}
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def _barrier_rank(p: PilotOverview) -> tuple[int, int, int]:
    return (p.open_barriers["critical"], p.open_barriers["high"], p.open_barrier_total)


def _met_rank(p: PilotOverview) -> int:
    return 10**6 if p.days_since_meeting is None else p.days_since_meeting


def _partnership_rank(p: PilotOverview) -> int:
    return -1 if p.partnership_total is None else p.partnership_total


# column key → (header, sort key, descending first); SHORT holds the headers used when the
# panel is narrow, and LEGEND says what the short ones mean.
COLUMNS: dict[str, tuple[str, Callable[[PilotOverview], Any], bool]] = {
    "pilot": ("Pilot", lambda p: p.name.lower(), False),
    "rag": ("RAG", lambda p: RAG_ORDER.get(p.rag, 3), False),
    "open": ("Open", lambda p: p.open_actions, True),
    "overdue": ("Overdue", lambda p: p.overdue_actions, True),
    "barriers": ("Barriers c/h/m/l", _barrier_rank, True),
    "met": ("Last met", _met_rank, True),
    "partnership": ("Partnership", _partnership_rank, True),
}
SORT_CYCLE = tuple(COLUMNS)
SHORT = {"barriers": "C/H/M/L", "met": "Met", "partnership": "P'ship"}
LEGEND = (
    "C/H/M/L open barriers: critical/high/medium/low · Met: last meeting · "
    "P'ship: partnership score out of 20"
)
COMPACT_BELOW = 150  # panel width under which the pilot table takes the short headers
STACK_BELOW = 110  # panel width under which the table and the charts stack, full width each


def barrier_cell(row: PilotOverview) -> Text:
    text = Text()
    for number, severity in enumerate(("critical", "high", "medium", "low")):
        if number:
            text.append("/", style="dim")
        count = row.open_barriers[severity]
        text.append(str(count), style=SEVERITY_STYLE[severity] if count else "dim")
    return text


def _met(days: int | None) -> str:
    if days is None:
        return "never"
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days}d ago"


def row_cells(row: PilotOverview) -> list[Text | str]:
    met = _met(row.days_since_meeting)
    return [
        row.name,
        # A badge: the label in capitals ("AMBER"), coloured by the stored value.
        Text(f" {label_of(Rag, row.rag).upper():<5} ", style=RAG_STYLE.get(row.rag, "")),
        str(row.open_actions),
        Text(str(row.overdue_actions), style="bold red" if row.overdue_actions else "dim"),
        barrier_cell(row),
        Text(met, style="yellow" if (row.days_since_meeting or 999) > 30 else ""),
        Text("—", style="dim")
        if row.partnership_total is None
        else Text(f"{row.partnership_total}/20", style="red" if row.partnership_total < 10 else ""),
    ]


def escalations_markup(data: ProgrammeOverview, width: int = 0) -> str:
    """The departments, oldest wait first, each with its barriers; given ``width``, a barrier
    that does not fit goes on under its text (indented), not flush with the department."""
    lines = ["[b]Oldest open escalations by department[/b]"]
    if not data.escalations:
        lines.append("[dim]No barriers are waiting on a department.[/dim]")
    for dept in data.escalations:
        lines.append(
            f"[b]{escape(dept.department)}[/b] — {dept.count} open, "
            f"oldest [red]{dept.oldest_age_days}[/red] days"
        )
        for item in dept.items:
            age = f"({item.age_days}d, {label_of(Severity, item.severity)})"
            text = f"  #{item.barrier_id} {item.pilot}: {item.title} {age}"
            if width <= 0 or len(text) <= width:
                lines.append(f"{escape(text.removesuffix(age))}[dim]{age}[/dim]")
                continue
            wrapped = textwrap.wrap(text, width, subsequent_indent="      ")
            lines += [escape(line) for line in wrapped]
    return "\n".join(lines)


class OverviewBody(ScrollableContainer):
    """The table beside the charts, or (narrow, ``-stacked``) above them in one scroll.

    Its id is ``overview-scroll``: the screen's counts above are ``#overview-body``, and the
    screen's rule for those (``height: auto``) once took this one too, so it grew past the
    screen and the heat map and charts could not be scrolled to.
    """

    ALLOW_MAXIMIZE = False


class OverviewPanel(Vertical):
    """Everything on the programme in one panel; loads itself when mounted."""

    DEFAULT_CSS = """
    OverviewPanel { height: 1fr; }
    OverviewPanel #overview-status { height: 1; color: $text-muted; }
    OverviewPanel #overview-left { width: 3fr; }
    OverviewPanel #overview-right { width: 2fr; }
    OverviewPanel #overview-pilots { height: auto; max-height: 17; }
    OverviewPanel #overview-escalations { height: auto; margin-top: 1; }
    OverviewPanel #overview-heatmap { height: auto; }
    OverviewPanel #overview-legend { height: auto; color: $text-muted; display: none; }
    OverviewPanel.-compact #overview-legend { display: block; }
    OverviewPanel #overview-scroll { layout: horizontal; overflow: hidden hidden; height: 1fr; }
    /* Narrow: one column the user scrolls, the charts below the table, nothing cut. */
    OverviewPanel.-stacked #overview-scroll { layout: vertical; overflow-y: auto; }
    OverviewPanel.-stacked #overview-left, OverviewPanel.-stacked #overview-right {
        width: 1fr; height: auto;
    }
    OverviewPanel.-stacked #overview-right { margin-top: 1; }
    """
    BINDINGS = [
        Binding("s", "next_sort", "Sort", id="overview.sort", tooltip="Cycle the sort column"),
        Binding("r", "reload", "Refresh", id="overview.refresh"),
        # j/k move as in every section's table (the DataTable itself knows only the arrows).
        Binding("j", "move(1)", "Down", show=False, id="overview.down"),
        Binding("k", "move(-1)", "Up", show=False, id="overview.up"),
        # Stacked (narrow), the heat map and charts are below the table in one scroll: these
        # reach them from the table (priority: the table's own page keys move its cursor).
        Binding("pagedown", "page(1)", "More below", id="overview.page-down", priority=True),
        Binding("pageup", "page(-1)", "Back up", id="overview.page-up", priority=True, show=False),
        Binding("end", "ends(1)", "Bottom", id="overview.end", priority=True, show=False),
        Binding("home", "ends(-1)", "Top", id="overview.home", priority=True, show=False),
    ]

    class Loaded(Message):
        def __init__(self, data: ProgrammeOverview | None, error: str = "") -> None:
            super().__init__()
            self.data, self.error = data, error

    class PilotChosen(Message):
        """``enter`` on a pilot: the host opens that pilot."""

        def __init__(self, pilot_id: int, name: str) -> None:
            super().__init__()
            self.pilot_id, self.name = pilot_id, name

    def __init__(
        self,
        db: Database | None,
        *,
        today: date | None = None,
        id: str | None = None,
        first: tuple[PilotOverview, ...] | None = None,
    ) -> None:
        """``db`` None: the database is not open yet; ``first`` (the pilots read for the first
        frame, ``store.first_rows``) fills the table until ``open_with`` loads the rest."""
        super().__init__(id=id)
        self.db = db
        self.today = today
        self.data: ProgrammeOverview | None = None
        self.first = first
        self.sort_key = "rag"
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Static("Loading the programme…", id="overview-status")
        with OverviewBody(id="overview-scroll"):
            with VerticalScroll(id="overview-left"):
                yield DataTable(id="overview-pilots", cursor_type="row", zebra_stripes=True)
                yield Static(LEGEND, id="overview-legend")
                yield Static("", id="overview-escalations")
            with VerticalScroll(id="overview-right"):
                yield Static("", id="overview-heatmap")
                yield MonthChart("Barriers raised vs resolved", id="overview-barrier-chart")
                yield MonthChart("Actions completed", id="overview-action-chart")

    def on_mount(self) -> None:
        if self.db is not None:
            self.load()
        elif self.first is not None:
            self.fill_table()

    def open_with(self, db: Database) -> None:
        """The database is open now: load everything the panel shows."""
        self.db = db
        self.load()

    def pilots(self) -> tuple[PilotOverview, ...]:
        """The pilots shown: the loaded overview's, else the first frame's."""
        return self.data.pilots if self.data is not None else self.first or ()

    def on_resize(self) -> None:
        width = self.size.width
        compact = width < COMPACT_BELOW
        stacked = width < STACK_BELOW
        if stacked != self.has_class("-stacked"):
            self.set_class(stacked, "-stacked")
            self.refresh_bindings()  # the page keys come and go with the scroll
        self.query_one(OverviewBody).can_focus = stacked  # a tab stop only when it scrolls
        self.call_after_refresh(self._show_escalations)  # wrapped for the new width
        if compact != self.has_class("-compact"):
            self.set_class(compact, "-compact")
            if self.pilots():
                self.fill_table()

    def action_reload(self) -> None:
        self.load()

    def action_move(self, step: int) -> None:
        table = self.query_one("#overview-pilots", DataTable)
        if not table.row_count:
            return
        row = table.cursor_row + step
        if self.has_class("-stacked") and not 0 <= row < table.row_count:
            self.action_page(step)  # past the first or last pilot: the page moves on
            return
        table.move_cursor(row=max(0, min(table.row_count - 1, row)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("page", "ends"):
            return self.has_class("-stacked")  # side by side, nothing to scroll to
        return True

    def action_page(self, step: int) -> None:
        body = self.query_one(OverviewBody)
        if step > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def action_ends(self, step: int) -> None:
        body = self.query_one(OverviewBody)
        if step > 0:
            body.scroll_end(animate=False)
        else:
            body.scroll_home(animate=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview")
    def load(self) -> None:
        from pfpp_tui.store.insight.overview import programme_overview

        if self.db is None:
            return
        try:
            self.post_message(self.Loaded(programme_overview(self.db, today=self.today)))
        except PfppError as exc:
            self.post_message(self.Loaded(None, str(exc)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        status = self.query_one("#overview-status", Static)
        if message.data is None:
            status.update(f"[red]{escape(message.error)}[/red]")
            return
        data = self.data = message.data
        overdue = sum(p.overdue_actions for p in data.pilots)
        open_actions = sum(p.open_actions for p in data.pilots)
        open_barriers = sum(p.open_barrier_total for p in data.pilots)
        status.update(
            f"{counted(len(data.pilots), 'pilot')} · {counted(open_actions, 'open action')} "
            f"({overdue:,} overdue) · {counted(open_barriers, 'open barrier')} "
            f"· as of {data.today.isoformat()}"
        )
        self.fill_table()
        self.query_one("#overview-heatmap", Static).update(heat_map(data.categories))
        months = [m.month for m in data.months]
        self.query_one("#overview-barrier-chart", MonthChart).show(
            months,
            [
                ("raised", [m.raised for m in data.months], "red"),
                ("resolved", [m.resolved for m in data.months], "green"),
            ],
        )
        self.query_one("#overview-action-chart", MonthChart).show(
            months, [("completed", [m.completed for m in data.months], "cyan")]
        )
        self._show_escalations()

    def _show_escalations(self) -> None:
        shown = self.query_one("#overview-escalations", Static)
        if self.data is not None:
            # The column's width less its scrollbar, shown or not yet: the same on every run
            # (the Static's own width changes when the scrollbar appears and would rewrap).
            left = self.query_one("#overview-left")
            width = left.size.width - left.styles.scrollbar_size_vertical
            if self.has_class("-stacked"):
                # Stacked, the scroll is the body's: the column is its width less the body's
                # scrollbar, shown or not yet (it appears once the charts are laid out).
                body = self.query_one(OverviewBody)
                bars = body.styles.scrollbar_size_vertical + left.styles.scrollbar_size_vertical
                width = body.size.width - bars
            if width <= 0:
                return  # not laid out yet: the resize that follows shows them
            shown.update(escalations_markup(self.data, width))

    def sorted_rows(self) -> list[PilotOverview]:
        _, key, _ = COLUMNS[self.sort_key]
        rows = sorted(self.pilots(), key=lambda p: p.name.lower())
        return sorted(rows, key=key, reverse=self.sort_reverse)

    def fill_table(self) -> None:
        table = self.query_one("#overview-pilots", DataTable)
        current = None
        if table.row_count and table.cursor_row >= 0:
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        rows = [(row.pilot_id, [Text(c) if isinstance(c, str) else c for c in row_cells(row)])
                for row in self.sorted_rows()]  # fmt: skip
        table.clear(columns=True)
        # Widths are set, not measured: a table measured while rows arrive can keep drawing
        # cells at the header's width (seen with Textual 8.2 when data comes back quickly).
        for index, (key, (header, _, _)) in enumerate(COLUMNS.items()):
            arrow = ""
            if key == self.sort_key:
                arrow = " ▼" if self.sort_reverse else " ▲"
            if self.has_class("-compact"):
                header = SHORT.get(key, header)
            label = header + arrow
            width = max([len(label), *(cells[index].cell_len for _, cells in rows)])
            table.add_column(label, key=key, width=width)
        for pilot_id, cells in rows:
            table.add_row(*cells, key=str(pilot_id))
        if current is not None and table.row_count:
            table.move_cursor(row=table.get_row_index(current))

    def sort_by(self, key: str, *, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = (not self.sort_reverse) if key == self.sort_key else COLUMNS[key][2]
        self.sort_key, self.sort_reverse = key, reverse
        self.fill_table()

    def action_next_sort(self) -> None:
        following = SORT_CYCLE[(SORT_CYCLE.index(self.sort_key) + 1) % len(SORT_CYCLE)]
        self.sort_by(following, reverse=COLUMNS[following][2])

    @on(DataTable.HeaderSelected, "#overview-pilots")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    @on(DataTable.RowSelected, "#overview-pilots")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if not self.pilots() or event.row_key.value is None:
            return
        pilot_id = int(event.row_key.value)
        name = next(p.name for p in self.pilots() if p.pilot_id == pilot_id)
        self.post_message(self.PilotChosen(pilot_id, name))
