"""Everything the database holds about one person (UK GDPR subject access).

Owns the list of places a contact is linked from (``PERSON_LINKS``) and ``person_report``,
which gathers the contact, their pilots, the meetings they attended, the actions and barriers
they own, the history rows about them and free-text mentions of them. Erasure
(``store.erasure``) walks the same list, so a table that links to ``contact`` is either handled
by both or caught by the schema-walking test. Read-only: nothing here writes.

A subject access request covers what was held, not only what is held now: pilot memberships
and meeting attendances that were removed are read back from the change history
(``store.person_removed``), with when and by whom, and listed apart, marked removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, String, Table, Text, func, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, SQLModel
from sqlmodel import select as sqlmodel_select

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import (
    Change,
    Contact,
    Organisation,
    Team,
)
from pfpp_tui.store.database import Database
from pfpp_tui.store.history import HistoryEntry, to_entry, to_json_value
from pfpp_tui.store.normalise import email_key
from pfpp_tui.store.person_removed import removed_links
from pfpp_tui.store.records import TABLES, row_values


@dataclass(frozen=True, slots=True)
class PersonLink:
    """A foreign key that points at a contact, and what erasure does with the linking row.

    ``remove``: the row only says "this person is in X" (pilot membership, attendance) and goes.
    ``detach``: the row is the programme's own record (an action, a barrier, an agreement); it
    stays, the link is cleared and ``marker_column`` says an erased person was there — a line
    ``"{marker_label}: [erased person]"`` appended, or with ``replace`` the whole value.
    ``marks``: for a removed row, the (table, column in the link row, text column) that keeps
    "an erased person" in their place (a meeting keeps a note that someone attended).
    """

    table: str
    column: str
    policy: str  # "remove" | "detach"
    marker_column: str | None = None
    marker_label: str = "Owner"
    replace: bool = False
    marks: tuple[str, str, str] | None = None


PERSON_LINKS: tuple[PersonLink, ...] = (
    PersonLink("contact_pilot", "contact_id", "remove"),
    PersonLink(
        "meeting_attendee", "contact_id", "remove", marks=("meeting", "meeting_id", "notes")
    ),
    PersonLink("action", "owner_id", "detach", marker_column="detail"),
    PersonLink("barrier", "owner_id", "detach", marker_column="detail"),
    PersonLink(
        "partnership_agreement", "agreed_by_id", "detach", "purpose", marker_label="Agreed by"
    ),
    PersonLink("agreement_partner", "lead_contact_id", "detach", "commitments", "Lead contact"),
    PersonLink("partnership_assessment", "assessor_id", "detach", "assessor_name", replace=True),
)
# Links with their own section in the report; the others are listed under "other records".
_OWN_SECTIONS = frozenset({"contact_pilot", "meeting_attendee", "action", "barrier"})


def contact_links_in_schema() -> set[tuple[str, str]]:
    """Every (table, column) whose foreign key points at ``contact``: what must be covered."""
    found: set[tuple[str, str]] = set()
    for table in SQLModel.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "contact" and fk.parent.table.name != "contact":
                found.add((table.name, fk.parent.name))
    return found


@dataclass
class PersonReport:
    """What ``pfpp person show`` prints: plain values only."""

    contact: dict[str, Any]
    organisation: str | None
    team: str | None
    pilots: list[dict[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    barriers: list[dict[str, Any]] = field(default_factory=list)
    other_records: list[dict[str, Any]] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    # Links that no longer exist, from the history: the rows above plus "removed": True and
    # when, by whom and how they went (``removed_links``).
    pilots_removed: list[dict[str, Any]] = field(default_factory=list)
    meetings_removed: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def clean(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{k: to_json_value(v) for k, v in row.items()} for row in rows]

        return {
            "contact": {k: to_json_value(v) for k, v in self.contact.items()},
            "organisation": self.organisation,
            "team": self.team,
            "pilots": clean(self.pilots),
            "meetings_attended": clean(self.meetings),
            "actions_owned": clean(self.actions),
            "barriers_owned": clean(self.barriers),
            "other_records": clean(self.other_records),
            "history": [entry.as_json() for entry in self.history],
            "mentions_in_free_text": clean(self.mentions),
            # Added keys; the ones above are a contract and keep their names and meaning.
            "pilots_removed": clean(self.pilots_removed),
            "meetings_attended_removed": clean(self.meetings_removed),
        }


def find_contact(session: Session, who: str) -> Contact:
    """A contact by id (digits) or by e-mail (any case); NotFoundError otherwise."""
    text = who.strip()
    contact: Contact | None
    if text.isdigit():
        contact = session.get(Contact, int(text))
    else:
        key = email_key(text)
        contact = session.exec(sqlmodel_select(Contact).where(Contact.email_key == key)).first()
    if contact is None:
        raise NotFoundError(f"no contact with id or e-mail {who!r}")
    return contact


def identifying_terms(contact: Contact) -> list[str]:
    """Strings that identify this person in free text: full name, e-mail, phone (lower case).

    A lone first or last name is not on the list: "Ada" inside "Adam" or another Ada's notes
    is not this person, and rewriting it would corrupt other records.
    """
    full_name = " ".join(f"{contact.first_name} {contact.last_name}".split())
    candidates = [full_name if " " in full_name else "", contact.email, contact.phone]
    candidates.append(contact.phone_e164)
    terms = {c.strip().lower() for c in candidates if c and len(c.strip()) >= 4}
    return sorted(terms, key=len, reverse=True)


def text_columns(table: str) -> list[Column[Any]]:
    sa_table = table_of(table)
    skip = {"email_key", "phone_e164"}
    return [c for c in sa_table.columns if _is_text(c) and c.name not in skip]


def _is_text(column: Column[Any]) -> bool:
    # SQLModel's AutoString is a TypeDecorator over String, so look through decorators.
    kind = getattr(column.type, "impl", column.type)
    return isinstance(kind, String | Text)


def mentions(
    session: Session, terms: list[str], *, exclude: tuple[str, int]
) -> list[dict[str, Any]]:
    """Records (other than ``exclude``) whose free text contains one of ``terms``."""
    found: list[dict[str, Any]] = []
    if not terms:
        return found
    for table in TABLES:
        sa_table = table_of(table)
        for column in text_columns(table):
            conditions = [func.lower(column).contains(term, autoescape=True) for term in terms]
            stmt = select(sa_table.c.id).where(or_(*conditions)).order_by(sa_table.c.id)
            for (row_id,) in session.execute(stmt):
                if (table, row_id) != exclude:
                    found.append({"table": table, "id": row_id, "column": column.name})
    return found


def history_condition(
    contact_id: int, link_ids: dict[str, list[int]], terms: list[str]
) -> ColumnElement[bool]:
    """Change rows about this person: their contact row, their link rows, or naming them."""
    c = table_of("change").c
    parts: list[ColumnElement[bool]] = [(c.table_name == "contact") & (c.row_id == contact_id)]
    for table, ids in link_ids.items():
        if ids:
            parts.append((c.table_name == table) & c.row_id.in_(ids))
    for term in terms:
        parts.append(func.lower(c.changes).contains(_json_fragment(term), autoescape=True))
        parts.append(func.lower(c.actor).contains(term, autoescape=True))
        parts.append(func.lower(c.reason).contains(term, autoescape=True))
    return or_(*parts)


def _json_fragment(term: str) -> str:
    """How ``term`` appears inside the history's JSON text (quotes and backslashes escaped)."""
    import json

    return json.dumps(term, ensure_ascii=False)[1:-1]


def link_row_ids(session: Session, contact_id: int) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for link in PERSON_LINKS:
        sa_table = table_of(link.table)
        stmt = select(sa_table.c.id).where(sa_table.c[link.column] == contact_id)
        ids[link.table] = [row_id for (row_id,) in session.execute(stmt)]
    return ids


def table_of(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def gather_person(session: Session, contact: Contact) -> PersonReport:
    assert contact.id is not None
    org = session.get(Organisation, contact.organisation_id) if contact.organisation_id else None
    team = session.get(Team, contact.team_id) if contact.team_id else None
    report = PersonReport(
        contact=row_values(contact),
        organisation=org.name if org else None,
        team=team.name if team else None,
    )
    cp, pilot = table_of("contact_pilot"), table_of("pilot")
    rows = session.execute(
        select(cp.c.pilot_id, pilot.c.name, cp.c.role)
        .join(pilot, pilot.c.id == cp.c.pilot_id)
        .where(cp.c.contact_id == contact.id)
        .order_by(pilot.c.name)
    )
    report.pilots = [{"pilot_id": r[0], "pilot": r[1], "role": r[2]} for r in rows]
    att, meeting = table_of("meeting_attendee"), table_of("meeting")
    rows = session.execute(
        select(meeting.c.id, meeting.c.held_at, meeting.c.title)
        .join(att, att.c.meeting_id == meeting.c.id)
        .where(att.c.contact_id == contact.id)
        .order_by(meeting.c.held_at)
    )
    report.meetings = [{"meeting_id": r[0], "held_at": r[1], "title": r[2]} for r in rows]
    for name, target in (("action", report.actions), ("barrier", report.barriers)):
        t = table_of(name)
        rows = session.execute(
            select(t.c.id, t.c.title, t.c.status).where(t.c.owner_id == contact.id).order_by(t.c.id)
        )
        target.extend({"id": r[0], "title": r[1], "status": r[2]} for r in rows)
    link_ids = link_row_ids(session, contact.id)
    for link in PERSON_LINKS:
        if link.table not in _OWN_SECTIONS:
            report.other_records.extend(
                {"table": link.table, "id": row_id, "as": link.column}
                for row_id in link_ids[link.table]
            )
    removed = removed_links(session, contact.id)
    report.pilots_removed = removed.rows["contact_pilot"]
    report.meetings_removed = removed.rows["meeting_attendee"]
    terms = identifying_terms(contact)
    change = table_of("change")
    condition = or_(
        history_condition(contact.id, link_ids, terms), change.c.id.in_(removed.change_ids)
    )
    changes = session.execute(select(Change).where(condition).order_by(change.c.id))
    report.history = [to_entry(row) for row in changes.scalars()]
    report.mentions = mentions(session, terms, exclude=("contact", contact.id))
    return report


def person_report(db: Database, who: str) -> PersonReport:
    """Everything held about the contact with this id or e-mail."""
    with db.read() as session:
        return gather_person(session, find_contact(session, who))
