"""One record with its linked records: what the TUI's detail pane and record view show.

Owns: the link queries per kind of record — a person's organisation, team, pilots, meetings
attended and actions owned; a pilot's partners, open actions (overdue first), barriers by
category and funding; an organisation's teams, people, former names and barriers escalated to
it; and the equivalents for teams, meetings, actions and barriers. Each group is capped
(``LINK_LIMIT``) with its true total, so a department with 10,000 people stays cheap.
Returns frozen dataclasses only; no Textual, no ORM objects leave a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, case, func, select
from sqlalchemy.orm import Session

from pfpp_tui.models import OPEN_ACTION_STATUSES, BarrierCategory, BarrierStatus, PilotRole
from pfpp_tui.models.labels import column_label, label
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import load_row, row_values
from pfpp_tui.store.insight.principle_tags import principles_in
from pfpp_tui.store.listing.browse import (
    ACTION,
    ATTENDEE,
    BARRIER,
    CONTACT,
    FORMER,
    MEETING,
    ORG,
    PILOT,
    TEAM,
    T,
    _person,
)

LINK_LIMIT = 12
CONTACT_PILOT, FUNDING = T["contact_pilot"], T["funding_flow"]
OPEN_ACTIONS = sorted(s.value for s in OPEN_ACTION_STATUSES)
_HIDDEN = frozenset({"id", "version", "email_key", "phone_e164", "created_at", "updated_at"})


@dataclass(frozen=True, slots=True)
class LinkItem:
    table: str
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class LinkGroup:
    title: str
    items: tuple[LinkItem, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Detail:
    """A record as the UI shows it: labelled fields, link groups, and raw values for editing."""

    table: str
    id: int
    version: int
    title: str
    fields: tuple[tuple[str, str], ...]
    groups: tuple[LinkGroup, ...]
    values: dict[str, Any]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, StrEnum):
        return label(value)
    if hasattr(value, "isoformat"):
        return str(
            value.isoformat(sep=" ", timespec="minutes")
            if hasattr(value, "hour")
            else value.isoformat()
        )
    return str(value)


class _Links:
    """Collects link groups for one record inside one read session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.groups: list[LinkGroup] = []

    def add(
        self,
        title: str,
        table: str,
        frm: FromClause,
        label: ColumnElement[Any],
        where: ColumnElement[bool],
        order: list[Any] | None = None,
        id_col: Any = None,
    ) -> None:
        ident = id_col if id_col is not None else T[table].c.id
        stmt: Select[Any] = select(ident, label).select_from(frm).where(where)
        total = int(
            self.session.execute(select(func.count()).select_from(frm).where(where)).scalar_one()
        )
        if total == 0:
            return
        rows = self.session.execute(stmt.order_by(*(order or [])).limit(LINK_LIMIT))
        items = tuple(LinkItem(table, int(i), str(lbl or "")) for i, lbl in rows)
        self.groups.append(LinkGroup(title, items, total))

    def one(self, title: str, table: str, row_id: int | None, label_col: Any) -> None:
        if row_id is None:
            return
        tbl = T[table]
        label = self.session.execute(select(label_col).where(tbl.c.id == row_id)).scalar()
        if label is not None:
            self.groups.append(LinkGroup(title, (LinkItem(table, row_id, str(label)),), 1))


def _labelled(column: ColumnElement[Any], vocabulary: type[StrEnum]) -> ColumnElement[Any]:
    """SQL giving the label of a vocabulary column's value (an unknown value shows as stored)."""
    return case({m.value: label(m) for m in vocabulary}, value=column, else_=column)


def _action_label(today: date) -> ColumnElement[Any]:
    overdue = (ACTION.c.due_date < today) & ACTION.c.status.in_(OPEN_ACTIONS)
    due = func.coalesce(" (due " + func.cast(ACTION.c.due_date, ACTION.c.title.type) + ")", "")
    return case((overdue, "! "), else_="") + ACTION.c.title + due


def _action_order(today: date) -> list[Any]:
    overdue = (ACTION.c.due_date < today) & ACTION.c.status.in_(OPEN_ACTIONS)
    return [case((overdue, 0), else_=1), ACTION.c.due_date.is_(None), ACTION.c.due_date]


def _meeting_label() -> ColumnElement[Any]:
    when = func.substr(func.cast(MEETING.c.held_at, MEETING.c.title.type), 1, 10)
    return when + " " + MEETING.c.title


def _collect(links: _Links, table: str, row_id: int, v: dict[str, Any], today: date) -> None:
    org_label = ORG.c.name
    if table == "contact":
        links.one("Organisation", "organisation", v["organisation_id"], org_label)
        links.one("Team", "team", v["team_id"], TEAM.c.name)
        links.add(
            "Pilots",
            "pilot",
            PILOT.join(CONTACT_PILOT, CONTACT_PILOT.c.pilot_id == PILOT.c.id),
            PILOT.c.name + " · " + _labelled(CONTACT_PILOT.c.role, PilotRole),
            CONTACT_PILOT.c.contact_id == row_id,
            [PILOT.c.name],
        )
        links.add(
            "Meetings attended",
            "meeting",
            MEETING.join(ATTENDEE, ATTENDEE.c.meeting_id == MEETING.c.id),
            _meeting_label(),
            ATTENDEE.c.contact_id == row_id,
            [MEETING.c.held_at.desc()],
        )
        links.add(
            "Actions owned",
            "action",
            ACTION,
            _action_label(today),
            ACTION.c.owner_id == row_id,
            _action_order(today),
        )
    elif table == "pilot":
        links.one("Lead organisation", "organisation", v["lead_organisation_id"], org_label)
        org = ORG.alias("o")
        partner = _person(CONTACT) + func.coalesce(" · " + org.c.name, "")
        links.add(
            "Partners",
            "contact",
            CONTACT.join(CONTACT_PILOT, CONTACT_PILOT.c.contact_id == CONTACT.c.id).outerjoin(
                org, org.c.id == CONTACT.c.organisation_id
            ),
            partner,
            CONTACT_PILOT.c.pilot_id == row_id,
            [CONTACT.c.last_name],
        )
        links.add(
            "Open actions",
            "action",
            ACTION,
            _action_label(today),
            (ACTION.c.pilot_id == row_id) & ACTION.c.status.in_(OPEN_ACTIONS),
            _action_order(today),
        )
        links.add(
            "Barriers",
            "barrier",
            BARRIER,
            # "(Escalated)", not "[Escalated]": Textual markup would take a capitalised word in
            # square brackets for a tag and drop it.
            _labelled(BARRIER.c.category, BarrierCategory)
            + ": "
            + BARRIER.c.title
            + " ("
            + _labelled(BARRIER.c.status, BarrierStatus)
            + ")",
            BARRIER.c.pilot_id == row_id,
            [BARRIER.c.category, BARRIER.c.raised_on],
        )
        links.add(
            "Funding",
            "pilot",
            FUNDING,
            FUNDING.c.financial_year
            + " "
            + FUNDING.c.pot
            + ": £"
            + func.cast(FUNDING.c.amount_gbp, FUNDING.c.pot.type),
            FUNDING.c.pilot_id == row_id,
            [FUNDING.c.financial_year],
            id_col=FUNDING.c.pilot_id,
        )
        links.add(
            "Meetings",
            "meeting",
            MEETING,
            _meeting_label(),
            MEETING.c.pilot_id == row_id,
            [MEETING.c.held_at.desc()],
        )
    elif table == "organisation":
        links.one("Part of", "organisation", v["parent_id"], org_label)
        links.add(
            "Former names",
            "organisation",
            FORMER,
            FORMER.c.name
            + func.coalesce(
                " (until " + func.cast(FORMER.c.renamed_on, FORMER.c.name.type) + ")", ""
            ),
            FORMER.c.organisation_id == row_id,
            [FORMER.c.renamed_on],
            id_col=FORMER.c.organisation_id,
        )
        links.add(
            "Teams", "team", TEAM, TEAM.c.name, TEAM.c.organisation_id == row_id, [TEAM.c.name]
        )
        links.add(
            "People",
            "contact",
            CONTACT,
            _person(CONTACT),
            CONTACT.c.organisation_id == row_id,
            [CONTACT.c.last_name],
        )
        links.add(
            "Barriers escalated here",
            "barrier",
            BARRIER,
            BARRIER.c.title,
            BARRIER.c.escalated_to_organisation_id == row_id,
            [BARRIER.c.raised_on],
        )
        links.add(
            "Pilots led",
            "pilot",
            PILOT,
            PILOT.c.name,
            PILOT.c.lead_organisation_id == row_id,
            [PILOT.c.name],
        )
    elif table == "team":
        links.one("Organisation", "organisation", v["organisation_id"], org_label)
        links.add(
            "People",
            "contact",
            CONTACT,
            _person(CONTACT),
            CONTACT.c.team_id == row_id,
            [CONTACT.c.last_name],
        )
        links.add(
            "Barriers escalated here",
            "barrier",
            BARRIER,
            BARRIER.c.title,
            BARRIER.c.escalated_to_team_id == row_id,
            [BARRIER.c.raised_on],
        )
    elif table == "meeting":
        links.one("Pilot", "pilot", v["pilot_id"], PILOT.c.name)
        links.add(
            "Attendees",
            "contact",
            CONTACT.join(ATTENDEE, ATTENDEE.c.contact_id == CONTACT.c.id),
            _person(CONTACT),
            ATTENDEE.c.meeting_id == row_id,
            [CONTACT.c.last_name],
        )
        links.add(
            "Actions agreed",
            "action",
            ACTION,
            _action_label(today),
            ACTION.c.meeting_id == row_id,
            _action_order(today),
        )
        links.add(
            "Barriers raised",
            "barrier",
            BARRIER,
            BARRIER.c.title,
            BARRIER.c.meeting_id == row_id,
            [BARRIER.c.id],
        )
    elif table in ("action", "barrier"):
        links.one("Owner", "contact", v["owner_id"], _person(CONTACT))
        links.one("Pilot", "pilot", v["pilot_id"], PILOT.c.name)
        links.one("Meeting", "meeting", v["meeting_id"], _meeting_label())
        if table == "action":
            links.one("Barrier", "barrier", v["barrier_id"], BARRIER.c.title)
        else:
            links.one("Escalated to", "organisation", v["escalated_to_organisation_id"], org_label)
            links.one("Escalated to team", "team", v["escalated_to_team_id"], TEAM.c.name)
            links.add(
                "Actions",
                "action",
                ACTION,
                _action_label(today),
                ACTION.c.barrier_id == row_id,
                _action_order(today),
            )


_TITLE_FIELDS = ("name", "title")
# Field names whose capitalised form would read wrong ("Rag").
_FIELD_TITLES = {"rag": "RAG"}


def _field_title(name: str) -> str:
    return _FIELD_TITLES.get(name) or name.replace("_", " ").capitalize()


def _field_text(table: str, name: str, value: Any) -> str:
    """A field's value for reading: a vocabulary value by its label ("In progress")."""
    if value is None or value == "":
        return "—"
    shown = column_label(table, name, value)
    return _shown(value) if shown is None else shown


def record_detail(db: Database, table: str, row_id: int, *, today: date | None = None) -> Detail:
    """The record and its link groups; ``NotFoundError`` when it no longer exists."""
    day = today or date.today()
    with db.read() as session:
        values = row_values(load_row(session, table, row_id))
        links = _Links(session)
        _collect(links, table, row_id, values, day)
        tagged = table in ("barrier", "action")
        tags = principles_in(session, kind=table, row_id=row_id) if tagged else []
    if table == "contact":
        title = " ".join(p for p in (values["first_name"], values["last_name"]) if p)
        title = title or str(values.get("email") or f"person {row_id}")
    else:
        title = next((str(values[f]) for f in _TITLE_FIELDS if f in values), f"{table} {row_id}")
    shown = [
        *(
            (_field_title(name), _field_text(table, name, value))
            for name, value in values.items()
            if name not in _HIDDEN and not name.endswith("_id")
        ),
        ("Updated", _shown(values.get("updated_at"))),
    ]
    if tagged:  # right after the status, so the pane's first few fields include it
        at = next((i + 1 for i, (label, _) in enumerate(shown) if label == "Status"), 0)
        shown.insert(at, ("Principles", ", ".join(t.value for t in tags) or "—"))
    return Detail(
        table=table,
        id=row_id,
        version=int(values["version"]),
        title=title,
        fields=tuple(shown),
        groups=tuple(links.groups),
        values=values,
    )
