"""Quick meeting log: pilot, when, kind, title, attendees and marked-up notes, saved in one go.

Owns: the quick-log form — fuzzy pilot and attendee pickers inline (``enter`` takes the top
match), ``+`` to add a new person inline, the notes ``TextArea`` with ``ctrl+e`` to edit in
``$EDITOR``, a live preview of what the notes will create (``store.meeting_log.preview_meeting``
in a worker), and ``ctrl+s`` saving everything in one transaction in a worker (the saved batch
joins the app's ``ctrl+z``). Bad input is refused in place with a message and nothing typed is
lost: ``escape`` on a form that differs from how it opened asks first (``ask_to_discard``), and
a discarded form is kept as a draft on the app for the session (``MeetingDraft``), offered back
when the meeting log opens again for the same pilot. Never writes outside ``log_meeting``.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from pfpp_tui.dates import DateParseError, parse_datetime
from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource, MeetingKind
from pfpp_tui.notes_markers import NotesPreview
from pfpp_tui.store.database import Database
from pfpp_tui.store.meeting_log import (
    LoggedMeeting,
    NewPerson,
    log_meeting,
    meeting_kind_from_text,
    preview_meeting,
)
from pfpp_tui.store.workflow_lookup import (
    Named,
    organisation_by_name,
    search_contacts,
    search_pilots,
)
from pfpp_tui.tui.screens.dialogs import ConfirmScreen, ask_to_discard
from pfpp_tui.tui.screens.workflow_prompts import LinePrompt
from pfpp_tui.tui.session_undo import batch_of, remember


@dataclass
class Attendee:
    label: str
    contact_id: int | None = None  # None: a new person, created when the meeting is saved
    new: NewPerson | None = None


@dataclass
class MeetingDraft:
    """Everything typed into a meeting log that was closed without saving."""

    pilot: Named | None
    pilot_text: str
    when: str
    kind: str
    title: str
    title_edited: bool
    attendee_text: str
    notes: str
    closed_at: datetime
    attendees: list[Attendee] = field(default_factory=list)

    def describe(self) -> str:
        people = f"{len(self.attendees)} attendee{'s' if len(self.attendees) != 1 else ''}"
        lines = len(self.notes.strip().splitlines())
        notes = f"{lines} line{'s' if lines != 1 else ''} of notes"
        return f"“{self.title}”: {people}, {notes}, closed at {self.closed_at:%H:%M}"


DRAFTS_ATTRIBUTE = "meeting_log_drafts"


def meeting_drafts(app: App[Any]) -> dict[int | None, MeetingDraft]:
    """The app session's unsaved meeting logs, by pilot id (None: no pilot chosen yet)."""
    drafts: dict[int | None, MeetingDraft] | None = getattr(app, DRAFTS_ATTRIBUTE, None)
    if drafts is None:
        drafts = {}
        setattr(app, DRAFTS_ATTRIBUTE, drafts)
    return drafts


class MeetingLogScreen(Screen[int | None]):
    """Log a meeting in under a minute; dismisses with the new meeting's id."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="meeting-log.save"),
        Binding("ctrl+e", "edit_notes", "Edit in $EDITOR", priority=True, id="meeting-log.editor"),
        Binding("escape", "close", "Cancel", id="meeting-log.cancel"),
    ]
    DEFAULT_CSS = """
    MeetingLogScreen #log-form { width: 1fr; padding: 0 1; }
    MeetingLogScreen #log-preview { width: 45; border-left: solid $accent; padding: 0 1; }
    MeetingLogScreen .hint { color: $text-muted; height: 1; }
    MeetingLogScreen #log-error { color: $error; height: auto; }
    MeetingLogScreen #notes { height: 1fr; min-height: 6; }
    MeetingLogScreen Input { height: 3; }
    """

    class Searched(Message):
        def __init__(self, field: str, text: str, found: list[Named]) -> None:
            super().__init__()
            self.field = field
            self.text = text
            self.found = found

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
        self.attendees: list[Attendee] = []
        self.matches: dict[str, list[Named]] = {"pilot": [], "attendee": []}
        self.matched_text: dict[str, str | None] = {"pilot": None, "attendee": None}
        # enter pressed before the search for this text came back: pick when it arrives
        self.pick_on_arrival: dict[str, str | None] = {"pilot": None, "attendee": None}
        self.preview = NotesPreview()
        self.title_edited = False
        self.saving = False
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
                yield Input(MeetingKind.PILOT_CHECK_IN.value, id="kind")
                yield Static("", classes="hint", id="kind-hint")
                yield Label("Title")
                yield Input("", id="title")
                yield Label("Attendees (enter adds the top match, + a new person)")
                yield Input("", placeholder="name or e-mail", id="attendee")
                yield Static("", classes="hint", id="attendee-hint", markup=False)
                yield Static("", id="attendee-list", markup=False)
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
        self.opened_with = self.form_state()
        self._offer_draft()

    # --- unsaved work and drafts -------------------------------------------------------------

    def form_state(self) -> tuple[object, ...]:
        """Everything the user can type or pick, to compare with ``opened_with``."""
        texts = [self.query_one(f"#{name}", Input).value for name in self._INPUTS]
        people = tuple((a.label, a.contact_id) for a in self.attendees)
        return (*texts, people, self.query_one("#notes", TextArea).text)

    _INPUTS = ("pilot", "when", "kind", "title", "attendee")

    @property
    def changed(self) -> bool:
        return self.form_state() != self.opened_with

    def unsaved_work(self) -> str | None:
        """``screens.unsaved_work.HoldsUnsavedWork``: asked before the app quits.

        Only the open form counts: a draft kept by an earlier discard is, as promised when it
        was kept, offered back until the app quits.
        """
        if not self.changed:
            return None
        return "a meeting being logged" + (f" for {self.pilot.label}" if self.pilot else "")

    def _draft(self) -> MeetingDraft:
        pilot_text, when, kind, title, attendee = (
            self.query_one(f"#{name}", Input).value for name in self._INPUTS
        )
        return MeetingDraft(
            self.pilot, pilot_text, when, kind, title, self.title_edited, attendee,
            self.query_one("#notes", TextArea).text, datetime.now(), list(self.attendees),
        )  # fmt: skip

    def _offer_draft(self) -> None:
        key = self.pilot.id if self.pilot else None
        draft = meeting_drafts(self.app).get(key)
        if draft is None:
            return

        def answered(restore: bool | None) -> None:
            if restore:
                self.restore(draft)
            else:
                meeting_drafts(self.app).pop(key, None)

        question = escape(
            f"Restore the meeting you were logging for {draft.pilot_text or 'no pilot'}?\n"
            f"{draft.describe()}\n\ny: restore · n/escape: start afresh (the draft is dropped)"
        )
        self.app.push_screen(ConfirmScreen(question, "Restore", no="Start afresh"), answered)

    def restore(self, draft: MeetingDraft) -> None:
        """Put a draft back into the form, as it was when it was closed."""
        self.pilot = draft.pilot
        self.attendees = list(draft.attendees)
        self.title_edited = draft.title_edited
        for name, value in zip(
            self._INPUTS,
            (draft.pilot_text, draft.when, draft.kind, draft.title, draft.attendee_text),
            strict=True,
        ):
            field_input = self.query_one(f"#{name}", Input)
            with field_input.prevent(Input.Changed):
                field_input.value = value
        self.query_one("#notes", TextArea).text = draft.notes
        self._check_when()
        self._check_kind()
        self._refresh_attendees()

    def _keep_draft(self) -> None:
        draft = self._draft()
        meeting_drafts(self.app)[draft.pilot.id if draft.pilot else None] = draft
        where = f"for {draft.pilot.label} " if draft.pilot else ""
        self.app.notify(f"Draft kept: m {where}offers it back until you quit.", timeout=5)
        self.dismiss(None)

    # --- fields ----------------------------------------------------------------------------

    @on(Input.Changed, "#pilot")
    def _pilot_changed(self, event: Input.Changed) -> None:
        if self.pilot is not None and event.value == self.pilot.label:
            return
        self.pilot = None
        self.search("pilot", event.value)
        self._refresh_title()

    @on(Input.Changed, "#attendee")
    def _attendee_changed(self, event: Input.Changed) -> None:
        if event.value == "+":
            event.input.value = ""
            self._add_new_person()
            return
        self.search("attendee", event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-search")
    def search(self, field: str, text: str) -> None:
        if not text.strip():
            found: list[Named] = []
        elif field == "pilot":
            found = search_pilots(self.db, text, limit=5)
        else:
            taken = {a.contact_id for a in self.attendees}
            found = [n for n in search_contacts(self.db, text, limit=8) if n.id not in taken][:5]
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
            self.pick_on_arrival[message.field] = None
            field = self.query_one(f"#{message.field}", Input)
            field.post_message(Input.Submitted(field, field.value))

    @on(Input.Submitted, "#pilot")
    def _pilot_submitted(self, event: Input.Submitted) -> None:
        if self.pilot is None:
            found = self.matches["pilot"]
            if self.matched_text["pilot"] != event.value:
                self.pick_on_arrival["pilot"] = event.value
                return
            if not found:
                self._error("pilot: no match — keep typing")
                return
            self.pilot = found[0]
            event.input.value = found[0].label
            self.query_one("#pilot-hint", Static).update("")
            self._refresh_title()
        self._error("")
        self.focus_next()

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
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Submitted, "#attendee")
    def _attendee_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#notes", TextArea).focus()
            return
        found = self.matches["attendee"]
        if self.matched_text["attendee"] != event.value:
            self.pick_on_arrival["attendee"] = event.value
            return
        if not found:
            self._error("attendee: no match — keep typing, or + adds a new person")
            return
        self._error("")
        person = found[0]
        self.attendees.append(Attendee(person.label, person.id))
        event.input.value = ""
        self.query_one("#attendee-hint", Static).update("")
        self._refresh_attendees()

    def on_key(self, event: Any) -> None:
        focused = self.focused
        if (
            getattr(event, "key", "") == "backspace"
            and isinstance(focused, Input)
            and focused.id == "attendee"
            and not focused.value
            and self.attendees
        ):
            self.attendees.pop()
            self._refresh_attendees()

    def _add_new_person(self) -> None:
        def answered(text: str | None) -> None:
            if text is None:
                return
            person = self._parse_new_person(text)
            assert person is not None
            self.attendees.append(Attendee(f"{person.label} (new)", None, person))
            self._refresh_attendees()

        self.app.push_screen(
            LinePrompt(
                "New person: first last, e-mail, organisation",
                placeholder="Fay Khan, fay.khan@vcs.example, Luton Borough Council",
                validate=self._new_person_problem,
            ),
            answered,
        )

    def _new_person_problem(self, text: str) -> str | None:
        try:
            self._parse_new_person(text)
        except PfppError as exc:
            return str(exc)
        return None

    def _parse_new_person(self, text: str) -> NewPerson:
        parts = [p.strip() for p in text.split(",")]
        names = parts[0].split() if parts else []
        if not names:
            raise PfppError("give at least a name")
        email = parts[1] if len(parts) > 1 and parts[1] else None
        org_id = None
        if len(parts) > 2 and parts[2]:
            with self.db.read() as session:
                org_id = organisation_by_name(session, parts[2]).id
        return NewPerson(names[0], " ".join(names[1:]), email, org_id)

    def _refresh_attendees(self) -> None:
        text = ", ".join(a.label for a in self.attendees) or "nobody yet"
        self.query_one("#attendee-list", Static).update(f"{len(self.attendees)}: {text}")
        self._request_preview()

    def _default_title(self) -> str:
        kind = self._kind()
        label = (kind.value if kind else "meeting").replace("_", " ").capitalize()
        return f"{label} — {self.pilot.label}" if self.pilot else label

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
        kind = self._kind()
        self.query_one("#kind-hint", Static).update(kind.value if kind else "unknown kind")

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="log-preview")
    def run_preview(self, notes: str, when: datetime, attendee_ids: list[int]) -> None:
        preview = preview_meeting(self.db, notes=notes, day=when.date(), attendee_ids=attendee_ids)
        self.post_message(self.Previewed(notes, preview))

    def on_meeting_log_screen_previewed(self, message: Previewed) -> None:
        self.preview = message.preview
        lines = message.preview.summary_lines()
        counts = (
            f"{len(self.attendees)} attendees · {len(message.preview.actions)} actions · "
            f"{len(message.preview.barriers)} barriers · {len(message.preview.decisions)} decisions"
        )
        self.query_one("#log-preview", Static).update("\n".join([counts, "", *lines]))

    def action_edit_notes(self) -> None:
        notes = self.query_one("#notes", TextArea)
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
            f.write(notes.text)
            path = Path(f.name)
        try:
            command = [*shlex.split(editor), str(path)]
            try:
                with self.app.suspend():
                    subprocess.run(command, check=False)
            except SuspendNotSupported:
                # No terminal to hand over (headless, web): a non-interactive editor still works.
                subprocess.run(command, check=False, capture_output=True)
            notes.text = path.read_text(encoding="utf-8")
        except OSError as exc:
            self._error(f"editor: {exc}")
        finally:
            path.unlink(missing_ok=True)

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
            problem = "kind: not a meeting kind (e.g. pilot_check_in, local_board, review)"
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
            f"Logged {logged.title}: {len(logged.action_ids)} actions, "
            f"{len(logged.barrier_ids)} barriers, {len(logged.decisions)} decisions",
            timeout=4,
        )
        remember(self.app, message.batch, f"logged meeting “{logged.title}”")
        drafts = meeting_drafts(self.app)
        drafts.pop(self.pilot.id if self.pilot else None, None)
        drafts.pop(None, None)  # a draft restored before its pilot was chosen
        self.dismiss(logged.meeting_id)

    def action_close(self) -> None:
        if self.saving:
            self._error("saving… (escape again once it is saved or failed)")
            return
        if not self.changed:
            self.dismiss(None)
            return
        ask_to_discard(
            self,
            "Discard the meeting you were logging? (m for the same pilot offers it back "
            "until you quit)",
            discard=self._keep_draft,
            save=self.action_save,
        )

    def _error(self, text: str) -> None:
        self.query_one("#log-error", Static).update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "log-save":
                self.saving = False
            self._error(str(event.worker.error))
            self.notify(str(event.worker.error), severity="error", timeout=6)
