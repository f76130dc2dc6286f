"""Quick meeting log: pilot, when, kind, title, attendees and marked-up notes, saved in one go.

Owns: the quick-log form — a fuzzy pilot picker inline (``enter`` takes the top match), the
attendee field (``widgets.attendee_picker``: confident matches only, pasted lists, ``+`` for
someone new; this screen runs its look-ups in workers), the kind by its label or stored value,
the notes ``TextArea`` with ``ctrl+e`` to edit in
``$EDITOR``, a live preview of what the notes will create
(``store.work.meeting_log.preview_meeting`` in a worker), and ``ctrl+s`` saving everything in one
transaction in a worker (the saved batch joins the app's ``ctrl+z``). Bad input is refused in place
with a message and nothing typed is lost: ``escape`` on a form that differs from how it opened asks
first (``navigate``), and a discarded form is kept as a draft on the app for the session
(``MeetingDraft``), offered back when the meeting log opens again for the same pilot until restored
and saved, or dropped with ``d``. Never writes outside ``log_meeting``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Footer, Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from pfpp_tui.dates import DateParseError, parse_datetime
from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource, MeetingKind
from pfpp_tui.models.labels import label
from pfpp_tui.notes_markers import NotesPreview
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import Named, search_pilots
from pfpp_tui.store.work.attendee_lookup import AttendeeLookup, lookup_attendees
from pfpp_tui.store.work.meeting_log import (
    LoggedMeeting,
    default_meeting_title,
    log_meeting,
    meeting_kind_from_text,
    meeting_kind_labels,
    preview_meeting,
)
from pfpp_tui.tui.key_order import settled
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.screens.meeting_draft import (
    MeetingFormScreen,
    edit_in_editor,
)
from pfpp_tui.tui.screens.unsaved_work import while_open
from pfpp_tui.tui.session_undo import batch_of, remember
from pfpp_tui.tui.widgets.attendee_picker import AttendeeList, AttendeePicker
from pfpp_tui.tui.workspace import workspace
from pfpp_tui.words import counted


class MeetingLogScreen(MeetingFormScreen):
    """Log a meeting in under a minute; dismisses with the new meeting's id."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="meeting-log.save"),
        Binding("ctrl+e", "edit_notes", "Edit in $EDITOR", priority=True, id="meeting-log.editor"),
        Binding("escape", "close", "Cancel", id="meeting-log.cancel", priority=True),
        # Keys that move focus or commit a field are taken by the screen as they arrive
        # (priority), after the field has dealt with the keys typed before them
        # (``settled``) and before any key typed after them. Textual resolves a widget's own
        # bindings only once the key has bubbled back to the app, behind the keys that came
        # after it: in a burst "ben⏎cara⏎" became "bencara", and a paste after Tab landed in
        # Pilot.
        Binding("tab", "move_focus(1)", "Next field", show=False, priority=True),
        Binding("shift+tab", "move_focus(-1)", "Previous field", show=False, priority=True),
        Binding("enter", "enter", "Next field", show=False, priority=True),
        Binding("down", "suggestion(1)", "Next suggestion", show=False, priority=True),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    MeetingLogScreen #log-form { width: 1fr; padding: 0 1; }
    MeetingLogScreen #log-preview { width: 45; border-left: solid $accent; padding: 0 1; }
    MeetingLogScreen .hint { color: $text-muted; height: 1; }
    MeetingLogScreen #kind-hint { height: auto; }
    MeetingLogScreen #log-error { color: $error; height: auto; }
    MeetingLogScreen #notes { height: 1fr; min-height: 6; }
    MeetingLogScreen Input { height: 3; }
    """

    # What to do once a save asked for by the unsaved-work question has succeeded.
    _when_saved: Callable[[], object] | None = None

    class Searched(Message):
        def __init__(self, field: str, text: str, found: list[Named]) -> None:
            super().__init__()
            self.field = field
            self.text = text
            self.found = found

    class AttendeesLookedUp(Message):
        def __init__(self, lookup: AttendeeLookup, commit: bool) -> None:
            super().__init__()
            self.lookup = lookup
            self.commit = commit

    class Previewed(Message):
        def __init__(self, notes: str, preview: NotesPreview) -> None:
            super().__init__()
            self.notes = notes
            self.preview = preview

    class Saved(Message):
        def __init__(self, logged: LoggedMeeting, batch: str | None = None) -> None:
            super().__init__()
            self.logged = logged
            self.batch = batch

    def __init__(
        self,
        db: Database,
        *,
        pilot: Named | None = None,
        now: datetime | None = None,
        source: ChangeSource = ChangeSource.TUI,
    ) -> None:
        super().__init__()
        self.db = db
        self.source = source
        self.pilot = pilot
        self.now = (now or datetime.now()).replace(second=0, microsecond=0)
        self.matches: dict[str, list[Named]] = {"pilot": []}
        self.matched_text: dict[str, str | None] = {"pilot": None}
        # enter pressed before the search for this text came back: pick when it arrives
        self.pick_on_arrival: dict[str, str | None] = {"pilot": None}
        self.preview = NotesPreview()
        self.title_edited = False
        self.saving = False
        self.save_when_looked_up = False  # ctrl+s came while attendees were being looked up
        # The form as it opened (before any draft is restored): escape asks only if it differs.
        self.opened_with: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="log-form"):
                yield Label("Pilot")
                yield Input(self.pilot.label if self.pilot else "", id="pilot")
                yield Static("", classes="hint", id="pilot-hint", markup=False)
                yield Label("When")
                yield Input(f"{self.now:%Y-%m-%d %H:%M}", id="when")
                yield Static("", classes="hint", id="when-hint")
                yield Label("Kind")
                yield Input(label(MeetingKind.PILOT_CHECK_IN), id="kind")
                yield Static("", classes="hint", id="kind-hint")
                yield Label("Title")
                yield Input("", id="title")
                yield AttendeePicker(id="attendees")
                yield Label(
                    "Notes  (- [ ] action @owner due:fri · ! barrier #funding · = decision)"
                )
                yield TextArea("", id="notes")
                yield Static("", id="log-error", markup=False)
            yield Static("Nothing to create yet.", id="log-preview", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_title()
        self._check_when()
        self._check_kind()
        target = "#attendee" if self.pilot else "#pilot"
        self.query_one(target, Input).focus()
        self.picker.people.paste_to = self._paste_into_notes
        self.opened_with = self.form_state()
        self._offer_draft()

    def _paste_into_notes(self, text: str) -> None:
        """A paste on the attendee list (``tab`` from the field once someone is listed)."""
        notes = self.query_one("#notes", TextArea)
        result = notes.replace(text, *notes.selection)
        notes.move_cursor(result.end_location)
        self.set_focus(notes)  # now: the keys typed after the paste go on in the notes

    # --- fields ----------------------------------------------------------------------------

    # --- keys that must not wait behind the keys typed after them ---------------------------

    async def action_move_focus(self, step: int) -> None:
        if self.app.screen is not self:
            raise SkipAction()  # a dialog on top has its own tab order
        await settled(self.app.focused)
        # The attendee list is not a stop on the way: after "ben ⏎" Tab goes on to the notes
        # (on the list, the letters typed next were its keys: x removed someone). ↓ on the
        # empty attendee field reaches the list.
        people = self.query_one(AttendeeList)
        for _ in range(2):
            if step > 0:
                self.focus_next()
            else:
                self.focus_previous()
            if self.focused is not people:
                break

    async def action_enter(self) -> None:
        focused = self.app.focused
        if self.app.screen is not self or not isinstance(focused, Input):
            raise SkipAction()  # notes, the attendee list, a button: enter as usual
        await settled(focused)
        if focused.id == "attendee":
            if self.picker.commit():  # enter on the empty field: on to the notes, now
                # (Widget.focus would queue the move behind the keys already typed).
                self.set_focus(self.query_one("#notes", TextArea))
            return
        # The value as typed up to enter; focus moves on at once: enter means "next field"
        # even while the pilot search is still running (it picks the match when it arrives).
        focused.post_message(Input.Submitted(focused, focused.value))
        self.focus_next()

    async def action_suggestion(self, step: int) -> None:
        if self.app.screen is not self or self.app.focused is not self.picker.field:
            raise SkipAction()
        await settled(self.picker.field)
        self.picker.move(step)

    @on(Input.Changed, "#pilot")
    def _pilot_changed(self, event: Input.Changed) -> None:
        if self.pilot is not None and event.value == self.pilot.label:
            return
        self.pilot = None
        self.search("pilot", event.value)
        self._refresh_title()

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-search")
    def search(self, field: str, text: str) -> None:
        found = search_pilots(self.db, text, limit=5) if text.strip() else []
        self.post_message(self.Searched(field, text, found))

    def on_meeting_log_screen_searched(self, message: Searched) -> None:
        if self.query_one(f"#{message.field}", Input).value != message.text:
            return
        self.matches[message.field] = message.found
        self.matched_text[message.field] = message.text
        hint = " · ".join(n.label for n in message.found[:3]) or (
            "no match" if message.text.strip() else ""
        )
        self.query_one(f"#{message.field}-hint", Static).update(hint)
        if self.pick_on_arrival[message.field] == message.text:
            field = self.query_one(f"#{message.field}", Input)
            field.post_message(Input.Submitted(field, field.value))

    @on(Input.Submitted, "#pilot")
    def _pilot_submitted(self, event: Input.Submitted) -> None:
        if self.pilot is None:
            found = self.matches["pilot"]
            if self.matched_text["pilot"] != event.value:
                self.pick_on_arrival["pilot"] = event.value
                return
            self.pick_on_arrival["pilot"] = None
            if not found:
                self._error("pilot: no match — go back (shift+tab) and keep typing")
                return
            self.pilot = found[0]
            with event.input.prevent(Input.Changed):
                event.input.value = found[0].label
            self.query_one("#pilot-hint", Static).update("")
            self._refresh_title()
            self._request_preview()
        self._error("")

    @on(Input.Changed, "#when")
    def _when_changed(self) -> None:
        self._check_when()

    @on(Input.Changed, "#kind")
    def _kind_changed(self) -> None:
        self._check_kind()
        self._refresh_title()

    @on(Input.Changed, "#title")
    def _title_changed(self, event: Input.Changed) -> None:
        if event.value != self._default_title():
            self.title_edited = True

    @on(Input.Submitted, "#when, #kind, #title")
    def _next_field(self, event: Input.Submitted) -> None:
        kind = self._kind() if event.input.id == "kind" else None
        if kind is not None:
            event.input.value = label(kind)  # "board" becomes "Local board"

    # --- attendees: the picker asks, a worker looks up, the picker is told ----------------------

    @on(AttendeePicker.LookupWanted)
    def _attendee_lookup_wanted(self, event: AttendeePicker.LookupWanted) -> None:
        if event.commit:
            self.commit_attendees(event.text)
        else:
            self.look_up_attendees(event.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-attendees")
    def look_up_attendees(self, text: str) -> None:
        self.post_message(self.AttendeesLookedUp(lookup_attendees(self.db, text), commit=False))

    @work(thread=True, exit_on_error=False, group="log-attendee-commit")
    def commit_attendees(self, text: str) -> None:
        # Not exclusive: every enter is answered, however fast the next one comes.
        self.post_message(self.AttendeesLookedUp(lookup_attendees(self.db, text), commit=True))

    def on_meeting_log_screen_attendees_looked_up(self, message: AttendeesLookedUp) -> None:
        self.picker.show_lookup(message.lookup, commit=message.commit)
        if self.save_when_looked_up and not self.picker.pending:
            self.save_when_looked_up = False
            self.action_save()

    @on(AttendeePicker.Changed)
    def _attendees_changed(self) -> None:
        self._request_preview()

    @on(AttendeePicker.Done)
    def _attendees_done(self) -> None:
        self.query_one("#notes", TextArea).focus()

    def _default_title(self) -> str:
        return default_meeting_title(self._kind(), self.pilot.label if self.pilot else None)

    def _refresh_title(self) -> None:
        if not self.title_edited:
            title = self.query_one("#title", Input)
            with title.prevent(Input.Changed):
                title.value = self._default_title()

    def _when(self) -> datetime | None:
        try:
            return parse_datetime(self.query_one("#when", Input).value, today=self.now.date())
        except (DateParseError, ValueError, OverflowError):
            return None

    def _check_when(self) -> None:
        when = self._when()
        hint = f"{when:%a %d %b %Y %H:%M}" if when else "not a date (e.g. today 14:00, yesterday)"
        self.query_one("#when-hint", Static).update(hint)
        self._request_preview()

    def _kind(self) -> MeetingKind | None:
        try:
            return meeting_kind_from_text(self.query_one("#kind", Input).value)
        except PfppError:
            return None

    def _check_kind(self) -> None:
        kind, text = self._kind(), self.query_one("#kind", Input).value
        if kind is None:
            hint = f"not a meeting kind — one of: {meeting_kind_labels()}"
        else:
            hint = "" if text == label(kind) else f"→ {label(kind)}"
        self.query_one("#kind-hint", Static).update(hint)

    # --- notes and preview -----------------------------------------------------------------

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        self._request_preview()

    def _request_preview(self) -> None:
        if not self.is_mounted:
            return
        when = self._when() or self.now
        ids = [a.contact_id for a in self.attendees if a.contact_id is not None]
        self.run_preview(self.query_one("#notes", TextArea).text, when, ids)

    def action_edit_notes(self) -> None:
        notes = self.query_one("#notes", TextArea)
        try:
            notes.text = edit_in_editor(self.app, notes.text)
        except OSError as exc:
            self._error(f"editor: {exc}")

    def _restored(self) -> None:
        self._check_when()
        self._check_kind()
        self.picker.refresh_people()
        self._request_preview()

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-preview")
    def run_preview(self, notes: str, when: datetime, attendee_ids: list[int]) -> None:
        preview = preview_meeting(self.db, notes=notes, day=when.date(), attendee_ids=attendee_ids)
        self.post_message(self.Previewed(notes, preview))

    def on_meeting_log_screen_previewed(self, message: Previewed) -> None:
        self.preview = message.preview
        lines = message.preview.summary_lines()
        counts = (
            f"{counted(len(self.attendees), 'attendee')} · "
            f"{counted(len(message.preview.actions), 'action')} · "
            f"{counted(len(message.preview.barriers), 'barrier')} · "
            f"{counted(len(message.preview.decisions), 'decision')}"
        )
        self.query_one("#log-preview", Static).update("\n".join([counts, "", *lines]))

    # --- saving ----------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        problem = None
        when, kind = self._when(), self._kind()
        title = self.query_one("#title", Input).value
        if self.pilot is None:
            problem = "pilot: pick a pilot (type and press enter)"
        elif when is None:
            problem = "when: not a date I understand (e.g. today 14:00, yesterday, 1 dec)"
        elif kind is None:
            problem = f"kind: not a meeting kind — one of: {meeting_kind_labels()}"
        elif self.picker.pending:
            # ctrl+s typed straight after the names: save once they are looked up.
            self.save_when_looked_up = True
            self._error("saving once the attendees are looked up…")
            return
        elif self.picker.field.value.strip():
            problem = (
                "attendees: not added yet: "
                f"{self.picker.field.value.strip()} — enter adds, or clear the field"
            )
        elif not title.strip():
            problem = "title: a meeting needs a title"
        if problem:
            self._error(problem)
            return
        assert self.pilot is not None and when is not None and kind is not None
        self.saving = True
        self._error("saving…")
        self.save(self.pilot.id, when, kind, title, self.query_one("#notes", TextArea).text)

    @work(thread=True, exit_on_error=False, group="log-save")
    def save(
        self, pilot_id: int, when: datetime, kind: MeetingKind, title: str, notes: str
    ) -> None:
        with telling_lock_waits(self.app, self._error):
            logged = log_meeting(
                self.db,
                pilot_id=pilot_id,
                held_at=when,
                kind=kind,
                title=title,
                attendee_ids=[a.contact_id for a in self.attendees if a.contact_id is not None],
                new_people=[a.new for a in self.attendees if a.new is not None],
                notes=notes,
                source=self.source,
            )
        self.post_message(self.Saved(logged, batch_of(self.db, "meeting", logged.meeting_id)))

    def on_meeting_log_screen_saved(self, message: Saved) -> None:
        self.saving = False
        logged = message.logged
        self.notify(
            f"Logged {logged.title}: {counted(len(logged.action_ids), 'action')}, "
            f"{counted(len(logged.barrier_ids), 'barrier')}, "
            f"{counted(len(logged.decisions), 'decision')}",
            timeout=4,
        )
        remember(workspace(self), message.batch, f"logged meeting “{logged.title}”")
        if self.restored:  # the draft it was restored from is saved; any other is kept
            workspace(self).meeting_drafts.pop(self.restored_key, None)
        self.dismiss(logged.meeting_id)
        then, self._when_saved = self._when_saved, None
        if then is not None:
            then()

    def save_unsaved_work(self, then: Callable[[], object]) -> None:
        self._when_saved = then
        self.action_save()
        if not self.saving:  # refused in place: the move waits for the user
            self._when_saved = None

    def action_close(self) -> None:
        if self.saving:
            self._error("saving… (escape again once it is saved or failed)")
            return
        workspace(self).navigate(self._close, leaving=while_open(self))

    def _close(self) -> None:
        if self.app.screen is self:  # not when a save asked for on the way closed it already
            self.dismiss(None)

    def _error(self, text: str) -> None:
        self.query_one("#log-error", Static).update(text)
        self.set_class(bool(text), "-told")  # docked under the form, shown only with a text

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "log-save":
                # Everything typed stays on screen; ctrl+s tries again.
                self.saving = False
                self._when_saved = None
                title = self.query_one("#title", Input).value.strip()
                what = f"the meeting “{title}”" if title else "the meeting"
                self._error(f"Not saved: {event.worker.error}. Ctrl+s tries again.")
                self.notify(not_saved(what, event.worker.error), severity="error", timeout=10)
                return
            self._error(str(event.worker.error))
            self.notify(str(event.worker.error), severity="error", timeout=6)
