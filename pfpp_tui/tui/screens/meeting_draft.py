"""What a meeting log holds besides its text fields, and the drafts kept when one is discarded.

Owns: ``MeetingFormScreen``, the meeting log's half that compares the form with how it opened,
keeps a draft on discard and offers it back (``RestoreDraftScreen``: ``y`` restores,
``n``/``escape`` start afresh and keep the draft for next time — the safe default, as in the
unsaved-work question — and only ``d`` drops it); and ``edit_in_editor`` for the notes. No
database: the meeting log screen does the loading. A draft (``tui.meeting_drafts``) is kept for
the session by the workspace (``Workspace.meeting_drafts``, typed, not an attribute set on the
app).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App, ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static, TextArea

from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.meeting_drafts import MeetingDraft
from pfpp_tui.tui.widgets.attendee_picker import Attendee, AttendeePicker
from pfpp_tui.tui.workspace import workspace


def edit_in_editor(app: App[Any], text: str) -> str:
    """``text`` after ``$VISUAL``/``$EDITOR`` edited it (raises ``OSError`` if it cannot run)."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False, encoding="utf-8") as f:
        f.write(text)
        path = Path(f.name)
    try:
        command = [*shlex.split(editor), str(path)]
        try:
            with app.suspend():
                subprocess.run(command, check=False)
        except SuspendNotSupported:
            # No terminal to hand over (headless, web): a non-interactive editor still works.
            subprocess.run(command, check=False, capture_output=True)
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


class DraftChoice(StrEnum):
    """The answer to "Restore the meeting…?"."""

    RESTORE = "restore"
    KEEP = "keep"  # start afresh; the draft is offered again next time
    DISCARD = "discard"  # start afresh and drop the draft: only ever asked for by ``d``


class RestoreDraftScreen(ModalScreen[DraftChoice]):
    """ "Restore the meeting…?": ``y`` restores, ``n``/``escape`` keep it for later, ``d`` drops."""

    BINDINGS = [
        Binding("y", "answer('restore')", "Restore", id="draft.restore", priority=True),
        Binding("n,escape", "answer('keep')", "Start afresh", id="draft.keep", priority=True),
        Binding("d", "answer('discard')", "Discard the draft", id="draft.discard", priority=True),
    ]
    DEFAULT_CSS = """
    RestoreDraftScreen { align: center middle; background: $background 60%; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore (y)", variant="primary", id="restore")
                yield Button("Start afresh (n)", id="keep")
                yield Button("Discard the draft (d)", variant="error", id="discard")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(DraftChoice(answer))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(DraftChoice(event.button.id or "keep"))


class MeetingFormScreen(Screen[int | None]):
    """The meeting log's unsaved work: has it changed, keep it as a draft, put a draft back."""

    pilot: Named | None
    title_edited: bool
    # The form as it opened (before any draft is restored): escape asks only if it differs.
    opened_with: tuple[object, ...] = ()
    # A draft was put back into this form (``restored_key``: its key in ``meeting_drafts``):
    # once the form is saved, that draft is done. Any other draft stays until ``d`` drops it.
    restored = False
    restored_key: int | None = None

    @property
    def picker(self) -> AttendeePicker:
        return self.query_one(AttendeePicker)

    @property
    def attendees(self) -> list[Attendee]:
        """The people chosen so far (the picker holds them)."""
        return self.picker.attendees

    def _restored(self) -> None:
        """A draft was put back: the screen re-checks its fields."""
        raise NotImplementedError

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
        """``screens.unsaved_work.HoldsUnsavedWork``: asked before any move that closes it.

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
        draft = workspace(self).meeting_drafts.get(key)
        if draft is None:
            return

        def answered(choice: DraftChoice | None) -> None:
            if choice is DraftChoice.RESTORE:
                self.restored, self.restored_key = True, key
                self.restore(draft)
            elif choice is DraftChoice.DISCARD:
                workspace(self).meeting_drafts.pop(key, None)
            # KEEP (n, escape): a fresh form; the draft is offered again next time.

        question = (
            f"Restore the meeting you were logging for {draft.pilot_text or 'no pilot'}?\n"
            f"{draft.describe()}\n\ny restore · n/escape start afresh (the draft is kept) · "
            "d discard the draft"
        )
        self.app.push_screen(RestoreDraftScreen(question), answered)

    def restore(self, draft: MeetingDraft) -> None:
        """Put a draft back into the form, as it was when it was closed."""
        self.pilot = draft.pilot
        self.picker.attendees = list(draft.attendees)
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
        self._restored()
        # Typing goes on where the draft left off: the attendees once a pilot is chosen. The
        # pilot field is never left focused with its text selected, where one key replaced it.
        self.set_focus(self.query_one("#attendee" if self.pilot else "#pilot", Input))

    def discard_unsaved_work(self) -> None:
        """Closed without saving, however it was left: kept as a draft that ``m`` offers back."""
        draft = self._draft()
        workspace(self).meeting_drafts[draft.pilot.id if draft.pilot else None] = draft
        where = f"for {draft.pilot.label} " if draft.pilot else ""
        self.app.notify(f"Draft kept: m {where}offers it back until you quit.", timeout=5)
        self.opened_with = self.form_state()
