"""A text box that picks a linked record (pilot, organisation, team, person...) by fuzzy name.

Owns: the typed text, the list of suggestions under it, and the chosen record id. Suggestions
come from ``store.listing.browse.search_records`` in a thread worker (SQL narrows, rapidfuzz ranks),
so typing stays smooth on 100,000 people. ``down`` moves into the list, ``enter`` picks.
``within`` narrows the suggestions to rows of one parent (a contact form's teams of the chosen
organisation); ``Chosen`` is posted whenever the chosen record changes (picked or cleared).
Each suggestion shows what tells alike records apart (a person's organisation and e-mail, a
barrier's pilot and id); ``prefer_pilot`` puts that pilot's people (or records) first.
"""

from __future__ import annotations

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.browse import Choice, search_records


def choice_content(choice: Choice) -> Content:
    """A suggestion: its label, then (dim) what tells it apart; stored text is never markup."""
    if not choice.context:
        return Content(choice.label)
    return Content.assemble(choice.label, ("  " + choice.context, "dim"))


class LinkInput(Vertical):
    """Input + suggestion list; ``chosen_id`` is what the form stores."""

    DEFAULT_CSS = """
    LinkInput { height: auto; }
    LinkInput > OptionList { height: auto; max-height: 6; display: none; }
    LinkInput.-open > OptionList { display: block; }
    """

    class Chosen(Message):
        """The chosen record changed: ``chosen_id`` None when the text was cleared."""

        def __init__(self, link: LinkInput, chosen_id: int | None) -> None:
            self.link, self.chosen_id = link, chosen_id
            super().__init__()

    class Suggested(Message):
        def __init__(self, link: LinkInput, choices: list[Choice]) -> None:
            self.link = link
            self.choices = choices
            super().__init__()

    def __init__(
        self, db: Database, table: str, *, chosen_id: int | None, label: str, id: str
    ) -> None:
        super().__init__(id=id)
        self.db = db
        self.table = table
        self.chosen_id = chosen_id
        self.chosen_label = label
        self._choices: list[Choice] = []
        # (column, id): suggest only rows whose column holds that id; None suggests any.
        self.within: tuple[str, int] | None = None
        # The pilot the form is about: its people (its barriers...) are suggested first.
        self.prefer_pilot: int | None = None

    def compose(self) -> ComposeResult:
        noun = self.table.replace("_", " ")
        article = "an" if noun[0] in "aeiou" else "a"
        yield Input(
            value=self.chosen_label,
            placeholder=f"type to find {article} {noun}",
            id="link-text",
            compact=True,
        )
        yield OptionList(id="link-options")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    @property
    def unresolved(self) -> bool:
        """Text typed that is not a chosen record."""
        return bool(self.text.strip()) and (
            self.chosen_id is None or self.text != self.chosen_label
        )

    @on(Input.Changed, "#link-text")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value == self.chosen_label:
            return
        if not event.value.strip():
            had = self.chosen_id
            self.chosen_id, self.chosen_label = None, ""
            self.remove_class("-open")
            if had is not None:
                self.post_message(self.Chosen(self, None))
            return
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="link-search")
    def _search(self, text: str) -> None:
        found = search_records(
            self.db, self.table, text, within=self.within, prefer_pilot=self.prefer_pilot
        )
        self.post_message(self.Suggested(self, found))

    def on_link_input_suggested(self, message: LinkInput.Suggested) -> None:
        message.stop()
        if message.link is not self:
            return
        self._choices = message.choices
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(choice_content(c)) for c in message.choices])
        self.set_class(bool(message.choices), "-open")
        if message.choices:
            options.highlighted = 0

    @on(Input.Submitted, "#link-text")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.has_class("-open") and self._choices:
            event.stop()
            self._pick(self.query_one(OptionList).highlighted or 0)

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.has_class("-open") and self.query_one(Input).has_focus:
            event.stop()
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#link-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        if not 0 <= index < len(self._choices):
            return
        choice = self._choices[index]
        self.choose(choice.id, choice.label)
        self.query_one(Input).focus()

    def choose(self, chosen_id: int, label: str) -> None:
        """Make ``chosen_id`` the chosen record, shown as ``label`` (picked, or set by a form)."""
        changed = chosen_id != self.chosen_id
        self.chosen_id, self.chosen_label = chosen_id, label
        self.query_one(Input).value = label
        self.remove_class("-open")
        if changed:
            self.post_message(self.Chosen(self, chosen_id))
