"""Reading what was typed or pasted into a meeting's attendee field: who it names, exactly.

Owns: splitting a line into people (``;``, ``,`` or new lines; ``Name <e-mail>`` pairs as an
Outlook invite has them; ``+Name, e-mail, organisation`` for someone new), and resolving each
one to a contact only when the match is *confident* — the exact e-mail, the exact name, or the
one contact whose name or e-mail starts with the text. Anything looser is returned as ranked
suggestions for the user to choose from, never chosen here: a wrong person silently added to a
meeting is worse than an unmatched one shown. Must not import Textual or return ORM objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from sqlalchemy import false, func, or_
from sqlmodel import Session, col, select

from pfpp_tui.errors import PfppError
from pfpp_tui.importers.fields import email_problem
from pfpp_tui.models import Contact
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import (
    Named,
    contact_label,
    organisation_by_name,
    search_contacts,
)
from pfpp_tui.store.work.meeting_log import NewPerson

NEW_PERSON_FORMAT = "+Name, e-mail, organisation"

# "Jane Doe <jane@x.gov.uk>", '"Doe, Jane" <jane@x>' or a bare "<jane@x>"
_ADDRESSED = re.compile(r'\s*"?(?P<name>[^<>";]*?)"?\s*<(?P<email>[^<>\s]+@[^<>\s]+)>\s*[,;]?')
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


@dataclass(frozen=True, slots=True)
class AttendeeEntry:
    """One person named in the field, and what became of them."""

    text: str  # as typed, to put back in the field if it is not taken
    match: Named | None = None  # a confident match: safe to add without asking
    suggestions: tuple[Named, ...] = ()  # loose matches: shown, taken only if the user picks
    new_person: NewPerson | None = None  # "+Name, e-mail, organisation", parsed
    problem: str | None = None  # why it is neither a match nor a valid new person

    @property
    def resolved(self) -> bool:
        return self.match is not None or self.new_person is not None


@dataclass(frozen=True, slots=True)
class AttendeeLookup:
    """Every person in one piece of typed or pasted text, in order."""

    text: str
    entries: tuple[AttendeeEntry, ...] = field(default_factory=tuple)

    @property
    def unresolved(self) -> list[AttendeeEntry]:
        return [e for e in self.entries if not e.resolved]

    def leftover_text(self) -> str:
        """The unresolved people, as text the field can keep for the user to fix."""
        return "; ".join(e.text for e in self.unresolved)


def split_people(text: str) -> list[tuple[str, str | None]]:
    """(what was typed, e-mail or None) for each person in ``text``.

    ``+`` pieces keep their commas (they are "Name, e-mail, organisation"); ``Name <e-mail>``
    pairs keep a comma inside the name (Outlook writes "Doe, Jane <jane@x>"); anything else
    splits on commas too, and a run of bare e-mails on spaces.
    """
    people: list[tuple[str, str | None]] = []
    for chunk in re.split(r"[;\n\r]+", text):
        chunk = chunk.strip().strip(",").strip()
        if not chunk:
            continue
        if chunk.startswith("+"):
            people.append((chunk, None))
            continue
        rest, position = [], 0
        for found in _ADDRESSED.finditer(chunk):
            rest.append(chunk[position : found.start()])
            position = found.end()
            name = found["name"].strip().strip(",").strip()
            email = found["email"]
            people.append((f"{name} <{email}>" if name else email, email))
        rest.append(chunk[position:])
        for piece in ",".join(rest).split(","):
            piece = piece.strip()
            if not piece:
                continue
            words = piece.split()
            if len(words) > 1 and all(_EMAIL.match(w) for w in words):
                people.extend((w, w) for w in words)
            else:
                people.append((piece, piece if _EMAIL.match(piece) else None))
    return people


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _confident(session: Session, text: str) -> Contact | None:
    """The one contact ``text`` names exactly, or is the only one to start with; else None."""
    wanted = _norm(text)
    if not wanted:
        return None
    first, last = func.lower(Contact.first_name), func.lower(Contact.last_name)
    full = func.lower(Contact.first_name + " " + Contact.last_name)
    reversed_ = func.lower(Contact.last_name + " " + Contact.first_name)
    live = select(Contact).where(col(Contact.archived) == false())
    exact = list(
        session.exec(
            live.where(
                or_(col(Contact.email_key) == wanted, full == wanted, reversed_ == wanted)
            ).limit(2)
        )
    )
    if exact:
        return exact[0] if len(exact) == 1 else None  # two people share the name: ask
    starts = list(
        session.exec(
            live.where(
                or_(
                    *(
                        column.startswith(wanted, autoescape=True)
                        for column in (first, last, full, reversed_, col(Contact.email_key))
                    )
                )
            ).limit(2)
        )
    )
    return starts[0] if len(starts) == 1 else None


def parse_new_person(session: Session, text: str) -> NewPerson:
    """``+Name, e-mail, organisation`` (the ``+`` optional) → a person to create; else raise."""
    parts = [p.strip() for p in text.strip().removeprefix("+").split(",")]
    names = parts[0].split() if parts else []
    if not names:
        raise PfppError(f"new person: give at least a name ({NEW_PERSON_FORMAT})")
    email = parts[1] if len(parts) > 1 and parts[1] else None
    if email is not None:
        if email_problem(email) is not None:  # the rule the store applies when it saves them
            raise PfppError(f"new person: {email!r} is not an e-mail ({NEW_PERSON_FORMAT})")
        existing = session.exec(
            select(Contact).where(col(Contact.email_key) == email.strip().lower())
        ).first()
        if existing is not None:
            raise PfppError(
                f"{email} is already {contact_label(existing)}: type their name, without the +"
            )
    if len(parts) > 3:
        raise PfppError(f"new person: too many commas ({NEW_PERSON_FORMAT})")
    organisation = organisation_by_name(session, parts[2]) if len(parts) > 2 and parts[2] else None
    return NewPerson(
        names[0],
        " ".join(names[1:]),
        email,
        organisation.id if organisation else None,
        organisation.label if organisation else "",
    )


def _entry(session: Session, typed: str, email: str | None) -> AttendeeEntry:
    if typed.startswith("+"):
        try:
            return AttendeeEntry(typed, new_person=parse_new_person(session, typed))
        except PfppError as exc:
            return AttendeeEntry(typed, problem=str(exc))
    if email is not None:
        contact = session.exec(
            select(Contact).where(
                col(Contact.email_key) == email.strip().lower(), col(Contact.archived) == false()
            )
        ).first()
        if contact is not None:
            return AttendeeEntry(typed, match=Named(int(contact.id or 0), contact_label(contact)))
        return AttendeeEntry(typed, problem=f"no contact has the e-mail {email}")
    found = _confident(session, typed)
    if found is not None:
        return AttendeeEntry(typed, match=Named(int(found.id or 0), contact_label(found)))
    return AttendeeEntry(typed, problem=f"no exact match for {typed!r}")


def lookup_attendees(db: Database, text: str, *, suggest: int = 5) -> AttendeeLookup:
    """Each person ``text`` names: confidently matched, a valid new person, or unresolved.

    An unresolved name gets up to ``suggest`` loose matches to choose from (none are taken).
    """
    people = split_people(text)
    if not people:
        return AttendeeLookup(text)
    with db.read() as session:
        entries = [_entry(session, typed, email) for typed, email in people]
    for i, entry in enumerate(entries):
        if not entry.resolved and suggest and not entry.text.startswith("+"):
            found = tuple(search_contacts(db, entry.text, limit=suggest))
            entries[i] = replace(entry, suggestions=found)
    return AttendeeLookup(text, tuple(entries))
