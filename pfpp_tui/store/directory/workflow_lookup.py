"""Finding the pilot, organisation, team or person a workflow names: exactly, or not at all.

Owns: name look-ups shared by the meeting log, triage and review (CLI and TUI alike) —
pilots by name, organisations by name, short name *or a former name* (so "BEIS" still finds
DESNZ), teams within an organisation, contacts by e-mail — and the candidate people an
``@owner`` in meeting notes may name. A look-up that does not find exactly one record raises
``NotFoundError`` with suggestions; it never guesses. Fuzzy *search* for pickers is here too,
ranked but never auto-chosen. Must not import Textual or return ORM objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, Connection, false, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import (
    Contact,
    ContactPilot,
    Organisation,
    OrganisationFormerName,
    Pilot,
    Team,
)
from pfpp_tui.notes_markers import OwnerCandidate
from pfpp_tui.store.db.database import Database


@dataclass(frozen=True, slots=True)
class Named:
    """A record picked by name: its id and how to show it."""

    id: int
    label: str
    score: float = 100.0


def _suggest(text: str, labels: dict[int, str]) -> str:
    ranked = process.extract(text, labels, scorer=fuzz.WRatio, limit=3, score_cutoff=50)
    if not ranked:
        return ""
    return " (did you mean " + ", ".join(repr(label) for label, _, _ in ranked) + "?)"


def contact_label(contact: Contact) -> str:
    name = f"{contact.first_name} {contact.last_name}".strip()
    if name and contact.email:
        return f"{name} <{contact.email}>"
    return name or contact.email or f"contact {contact.id}"


# --- pilots ----------------------------------------------------------------------------------


def pilot_by_name(session: Session, name: str) -> Named:
    wanted = name.strip().lower()
    pilots = {int(p.id or 0): p.name for p in session.exec(select(Pilot))}
    exact = [i for i, n in pilots.items() if n.lower() == wanted]
    if len(exact) == 1:
        return Named(exact[0], pilots[exact[0]])
    starts = [i for i, n in pilots.items() if wanted and n.lower().startswith(wanted)]
    if len(starts) == 1:
        return Named(starts[0], pilots[starts[0]])
    raise NotFoundError(f"no pilot called {name!r}{_suggest(name, pilots)}")


def search_pilots(db: Database, text: str, *, limit: int = 8) -> list[Named]:
    with db.read() as session:
        pilots = {int(p.id or 0): p.name for p in session.exec(select(Pilot))}
    return _rank(text, pilots, limit)


def _rank(text: str, labels: dict[int, str], limit: int) -> list[Named]:
    if not text.strip():
        return [Named(i, lbl, 0.0) for i, lbl in sorted(labels.items(), key=lambda kv: kv[1])][
            :limit
        ]
    ranked = process.extract(text, labels, scorer=fuzz.WRatio, limit=limit, score_cutoff=45)
    return [Named(int(key), label, float(score)) for label, score, key in ranked]


# --- organisations and teams -----------------------------------------------------------------


def _organisation_names(session: Session) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """Display labels, and every (id, name) an organisation may be called by."""
    labels: dict[int, str] = {}
    names: list[tuple[int, str]] = []
    for org in session.exec(select(Organisation)):
        oid = int(org.id or 0)
        labels[oid] = f"{org.name} ({org.short_name})" if org.short_name else org.name
        names.append((oid, org.name))
        if org.short_name:
            names.append((oid, org.short_name))
    for former in session.exec(select(OrganisationFormerName)):
        names.append((former.organisation_id, former.name))
        if former.short_name:
            names.append((former.organisation_id, former.short_name))
    return labels, names


def organisation_by_name(session: Session, name: str) -> Named:
    """Today's organisation called ``name`` now or formerly, by full or short name."""
    wanted = " ".join(name.lower().split())
    labels, names = _organisation_names(session)
    found = {oid for oid, n in names if " ".join(n.lower().split()) == wanted}
    if len(found) == 1:
        oid = found.pop()
        return Named(oid, labels[oid])
    if len(found) > 1:
        options = ", ".join(sorted(labels[o] for o in found))
        raise NotFoundError(f"{name!r} names more than one organisation: {options}")
    choices = dict(enumerate(n for _, n in names))
    raise NotFoundError(f"no organisation called {name!r}{_suggest(name, choices)}")


def search_organisations(db: Database, text: str, *, limit: int = 8) -> list[Named]:
    """Organisations ranked by their best-matching current, short or former name."""
    with db.read() as session:
        labels, names = _organisation_names(session)
    if not text.strip():
        return _rank("", labels, limit)
    best: dict[int, float] = {}
    for oid, n in names:
        score = fuzz.WRatio(text, n)
        if n.lower() == text.strip().lower():
            score = 101.0
        best[oid] = max(best.get(oid, 0.0), score)
    ranked = sorted((s, oid) for oid, s in best.items() if s >= 45)
    ranked.sort(key=lambda pair: (-pair[0], labels[pair[1]]))
    return [Named(oid, labels[oid], min(s, 100.0)) for s, oid in ranked[:limit]]


def team_by_name(session: Session, name: str, *, organisation_id: int | None) -> Named:
    stmt = select(Team)
    if organisation_id is not None:
        stmt = stmt.where(col(Team.organisation_id) == organisation_id)
    teams = {int(t.id or 0): t.name for t in session.exec(stmt)}
    wanted = name.strip().lower()
    exact = [i for i, n in teams.items() if n.lower() == wanted]
    if len(exact) == 1:
        return Named(exact[0], teams[exact[0]])
    where = " in that organisation" if organisation_id is not None else ""
    if len(exact) > 1:
        raise NotFoundError(f"more than one team called {name!r}; name the organisation too")
    raise NotFoundError(f"no team called {name!r}{where}{_suggest(name, teams)}")


def search_teams(
    db: Database, text: str, *, organisation_id: int | None = None, limit: int = 8
) -> list[Named]:
    stmt = select(Team, Organisation).join(
        Organisation, col(Organisation.id) == col(Team.organisation_id)
    )
    if organisation_id is not None:
        stmt = stmt.where(col(Team.organisation_id) == organisation_id)
    with db.read() as session:
        labels = {
            int(t.id or 0): f"{t.name} — {o.short_name or o.name}" for t, o in session.exec(stmt)
        }
    return _rank(text, labels, limit)


# --- people ----------------------------------------------------------------------------------


def contacts_by_email(session: Session, emails: Sequence[str]) -> list[Named]:
    """Each e-mail's contact, in order; unknown e-mails raise one error naming them all."""
    keys = [e.strip().lower() for e in emails]
    rows = session.exec(select(Contact).where(col(Contact.email_key).in_(keys)))
    by_key = {c.email_key: c for c in rows}
    missing = [e for e, k in zip(emails, keys, strict=True) if k not in by_key]
    if missing:
        raise NotFoundError(f"no contact with e-mail {', '.join(missing)}")
    return [Named(int(by_key[k].id or 0), contact_label(by_key[k])) for k in keys]


def search_contacts(
    db: Database, text: str, *, limit: int = 8, prefer_pilot: int | None = None
) -> list[Named]:
    """People whose name or e-mail fuzzily matches ``text`` (SQL narrows, rapidfuzz ranks).

    Nothing typed: the first few alphabetically, ``prefer_pilot``'s people before the rest (an
    owner picker opened on a Newcastle barrier lists Newcastle's people, not the A's).
    """
    words = [w for w in re.split(r"[\s@.]+", text.lower()) if w]
    stmt = select(Contact).where(col(Contact.archived) == false())
    if not words and prefer_pilot is not None:
        ours = select(ContactPilot.contact_id).where(col(ContactPilot.pilot_id) == prefer_pilot)
        stmt = stmt.order_by(
            col(Contact.id).in_(ours).desc(), col(Contact.last_name), col(Contact.first_name)
        ).limit(limit)
        with db.read() as session:
            return [Named(int(c.id or 0), contact_label(c), 0.0) for c in session.exec(stmt)]
    if words:
        stmt = stmt.where(
            or_(
                *(
                    func.lower(c).contains(w[:4])
                    for w in words
                    for c in (Contact.first_name, Contact.last_name, Contact.email)
                )
            )
        )
    stmt = stmt.order_by(col(Contact.last_name), col(Contact.first_name)).limit(
        400 if words else limit
    )
    with db.read() as session:
        labels = {int(c.id or 0): contact_label(c) for c in session.exec(stmt)}
    return _rank(text, labels, limit)


def owner_candidates(
    session: Session, tokens: Iterable[str], *, preferred_ids: Iterable[int] = ()
) -> list[OwnerCandidate]:
    """People an ``@token`` may name: the attendees (preferred) plus contacts sharing a word."""
    preferred = set(preferred_ids)
    parts = {p for t in tokens for p in re.split(r"[\s@._\-]+", t.lower()) if len(p) >= 2}
    conditions: list[ColumnElement[bool]] = [col(Contact.id).in_(preferred)] if preferred else []
    conditions.extend(
        func.lower(c).contains(p[:4])
        for p in parts
        for c in (Contact.first_name, Contact.last_name, Contact.email)
    )
    if not conditions:
        return []
    stmt = select(Contact).where(or_(*conditions)).limit(2000)
    return [
        OwnerCandidate(
            contact_id=int(c.id or 0),
            first_name=c.first_name,
            last_name=c.last_name,
            email=c.email,
            preferred=c.id in preferred,
        )
        for c in session.exec(stmt)
        if not c.archived or c.id in preferred
    ]


def find_pilot(conn: Connection, name: str) -> tuple[int, str]:
    """The pilot called ``name``: case-insensitive; else a unique part of a name or project."""
    pilot = SQLModel.metadata.tables["pilot"]
    rows = [
        (r[0], r[1], r[2] or "")
        for r in conn.execute(
            sa_select(pilot.c.id, pilot.c.name, pilot.c.project_name).order_by(pilot.c.name)
        )
    ]
    wanted = name.strip().casefold()
    exact = [r for r in rows if r[1].casefold() == wanted]
    partial = [r for r in rows if wanted and wanted in f"{r[1]} {r[2]}".casefold()]
    found = exact or partial
    if len(found) == 1:
        return found[0][0], found[0][1]
    if found:
        names = ", ".join(r[1] for r in found)
        raise NotFoundError(f"pilot {name!r} is ambiguous: {names}")
    known = ", ".join(r[1] for r in rows) or "none yet"
    raise NotFoundError(f"no pilot named {name!r} (pilots: {known})")
