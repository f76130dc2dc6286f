"""Small modal dialogs: a yes/no confirmation, "discard unsaved changes?" and a text prompt.

Owns: asking the user one thing and dismissing with the answer; no data access. Screens that
hold unsaved work ask through ``ask_to_discard`` before they close, so the keys are the same
everywhere: ``y`` discards, ``n``/``escape`` keeps editing, ``ctrl+s`` saves.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static


class ConfirmScreen(ModalScreen[bool]):
    """``y``/``enter`` confirms, ``n``/``escape`` backs out."""

    BINDINGS = [
        # Priority: answered as the key arrives, so keys typed straight after it reach the
        # screen beneath instead of vanishing into this closing dialog.
        Binding("y", "answer(True)", "Yes", id="confirm.yes", priority=True),
        Binding("n,escape", "answer(False)", "No", id="confirm.no", priority=True),
    ]

    def __init__(self, question: str, yes: str = "Yes", *, no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class Unsaved(StrEnum):
    """What to do with unsaved work when its screen is being closed."""

    DISCARD = "discard"
    KEEP = "keep"
    SAVE = "save"


class DiscardChangesScreen(ModalScreen[Unsaved]):
    """``y`` discards, ``n``/``escape`` keeps editing, ``ctrl+s`` saves (when offered)."""

    BINDINGS = [
        Binding("y", "answer('discard')", "Discard", id="discard.yes", priority=True),
        Binding("n,escape", "answer('keep')", "Keep editing", id="discard.keep", priority=True),
        Binding("ctrl+s", "answer('save')", "Save", id="discard.save", priority=True),
    ]
    DEFAULT_CSS = """
    DiscardChangesScreen { align: center middle; background: $background 60%; }
    """

    def __init__(self, question: str, *, can_save: bool = True) -> None:
        super().__init__()
        self.question, self.can_save = question, can_save

    def compose(self) -> ComposeResult:
        keys = "y: discard · n/escape: keep editing" + (" · ctrl+s: save" if self.can_save else "")
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question", markup=False)
            yield Static(keys, classes="field-hint", id="discard-keys")
            with Horizontal(classes="dialog-buttons"):
                if self.can_save:
                    yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Discard (y)", variant="error", id="discard")
                yield Button("Keep editing (n)", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_save or parameters != ("save",)

    def action_answer(self, answer: str) -> None:
        self.dismiss(Unsaved(answer))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(Unsaved(event.button.id or "keep"))


def ask_to_discard(
    screen: Screen[Any],
    question: str,
    *,
    discard: Callable[[], object],
    save: Callable[[], object] | None = None,
) -> None:
    """Ask before ``screen`` throws unsaved work away; run ``discard`` or ``save`` as answered.

    Keeping on editing does nothing: the screen and everything typed stay as they were.
    """

    def answered(choice: Unsaved | None) -> None:
        if choice is Unsaved.DISCARD:
            discard()
        elif choice is Unsaved.SAVE and save is not None:
            save()

    screen.app.push_screen(DiscardChangesScreen(question, can_save=save is not None), answered)


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text (a view name, a file path)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.question, self.value, self.placeholder = question, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("enter to accept · escape to cancel", classes="field-hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
