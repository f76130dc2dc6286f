"""Small modal prompts the workflow screens share: one line of text, and a fuzzy pick.

Owns: ``LinePrompt`` (a one-line answer, checked in place by an optional validator so a bad
date or an empty reason is refused without losing what was typed) and ``FuzzyPick`` (type to
search, ``enter`` takes the highlighted match). A pick's search runs in a thread worker, since
it reads the database. They return plain values through ``dismiss``; they never write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pfpp_tui.models import Team
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import (
    search_contacts,
    search_organisations,
    search_teams,
)
from pfpp_tui.store.listing.browse import described, names_exactly, search_records

T = TypeVar("T")

PROMPT_CSS = """
LinePrompt, FuzzyPick { align: center middle; }
LinePrompt > Vertical, FuzzyPick > Vertical {
    width: 70; height: auto; max-height: 80%; border: round $accent; padding: 0 1;
    background: $surface;
}
/* The question wraps in the box: a Label is as wide as its text, and a long one (a group's
   title, count and places) ran out of the box, cut with no "…". */
LinePrompt Label, FuzzyPick Label { width: 1fr; }
LinePrompt .prompt-error, FuzzyPick .prompt-error { color: $error; height: auto; }
FuzzyPick OptionList { height: auto; max-height: 12; }
"""


class LinePrompt(ModalScreen[str | None]):
    """Ask for one line; ``validate`` returns an error message to refuse it in place."""

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._validate = validate

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title)
            yield Input(self._value, placeholder=self._placeholder, id="prompt-input")
            yield Static("", classes="prompt-error", id="prompt-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self._validate(event.value) if self._validate else None
        if problem:
            self.query_one("#prompt-error", Static).update(problem)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FuzzyPick(ModalScreen[T | None], Generic[T]):
    """Type to search; ``enter`` picks the highlighted match; ``escape`` picks nothing."""

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="pick.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="pick.previous"),
    ]

    class Found(Message):
        def __init__(self, text: str, choices: Sequence[tuple[str, Any]]) -> None:
            super().__init__()
            self.text = text
            self.choices = choices

    def __init__(
        self, title: str, search: Callable[[str], Sequence[tuple[str, T]]], *, value: str = ""
    ) -> None:
        super().__init__()
        self._title = title
        self._search = search
        self._value = value
        self._choices: list[tuple[str, T]] = []
        self._choices_text: str | None = None
        # enter typed before the search for this text came back: pick its top match then
        # (in a burst "a okafor ⏎" the enter came before the search and was dropped).
        self._pick_on_arrival: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title)
            yield Input(self._value, placeholder="type to search", id="pick-input")
            yield OptionList(id="pick-options")
            yield Static("", classes="prompt-error", id="prompt-error")

    def on_mount(self) -> None:
        self._run_search(self._value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._pick_on_arrival = None
        self._run_search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pick")
    def _run_search(self, text: str) -> None:
        self.post_message(self.Found(text, list(self._search(text))))

    def on_fuzzy_pick_found(self, message: FuzzyPick.Found) -> None:
        if message.text != self.query_one("#pick-input", Input).value:
            return  # a newer search is on its way
        self._choices = list(message.choices)
        self._choices_text = message.text
        options = self.query_one("#pick-options", OptionList)
        options.set_options(Option(label) for label, _ in self._choices)
        options.highlighted = 0 if self._choices else None
        self.query_one("#prompt-error", Static).update("" if self._choices else "no match")
        if self._pick_on_arrival == message.text:
            self._pick_on_arrival = None
            self._pick()

    def action_move(self, step: int) -> None:
        options = self.query_one("#pick-options", OptionList)
        if self._choices:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self._choices) - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._choices_text != event.value:
            self.query_one("#prompt-error", Static).update("searching…")
            self._pick_on_arrival = event.value
            return
        self._pick()

    def _pick(self) -> None:
        highlighted = self.query_one("#pick-options", OptionList).highlighted
        if highlighted is None or not self._choices:
            self.query_one("#prompt-error", Static).update("no match — keep typing")
            return
        self.dismiss(self._choices[highlighted][1])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._choices[event.option_index][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- searches the pickers run (in their worker thread) ---------------------------------------

EscalationTarget = tuple[int, int | None]  # (organisation id, team id or None)


def contact_search(
    db: Database, *, prefer_pilot: int | None = None
) -> Callable[[str], list[tuple[str, tuple[int, str]]]]:
    """People by name or e-mail, each with organisation and e-mail: one named exactly what was
    typed first, then the pilot's people."""

    def search(text: str) -> list[tuple[str, tuple[int, str]]]:
        found = search_contacts(db, text, prefer_pilot=prefer_pilot)
        context, ours = described(db, "contact", [n.id for n in found], prefer_pilot=prefer_pilot)

        def exact(label: str) -> bool:  # "Name <e-mail>"
            name, _, email = label.partition(" <")
            return names_exactly(text, name, email.rstrip(">"))

        found.sort(key=lambda n: (not exact(n.label), n.id not in ours))  # stable within each
        return [
            (f"{n.label.split(' <')[0]}  {context.get(n.id, '')}".rstrip(), (n.id, n.label))
            for n in found
        ]

    return search


def escalation_search(
    db: Database,
) -> Callable[[str], list[tuple[str, tuple[EscalationTarget, str]]]]:
    """Organisations (by current, short or former name) and teams, in one list."""

    def search(text: str) -> list[tuple[str, tuple[EscalationTarget, str]]]:
        found: list[tuple[str, tuple[EscalationTarget, str]]] = [
            (f"org  {n.label}", ((n.id, None), n.label)) for n in search_organisations(db, text)
        ]
        with db.read() as session:
            for n in search_teams(db, text, limit=5):
                team = session.get(Team, n.id)
                if team is not None:
                    found.append((f"team {n.label}", ((team.organisation_id, n.id), n.label)))
        return found

    return search


def barrier_search(db: Database, *, exclude: int) -> Callable[[str], list[tuple[str, int]]]:
    def search(text: str) -> list[tuple[str, int]]:
        return [
            (f"{c.label}  ({c.context})" if c.context else f"#{c.id} {c.label}", c.id)
            for c in search_records(db, "barrier", text, limit=10)
            if c.id != exclude
        ]

    return search
