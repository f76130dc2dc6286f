"""Everything the database holds about one person (UK GDPR subject access).

Owns the list of places a contact is linked from (``PERSON_LINKS``) and ``person_report``,
which gathers the contact, their pilots, the meetings they attended, the actions and barriers
they own, the history rows about them and free-text mentions of them. Erasure
(``store.history.erasure``) walks the same list, so a table that links to ``contact`` is either
handled by both or caught by the schema-walking test; the mentions come from the one mention set
both use (``store.history.person_mentions``), so show lists exactly what erase rewrites. Read-only:
nothing here writes.

A subject access request covers what was held, not only what is held now: pilot memberships
and meeting attendances that were removed are read back from the change history
(``store.history.person_removed``), with when and by whom, and listed apart, marked removed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
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
from pfpp_tui.rules import email_key
from pfpp_tui.store.db.changes import HistoryEntry, to_entry, to_json_value
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import row_values
from pfpp_tui.store.history.person_mentions import find_mentions, table_of
from pfpp_tui.store.history.person_removed import removed_links

_IN_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


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


def history_about(
    session: Session, contact_id: int, link_ids: dict[str, list[int]], ids: Iterable[int]
) -> list[Change]:
    """Change rows about this person, oldest first: their contact row, their link rows, ``ids``."""
    c = table_of("change").c
    parts: list[ColumnElement[bool]] = [(c.table_name == "contact") & (c.row_id == contact_id)]
    for table, row_ids in link_ids.items():
        for start in range(0, len(row_ids), _IN_CHUNK):
            chunk = row_ids[start : start + _IN_CHUNK]
            parts.append((c.table_name == table) & c.row_id.in_(chunk))
    rows = {row.id: row for row in session.execute(select(Change).where(or_(*parts))).scalars()}
    wanted = sorted(set(ids) - set(rows))
    for start in range(0, len(wanted), _IN_CHUNK):
        stmt = select(Change).where(c.id.in_(wanted[start : start + _IN_CHUNK]))
        rows.update((row.id, row) for row in session.execute(stmt).scalars())
    return [rows[i] for i in sorted(rows, key=lambda i: i or 0)]


def link_row_ids(session: Session, contact_id: int) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for link in PERSON_LINKS:
        sa_table = table_of(link.table)
        stmt = select(sa_table.c.id).where(sa_table.c[link.column] == contact_id)
        ids[link.table] = [row_id for (row_id,) in session.execute(stmt)]
    return ids


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
    found = find_mentions(session, contact)
    changes = history_about(session, contact.id, link_ids, [*found.history, *removed.change_ids])
    report.history = [to_entry(row) for row in changes]
    report.mentions = found.text
    return report


def person_report(db: Database, who: str) -> PersonReport:
    """Everything held about the contact with this id or e-mail."""
    with db.read() as session:
        return gather_person(session, find_contact(session, who))
