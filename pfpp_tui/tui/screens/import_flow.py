"""Import contacts from a file: dry-run summary with errors → confirm → progress → result.

Owns: the import dialog's steps. Reading, matching and writing run in a thread worker
(``tui.transfer``); the dialog shows the same summary and errors as ``pfpp import contacts``,
imports only when the user confirms a plan with no refused rows, and can be cancelled until
the write starts (the write itself is one transaction: all or nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, Static
from textual.worker import Worker, get_current_worker

from pfpp_tui.errors import PfppError
from pfpp_tui.tui.transfer import dry_run_import, plan_summary, read_import_file, run_import

if TYPE_CHECKING:
    from pfpp_tui.tui.app import PfppApp


class ImportCancelledError(PfppError):
    """The user cancelled before anything was written."""


class ImportScreen(ModalScreen[bool]):
    """Dismisses True when contacts were imported."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("y", "confirm", "Import", id="import.confirm"),
    ]

    class Progressed(Message):
        def __init__(self, step: str, text: str = "", ok: bool = True, data: Any = None) -> None:
            self.step, self.text, self.ok, self.data = step, text, ok, data
            super().__init__()

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.files: Any = None
        self.ready = False
        self.imported = False
        self.worker: Worker[None] | None = None
        self.phase = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-box"):
            yield Static(f"[b]Import contacts[/b] from {escape(str(self.path))}")
            yield LoadingIndicator(id="import-busy")
            with VerticalScroll(id="import-summary-box"):
                yield Static("Reading and checking (nothing is written yet)…", id="import-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import (y)", variant="primary", id="import", disabled=True)
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        db = cast("PfppApp", self.app).db

        def plan() -> None:
            try:
                files = read_import_file(self.path)
                result = dry_run_import(db, files)
            except PfppError as exc:
                self.post_message(self.Progressed("planned", str(exc), False))
                return
            text = plan_summary(result)
            self.post_message(self.Progressed("planned", text, not result.refused, files))

        self.worker = self.run_worker(plan, thread=True, exclusive=True, exit_on_error=False)

    def on_import_screen_progressed(self, message: Progressed) -> None:
        summary = self.query_one("#import-summary", Static)
        busy = self.query_one("#import-busy")
        if message.step == "planned":
            busy.display = False
            self.files, self.ready = message.data, message.ok
            note = "\n\nPress y to import." if message.ok else "\n\nNothing will be imported."
            summary.update(escape(message.text) + note)
            self.query_one("#import", Button).disabled = not message.ok
        elif message.step == "phase":
            self.phase = message.text
            summary.update(f"{message.text}… (esc cancels until writing starts)")
        elif message.step == "done":
            busy.display = False
            self.imported = message.ok
            summary.update(escape(message.text))
            self.query_one("#cancel", Button).label = "Close (esc)"
            if message.ok:
                self.notify("Contacts imported", title="Import")

    @on(Button.Pressed, "#import")
    def action_confirm(self) -> None:
        if not self.ready:
            return
        self.ready = False
        self.query_one("#import", Button).disabled = True
        self.query_one("#import-busy").display = True
        db, files = cast("PfppApp", self.app).db, self.files

        def phase(name: str) -> None:
            if get_current_worker().is_cancelled:
                raise ImportCancelledError("import cancelled: nothing was written")
            self.post_message(self.Progressed("phase", name))

        def write() -> None:
            try:
                result = run_import(db, files, on_phase=phase)
            except PfppError as exc:
                self.post_message(self.Progressed("done", str(exc), False))
                return
            self.post_message(self.Progressed("done", plan_summary(result, done=True), True))

        self.worker = self.run_worker(write, thread=True, exclusive=True, exit_on_error=False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.worker is not None and self.worker.is_running:
            if self.phase == "Writing":
                self.notify("Writing now (one transaction): it finishes in a moment.")
                return
            self.worker.cancel()
        self.dismiss(self.imported)
