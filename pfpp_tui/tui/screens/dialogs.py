"""Small modal dialogs: a yes/no confirmation, "discard unsaved changes?" and a text prompt.

Owns: asking the user one thing and dismissing with the answer; no data access. The unsaved
work question (``DiscardChangesScreen``) is asked by ``tui.navigation`` alone, so the words and
keys are the same everywhere: ``y`` discards, ``n``/``escape`` keeps editing, ``ctrl+s`` saves.
"""

from __future__ import annotations

from enum import StrEnum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
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
    """The one question before a move loses work (``tui.navigation.navigate`` asks it).

    "Unsaved: a new barrier — y discard · n keep editing · ctrl+s save": ``y`` discards,
    ``n``/``escape`` (focused: the default) keep editing, ``ctrl+s`` saves (when offered).
    """

    BINDINGS = [
        Binding("y", "answer('discard')", "Discard", id="discard.yes", priority=True),
        Binding("n,escape", "answer('keep')", "Keep editing", id="discard.keep", priority=True),
        Binding("ctrl+s", "answer('save')", "Save", id="discard.save", priority=True),
    ]
    DEFAULT_CSS = """
    DiscardChangesScreen { align: center middle; background: $background 60%; }
    """

    def __init__(self, work: list[str], *, can_save: bool = True) -> None:
        super().__init__()
        self.work, self.can_save = list(work), can_save
        keys = "y discard · n keep editing" + (" · ctrl+s save" if can_save else "")
        self.question = f"Unsaved: {', '.join(self.work)} — {keys}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, id="question", markup=False)
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
