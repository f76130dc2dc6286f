"""The meeting log's attendee field: type, paste or add people, see who is in, remove anyone.

Owns: ``AttendeePicker`` — the text field (``AttendeeInput``), a hint saying what ``enter``
will do, and the chosen people (``AttendeeList``). Every key is text: ``+Name, e-mail,
organisation`` is read only when ``enter`` commits it, so nothing typed or pasted is lost to a
dialog opening. ``enter`` adds only confident matches (see ``store.work.attendee_lookup``) or the
suggestion the user moved to with ``↓``/``↑``; whatever did not match stays in the field, named
in the hint. ``backspace`` on the empty field removes the last person; ``↓`` on the empty field
to the list (the meeting log's ``tab`` goes past it, to the notes) and ``delete`` removes any. A
paste on that list goes where its screen says (``paste_to``: the meeting log's notes), as a list
holds no text. It never reads the database: it posts
``LookupWanted`` and its screen answers with ``show_lookup`` (attributes down, messages up).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static

from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.store.work.attendee_lookup import NEW_PERSON_FORMAT, AttendeeEntry, AttendeeLookup
from pfpp_tui.store.work.meeting_log import NewPerson
from pfpp_tui.tui.widgets.lists import MovingOptionList
from pfpp_tui.words import counted


@dataclass
class Attendee:
    label: str
    contact_id: int | None = None  # None: a new person, created when the meeting is saved
    new: NewPerson | None = None


FIELD_LABEL = f"Attendees — name or e-mail, or paste several · {NEW_PERSON_FORMAT} adds someone new"
REMOVE_HINT = "backspace on the empty field removes the last · ↓ to the list, delete removes any"


class AttendeeInput(Input):
    """An ``Input`` that keeps every pasted line and lets ``↓``/``↑`` move among suggestions."""

    BINDINGS = [
        Binding("down", "move(1)", "Next suggestion", show=False),
        Binding("up", "move(-1)", "Previous suggestion", show=False),
    ]

    class Moved(Message):
        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class RemoveLast(Message):
        """``backspace`` on the empty field."""

    def action_move(self, step: int) -> None:
        self.post_message(self.Moved(step))

    def action_delete_left(self) -> None:
        if not self.value:
            self.post_message(self.RemoveLast())
            return
        super().action_delete_left()

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only the first line; an invite pasted one person a line needs them all.
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        if lines:
            text = "; ".join(lines)
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *selection)
        event.stop()
        event.prevent_default()  # Input's own handler would paste the first line again


class AttendeeList(MovingOptionList):
    """The people chosen so far; ``delete`` removes the highlighted one."""

    BINDINGS = [
        Binding(
            "delete,backspace,x",
            "remove",
            "Remove attendee",
            id="meeting-log.remove-attendee",
            tooltip="Take the highlighted person off the meeting",
        )
    ]

    class Removed(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Where a paste on the list goes (set by the screen). ``tab`` from the attendee field
        # comes here once someone is listed, and notes pasted straight after it were dropped.
        self.paste_to: Callable[[str], None] | None = None

    def _on_paste(self, event: events.Paste) -> None:
        if self.paste_to is not None:
            event.stop()
            self.paste_to(event.text)  # at once: keys after the paste find it in place

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Removed(self.highlighted))


def _new_person_words(person: NewPerson) -> str:
    return " · ".join(p for p in (person.label, person.email or "", person.organisation) if p)


class AttendeePicker(Vertical):
    """Chooses a meeting's attendees; the screen looks names up and hands back the answer."""

    DEFAULT_CSS = """
    AttendeePicker { height: auto; }
    AttendeePicker #attendee-hint { color: $text-muted; height: auto; max-height: 7; }
    AttendeePicker #attendee-count { color: $text-muted; height: 1; }
    AttendeePicker AttendeeList { height: auto; max-height: 6; border: none; padding: 0; }
    AttendeePicker AttendeeList:focus { border: none; }
    """

    class LookupWanted(Message):
        """Look ``text`` up; ``commit``: enter was pressed, add what it confidently names."""

        def __init__(self, text: str, commit: bool) -> None:
            super().__init__()
            self.text = text
            self.commit = commit

    class Changed(Message):
        """The chosen people changed."""

    class Done(Message):
        """``enter`` on the empty field: on to the next part of the form."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.attendees: list[Attendee] = []
        self.lookup: AttendeeLookup | None = None  # for the text now in the field
        self.highlighted: int | None = None  # the suggestion moved to with ↓/↑
        self.pending: list[str] = []  # committed with enter, still being looked up
        # Where each attendee stands in the order the people were typed: lookups answer in any
        # order (one worker each), but "ben ⏎ cara ⏎" lists Ben before Cara.
        self._typed_at: list[int] = []  # parallel to ``attendees``
        self._pending_at: list[tuple[str, int]] = []
        self._next_at = 0
        self.note = ""  # what the last enter did, until the text changes

    def compose(self) -> ComposeResult:
        yield Label(FIELD_LABEL)
        yield AttendeeInput("", placeholder="name or e-mail", id="attendee")
        yield Static("", id="attendee-hint", markup=False)
        yield Static("", id="attendee-count", markup=False)
        yield AttendeeList(id="attendee-list")

    def on_mount(self) -> None:
        self.refresh_people()

    @property
    def field(self) -> AttendeeInput:
        return self.query_one("#attendee", AttendeeInput)

    @property
    def people(self) -> AttendeeList:
        return self.query_one(AttendeeList)

    # --- typing --------------------------------------------------------------------------------

    @on(Input.Changed, "#attendee")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.highlighted = None
        self.note = ""
        if self.lookup is not None and self.lookup.text != event.value:
            self.lookup = None
        self._render_hint()
        if event.value.strip():
            self.post_message(self.LookupWanted(event.value, commit=False))

    @on(AttendeeInput.Moved)
    def _moved(self, event: AttendeeInput.Moved) -> None:
        self.move(event.step)

    def move(self, step: int) -> None:
        """↓/↑: move among the suggestions for the text in the field."""
        choices = self._choices()
        if not choices:
            if step > 0 and not self.field.value and self.attendees:
                # ↓ on the empty field: to the list (Tab goes past it, to the notes).
                self.screen.set_focus(self.query_one(AttendeeList))
            return
        if self.highlighted is None:
            self.highlighted = 0 if step > 0 else len(choices) - 1
        else:
            self.highlighted = (self.highlighted + step) % len(choices)
        self._render_hint()

    @on(Input.Submitted, "#attendee")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._commit(event.value):
            self.post_message(self.Done())

    def commit(self) -> bool:
        """``enter``: add what the field names now; True when it was empty (move on)."""
        return self._commit(self.field.value)

    def _commit(self, text: str) -> bool:
        if not text.strip():
            return True
        choices = self._choices()
        if self.highlighted is not None and self.highlighted < len(choices):
            person = choices[self.highlighted]
            self._add(Attendee(person.label, person.id))
            self._set_text("", f"added {person.label}")
            return False
        if self.lookup is not None and self.lookup.text == text:
            self.show_lookup(self.lookup, commit=True)
            return False
        # Not looked up yet: take the text out now so what is typed next starts afresh.
        self.pending.append(text)
        self._pending_at.append((text, self._take_place()))
        self._set_text("", f"looking up {text}…")
        self.post_message(self.LookupWanted(text, commit=True))
        return False

    def show_lookup(self, lookup: AttendeeLookup, *, commit: bool) -> None:
        """The screen's answer to ``LookupWanted``."""
        if not commit:
            if lookup.text == self.field.value:
                self.lookup = lookup
                self._render_hint()
            return
        if lookup.text in self.pending:
            self.pending.remove(lookup.text)
        place = next((at for text, at in self._pending_at if text == lookup.text), None)
        if place is not None:
            self._pending_at.remove((lookup.text, place))
        added: list[str] = []
        already: list[str] = []
        for entry in lookup.entries:
            if entry.match is not None:
                if any(a.contact_id == entry.match.id for a in self.attendees):
                    already.append(entry.match.label)
                else:
                    self._add(Attendee(entry.match.label, entry.match.id), place)
                    added.append(entry.match.label)
            elif entry.new_person is not None:
                new = Attendee(f"{entry.new_person.label} (new)", None, entry.new_person)
                self._add(new, place)
                added.append(f"{entry.new_person.label} (new)")
        notes = [f"added {', '.join(added)}"] if added else []
        if already:
            notes.append(f"already listed: {', '.join(already)}")
        leftover = lookup.leftover_text()
        current = self.field.value
        if current in ("", lookup.text):
            text = leftover
        else:  # typed on while the lookup ran: keep both, nothing is lost
            text = f"{leftover}; {current}" if leftover else current
        self._set_text(text, " · ".join(notes))
        if leftover and text == leftover:
            self.lookup = AttendeeLookup(leftover, tuple(lookup.unresolved))
        self._render_hint()

    # --- the chosen people ---------------------------------------------------------------------

    def _take_place(self) -> int:
        self._next_at += 1
        return self._next_at

    def _add(self, attendee: Attendee, place: int | None = None) -> None:
        """Add in typed order: ``place`` is the one taken when the person was typed."""
        if len(self._typed_at) != len(self.attendees):  # set from outside (a restored draft)
            self._typed_at = list(range(-len(self.attendees), 0))
        at = self._take_place() if place is None else place
        index = bisect.bisect_right(self._typed_at, at)
        self._typed_at.insert(index, at)
        self.attendees.insert(index, attendee)
        self.refresh_people()
        self.post_message(self.Changed())

    @on(AttendeeInput.RemoveLast)
    def _remove_last(self) -> None:
        if self.attendees:
            self._remove(len(self.attendees) - 1)

    @on(AttendeeList.Removed)
    def _removed(self, event: AttendeeList.Removed) -> None:
        self._remove(event.index)

    def _remove(self, index: int) -> None:
        if not 0 <= index < len(self.attendees):
            return
        gone = self.attendees.pop(index)
        if len(self._typed_at) > index:
            self._typed_at.pop(index)
        self.note = f"removed {gone.label}"
        self.refresh_people()
        self._render_hint()
        people = self.query_one(AttendeeList)
        if self.attendees:
            people.highlighted = min(index, len(self.attendees) - 1)
        elif people.has_focus:
            self.field.focus()
        self.post_message(self.Changed())

    def refresh_people(self) -> None:
        """Show ``attendees`` (after it was set from outside, e.g. a restored draft)."""
        count = len(self.attendees)
        people = self.query_one(AttendeeList)
        highlighted = people.highlighted
        people.set_options(Content(a.label) for a in self.attendees)  # names are not markup
        people.display = count > 0
        if count:
            people.highlighted = min(highlighted or 0, count - 1)
        words = counted(count, "attendee")
        self.query_one("#attendee-count", Static).update(
            f"{words} · {REMOVE_HINT}" if count else "nobody yet"
        )

    # --- the hint ------------------------------------------------------------------------------

    def _set_text(self, text: str, note: str) -> None:
        with self.field.prevent(Input.Changed):
            self.field.value = text
        self.lookup = None
        self.highlighted = None
        self.note = note
        self._render_hint()
        if text.strip():
            self.post_message(self.LookupWanted(text, commit=False))

    def _single(self) -> AttendeeEntry | None:
        if self.lookup is None or len(self.lookup.entries) != 1:
            return None
        return self.lookup.entries[0]

    def _choices(self) -> list[Named]:
        entry = self._single()
        if entry is None or entry.resolved:
            return []
        taken = {a.contact_id for a in self.attendees}
        return [n for n in entry.suggestions if n.id not in taken]

    def _render_hint(self) -> None:
        lines = [self.note] if self.note else []
        if self.pending:
            lines.append(f"looking up {'; '.join(self.pending)}…")
        lines.extend(self._lookup_lines())
        self.query_one("#attendee-hint", Static).update("\n".join(lines))

    def _lookup_lines(self) -> list[str]:
        lookup, entry = self.lookup, self._single()
        if lookup is None:
            return []
        if entry is not None:
            if entry.match is not None:
                return [f"enter adds {entry.match.label}"]
            if entry.new_person is not None:
                return [f"enter adds a new person: {_new_person_words(entry.new_person)}"]
            choices = self._choices()
            if not choices:
                return [f"{entry.problem} — {NEW_PERSON_FORMAT} adds someone new"]
            lines = [f"{entry.problem} — ↓/↑ choose one, then enter; or + in front adds new"]
            for i, person in enumerate(choices):
                lines.append(("▸ " if i == self.highlighted else "  ") + person.label)
            return lines
        ready = [e for e in lookup.entries if e.resolved]
        lines = [f"enter adds {len(ready)} of {len(lookup.entries)}"] if ready else []
        lines.extend(f"not found: {e.text} ({e.problem})" for e in lookup.unresolved)
        return lines
