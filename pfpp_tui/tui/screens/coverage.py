"""The coverage matrix screen (palette "Insight: coverage"): who has engaged with which place.

Owns: loading ``store.insight.coverage`` in thread workers and showing pilots by departments (or,
after ``t`` on a column, pilots by that department's teams) with cells coloured by staleness — never
met, more than 60 days, recent. ``enter`` on a cell loads the records behind it into
``CoverageCellScreen``; picking one there posts ``RecordChosen`` so the host can open it.
Reads only; takes the open ``Database``.
"""

from __future__ import annotations

from datetime import date

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label, OptionList, Static
from textual.widgets.option_list import Option

from pfpp_tui.errors import PfppError
from pfpp_tui.exporters.insight_report import coverage_cell_text
from pfpp_tui.models import ActionStatus, BarrierStatus, Severity
from pfpp_tui.models.labels import label_of
from pfpp_tui.shapes.insight import STALE_AFTER_DAYS, CellRecords, CoverageMatrix, Staleness
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.coverage import coverage_cell_records, coverage_matrix
from pfpp_tui.tui.widgets.key_bar import INSIGHT_KEYS, KeyBar
from pfpp_tui.tui.workspace import workspace

STALENESS_STYLE = {
    Staleness.NEVER: "white on red3",
    Staleness.STALE: "black on orange1",
    Staleness.RECENT: "black on green3",
}


def legend() -> Text:
    text = Text("Cells: days since the last meeting together · a open actions · b open barriers  ")
    for staleness, label in (
        (Staleness.RECENT, "recent"),
        (Staleness.STALE, f"> {STALE_AFTER_DAYS} days"),
        (Staleness.NEVER, "never met"),
    ):
        text.append(f" {label} ", style=STALENESS_STYLE[staleness])
        text.append(" ")
    return text


class CoverageCellScreen(ModalScreen[tuple[str, int] | None]):
    """The meetings, open actions and open barriers behind one cell; ``enter`` opens one."""

    DEFAULT_CSS = """
    CoverageCellScreen { align: center middle; }
    CoverageCellScreen > Vertical {
        width: 100; height: auto; max-height: 80%; border: round $accent; background: $surface;
        padding: 0 1;
    }
    CoverageCellScreen OptionList { height: auto; max-height: 24; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Close", id="coverage.cell-close")]

    def __init__(self, records: CellRecords) -> None:
        super().__init__()
        self.records = records
        self.targets: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        r = self.records
        options: list[Option | None] = []
        for heading, items in (
            (f"Meetings together ({len(r.meetings)})", [
                (("meeting", m.id), f"{m.held_at:%d %b %Y}  {m.title}  [{', '.join(m.attendees)}]")
                for m in r.meetings]),
            (f"Open actions ({len(r.actions)})", [
                (("action", a.id), f"#{a.id} {a.title} — {a.owner}, "
                 f"{label_of(ActionStatus, a.status)}"
                 + (f", due {a.due_date:%d %b %Y}" if a.due_date else "")) for a in r.actions]),
            (f"Open barriers ({len(r.barriers)})", [
                (("barrier", b.id), f"#{b.id} {b.title} — {label_of(BarrierStatus, b.status)}, "
                 f"{label_of(Severity, b.severity)}")
                for b in r.barriers]),
        ):  # fmt: skip
            options.append(Option(Text(heading, style="bold"), disabled=True))
            for target, label in items:
                self.targets.append(target)
                options.append(Option(label, id=f"{target[0]}-{target[1]}"))
            options.append(None)
        with Vertical():
            yield Label(f"[b]{escape(r.pilot)}[/b] with [b]{escape(r.column)}[/b]")
            yield OptionList(*options[:-1], id="coverage-cell-records")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            table, _, row_id = event.option.id.partition("-")
            self.dismiss((table, int(row_id)))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class CoverageScreen(Screen[None]):
    """Pilots down, departments (or one department's teams) across."""

    DEFAULT_CSS = """
    CoverageScreen #coverage-title { height: auto; padding: 0 1; }
    CoverageScreen #coverage-table { height: 1fr; }
    CoverageScreen #coverage-legend { height: auto; padding: 0 1; }
    CoverageScreen #coverage-column { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("t", "teams", "Teams", id="coverage.teams", tooltip="This department's teams"),
        Binding("r", "reload", "Refresh", id="coverage.refresh"),
        Binding("escape", "back", "Back", id="coverage.back"),
    ]

    class Loaded(Message):
        def __init__(self, matrix: CoverageMatrix | None, error: str = "") -> None:
            super().__init__()
            self.matrix, self.error = matrix, error

    class CellLoaded(Message):
        def __init__(self, records: CellRecords | None, error: str = "") -> None:
            super().__init__()
            self.records, self.error = records, error

    class RecordChosen(Message):
        """A record picked from a cell: the host opens it (e.g. ``go_to(table, id)``)."""

        def __init__(self, table: str, row_id: int) -> None:
            super().__init__()
            self.table, self.row_id = table, row_id

    def __init__(
        self, db: Database, *, today: date | None = None, organisation_id: int | None = None
    ) -> None:
        super().__init__()
        self.db = db
        self.today = today
        self.organisation_id = organisation_id
        self.matrix: CoverageMatrix | None = None

    def compose(self) -> ComposeResult:
        yield Static("Loading the coverage matrix…", id="coverage-title")
        yield DataTable(id="coverage-table", cursor_type="cell")
        yield Static("", id="coverage-column")
        yield Static(legend(), id="coverage-legend")
        yield KeyBar(INSIGHT_KEYS)

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="coverage")
    def load(self) -> None:
        try:
            matrix = coverage_matrix(
                self.db, today=self.today, organisation_id=self.organisation_id
            )
        except PfppError as exc:
            self.post_message(self.Loaded(None, str(exc)))
            return
        self.post_message(self.Loaded(matrix))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        title = self.query_one("#coverage-title", Static)
        if message.matrix is None:
            title.update(f"[red]{escape(message.error)}[/red]")
            return
        m = self.matrix = message.matrix
        what = f"the teams of {m.organisation_label}" if m.organisation_id else "departments"
        hint = "escape: back" if m.organisation_id else "t: a department's teams"
        title.update(
            f"[b]Coverage: pilots by {escape(what)}[/b] · as of {m.today.isoformat()} · "
            f"[dim]enter: the records behind a cell · {hint}[/dim]"
        )
        rows: list[tuple[int, list[Text]]] = []
        for pilot_id, name in m.pilots:
            cells = [Text(name)]
            for column in m.columns:
                cell = m.cell(pilot_id, column.id)
                cells.append(Text(coverage_cell_text(cell), style=STALENESS_STYLE[cell.staleness]))
            rows.append((pilot_id, cells))
        labels = ["Pilot", *(c.label for c in m.columns)]
        # Widths are set, not measured: a table measured while rows arrive can keep drawing
        # cells at the header's width (seen with Textual 8.2 when data comes back quickly).
        widths = [
            max([len(label), *(r[1][i].cell_len for r in rows)]) for i, label in enumerate(labels)
        ]
        table = self.query_one("#coverage-table", DataTable)
        table.clear(columns=True)
        keys = ["pilot", *(str(c.id) for c in m.columns)]
        for label, key, width in zip(labels, keys, widths, strict=True):
            table.add_column(label, key=key, width=width)
        for pilot_id, cells in rows:
            table.add_row(*cells, key=str(pilot_id))
        if m.columns:
            table.move_cursor(row=0, column=1)

    @on(DataTable.CellHighlighted, "#coverage-table")
    def _column_named(self, event: DataTable.CellHighlighted) -> None:
        """Say in full what the short header under the cursor stands for ("DCMS: Department
        for Culture, Media and Sport"): at 80 columns a header is all a department gets."""
        event.stop()
        named = self.query_one("#coverage-column", Static)
        key = event.cell_key.column_key.value
        column = (
            next((c for c in self.matrix.columns if str(c.id) == key), None)
            if self.matrix
            else None
        )
        if column is None:
            named.update("")
            return
        full = f": {escape(column.name)}" if column.name != column.label else ""
        named.update(f"[b]{escape(column.label)}[/b]{full}")

    def current(self) -> tuple[int, int] | None:
        """(pilot id, column id) under the cursor, None on the pilot-name column."""
        table = self.query_one("#coverage-table", DataTable)
        if self.matrix is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        if key.column_key.value in (None, "pilot") or key.row_key.value is None:
            return None
        return int(key.row_key.value), int(key.column_key.value)

    @on(DataTable.CellSelected, "#coverage-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        chosen = self.current()
        if chosen is not None:
            self.load_cell(*chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="coverage-cell")
    def load_cell(self, pilot_id: int, column_id: int) -> None:
        by_team = self.organisation_id is not None
        try:
            records = coverage_cell_records(
                self.db,
                pilot_id=pilot_id,
                organisation_id=None if by_team else column_id,
                team_id=column_id if by_team else None,
                today=self.today,
            )
        except PfppError as exc:
            self.post_message(self.CellLoaded(None, str(exc)))
            return
        self.post_message(self.CellLoaded(records))

    @on(CellLoaded)
    def _cell_loaded(self, message: CellLoaded) -> None:
        if message.records is None:
            self.notify(message.error, severity="error")
            return

        def chosen(target: tuple[str, int] | None) -> None:
            if target is not None:
                self.post_message(self.RecordChosen(*target))

        self.app.push_screen(CoverageCellScreen(message.records), chosen)

    def action_teams(self) -> None:
        chosen = self.current()
        if self.organisation_id is not None or chosen is None:
            self.notify("Put the cursor on a department's column first.")
            return
        self.app.push_screen(CoverageScreen(self.db, today=self.today, organisation_id=chosen[1]))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:  # pushed (a drill-down or from the palette)
            workspace(self).close(self)  # the one guarded way out (``tui.navigation``)
