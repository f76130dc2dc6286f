"""One section (Pilots, People, Organisations & teams, Meetings, Actions, Barriers).

Owns: the section's filter box, virtual table and detail pane, and every database call they
need — windows of rows, the count, the highlighted record's detail (organisation names as at
the record's date; a pilot's partnership ratings), deletes — each in a thread worker that posts
a message back. Results carry a generation number so a slow answer to an old filter never
overwrites a newer one. Record creation and editing happen in
``RecordFormScreen``; navigation between sections and undo belong to the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from pfpp_tui.errors import PfppError
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.records import get_record
from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.store.history.undo import delete_in_batch, links_to, new_batch, save_in_batch
from pfpp_tui.store.insight.partnership_health import pilot_ratings
from pfpp_tui.store.listing.browse import SECTIONS, Page, count_rows, fetch_page, position_of
from pfpp_tui.store.listing.browse_links import Detail, LinkItem, record_detail
from pfpp_tui.store.listing.query import QueryError, parse_query, where_clause
from pfpp_tui.tui.dated_names import with_names_then
from pfpp_tui.tui.looking_at import LookingAt, pilot_of, pilot_word
from pfpp_tui.tui.read_only import READ_ONLY_MARK
from pfpp_tui.tui.screens.dialogs import ConfirmScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen, Saved, link_labels
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.widgets.detail_pane import DetailPane
from pfpp_tui.tui.widgets.key_bar import KeyBar
from pfpp_tui.tui.widgets.record_table import WINDOW, RecordTable
from pfpp_tui.tui.workspace import Workspace, workspace
from pfpp_tui.words import counted

NARROW = 110
# Worker answers that open a dialog about the highlighted record (dropped once off screen).
DIALOG_KINDS = frozenset({"open", "edit", "confirm-delete"})
NUMBERS = {"pilots": 1, "contacts": 2, "organisations": 3, "teams": 3, "meetings": 4,
           "actions": 5, "barriers": 6}  # fmt: skip


def record_saved(app: App[Any], noun: str, saved: Saved) -> None:
    """A form's save joins ``ctrl+z`` and is told the same way, wherever the form was opened."""
    what = saved.described(noun)  # names the record: "Added Emma Nowak"
    workspace(app).remember(saved.batch, what[:1].lower() + what[1:])
    app.notify(f"{what} — ctrl+z undoes")


def rows_text(total: int) -> str:
    return counted(total, "row")


def sort_text(label: str, descending: bool) -> str:
    """What the order is: by when added (the id) or by a column, and which way."""
    if not label:
        return "newest first" if descending else "oldest first"
    return f"{label} (descending)" if descending else label


class SectionScreen(Screen[None]):
    """A table of one kind of record with a filter and a detail pane."""

    # The table has the focus from the start: focusing the filter first (Textual's default,
    # the first focusable widget) and then the table restyles the screen twice for nothing.
    AUTO_FOCUS = "RecordTable"
    # ``key_order``: the keys typed after ``e``, ``enter`` or ``d`` wait for the record the
    # form, the record or the question is opened on to load: in "e End ␣v2 ctrl+s" End moved
    # the table's cursor while the record was fetched, and the form opened after it.
    KEYS_WAIT_FOR = ("edit", "open", "links")

    BINDINGS = [
        # Priority, so ``/`` focuses the filter before the keys typed right after it are
        # dispatched: otherwise a fast "/pilot:luton" reaches the table's bindings (n: New).
        # An Input consumes "/" itself, so typing "/" in the filter still types it.
        Binding("slash", "focus_filter", "Filter", id="section.filter", priority=True),
        Binding("n", "new", "New", id="record.new"),
        Binding("e", "edit", "Edit", id="record.edit"),
        Binding("d", "delete", "Delete", id="record.delete"),
        Binding("escape", "back", "Back", id="section.back"),
        Binding("T", "toggle_listing", "Orgs/teams", id="section.toggle-teams"),
    ]

    class Loaded(Message):
        """A worker's answer: ``kind`` is window | count | detail | open | edit."""

        def __init__(self, kind: str, generation: int, payload: Any, offset: int = 0) -> None:
            self.kind, self.generation, self.payload, self.offset = (
                kind, generation, payload, offset,
            )  # fmt: skip
            super().__init__()

    class Failed(Message):
        def __init__(self, error: PfppError) -> None:
            self.error = error
            super().__init__()

    def __init__(self, section_key: str, alternate: str | None = None) -> None:
        super().__init__(id=f"screen-{section_key}")
        self.section = SECTIONS[section_key]
        self.alternate = alternate  # the other listing under the same key (teams)
        self.filter_text = ""
        self.sort: str = self.section.default_sort
        self.descending = self.section.default_descending
        self.generation = 0
        self.detail: Detail | None = None
        self.total: int | None = None
        self.pending_record: int | None = None
        self._count_pending = False
        # The app's change count when this screen last loaded (see ``on_screen_resume``).
        self.loaded_at_change = 0
        self._left = False  # hidden by a switch to another section (not by a dialog)
        self._filter_error = False  # the filter's error line shows a message

    @property
    def workspace(self) -> Workspace:
        return workspace(self)

    def compose(self) -> ComposeResult:
        yield Static("", id="section-title")
        yield Input(
            placeholder='/ filter: words, pilot:luton, org:"home office", status:open, due<7d',
            id="filter",
        )
        yield Static("", id="filter-error")
        with Horizontal(id="section-body"):
            yield RecordTable(id="records")
            yield DetailPane(id="detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(RecordTable).focus()
        self.reload()
        pending, self.pending_record = self.pending_record, None
        if pending is not None:
            self._show_record(pending)

    def on_screen_suspend(self) -> None:
        # A dialog pushed over this screen keeps it in the app's stack; a section switch
        # (the app's stack is then the other mode's) does not.
        self._left = self not in self.app.screen_stack

    def on_screen_resume(self) -> None:
        """Shown again: reload (cursor kept) if anything may have changed meanwhile.

        Back from another section, anything may have (a workflow, an undo, an import,
        someone else): always reload. Back from a dialog, only if the session changed data
        that this screen has not reloaded for yet (a form's save reloads on its own).
        Never on the first show: ``on_mount`` loads (a second load would slow first paint).
        The rows, cursor and count shown stay until the reload's own replace them.
        """
        left, self._left = self._left, False
        if not self.is_mounted or self.generation == 0:
            return
        if left or self.loaded_at_change != self.workspace.change_count:
            # The rows on show stay until the fresh ones replace them: the switch's first
            # frame shows the section as it was, not "Loading…" (issue 19: ≤ 50 ms).
            self.reload(keep_cursor=True, keep_rows=True)

    def on_resize(self) -> None:
        # Below ~110 columns the table needs the room; enter still shows the whole record.
        pane, wide = self.query_one(DetailPane), self.size.width >= NARROW
        if pane.display != wide:  # setting it, even unchanged, costs a layout pass
            pane.display = wide

    # --- loading -------------------------------------------------------------------------

    def _run(self, job: Callable[[], None], group: str, exclusive: bool = True) -> None:
        self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False)

    def _post(self, kind: str, generation: int, fetch: Callable[[], Any], offset: int = 0) -> None:
        try:
            payload = fetch()
        except PfppError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Loaded(kind, generation, payload, offset))

    def reload(self, *, keep_cursor: bool = False, keep_rows: bool = False) -> None:
        """Start again from the first window (new filter, sort, or after a change).

        ``keep_rows``: the rows, cursor and count on show stay until the fresh window (and
        count) replace them, instead of "Loading…" meanwhile.
        """
        table = self.query_one(RecordTable)
        cursor = table.cursor
        self.generation += 1
        if keep_rows and table.rows:
            table.keep_until_replaced()
            keep_cursor = True
        else:
            table.reset(self.section.columns, self.sort, self.descending)
            if keep_cursor:
                table.cursor = cursor
            self.total = None
            self._title()
        self.loaded_at_change = self.workspace.change_count
        if not self.workspace.is_open:
            return  # "Loading…" until the app opens the database and reloads this screen
        start = (cursor // WINDOW) * WINDOW if keep_cursor else 0
        table.requested.add(start)
        self._count_pending = True  # counted after the first window: that shows sooner
        self._fetch_window(start, "window0", exclusive=True)

    def _start_count(self) -> None:
        self._count_pending = False
        gen, key, text, db = self.generation, self.section.key, self.filter_text, self.workspace.db

        def start() -> None:
            if gen == self.generation:  # else a newer reload counts for itself
                self._run(lambda: self._post("count", gen, lambda: count_rows(
                    db, key, filter_text=text)), "count")  # fmt: skip

        # After the rows paint: a count beside the first paint slows it (the GIL).
        self.call_after_refresh(start)

    def _fetch_window(self, offset: int, group: str, *, exclusive: bool) -> None:
        gen, key, db = self.generation, self.section.key, self.workspace.db
        text, sort, descending = self.filter_text, self.sort, self.descending
        if offset == 0 and not text and self._use_first_window(gen):
            return

        def fetch() -> Any:
            return fetch_page(db, key, filter_text=text, sort=sort, descending=descending,
                              offset=offset, limit=WINDOW)  # fmt: skip

        self._run(lambda: self._post("window", gen, fetch, offset), group, exclusive)

    def _use_first_window(self, gen: int) -> bool:
        """Show the window the app fetched as it opened the database, if it is this one."""
        first = self.workspace.first_window(self.section.key, self.sort, self.descending)
        if isinstance(first, Page):
            self.on_section_screen_loaded(self.Loaded("window", gen, first))
        elif isinstance(first, PfppError):
            self.on_section_screen_failed(self.Failed(first))
        else:
            return False  # not fetched, or failed unexpectedly: a worker fetches (and reports)
        return True

    @on(RecordTable.WindowNeeded)
    def _window_needed(self, event: RecordTable.WindowNeeded) -> None:
        self._fetch_window(event.offset, f"window{event.offset}", exclusive=False)

    @on(RecordTable.Highlighted)
    def _highlighted(self, event: RecordTable.Highlighted) -> None:
        if event.row_id is None:
            # Rows on their way (a reload, a jump past the loaded window) are not "nothing".
            waiting = self.query_one(RecordTable).total > 0 or self.total is None
            self.query_one(DetailPane).show(None, "Loading…" if waiting else self._nothing_text())
            return
        # Announced once the table has drawn the cursor on its row: these reads never hold
        # back that frame (see ``RecordTable._announce``).
        self._load_detail(event.row_id, "detail")

    def _load_detail(self, row_id: int, kind: str) -> None:
        db, table, gen = self.workspace.db, self.section.table, self.generation

        def fetch() -> Detail:
            return with_names_then(db, record_detail(db, table, row_id))

        self._run(lambda: self._post(kind, gen, fetch), "detail" if kind == "detail" else "open")
        if table == "pilot" and kind == "detail":
            ratings = lambda: (row_id, pilot_ratings(db, row_id))  # noqa: E731
            self._run(lambda: self._post("ratings", gen, ratings), "ratings")

    def on_section_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one(RecordTable)
        if message.kind in DIALOG_KINDS and not self.is_current:
            # Asked for here, answered after the user went elsewhere (another section, a
            # workflow): a record view, form or question would open over a screen that
            # does not show this record, and act on it from there. Drop it.
            return
        if message.kind == "window" and message.generation == self.generation:
            table.add_rows(message.offset, message.payload.rows, exact_total=self.total is not None)
            if self.total is not None:
                table.set_total(self.total)
            if self._count_pending:
                rows = len(message.payload.rows)
                if message.offset == 0 and rows < WINDOW:
                    # The first window holds every match: that is the count, no query needed.
                    self._count_pending = False
                    self.post_message(self.Loaded("count", self.generation, rows))
                else:
                    self._start_count()
        elif message.kind == "count" and message.generation == self.generation:
            self.total = int(message.payload)
            table.set_total(self.total)
            self._title()
            if not self.total:
                # No row to highlight, so the table announces nothing new: clear the pane
                # here, or it keeps showing the record from before the filter.
                self.detail = None
                self.query_one(DetailPane).show(None, self._nothing_text())
        elif message.kind == "detail":
            detail: Detail = message.payload
            if table.highlighted_id == detail.id:
                self.detail = detail
                self.query_one(DetailPane).show(detail)
        elif message.kind == "ratings":
            pilot_id, summary = message.payload
            if table.highlighted_id == pilot_id:
                self.query_one(DetailPane).show_ratings(pilot_id, summary)
        elif message.kind == "open":
            self.app.push_screen(RecordViewScreen(message.payload), self._after_view)
        elif message.kind == "edit":
            record, labels = message.payload
            form = RecordFormScreen(self.workspace.db, self.section.table, record, labels)
            self.app.push_screen(form, self._after_save)
        elif message.kind == "changed":
            self.workspace.remember(*message.payload)
            what = message.payload[1]  # capitalised, the record's name left as it is
            self.notify(f"{what[:1].upper()}{what[1:]} — ctrl+z undoes")
            self.reload(keep_cursor=True)
        elif message.kind == "confirm-delete":
            self._confirm_delete(*message.payload)
        elif message.kind == "position" and message.payload is not None:
            table.cursor = int(message.payload)

    def _nothing_text(self) -> str:
        if self.filter_text:
            return f"Nothing matches the filter “{self.filter_text}”."
        return f"No {self.section.title.lower()} yet — press n to add one."

    def on_section_screen_failed(self, message: Failed) -> None:
        self.notify(str(message.error), title="Could not do that", severity="error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.error}", title="Unexpected error", severity="error")

    def _title(self) -> None:
        count = "counting…" if self.total is None else rows_text(self.total)
        shown = f" · filter: {self.filter_text}" if self.filter_text else ""
        sort = sort_text(self.section.column(self.sort).label if self.sort != "id" else "",
                         self.descending)  # fmt: skip
        hint = ""
        if self.alternate:
            key = next((self.app.get_key_display(b.binding) for b in self.active_bindings.values()
                        if b.binding.id == "section.toggle-teams"), "T")  # fmt: skip
            hint = f"   [dim]{key}: {SECTIONS[self.alternate].title}[/dim]"
        number = NUMBERS[self.section.key]
        mark = READ_ONLY_MARK if self.workspace.is_open and self.workspace.db.read_only else ""
        # One line high whatever it says (app.tcss): no layout pass for a new count or filter.
        self.query_one("#section-title", Static).update(
            f"[b]{number} {self.section.title}[/b] · {count}{shown} · sorted by {sort}{hint}{mark}",
            layout=False,
        )

    # --- filter and sort -----------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value, from_input=True)

    def apply_filter(self, text: str, *, from_input: bool = False) -> None:
        error = self.query_one("#filter-error", Static)
        if self.section.key != "teams":
            try:
                where_clause(Entity(self.section.key), parse_query(text))  # pure: no database
            except QueryError as exc:
                error.update(f"[red]{exc}[/red]")
                self._filter_error = True
                return
        if self._filter_error:  # unchanged, it would cost a layout pass on every letter
            error.update("")
            self._filter_error = False
        if not from_input:
            self.query_one("#filter", Input).value = text
        if text != self.filter_text:
            self.filter_text = text
            self.reload()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(RecordTable).focus()

    @on(RecordTable.SortRequested)
    def _sort(self, event: RecordTable.SortRequested) -> None:
        self.sort, self.descending = event.column, event.descending
        self.reload()

    def action_focus_filter(self) -> None:
        # set_focus now, not focus() (which waits a message round): the next key already
        # queued must land in the filter.
        self.set_focus(self.query_one("#filter", Input))

    def action_back(self) -> None:
        filter_box = self.query_one("#filter", Input)
        if filter_box.has_focus:
            self.query_one(RecordTable).focus()
        elif self.filter_text:
            self.apply_filter("")
        else:
            self.workspace.show_section("overview")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.alternate is not None if action == "toggle_listing" else True

    def action_toggle_listing(self) -> None:
        if self.alternate:
            self.workspace.show_section(self.alternate)

    # --- records -------------------------------------------------------------------------

    def looking_at(self) -> LookingAt:
        """The highlighted record and its pilot, from what is already loaded (no waiting)."""
        table = self.query_one(RecordTable)
        row_id = table.highlighted_id
        row = table.rows.get(table.cursor)
        if row_id is None or row is None:
            return LookingAt()
        kind = self.section.table
        detail = self.detail
        if detail is None or detail.id != row_id or detail.table != kind:
            detail = None
        label = detail.title if detail else row.cells[0].removesuffix(" (archived)")
        pilot = None
        if kind == "pilot":
            pilot = Named(row_id, label)
        elif detail is not None:
            pilot = pilot_of(detail, prefer=pilot_word(self.filter_text))
        return LookingAt(kind, row_id, label, pilot)

    @on(RecordTable.Selected)
    def _selected(self, event: RecordTable.Selected) -> None:
        self._load_detail(event.row_id, "open")

    def show_record(self, row_id: int) -> None:
        """Open ``row_id`` (from "Go to" or a link) and, when cheap, move the cursor to it."""
        if not self.is_mounted:
            self.pending_record = row_id  # the mode was just switched to: on_mount opens it
        else:
            self._show_record(row_id)

    def _show_record(self, row_id: int) -> None:
        self.apply_filter("")
        self._load_detail(row_id, "open")
        db, key, gen = self.workspace.db, self.section.key, self.generation
        sort, descending = self.sort, self.descending

        def locate() -> int | None:
            return position_of(db, key, row_id, sort=sort, descending=descending)

        self._run(lambda: self._post("position", gen, locate), "position")

    def _after_view(self, item: LinkItem | None) -> None:
        if item is None:
            return
        if item.label == "edit" and item.table == self.section.table:
            self._edit(item.id)
        else:
            self.workspace.go_to(item.table, item.id)

    def action_new(self) -> None:
        if not self.workspace.is_open:
            return
        form = RecordFormScreen(self.workspace.db, self.section.table)
        self.app.push_screen(form, self._after_save)

    def action_edit(self) -> None:
        row_id = self.query_one(RecordTable).highlighted_id
        if row_id is not None:
            self._edit(row_id)

    def _edit(self, row_id: int) -> None:
        db, table, gen = self.workspace.db, self.section.table, self.generation

        def fetch() -> tuple[Any, dict[str, str]]:
            record = get_record(db, table=table, row_id=row_id)
            return record, link_labels(db, table, record.values)

        self._run(lambda: self._post("edit", gen, fetch), "edit")

    def _after_save(self, saved: Saved | None) -> None:
        if saved is not None:
            record_saved(self.app, self.section.noun, saved)
            self.reload(keep_cursor=True)

    def action_delete(self) -> None:
        table = self.query_one(RecordTable)
        row_id = table.highlighted_id
        row = table.rows.get(table.cursor)
        if row_id is None or row is None:
            return
        archive = self.section.key == "contacts" and not row.cells[0].endswith("(archived)")
        db, kind, gen, name = self.workspace.db, self.section.table, self.generation, row.cells[0]

        def ask() -> tuple[int, str, bool, list[str]]:
            return row_id, name, archive, [] if archive else links_to(db, kind, row_id)

        self._run(lambda: self._post("confirm-delete", gen, ask), "links")

    def _confirm_delete(self, row_id: int, name: str, archive: bool, links: list[str]) -> None:
        verb = "Archive" if archive else "Delete"
        question = f"{verb} {self.section.noun} “{name}”? (ctrl+z undoes)"
        if links:
            question += (
                f"\n\nLinked from {', '.join(links)}: those links are cleared or removed "
                "with it, and ctrl+z brings back only the record itself."
            )
        self.app.push_screen(
            ConfirmScreen(question, verb),
            lambda ok: self._delete(row_id, archive, name) if ok else None,
        )

    def _delete(self, row_id: int, archive: bool, name: str) -> None:
        db, table, gen = self.workspace.db, self.section.table, self.generation
        noun = self.section.noun

        def change() -> tuple[str, str]:
            batch = new_batch()
            if archive:
                save_in_batch(db, table=table, row_id=row_id, values={"archived": True},
                              batch=batch)  # fmt: skip
                return batch, f"archived {noun} “{name}”"
            delete_in_batch(db, table=table, row_id=row_id, batch=batch)
            return batch, f"deleted {noun} “{name}”"

        self._run(lambda: self._post("changed", gen, change), "change")
