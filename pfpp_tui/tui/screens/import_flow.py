"""Import contacts from a file: dry-run summary with errors → confirm → progress → result.

Owns: the import dialog's steps. Reading, matching and writing run in a thread worker
(``tui.transfer``); the dialog shows the same summary and errors as ``pfpp import contacts``,
imports only when the user confirms a plan with no refused rows, and can be cancelled until
the write starts (the write itself is one transaction: all or nothing). Once the result is
shown any key closes the dialog; the import joins the app's ``ctrl+z`` stack (one batch).

Cancel and the start of the write are decided under one lock: either the worker sees the
cancel before it writes, or the user is told the write has started — never a dialog that
closed as "cancelled" while the rows were committed behind it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, cast

from rich.markup import escape
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, LoadingIndicator, Static
from textual.worker import Worker, get_current_worker

from pfpp_tui.errors import DatabaseBusyError, PfppError, describe_failure
from pfpp_tui.tui.lock_waits import not_saved, telling_lock_waits
from pfpp_tui.tui.session_undo import remember
from pfpp_tui.tui.transfer import (
    ImportDone,
    dry_run_import,
    plan_summary,
    read_import_file,
    run_import,
)
from pfpp_tui.tui.workspace import workspace


class ImportCancelledError(PfppError):
    """The user cancelled before anything was written."""


class ImportScreen(ModalScreen[bool]):
    """Dismisses True when contacts were imported.

    ``state``: planning → ready (or refused) → importing → done. ``y`` imports only from
    ready, once; in done every key closes the dialog.
    """

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
        self.state = "planning"
        self.imported = False
        self.worker: Worker[None] | None = None
        self.phase = ""
        # Shared with the worker thread: see the module docstring.
        self._import_lock = threading.Lock()
        self._import_cancelled = False
        self._import_writing = False
        self._dismissed = False

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
        db = workspace(self).db

        def plan() -> None:
            try:
                files = read_import_file(self.path)
                result = dry_run_import(db, files)
            except PfppError as exc:
                self.post_message(self.Progressed("planned", str(exc), False))
                return
            except Exception as exc:  # a worker must report, never die silently
                self.post_message(self.Progressed("planned", describe_failure(exc), False))
                return
            text = plan_summary(result)
            self.post_message(self.Progressed("planned", text, not result.refused, files))

        self.worker = self.run_worker(plan, thread=True, exclusive=True, exit_on_error=False)

    def on_import_screen_progressed(self, message: Progressed) -> None:
        if self._dismissed:
            return
        summary = self.query_one("#import-summary", Static)
        busy = self.query_one("#import-busy")
        if message.step == "planned":
            busy.display = False
            self.files = message.data
            self.state = "ready" if message.ok else "refused"
            note = "\n\nPress y to import." if message.ok else "\n\nNothing will be imported."
            summary.update(escape(message.text) + note)
            self.query_one("#import", Button).disabled = not message.ok
        elif message.step == "phase":
            self.phase = message.text
            summary.update(f"{message.text}… (esc cancels until writing starts)")
        elif message.step == "busy":
            # Nothing was written; the plan still holds: y tries again.
            with self._import_lock:
                self._import_writing = False
            self.state = "ready"
            busy.display = False
            self.query_one("#import", Button).disabled = False
            summary.update(f"Not imported: {escape(message.text)}.\n\nPress y to try again.")
            what = f"the import from {self.path.name}"
            failed = not_saved(what, PfppError(message.text), "y tries again")
            self.notify(failed, severity="error", timeout=10)
        elif message.step == "done":
            self._show_result(message)

    def _show_result(self, message: Progressed) -> None:
        self.state = "done"
        self.query_one("#import-busy").display = False
        self.query_one("#import", Button).display = False
        close = self.query_one("#cancel", Button)
        close.label = "Close (any key)"
        close.focus()
        outcome = "" if message.ok else "Import failed: "  # one transaction: nothing written
        self.query_one("#import-summary", Static).update(
            escape(outcome + message.text) + "\n\nPress any key to close."
        )
        done = cast("ImportDone | None", message.data)
        if message.ok and done is not None:
            self.imported = True
            self.notify("Contacts imported (ctrl+z undoes the import)", title="Import")
            remember(workspace(self), done.batch, f"import from {self.path.name}")

    def on_key(self, event: events.Key) -> None:
        # After the result, the next key closes the dialog instead of vanishing into it.
        if self.state == "done":
            event.stop()
            event.prevent_default()
            self._close()

    @on(Button.Pressed, "#import")
    def action_confirm(self) -> None:
        if self.state == "done":
            self._close()
            return
        if self.state != "ready":  # still planning, refused, or already importing: never twice
            return
        self.state = "importing"
        self.query_one("#import", Button).disabled = True
        self.query_one("#import-busy").display = True
        db, files = workspace(self).db, self.files

        def phase(name: str) -> None:
            with self._import_lock:
                if self._import_cancelled or get_current_worker().is_cancelled:
                    raise ImportCancelledError("import cancelled: nothing was written")
                if name == "Writing":
                    self._import_writing = True
            self.post_message(self.Progressed("phase", name))

        def waiting(text: str) -> None:
            self.query_one("#import-summary", Static).update(text)

        def write() -> None:
            try:
                with telling_lock_waits(self.app, waiting):
                    done = run_import(db, files, on_phase=phase)
            except ImportCancelledError:
                return  # the dialog has closed; nothing was written
            except DatabaseBusyError as exc:
                self.post_message(self.Progressed("busy", str(exc), False))
                return
            except PfppError as exc:
                self.post_message(self.Progressed("done", str(exc), False))
                return
            except Exception as exc:  # a worker must report, never leave the dialog busy
                self.post_message(self.Progressed("done", describe_failure(exc), False))
                return
            text = plan_summary(done.plan, done=True)
            self.post_message(self.Progressed("done", text, True, done))

        self.worker = self.run_worker(write, thread=True, exclusive=True, exit_on_error=False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.state != "done":
            with self._import_lock:
                if self._import_writing:
                    self.notify("Writing now (one transaction): it finishes in a moment.")
                    return
                self._import_cancelled = True
            if self.worker is not None:
                self.worker.cancel()
        self._close()

    def _close(self) -> None:
        if not self._dismissed:
            self._dismissed = True
            self.dismiss(self.imported)
