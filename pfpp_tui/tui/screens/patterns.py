"""Same barrier, many places (palette "Insight: barrier patterns"): act on a pattern at once.

Owns: loading ``store.insight.patterns.barrier_groups`` in a thread worker, listing the groups (most
places first) with the highlighted group's barriers below, and escalating a whole group —
``enter`` or ``x`` picks one organisation or team, asks for a note, then ``escalate_group``
writes one escalation covering every barrier (in a worker). ``GroupEscalated`` is posted with
the escalation's batch id so the host can offer ``ctrl+z``. Takes the open ``Database``.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from pfpp_tui.errors import PfppError
from pfpp_tui.models import BarrierCategory, BarrierStatus, ChangeSource, Severity
from pfpp_tui.models.labels import label_of
from pfpp_tui.shapes.insight import BarrierGroup, GroupEscalation
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.patterns import barrier_groups, escalate_group
from pfpp_tui.tui.screens.workflow_prompts import (
    EscalationTarget,
    FuzzyPick,
    LinePrompt,
    escalation_search,
)
from pfpp_tui.tui.widgets.key_bar import INSIGHT_KEYS, KeyBar
from pfpp_tui.tui.workspace import workspace
from pfpp_tui.words import counted

SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def group_places(group: BarrierGroup) -> str:
    """The places a group's barriers come from, in order: "Luton, Hastings"."""
    return ", ".join(dict.fromkeys(b.pilot for b in group.barriers))


def group_named(group: BarrierGroup) -> str:
    """The group as a question names it: title, how many barriers, and from which places."""
    return (
        f"“{group.title}” — {counted(len(group.barriers), 'barrier')} in "
        f"{counted(group.places, 'place')} ({group_places(group)})"
    )


def group_markup(group: BarrierGroup) -> str:
    dept = group.department or "no department yet"
    lines = [
        f"[b]{escape(group.title)}[/b]",
        f"{counted(group.places, 'place')} · {counted(len(group.barriers), 'barrier')} · "
        f"{label_of(BarrierCategory, group.category)} · {escape(dept)}",
        "",
    ]
    for b in group.barriers:
        escalated = f" → {escape(b.escalated_to)}" if b.escalated_to else ""
        lines.append(
            f"#{b.id} [b]{escape(b.pilot)}[/b]: {escape(b.title)} "
            f"[dim]({label_of(BarrierStatus, b.status)}, {label_of(Severity, b.severity)}, "
            f"raised {b.raised_on:%d %b %Y}{escalated})[/dim]"
        )
    return "\n".join(lines)


HEADERS = {"places": "Places", "barriers": "Barriers", "category": "Category",
           "department": "Department", "worst": "Worst"}  # fmt: skip
FIXED_WIDTHS = {"places": 6, "barriers": 8, "category": 12, "department": 10, "worst": 8}


class PatternsScreen(Screen[None]):
    """Groups of open barriers shared by several places; escalate a group in one go."""

    DEFAULT_CSS = """
    PatternsScreen #patterns-title { height: auto; padding: 0 1; }
    PatternsScreen #patterns-table { height: 1fr; }
    PatternsScreen #patterns-detail { height: 1fr; border-top: solid $accent; padding: 0 1; }
    """
    BINDINGS = [
        Binding("x", "escalate", "Escalate group", id="patterns.escalate"),
        Binding("j", "move(1)", "Down", show=False, id="patterns.down"),
        Binding("k", "move(-1)", "Up", show=False, id="patterns.up"),
        Binding("r", "reload", "Refresh", id="patterns.refresh"),
        Binding("escape", "back", "Back", id="patterns.back"),
    ]

    class Loaded(Message):
        def __init__(self, groups: list[BarrierGroup] | None, error: str = "") -> None:
            super().__init__()
            self.groups, self.error = groups, error

    class GroupEscalated(Message):
        """A group escalated: ``batch`` undoes it (``store.history.undo.undo_batch``)."""

        def __init__(self, outcome: GroupEscalation | None, error: str = "") -> None:
            super().__init__()
            self.outcome, self.error = outcome, error

        @property
        def batch(self) -> str:
            return self.outcome.escalation_id if self.outcome else ""

        @property
        def description(self) -> str:
            if self.outcome is None:
                return ""
            return (
                f"escalation of {len(self.outcome.barrier_ids)} barriers to {self.outcome.target}"
            )

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.groups: list[BarrierGroup] = []

    def compose(self) -> ComposeResult:
        yield Static("Looking for the same barrier in many places…", id="patterns-title")
        yield DataTable(id="patterns-table", cursor_type="row")
        with VerticalScroll(id="patterns-detail"):
            yield Static("", id="patterns-barriers")
        yield KeyBar(INSIGHT_KEYS)

    def on_mount(self) -> None:
        self._add_columns()
        self.load()

    def _add_columns(self) -> None:
        """Set widths, the barrier's title taking what the others leave (a DataTable crops a
        cell with no mark, so ``_fill`` ends a cut title in "…")."""
        table = self.query_one("#patterns-table", DataTable)
        table.clear(columns=True)
        room = table.scrollable_content_region.width or self.app.size.width - 2
        fixed = sum(FIXED_WIDTHS.values()) + 2 * (len(FIXED_WIDTHS) + 1)  # cell padding
        for key, width in FIXED_WIDTHS.items():
            table.add_column(HEADERS[key], key=key, width=width)
        table.add_column("Barrier", key="title", width=max(room - fixed, 12))

    def on_resize(self) -> None:
        if self.groups:
            self.call_after_refresh(self._fill)

    def action_reload(self) -> None:
        self.load()

    def reload_after_change(self) -> None:
        """``session_undo.ShowsStoredData``: an undo elsewhere changed what is listed."""
        self.load()

    def action_move(self, step: int) -> None:
        table = self.query_one("#patterns-table", DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    @work(thread=True, exclusive=True, exit_on_error=False, group="patterns")
    def load(self) -> None:
        try:
            self.post_message(self.Loaded(barrier_groups(self.db)))
        except PfppError as exc:
            self.post_message(self.Loaded(None, str(exc)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        title = self.query_one("#patterns-title", Static)
        if message.groups is None:
            title.update(f"[red]{escape(message.error)}[/red]")
            return
        self.groups = message.groups
        title.update(
            f"[b]Same barrier, many places[/b] · {counted(len(self.groups), 'group')} · "
            "[dim]enter or x: escalate the whole group to one department[/dim]"
        )
        self._fill()

    def _fill(self) -> None:
        table = self.query_one("#patterns-table", DataTable)
        row = table.cursor_row
        self._add_columns()
        width = table.columns[ColumnKey("title")].width
        for number, g in enumerate(self.groups):
            table.add_row(
                str(g.places),
                str(len(g.barriers)),
                label_of(BarrierCategory, g.category),
                g.department or "—",
                Text(
                    label_of(Severity, g.worst_severity),
                    style=SEVERITY_STYLE.get(g.worst_severity, ""),
                ),
                _cut(g.title, width),
                key=str(number),
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self.show_group()

    def selected(self) -> BarrierGroup | None:
        table = self.query_one("#patterns-table", DataTable)
        if not self.groups or not table.row_count:
            return None
        return self.groups[min(table.cursor_row, len(self.groups) - 1)]

    def show_group(self) -> None:
        group = self.selected()
        text = (
            group_markup(group) if group else "[dim]No open barriers look alike across places.[/]"
        )
        self.query_one("#patterns-barriers", Static).update(text)

    @on(DataTable.RowHighlighted, "#patterns-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.show_group()

    @on(DataTable.RowSelected, "#patterns-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_escalate()

    def action_escalate(self) -> None:
        group = self.selected()
        if group is None:
            self.notify("No group to escalate.")
            return

        def picked(choice: tuple[EscalationTarget, str] | None) -> None:
            if choice is None:
                return
            (org_id, team_id), label = choice

            def noted(note: str | None) -> None:
                if note is not None:
                    self.escalate(group.ids, org_id, team_id, note)

            self.app.push_screen(
                LinePrompt(f"Escalate {group_named(group)} to {label} — note"), noted
            )

        self.app.push_screen(
            FuzzyPick(
                f"Escalate {group_named(group)} to which organisation / team?",
                escalation_search(self.db),
                value=group.department,
            ),
            picked,
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="patterns-write")
    def escalate(
        self, barrier_ids: tuple[int, ...], organisation_id: int, team_id: int | None, note: str
    ) -> None:
        try:
            outcome = escalate_group(
                self.db,
                barrier_ids=barrier_ids,
                organisation_id=organisation_id,
                team_id=team_id,
                note=note,
                source=ChangeSource.TUI,
            )
        except PfppError as exc:
            self.post_message(self.GroupEscalated(None, str(exc)))
            return
        self.post_message(self.GroupEscalated(outcome))

    @on(GroupEscalated)
    def _escalated(self, message: GroupEscalated) -> None:
        # Not stopped: the host may keep ``message.batch`` for ctrl+z.
        if message.outcome is None:
            self.notify(f"Not escalated: {message.error}", severity="error")
            return
        self.notify(f"Escalated {len(message.outcome.barrier_ids)} barriers to "
                    f"{message.outcome.target}.")  # fmt: skip
        self.load()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            workspace(self).close(self)  # the one guarded way out (``tui.navigation``)


def _cut(text: str, width: int) -> str:
    """``text`` in ``width`` cells, ending in "…" when it had to be cut."""
    return text if cell_len(text) <= width else set_cell_size(text, max(width - 1, 0)) + "…"
