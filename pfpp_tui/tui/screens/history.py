"""``h``: one record's change history — who changed what, when, from where, and why.

Owns: loading ``store.db.changes.record_history`` for one record in a thread worker and showing
it newest first, with the highlighted entry's fields (old → new) below the table; a link row's
change (a principle tag, a pilot member, an attendee) shows as its summary in words. It shows
the same rows ``pfpp history ENTITY ID`` prints, with vocabulary values (a status, where a change
came from) by their labels. Fields are named by the form's labels ("Escalated to"), and a
link's old and new values by the linked record's name ("Home Office"), looked up in the same
worker: never the stored column name or a bare id. Reads only; undo stays with ``ctrl+z``.
"""

from __future__ import annotations

from collections.abc import Mapping
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
from pfpp_tui.store.db.changes import (
    HistoryEntry,
    reason_in_words,
    record_history,
    undone_changes,
)
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.browse import labels_for
from pfpp_tui.tui.forms import field_label, field_spec
from pfpp_tui.tui.workspace import workspace

LIMIT = 500


# The linked records' names a history shows: (linked table, id) -> name.
Names = dict[tuple[str, int], str]


def shown_value(value: Any, table: str = "", field: str = "", names: Names | None = None) -> str:
    """A field's old or new value for reading: a vocabulary value by its label, a link by the
    linked record's name."""
    if value is None or value == "":
        return "—"
    spec = field_spec(table, field)
    if spec is not None and spec.kind == "link" and spec.link and names is not None:
        linked = names.get((spec.link, int(value)))
        if linked:
            return linked if len(linked) <= 60 else linked[:57] + "…"
    text = column_label(table, field, value) or str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def why(entry: HistoryEntry, undone: Mapping[str, HistoryEntry] | None = None) -> str:
    """The reason, with undo's batch id (meaningless to a reader) put in words."""
    return reason_in_words(entry, undone or {})


def entry_cells(
    entry: HistoryEntry, undone: Mapping[str, HistoryEntry] | None = None
) -> tuple[str, ...]:
    # A link row (a tag, a member) changed the record: say what, not the link row's columns.
    did = "changed" if entry.summary else label_of(ChangeOp, entry.op).lower()
    labels = sorted(field_label(entry.table, f) for f in entry.changes)
    fields = entry.summary or ", ".join(labels) or "—"
    if len(fields) > 40:
        fields = fields[:39] + "…"
    return (
        f"{entry.at:%Y-%m-%d %H:%M}",
        entry.actor,
        label_of(ChangeSource, entry.source),
        did,
        fields,
        why(entry, undone),
    )


def entry_markup(
    entry: HistoryEntry,
    names: Names | None = None,
    undone: Mapping[str, HistoryEntry] | None = None,
) -> str:
    did = escape(entry.summary) if entry.summary else label_of(ChangeOp, entry.op).lower()
    lines = [
        f"[b]#{entry.id}[/b] {did} {entry.at:%Y-%m-%d %H:%M:%S} UTC "
        f"by {escape(entry.actor)} ({escape(label_of(ChangeSource, entry.source))})"
    ]
    if entry.reason:
        lines.append(f"[dim]why:[/dim] {escape(why(entry, undone))}")
    if entry.summary:
        return "\n".join(lines)
    for field in sorted(entry.changes, key=lambda f: field_label(entry.table, f)):
        old, new = entry.changes[field]
        lines.append(
            f"  [dim]{escape(field_label(entry.table, field))}:[/dim] "
            f"{escape(shown_value(old, entry.table, field, names))} → "
            f"[b]{escape(shown_value(new, entry.table, field, names))}[/b]"
        )
    return "\n".join(lines)


def linked_names(db: Database, entries: list[HistoryEntry]) -> Names:
    """The names of every record the entries' link fields point at (runs in the worker)."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for field, pair in entry.changes.items():
            spec = field_spec(entry.table, field)
            if spec is None or spec.kind != "link" or not spec.link:
                continue
            for value in pair:
                if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                    wanted.setdefault(spec.link, set()).add(int(value))
    names: Names = {}
    for table, ids in wanted.items():
        for row_id, name in labels_for(db, table, sorted(ids)).items():
            names[(table, row_id)] = name
    return names


class HistoryScreen(ModalScreen[None]):
    """The history of one record, newest first."""

    BINDINGS = [
        Binding("escape,q,h", "close", "Close", id="history.close"),
        Binding("j", "move(1)", "Down", show=False, id="history.down"),
        Binding("k", "move(-1)", "Up", show=False, id="history.up"),
    ]
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
        def __init__(
            self, entries: list[HistoryEntry], names: Names, undone: dict[str, HistoryEntry]
        ) -> None:
            super().__init__()
            self.entries, self.names, self.undone = entries, names, undone

    def __init__(self, db: Database, table: str, row_id: int, title: str = "") -> None:
        super().__init__()
        self.db = db
        self.table = table
        self.row_id = row_id
        self.title_text = title or f"{table.replace('_', ' ')} {row_id}"
        self.entries: list[HistoryEntry] = []
        self.names: Names = {}
        self.undone: dict[str, HistoryEntry] = {}

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
            undone = undone_changes(session, entries)
        self.post_message(self.Loaded(entries, linked_names(self.db, entries), undone))

    def on_history_screen_loaded(self, message: Loaded) -> None:
        self.entries, self.names = message.entries, message.names
        self.undone = message.undone
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
            table.add_row(*entry_cells(entry, self.undone), key=str(entry.id))
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
            self.query_one("#history-changes", Static).update(
                entry_markup(self.entries[index], self.names, self.undone)
            )

    def action_close(self) -> None:
        workspace(self).close(self)  # the one guarded way out (``tui.navigation``)

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if step > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def reload_after_change(self) -> None:
        """``session_undo.ShowsStoredData``: an undo adds a row to this history."""
        self.load()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.query_one("#history-title", Static).update(
                f"[red]Could not read the history:[/red] {escape(str(event.worker.error))}"
            )
