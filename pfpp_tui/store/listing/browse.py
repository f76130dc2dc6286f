"""Paged, sorted, filtered listings for the TUI sections, plus counts and record look-ups.

Owns: which columns each section shows and how they are computed in SQL; fetching one window
of rows (``fetch_page``: ORDER BY + LIMIT/OFFSET, never all rows); counting; the overview
counts; and fuzzy look-up of records by name (autocomplete, "Go to ..."). The detail pane's
linked records live in ``store.listing.browse_links``. Everything returned is a plain frozen
dataclass, safe to hand from a worker thread to the UI. Must not import Textual or return ORM
objects.

Filters use the shared query language (``store.listing.query``); teams, which that language has no
entity for, get a plain contains-match on name, directorate and remit.

Sorting: blanks (NULL: no due date, never met, no lead) come last whichever way a column is
sorted, on both engines (SQLite puts NULLs first ascending, PostgreSQL last; ``_ordered``
says which). "Due, soonest first" then ends with the undated actions, and reversing it gives
the latest first, still followed by the undated ones: a blank is not a very early or a very
late date. Ties are broken by id, so every listing has one total order and OFFSET windows
never repeat or skip a row, across the dated/undated boundary too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.sql import FromClause
from sqlmodel import SQLModel

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import OPEN_ACTION_STATUSES, OPEN_BARRIER_STATUSES
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.query import parse_query, where_clause
from pfpp_tui.store.listing.sections import SECTIONS as SECTIONS  # the sections' data
from pfpp_tui.store.listing.sections import BrowseRow as BrowseRow
from pfpp_tui.store.listing.sections import Column as Column
from pfpp_tui.store.listing.sections import Page as Page
from pfpp_tui.store.listing.sections import Section as Section
from pfpp_tui.store.listing.sections import cell_text, decorate

T = SQLModel.metadata.tables
PILOT, CONTACT, ORG, TEAM = T["pilot"], T["contact"], T["organisation"], T["team"]
MEETING, ACTION, BARRIER = T["meeting"], T["action"], T["barrier"]
ATTENDEE, FORMER = T["meeting_attendee"], T["organisation_former_name"]
OPEN_ACTIONS = sorted(s.value for s in OPEN_ACTION_STATUSES)
OPEN_BARRIERS = sorted(s.value for s in OPEN_BARRIER_STATUSES)


def _person(c: FromClause) -> ColumnElement[Any]:
    full = func.trim(c.c.first_name + " " + c.c.last_name)
    return func.coalesce(func.nullif(full, ""), c.c.email, "")


def _source(section: Section) -> tuple[FromClause, dict[str, ColumnElement[Any]]]:
    """The FROM clause and the SQL for each column of ``section``."""
    key = section.key
    if key == "pilots":
        lead = ORG.alias("lead")
        return PILOT.outerjoin(lead, lead.c.id == PILOT.c.lead_organisation_id), {
            "name": PILOT.c.name, "lead": lead.c.name, "stage": PILOT.c.stage,
            "rag": PILOT.c.rag, "start": PILOT.c.start_date, "end": PILOT.c.end_date,
        }  # fmt: skip
    if key == "contacts":
        o, t = ORG.alias("o"), TEAM.alias("t")
        last = (
            select(func.max(MEETING.c.held_at))
            .join(ATTENDEE, ATTENDEE.c.meeting_id == MEETING.c.id)
            .where(ATTENDEE.c.contact_id == CONTACT.c.id)
            .scalar_subquery()
        )
        frm = CONTACT.outerjoin(o, o.c.id == CONTACT.c.organisation_id).outerjoin(
            t, t.c.id == CONTACT.c.team_id
        )
        return frm, {
            "name": _person(CONTACT), "org": func.coalesce(o.c.short_name, o.c.name),
            "team": t.c.name, "role": CONTACT.c.role, "email": CONTACT.c.email, "last_met": last,
        }  # fmt: skip
    if key == "organisations":
        teams = select(func.count()).where(TEAM.c.organisation_id == ORG.c.id).scalar_subquery()
        people = select(func.count()).where(CONTACT.c.organisation_id == ORG.c.id).scalar_subquery()
        return ORG, {
            "name": ORG.c.name, "short": ORG.c.short_name, "kind": ORG.c.kind,
            "teams": teams, "people": people,
        }  # fmt: skip
    if key == "teams":
        o = ORG.alias("o")
        return TEAM.join(o, o.c.id == TEAM.c.organisation_id), {
            "name": TEAM.c.name, "org": func.coalesce(o.c.short_name, o.c.name),
            "directorate": TEAM.c.directorate, "remit": TEAM.c.remit,
        }  # fmt: skip
    p = PILOT.alias("p")
    if key == "meetings":
        count = select(func.count()).where(ATTENDEE.c.meeting_id == MEETING.c.id).scalar_subquery()
        return MEETING.outerjoin(p, p.c.id == MEETING.c.pilot_id), {
            "when": MEETING.c.held_at, "title": MEETING.c.title, "kind": MEETING.c.kind,
            "pilot": p.c.name, "attendees": count,
        }  # fmt: skip
    owner = CONTACT.alias("owner")
    if key == "actions":
        frm = ACTION.outerjoin(owner, owner.c.id == ACTION.c.owner_id).outerjoin(
            p, p.c.id == ACTION.c.pilot_id
        )
        return frm, {
            "title": ACTION.c.title, "owner": _person(owner), "pilot": p.c.name,
            "due": ACTION.c.due_date, "status": ACTION.c.status,
        }  # fmt: skip
    if key == "barriers":
        return BARRIER.outerjoin(p, p.c.id == BARRIER.c.pilot_id), {
            "title": BARRIER.c.title, "category": BARRIER.c.category,
            "severity": BARRIER.c.severity, "status": BARRIER.c.status, "pilot": p.c.name,
            "raised": BARRIER.c.raised_on,
        }  # fmt: skip
    raise NotFoundError(f"no section {key!r}")


def _filter(section: Section, text: str) -> ColumnElement[bool]:
    """The WHERE for the filter text; raises ``QueryError`` for a malformed filter."""
    if not text.strip():
        return true()
    if section.key == "teams":
        words = parse_query(text).terms
        conds = []
        for word in words:
            value = f"%{getattr(word, 'text', getattr(word, 'value', ''))}%"
            conds.append(
                or_(TEAM.c.name.ilike(value), TEAM.c.directorate.ilike(value),
                    TEAM.c.remit.ilike(value))
            )  # fmt: skip
        return and_(true(), *conds)
    return where_clause(Entity(section.key), parse_query(text))


def _base_table(section: Section) -> FromClause:
    return T[section.table]


def _descending(section: Section, sort_key: str, descending: bool | None) -> bool:
    """The direction asked for; unsaid, the default order's own, else ascending."""
    if descending is not None:
        return descending
    return section.default_descending if sort_key == section.default_sort else False


def _ordered(column: ColumnElement[Any], descending: bool) -> ColumnElement[Any]:
    """``column`` in the direction asked for, blanks (NULL) last either way, on both engines."""
    return (column.desc() if descending else column.asc()).nulls_last()


def fetch_page(
    db: Database,
    section_key: str,
    *,
    filter_text: str = "",
    sort: str | None = None,
    descending: bool | None = None,
    offset: int = 0,
    limit: int = 100,
    today: date | None = None,
) -> Page:
    """One window of rows, sorted (ties broken by id) and filtered; never more than ``limit``."""
    section = SECTIONS[section_key]
    frm, cols = _source(section)
    base = _base_table(section)
    sort_key = sort or section.default_sort
    desc = _descending(section, sort_key, descending)
    by_id = base.c.id.desc() if desc else base.c.id.asc()
    order: list[ColumnElement[Any]] = [by_id]
    if sort_key != "id":
        order = [_ordered(cols[section.column(sort_key).key], desc), by_id]
    extra = CONTACT.c.archived if section.key == "contacts" else literal(None)
    stmt: Select[Any] = (
        select(base.c.id, extra, *(cols[c.key] for c in section.columns))
        .select_from(frm)
        .where(_filter(section, filter_text))
        .order_by(*order)
        .offset(max(offset, 0))
        .limit(limit)
    )
    day = today or date.today()
    rows: list[BrowseRow] = []
    with db.read() as session:
        for raw in session.execute(stmt):
            values = dict(zip((c.key for c in section.columns), raw[2:], strict=True))
            cells = [cell_text(v, key, section.table) for key, v in values.items()]
            decorate(section, cells, values, raw[1], day)
            rows.append(BrowseRow(int(raw[0]), tuple(cells)))
    return Page(offset, tuple(rows))


def count_rows(db: Database, section_key: str, *, filter_text: str = "") -> int:
    section = SECTIONS[section_key]
    frm, _ = _source(section)
    base = _base_table(section)
    stmt = select(func.count(base.c.id)).select_from(frm).where(_filter(section, filter_text))
    with db.read() as session:
        return int(session.execute(stmt).scalar_one())


def position_of(
    db: Database,
    section_key: str,
    row_id: int,
    *,
    sort: str | None = None,
    descending: bool | None = None,
) -> int | None:
    """Where ``row_id`` sits in the unfiltered listing (to move the cursor to it), or None.

    Counts the rows ``fetch_page`` puts before it: a blank sorts after every value (see
    ``_ordered``), so a row with a value has only valued rows before it, and a blank row has
    all of those plus the blank rows that come first by id.
    """
    section = SECTIONS[section_key]
    frm, cols = _source(section)
    base = _base_table(section)
    key = sort or section.default_sort
    desc = _descending(section, key, descending)
    before_id = base.c.id > row_id if desc else base.c.id < row_id
    with db.read() as session:
        exists = session.execute(select(base.c.id).where(base.c.id == row_id)).first()
        if exists is None:
            return None
        if key == "id":
            cond: ColumnElement[bool] = before_id
        else:
            column = cols[section.column(key).key]
            this_row = select(column).select_from(frm).where(base.c.id == row_id)
            if session.execute(this_row).scalar() is None:
                cond = or_(column.is_not(None), and_(column.is_(None), before_id))
            else:
                value = this_row.scalar_subquery()
                earlier = column > value if desc else column < value
                cond = or_(earlier, and_(column == value, before_id))
        stmt = select(func.count()).select_from(frm).where(cond)
        return int(session.execute(stmt).scalar_one())


@dataclass(frozen=True, slots=True)
class OverviewCounts:
    counts: dict[str, int]
    open_actions: int
    overdue_actions: int
    open_barriers: int
    database: str


def overview_counts(db: Database, *, today: date | None = None) -> OverviewCounts:
    day = today or date.today()
    with db.read() as session:

        def scalar(stmt: Select[Any]) -> int:
            return int(session.execute(stmt).scalar_one())

        counts = {
            key: scalar(select(func.count()).select_from(T[s.table])) for key, s in SECTIONS.items()
        }
        open_a = ACTION.c.status.in_(OPEN_ACTIONS)
        return OverviewCounts(
            counts=counts,
            open_actions=scalar(select(func.count()).where(open_a)),
            overdue_actions=scalar(select(func.count()).where(open_a, ACTION.c.due_date < day)),
            open_barriers=scalar(select(func.count()).where(BARRIER.c.status.in_(OPEN_BARRIERS))),
            database=db.display_name,
        )


# --- labels and fuzzy look-up ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A record offered by autocomplete or "Go to": what to show and what to store."""

    table: str
    id: int
    label: str
    score: float = 0.0
    # What tells two alike apart, shown beside the label: a person's organisation and e-mail,
    # a barrier's or action's pilot and id ("Luton · #12"). Empty when nothing is known.
    context: str = ""


def _label_sql(table: str) -> tuple[FromClause, ColumnElement[Any], tuple[Any, ...]]:
    """FROM, the label expression and the columns a search word may match for ``table``."""
    if table == "pilot":
        return PILOT, PILOT.c.name, (PILOT.c.name, PILOT.c.project_name)
    if table == "contact":
        return CONTACT, _person(CONTACT), (
            CONTACT.c.first_name, CONTACT.c.last_name, CONTACT.c.email
        )  # fmt: skip
    if table == "organisation":
        label = ORG.c.name + func.coalesce(" (" + ORG.c.short_name + ")", "")
        return ORG, label, (ORG.c.name, ORG.c.short_name)
    if table == "team":
        o = ORG.alias("o")
        label = TEAM.c.name + " — " + func.coalesce(o.c.short_name, o.c.name)
        return TEAM.join(o, o.c.id == TEAM.c.organisation_id), label, (TEAM.c.name, o.c.name)
    if table == "meeting":
        label = func.substr(cast(MEETING.c.held_at, String), 1, 10) + " " + MEETING.c.title
        return MEETING, label, (MEETING.c.title,)
    if table in ("action", "barrier"):
        tbl = T[table]
        return tbl, tbl.c.title, (tbl.c.title,)
    raise NotFoundError(f"records of kind {table!r} cannot be looked up by name")


def labels_for(db: Database, table: str, ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    frm, label, _ = _label_sql(table)
    base = T[table]
    stmt = select(base.c.id, label).select_from(frm).where(base.c.id.in_(list(ids)))
    with db.read() as session:
        return {int(i): str(lbl or "") for i, lbl in session.execute(stmt)}


def search_records(
    db: Database,
    table: str,
    text: str,
    *,
    limit: int = 8,
    candidates: int = 300,
    within: tuple[str, int] | None = None,
    prefer_pilot: int | None = None,
) -> list[Choice]:
    """Records of ``table`` whose name fuzzily matches ``text``, best first.

    ``prefer_pilot``: the records of that pilot come first (its people, for a person; its
    barriers and actions), each keeping its rank among its own — after a record named exactly
    what was typed, whichever its pilot ("harpreet patel" is Harpreet Patel even where the
    pilot has a Harpreet Wood). Every choice carries its ``context`` (``choice_context``).

    SQL narrows the candidates, then rapidfuzz ranks them. Narrowing first asks for rows that
    contain every typed word, and only when that finds too few does it widen to rows containing
    any word's first four letters (typos, partial names). No SQL ordering: sorting 100k matches
    by label cost ~100 ms, and rapidfuzz ranks the candidates anyway. An empty ``text`` lists
    the first few alphabetically. ``within`` (column, id) keeps only rows whose column holds
    that id: a contact form's teams of the chosen organisation, ``("organisation_id", 7)``.
    """
    frm, label, columns = _label_sql(table)
    base = T[table]
    scope = [base.c[within[0]] == within[1]] if within is not None else []
    words = [w for w in text.lower().split() if w]
    preferred = _of_pilot(table, prefer_pilot)
    if not words:
        first = [] if preferred is None else [preferred.desc()]
        stmt = (
            select(base.c.id, label).select_from(frm).where(*scope)
            .order_by(*first, label).limit(limit)
        )  # fmt: skip
        with db.read() as session:
            plain = [Choice(table, int(i), str(lbl or "")) for i, lbl in session.execute(stmt)]
            return _with_context(session, plain)
    every_word = and_(*(or_(*(col.ilike(f"%{w}%") for col in columns)) for w in words))
    any_prefix = or_(*(col.ilike(f"%{w[:4]}%") for w in words for col in columns))
    found: dict[int, str] = {}
    with db.read() as session:
        for condition in (every_word, any_prefix):
            stmt = (
                select(base.c.id, label).select_from(frm).where(condition, *scope).limit(candidates)
            )
            found.update((int(i), str(lbl or "")) for i, lbl in session.execute(stmt))
            if len(found) >= limit:
                break
        ranked = process.extract(text, found, scorer=fuzz.WRatio, limit=None, score_cutoff=40)
        if preferred is not None and ranked:
            ids = [int(key) for _lbl, _score, key in ranked]
            ours = {
                int(i)
                for (i,) in session.execute(select(base.c.id).where(base.c.id.in_(ids), preferred))
            }
            # Stable: the rank is kept within each group.
            ranked.sort(key=lambda hit: (not names_exactly(text, hit[0]), int(hit[2]) not in ours))
        plain = [Choice(table, int(key), lbl, float(score)) for lbl, score, key in ranked[:limit]]
        return _with_context(session, plain)


def names_exactly(text: str, *names: str) -> bool:
    """Whether ``text`` is one of ``names`` as typed (case and spacing aside)."""
    typed = " ".join(text.lower().split())
    return bool(typed) and any(" ".join(n.lower().split()) == typed for n in names)


def _of_pilot(table: str, pilot_id: int | None) -> ColumnElement[bool] | None:
    """Whether a row of ``table`` belongs to the pilot (a person: is one of its people)."""
    if pilot_id is None:
        return None
    if table == "contact":
        members = T["contact_pilot"]
        return CONTACT.c.id.in_(select(members.c.contact_id).where(members.c.pilot_id == pilot_id))
    if table in ("action", "barrier", "meeting"):
        return T[table].c.pilot_id == pilot_id
    return None


def described(
    db: Database, table: str, ids: Sequence[int], *, prefer_pilot: int | None = None
) -> tuple[dict[int, str], set[int]]:
    """For records found another way (a picker's own search): each one's ``context`` and
    which of them belong to ``prefer_pilot``."""
    if not ids:
        return {}, set()
    with db.read() as session:
        shown = _with_context(session, [Choice(table, int(i), "") for i in ids])
        preferred = _of_pilot(table, prefer_pilot)
        ours: set[int] = set()
        if preferred is not None:
            stmt = select(T[table].c.id).where(T[table].c.id.in_(list(ids)), preferred)
            ours = {int(i) for (i,) in session.execute(stmt)}
    return {c.id: c.context for c in shown}, ours


def _with_context(session: Any, choices: list[Choice]) -> list[Choice]:
    """The choices with their ``context``, looked up for all of them in one query."""
    if not choices:
        return choices
    table, ids = choices[0].table, [c.id for c in choices]
    base = T[table]
    if table == "contact":
        org = func.coalesce(ORG.c.short_name, ORG.c.name)
        stmt = (
            select(base.c.id, org, base.c.email)
            .select_from(base.outerjoin(ORG, ORG.c.id == base.c.organisation_id))
            .where(base.c.id.in_(ids))
        )
        found = {int(i): " · ".join(p for p in (o, e) if p) for i, o, e in session.execute(stmt)}
    elif table in ("action", "barrier", "meeting"):
        stmt = (
            select(base.c.id, PILOT.c.name)
            .select_from(base.outerjoin(PILOT, PILOT.c.id == base.c.pilot_id))
            .where(base.c.id.in_(ids))
        )
        found = {
            int(i): " · ".join(p for p in (name, f"#{i}") if p) for i, name in session.execute(stmt)
        }
    else:
        return choices
    return [replace(c, context=found.get(c.id, "")) for c in choices]
