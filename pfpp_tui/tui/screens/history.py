"""``h``: one record's change history — who changed what, when, from where, and why.

Owns: loading ``store.history.record_history`` for one record in a thread worker and showing
it newest first, with the highlighted entry's fields (old → new) below the table; a link row's
change (a principle tag, a pilot member, an attendee) shows as its summary in words. It shows
the same rows ``pfpp history ENTITY ID`` prints, with vocabulary values (a status, where a change
came from) by their labels. Reads only; undo stays with ``ctrl+z`` in the app.
"""

from __future__ import annotations

import re
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from pfpp_tui.models import ChangeOp, ChangeSource
from pfpp_tui.models.labels import column_label, label_of
from pfpp_tui.store.database import Database
from pfpp_tui.store.history import HistoryEntry, record_history

LIMIT = 500
UNDO_REASON = re.compile(r"undo [0-9a-f-]{36}")


def shown_value(value: Any, table: str = "", field: str = "") -> str:
    """A field's old or new value for reading: a vocabulary value by its label."""
    if value is None or value == "":
        return "—"
    text = column_label(table, field, value) or str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def why(entry: HistoryEntry) -> str:
    """The reason, with undo's batch id (meaningless to a reader) put in words."""
    if UNDO_REASON.fullmatch(entry.reason):
        return "undo (ctrl+z) of an earlier change"
    return entry.reason


def entry_cells(entry: HistoryEntry) -> tuple[str, ...]:
    # A link row (a tag, a member) changed the record: say what, not the link row's columns.
    did = "changed" if entry.summary else label_of(ChangeOp, entry.op).lower()
    fields = entry.summary or ", ".join(sorted(entry.changes)) or "—"
    if len(fields) > 40:
        fields = fields[:39] + "…"
    return (
        f"{entry.at:%Y-%m-%d %H:%M}",
        entry.actor,
        label_of(ChangeSource, entry.source),
        did,
        fields,
        why(entry),
    )


def entry_markup(entry: HistoryEntry) -> str:
    did = escape(entry.summary) if entry.summary else label_of(ChangeOp, entry.op).lower()
    lines = [
        f"[b]#{entry.id}[/b] {did} {entry.at:%Y-%m-%d %H:%M:%S} UTC "
        f"by {escape(entry.actor)} ({escape(label_of(ChangeSource, entry.source))})"
    ]
    if entry.reason:
        lines.append(f"[dim]why:[/dim] {escape(why(entry))}")
    if entry.summary:
        return "\n".join(lines)
    for field in sorted(entry.changes):
        old, new = entry.changes[field]
        lines.append(
            f"  [dim]{escape(field)}:[/dim] {escape(shown_value(old, entry.table, field))} → "
            f"[b]{escape(shown_value(new, entry.table, field))}[/b]"
        )
    return "\n".join(lines)


class HistoryScreen(ModalScreen[None]):
    """The history of one record, newest first."""

    BINDINGS = [Binding("escape,q,h", "close", "Close", id="history.close")]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; background: $background 60%; }
    HistoryScreen #history-box {
        width: 90%; height: 90%; border: thick $primary; background: $surface; padding: 0 1;
    }
    HistoryScreen #history-title { height: auto; }
    HistoryScreen #history-table { height: 1fr; }
    HistoryScreen #history-entry { height: auto; max-height: 40%; border-top: solid $accent; }
    """

    class Loaded(Message):
        def __init__(self, entries: list[HistoryEntry]) -> None:
            super().__init__()
            self.entries = entries

    def __init__(self, db: Database, table: str, row_id: int, title: str = "") -> None:
        super().__init__()
        self.db = db
        self.table = table
        self.row_id = row_id
        self.title_text = title or f"{table.replace('_', ' ')} {row_id}"
        self.entries: list[HistoryEntry] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="history-box"):
            yield Static(f"[b]History — {escape(self.title_text)}[/b] · loading…",
                         id="history-title")  # fmt: skip
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="history-entry"):
                yield Static("", id="history-changes")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When (UTC)", "Who", "From", "Did", "Fields", "Why")
        table.focus()
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def load(self) -> None:
        with self.db.read() as session:
            entries = record_history(session, table=self.table, row_id=self.row_id, limit=LIMIT)
        self.post_message(self.Loaded(entries))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        self.entries = message.entries
        count = len(self.entries)
        more = f" (the newest {LIMIT})" if count >= LIMIT else ""
        noun = "change" if count == 1 else "changes"
        self.query_one("#history-title", Static).update(
            f"[b]History — {escape(self.title_text)}[/b] · {count} {noun}{more}, newest first"
            " · [dim]escape closes · ctrl+z (in the section) undoes your last change[/dim]"
        )
        table = self.query_one(DataTable)
        table.clear()
        for entry in self.entries:
            table.add_row(*entry_cells(entry), key=str(entry.id))
        self._show(0)
        if not self.entries:
            self.query_one("#history-changes", Static).update(
                "[dim]No history for this record (it may predate the change history).[/dim]"
            )

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show(event.cursor_row)

    def _show(self, index: int) -> None:
        if 0 <= index < len(self.entries):
            self.query_one("#history-changes", Static).update(entry_markup(self.entries[index]))

    def action_close(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.query_one("#history-title", Static).update(
                f"[red]Could not read the history:[/red] {escape(str(event.worker.error))}"
            )
