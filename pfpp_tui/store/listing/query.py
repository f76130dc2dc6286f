"""The filter query language shared by ``pfpp export --filter`` and the TUI filter box.

Owns: turning a ``Query`` into SQLAlchemy where-clauses for one entity (``apply_query`` /
``where_clause``). Parsing lives in ``store.listing.query_parse`` (pure, no database) and is
re-exported here, so callers import every public name from this module. It must not execute SQL, and
it uses only portable SQL (``ilike``, ``IN``, ``EXISTS``) so the same query runs on SQLite and
PostgreSQL; the one engine-specific detail (a plain ``LIKE`` on SQLite, see ``_contains``) is
picked when the statement is compiled.

Speed: a free-text word on contacts must not cost a correlated look-up per row (100,000
contacts); organisation and team names are matched once into id sets, and from 3 characters
on the contact's own text is found through the text index of migration 0003 (``_contact_text``,
``store.db.search_index``): FTS5 ``MATCH`` on SQLite, the only engine-specific SQL besides
``_contains``, picked when the statement is compiled.

The language, word by word (words are ANDed)::

    luton               free text: names, e-mails, titles, notes (per entity, see TEXT_COLUMNS)
    "home office"       a quoted phrase is one word
    -luton              negation: rows that do NOT match the word (works for field words too)
    pilot:luton         field word: linked pilot's name contains "luton"
    org:"home office"   organisation (current, short or former name) contains "home office"
    team:  owner:  tag:  role:  kind:  year:       contains-matches on that field
    status:open         actions: not done/dropped; barriers: new/triaged/escalated;
                        status:closed is the opposite; literal statuses and unique prefixes work
    category:funding  severity:high  stage:delivery  rag:red     enum values (unique prefix ok)
    due<7d  due>3d      due on or before / after today + N days (d or w); due<2026-01-31
    due:overdue  due:today  due:none  due:2026-01-31
    principle:trust     barriers/actions tagged with that principle (unique prefix or word ok)

Field words an entity does not have (``severity:`` on contacts) raise ``QueryError``; so does
anything malformed (an unterminated quote, an empty value, an unknown field, ``due<soon``).
Callers show ``str(error)`` to the user as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    ColumnElement,
    FromClause,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from sqlmodel import SQLModel

from pfpp_tui.models import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    ActionStatus,
    BarrierCategory,
    BarrierStatus,
    PilotStage,
    Rag,
    Severity,
)
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.search_index import SEARCH_TABLE
from pfpp_tui.store.insight.principle_tags import principle_condition
from pfpp_tui.store.listing.query_parse import (
    FIELD_ALIASES,
    KNOWN_FIELDS,
    FieldTerm,
    Op,
    Query,
    QueryError,
    Term,
    TextTerm,
    due_spec,
    parse_query,
)

# --- turning a Query into SQL ----------------------------------------------------------------

_S = TypeVar("_S", bound=Select[Any])


class _Cols:
    """Typed attribute access to the columns of a table or of an alias of it.

    Core tables (not the SQLModel classes, whose attributes mypy sees as plain ints and strs)
    keep the SQL typed; an alias per subquery keeps correlation with the outer select exact.
    """

    __slots__ = ("table",)

    def __init__(self, table: FromClause) -> None:
        self.table = table

    def __getattr__(self, name: str) -> ColumnElement[Any]:
        column: ColumnElement[Any] = self.table.c[name]
        return column


def _table(name: str) -> _Cols:
    return _Cols(SQLModel.metadata.tables[name])


def _alias(cols: _Cols) -> _Cols:
    return _Cols(cols.table.alias())


# Importing pfpp_tui.models registered these tables on the metadata.
ACTION = _table("action")
BARRIER = _table("barrier")
CONTACT = _table("contact")
CONTACT_PILOT = _table("contact_pilot")
FUNDING = _table("funding_flow")
MEETING = _table("meeting")
ATTENDEE = _table("meeting_attendee")
ORGANISATION = _table("organisation")
FORMER_NAME = _table("organisation_former_name")
PILOT = _table("pilot")
TEAM = _table("team")
Condition = ColumnElement[bool]
_Builder = Callable[[FieldTerm, date], Condition]


def apply_query(stmt: _S, entity: Entity | str, query: Query, *, today: date | None = None) -> _S:
    """Narrow ``stmt`` (a select whose FROM holds the entity's table) to rows matching ``query``.

    ``today`` fixes the date that ``due<7d`` and ``due:overdue`` count from (tests pass one).
    """
    if not query:
        return stmt
    return stmt.where(where_clause(entity, query, today=today))


def where_clause(entity: Entity | str, query: Query, *, today: date | None = None) -> Condition:
    """The boolean SQL expression for ``query`` on ``entity`` (``true()`` when empty)."""
    kind = _entity(entity)
    day = today or date.today()
    conditions: list[Condition] = []
    for term in query.terms:
        if isinstance(term, TextTerm):
            cond = TEXT_BUILDERS[kind](term.text)
        else:
            builders = FIELD_BUILDERS[kind]
            builder = builders.get(term.field)
            if builder is None:
                raise QueryError(
                    f"{kind.value} cannot be filtered by {term.field}: "
                    f"(fields: {', '.join(sorted(builders))})"
                )
            cond = builder(term, day)
        conditions.append(_negated(cond) if term.negated else cond)
    return and_(true(), *conditions)


def fields_for(entity: Entity | str) -> tuple[str, ...]:
    """The field words ``entity`` understands, for help text and completion."""
    return tuple(sorted(FIELD_BUILDERS[_entity(entity)]))


def pilot_clause(entity: Entity | str, pilot_id: int) -> Condition:
    """Rows belonging to one pilot (``--pilot``): the same links ``pilot:`` follows."""
    return _pilot_link(_entity(entity), lambda p: p.id == pilot_id)


def _entity(entity: Entity | str) -> Entity:
    try:
        return Entity(entity)
    except ValueError:
        raise QueryError(f"unknown entity {entity!r}") from None


def _negated(cond: Condition) -> Condition:
    """``NOT cond`` where an unknown (NULL) match counts as no match, so it is excluded.

    ``NULL ILIKE '%x%'`` is NULL and ``NOT NULL`` is NULL again, which would drop a contact
    without an e-mail from ``-patel``; coalescing first keeps every row the word misses.
    """
    return not_(func.coalesce(cond, false(), type_=Boolean))


class _Contains(ColumnElement[bool]):
    """Case-insensitive "column contains value", with LIKE's wildcards taken literally.

    SQLAlchemy spells ``ilike`` on SQLite as ``lower(x) LIKE lower(y)``; SQLite's own ``LIKE``
    already ignores case exactly as far as its ``lower()`` does (ASCII), so the plain form
    gives the same rows at about half the cost per row, which matters on a 100,000-row scan.
    PostgreSQL keeps ``ILIKE``.
    """

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a predicate: no "= 1" after it on SQLite

    def __init__(self, column: ColumnElement[Any], pattern: str) -> None:
        self.column = column
        self.pattern = pattern

    _traverse_internals = [  # SQLAlchemy's cache key reads this class attribute
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_string),
    ]


@compiles(_Contains)
def _contains_sql(element: _Contains, compiler: SQLCompiler, **kw: Any) -> str:
    clause = element.column.ilike(element.pattern, escape="\\")
    return f"({compiler.process(clause, **kw)})"


@compiles(_Contains, "sqlite")
def _contains_sqlite(element: _Contains, compiler: SQLCompiler, **kw: Any) -> str:
    clause = element.column.like(element.pattern, escape="\\")
    return f"({compiler.process(clause, **kw)})"


def _contains(column: Any, value: str) -> Condition:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _Contains(column, f"%{escaped}%")


def _any_contains(columns: tuple[Any, ...], value: str) -> Condition:
    return or_(false(), *(_contains(column, value) for column in columns))


def _full_name(c: Any) -> ColumnElement[str]:
    """``first_name || ' ' || last_name``: a word in either name is in this too."""
    space: ColumnElement[str] = literal_column("' '")  # inline: one bind parameter fewer
    result: ColumnElement[str] = c.first_name.op("||")(space).op("||")(c.last_name)
    return result


def _person_matches(c: Any, value: str) -> Condition:
    return _any_contains((_full_name(c), c.email), value)


def _org_matches(o: Any, value: str) -> Condition:
    former = _alias(FORMER_NAME)
    return or_(
        _any_contains((o.name, o.short_name), value),
        exists(
            select(former.id).where(
                former.organisation_id == o.id,
                _any_contains((former.name, former.short_name), value),
            )
        ),
    )


def _org_by_id(org_id: Any, value: str) -> Condition:
    o = _alias(ORGANISATION)
    return exists(select(o.id).where(o.id == org_id, _org_matches(o, value)))


def _team_by_id(team_id: Any, value: str) -> Condition:
    t = _alias(TEAM)
    return exists(
        select(t.id).where(t.id == team_id, _any_contains((t.name, t.directorate), value))
    )


def _contact_by_id(contact_id: Any, match: Callable[[Any], Condition]) -> Condition:
    c = _alias(CONTACT)
    return exists(select(c.id).where(c.id == contact_id, match(c)))


def _pilot_link(kind: Entity, match: Callable[[Any], Condition]) -> Condition:
    p = _alias(PILOT)
    if kind is Entity.PILOTS:
        return match(PILOT)
    if kind is Entity.CONTACTS:
        cp = _alias(CONTACT_PILOT)
        return exists(
            select(cp.id)
            .join(p.table, p.id == cp.pilot_id)
            .where(cp.contact_id == CONTACT.id, match(p))
        )
    if kind is Entity.ORGANISATIONS:
        c, cp, f = _alias(CONTACT), _alias(CONTACT_PILOT), _alias(FUNDING)
        member = exists(
            select(cp.id)
            .join(c.table, c.id == cp.contact_id)
            .where(cp.pilot_id == p.id, c.organisation_id == ORGANISATION.id)
            .correlate_except(cp.table, c.table)
        )
        funder = exists(
            select(f.id)
            .where(f.pilot_id == p.id, f.source_organisation_id == ORGANISATION.id)
            .correlate_except(f.table)
        )
        return exists(
            select(p.id).where(
                match(p), or_(p.lead_organisation_id == ORGANISATION.id, member, funder)
            )
        )
    table: Any = {
        Entity.MEETINGS: MEETING,
        Entity.ACTIONS: ACTION,
        Entity.BARRIERS: BARRIER,
        Entity.FUNDING: FUNDING,
    }[kind]
    return exists(select(p.id).where(p.id == table.pilot_id, match(p)))


def _pilot_word(kind: Entity) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        return _pilot_link(kind, lambda p: _any_contains((p.name, p.project_name), term.value))

    return build


def _normalise(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().lower())


def _enum_values(
    term: FieldTerm, values: tuple[str, ...], groups: Mapping[str, frozenset[str]]
) -> frozenset[str]:
    """Resolve a value to enum values: a group word, an exact value or a unique prefix."""
    wanted = _normalise(term.value)
    if wanted in groups:
        return groups[wanted]
    if wanted in values:
        return frozenset({wanted})
    prefixed = [v for v in values if v.startswith(wanted)]
    if len(prefixed) == 1:
        return frozenset(prefixed)
    choices = ", ".join([*groups, *values])
    raise QueryError(f"{term.field}:{term.value} is not one of: {choices}")


def _enum_word(column: Any, enum: type[StrEnum], groups: Mapping[str, frozenset[str]]) -> _Builder:
    values = tuple(member.value for member in enum)

    def build(term: FieldTerm, _day: date) -> Condition:
        result: Condition = column.in_(sorted(_enum_values(term, values, groups)))
        return result

    return build


def _contains_word(*columns: Any) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        return _any_contains(columns, term.value)

    return build


def _kind_word(column: Any) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        return _contains(column, _normalise(term.value))

    return build


def _due_word(column: Any) -> _Builder:
    def build(term: FieldTerm, day: date) -> Condition:
        spec, arg = due_spec(term)
        if spec == "none":
            result: Condition = column.is_(None)
            return result
        if spec == "overdue":
            return and_(column < day, ACTION.status.in_(_OPEN_ACTIONS))
        if spec == "today":
            return and_(column == day)
        limit = day + timedelta(days=arg) if isinstance(arg, int) else arg
        assert isinstance(limit, date)
        if term.op is Op.BEFORE:
            return and_(column.is_not(None), column <= limit if spec == "days" else column < limit)
        if term.op is Op.AFTER:
            return and_(column.is_not(None), column > limit)
        return and_(column == limit)

    return build


def _status_groups(open_values: frozenset[Any], enum: type[StrEnum]) -> dict[str, frozenset[str]]:
    opened = frozenset(str(v) for v in open_values)
    return {"open": opened, "closed": frozenset(m.value for m in enum) - opened}


_OPEN_ACTIONS = sorted(str(s) for s in OPEN_ACTION_STATUSES)
_ACTION_GROUPS = _status_groups(OPEN_ACTION_STATUSES, ActionStatus)
_BARRIER_GROUPS = _status_groups(OPEN_BARRIER_STATUSES, BarrierStatus)


def _linked_barrier(barrier_id: Any, builder: _Builder) -> _Builder:
    """An action's category/severity words look at the barrier it works on."""

    def build(term: FieldTerm, day: date) -> Condition:
        return exists(select(BARRIER.id).where(BARRIER.id == barrier_id, builder(term, day)))

    return build


def _by_id(linker: Callable[[Any, str], Condition], column: Any) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        return linker(column, term.value)

    return build


def _owner_word(column: Any) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        return _contact_by_id(column, lambda c: _person_matches(c, term.value))

    return build


def _via_owner(column: Any, linker: Callable[[Any, str], Condition], attr: str) -> _Builder:
    """``org:``/``team:`` on actions: the owner's organisation or team."""

    def build(term: FieldTerm, _day: date) -> Condition:
        return _contact_by_id(column, lambda c: linker(getattr(c, attr), term.value))

    return build


def _attendee_word(attr: str, linker: Callable[[Any, str], Condition]) -> _Builder:
    def build(term: FieldTerm, _day: date) -> Condition:
        a, c = _alias(ATTENDEE), _alias(CONTACT)
        return exists(
            select(a.id)
            .join(c.table, c.id == a.contact_id)
            .where(a.meeting_id == MEETING.id, linker(getattr(c, attr), term.value))
        )

    return build


def _org_self(term: FieldTerm, _day: date) -> Condition:
    return _org_matches(ORGANISATION, term.value)


def _org_team(term: FieldTerm, _day: date) -> Condition:
    t = _alias(TEAM)
    return exists(
        select(t.id).where(
            t.organisation_id == ORGANISATION.id, _any_contains((t.name, t.directorate), term.value)
        )
    )


def _contact_text(value: str) -> Condition:
    """Contacts whose own text, team or organisation contains ``value``.

    Never a correlated look-up per row (that made a rare word cost ~0.5 s at 100,000
    contacts): teams and organisations are matched once, into id sets. From 3 characters on,
    the contact's own text is looked up in the text index of migration 0003 instead of read
    row by row; an ``OR`` of own text and the team/organisation sets kept both engines from
    using an index, so each engine gets its own shape (picked when the statement compiles):

    - SQLite (``_indexed``): the matches (FTS5 ``MATCH`` ids, UNION ALL the team's and
      organisation's contacts) are gathered once, at most ``_FEW`` of them. Fewer than that
      (a rare word): only ids between the lowest and highest match are read, each checked
      against the gathered set. ``_FEW`` or more (a common word): every row, in the listing's
      order, with the plain condition, so a window fills and stops at once as before. Either
      way each row is checked with the plain ``LIKE``s too, so the rows are exactly the scan's
      (FTS5 folds non-ASCII case, ``LIKE`` does not).
    - PostgreSQL: ``id IN (own UNION team's UNION organisation's)``, own text by ``ILIKE``
      (the pg_trgm GIN index serves it; exact, so no check again). A very common word pays
      for gathering all its matches first (~50 ms at 100,000 contacts).

    Shorter words have no trigram to look up: they read every row (``_contact_text_scan``).
    """
    if len(value) < _TRIGRAM:
        return _contact_text_scan(value)
    return _ContactIds(value)


_TRIGRAM = 3


def _team_ids(value: str) -> Select[Any]:
    t = _alias(TEAM)
    return select(t.id).where(_any_contains((t.name, t.directorate, t.remit), value))


def _org_ids(value: str) -> Select[Any]:
    o = _alias(ORGANISATION)
    return select(o.id).where(_any_contains((o.name, o.short_name), value))


def _own_text(c: Any) -> tuple[Any, ...]:
    return (_full_name(c), c.email, c.role, c.notes, c.tags)


def _contact_text_scan(value: str) -> Condition:
    """The match as one ``OR``, row by row (the table is read in the listing's order)."""
    return or_(
        _any_contains(_own_text(CONTACT), value),
        CONTACT.team_id.in_(_team_ids(value)),
        CONTACT.organisation_id.in_(_org_ids(value)),
    )


class _ContactIds(ColumnElement[bool]):
    """Contacts matching ``value`` through the text index, in each engine's shape.

    Own text's ids come from ``contact_search MATCH`` on SQLite (every trigram of the word: a
    superset of the substring matches, checked again with ``LIKE``) and from ``ILIKE`` on
    PostgreSQL (which the GIN index serves).
    """

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True

    def __init__(self, value: str) -> None:
        self.value = value

    _traverse_internals = [("value", InternalTraversal.dp_string)]


def _indexed(own: Select[Any], value: str) -> Condition:
    """SQLite's index-driven match; see ``_contact_text``. ``own`` selects one column, ``id``.

    ``found`` is referenced four times, so SQLite materializes it once per statement.
    """
    by_team, by_org = _alias(CONTACT), _alias(CONTACT)
    found = (
        union_all(
            own,
            select(by_team.id).where(by_team.team_id.in_(_team_ids(value))),
            select(by_org.id).where(by_org.organisation_id.in_(_org_ids(value))),
        )
        .limit(_FEW)
        .cte()
    )
    many = func.count() >= _FEW
    low = select(case((many, _MIN_ID), else_=func.min(found.c.id))).scalar_subquery()
    high = select(case((many, _MAX_ID), else_=func.max(found.c.id))).scalar_subquery()
    plain = _contact_text_scan(value)
    member: Condition = CONTACT.id.in_(select(found.c.id))
    common = select(func.count()).select_from(found).scalar_subquery() >= _FEW
    return and_(
        CONTACT.id >= low, CONTACT.id <= high, case((common, plain), else_=and_(member, plain))
    )


_FEW = 1000
_MIN_ID, _MAX_ID = -(2**63), 2**63 - 1


@compiles(_ContactIds)
def _contact_ids_sql(element: _ContactIds, compiler: SQLCompiler, **kw: Any) -> str:
    """PostgreSQL: ``id IN (own UNION team's UNION organisation's)``; see ``_contact_text``."""
    value = element.value
    c, by_team, by_org = _alias(CONTACT), _alias(CONTACT), _alias(CONTACT)
    ids = union(
        select(c.id).where(_any_contains(_own_text(c), value)),
        select(by_team.id).where(by_team.team_id.in_(_team_ids(value))),
        select(by_org.id).where(by_org.organisation_id.in_(_org_ids(value))),
    )
    return f"({compiler.process(CONTACT.id.in_(ids), **kw)})"


_SEARCH = sql_table(SEARCH_TABLE, sql_column("rowid"))


def trigram_query(value: str) -> str:
    """An FTS5 query for rows holding every trigram of ``value`` (at least 3 characters).

    The index keeps no positions (``detail=none``, migration 0004), so it answers "has all
    these trigrams", a superset of "contains the word"; ``_indexed`` checks each with ``LIKE``.
    """
    grams = dict.fromkeys(value[i : i + _TRIGRAM] for i in range(len(value) - _TRIGRAM + 1))
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


@compiles(_ContactIds, "sqlite")
def _contact_ids_sqlite(element: _ContactIds, compiler: SQLCompiler, **kw: Any) -> str:
    query = trigram_query(element.value)
    match = literal_column(SEARCH_TABLE).op("MATCH")(bindparam(None, query, String()))
    # Every trigram is not the word ("Pate Otello" holds those of "patel"): the candidates are
    # checked here, a row look-up each, so ``_indexed``'s id range spans true matches only.
    c = _alias(CONTACT)
    own = (
        select(c.id)
        .select_from(_SEARCH.join(c.table, c.id == _SEARCH.c.rowid))
        .where(match, _any_contains(_own_text(c), element.value))
    )
    return f"({compiler.process(_indexed(own, element.value), **kw)})"


def _organisation_text(value: str) -> Condition:
    return or_(_org_matches(ORGANISATION, value), _contains(ORGANISATION.notes, value))


def _columns_text(*columns: Any) -> Callable[[str], Condition]:
    def build(value: str) -> Condition:
        return _any_contains(columns, value)

    return build


def principle_builder(kind: str) -> Callable[[Any, date], ColumnElement[bool]]:
    """A ``FIELD_BUILDERS`` entry for ``principle:`` on ``kind`` ("barriers" or "actions")."""

    def build(term: Any, _day: date) -> ColumnElement[bool]:
        try:
            return principle_condition(kind, term.value)
        except ValueError as exc:
            raise QueryError(str(exc)) from None

    return build


TEXT_BUILDERS: dict[Entity, Callable[[str], Condition]] = {
    Entity.CONTACTS: _contact_text,
    Entity.ORGANISATIONS: _organisation_text,
    Entity.PILOTS: _columns_text(
        PILOT.name, PILOT.project_name, PILOT.local_challenge, PILOT.notes
    ),
    Entity.MEETINGS: _columns_text(MEETING.title, MEETING.notes, MEETING.decisions),
    Entity.ACTIONS: _columns_text(ACTION.title, ACTION.detail),
    Entity.BARRIERS: _columns_text(
        BARRIER.title, BARRIER.detail, BARRIER.escalation_note, BARRIER.resolution
    ),
    Entity.FUNDING: _columns_text(FUNDING.pot, FUNDING.outcome),
}
"""Free text per entity: which columns a plain word searches."""

_barrier_category = _enum_word(BARRIER.category, BarrierCategory, {})
_barrier_severity = _enum_word(BARRIER.severity, Severity, {})

FIELD_BUILDERS: dict[Entity, dict[str, _Builder]] = {
    Entity.CONTACTS: {
        "pilot": _pilot_word(Entity.CONTACTS),
        "org": _by_id(_org_by_id, CONTACT.organisation_id),
        "team": _by_id(_team_by_id, CONTACT.team_id),
        "tag": _contains_word(CONTACT.tags),
        "role": _contains_word(CONTACT.role),
    },
    Entity.ORGANISATIONS: {
        "pilot": _pilot_word(Entity.ORGANISATIONS),
        "org": _org_self,
        "team": _org_team,
        "kind": _kind_word(ORGANISATION.kind),
    },
    Entity.PILOTS: {
        "pilot": _pilot_word(Entity.PILOTS),
        "org": _by_id(_org_by_id, PILOT.lead_organisation_id),
        "stage": _enum_word(PILOT.stage, PilotStage, {}),
        "status": _enum_word(PILOT.stage, PilotStage, {}),
        "rag": _enum_word(PILOT.rag, Rag, {}),
    },
    Entity.MEETINGS: {
        "pilot": _pilot_word(Entity.MEETINGS),
        "kind": _kind_word(MEETING.kind),
        "org": _attendee_word("organisation_id", _org_by_id),
        "team": _attendee_word("team_id", _team_by_id),
    },
    Entity.ACTIONS: {
        "pilot": _pilot_word(Entity.ACTIONS),
        "owner": _owner_word(ACTION.owner_id),
        "org": _via_owner(ACTION.owner_id, _org_by_id, "organisation_id"),
        "team": _via_owner(ACTION.owner_id, _team_by_id, "team_id"),
        "status": _enum_word(ACTION.status, ActionStatus, _ACTION_GROUPS),
        "due": _due_word(ACTION.due_date),
        "category": _linked_barrier(ACTION.barrier_id, _barrier_category),
        "severity": _linked_barrier(ACTION.barrier_id, _barrier_severity),
        "principle": principle_builder("actions"),
    },
    Entity.BARRIERS: {
        "pilot": _pilot_word(Entity.BARRIERS),
        "owner": _owner_word(BARRIER.owner_id),
        "org": _by_id(_org_by_id, BARRIER.escalated_to_organisation_id),
        "team": _by_id(_team_by_id, BARRIER.escalated_to_team_id),
        "status": _enum_word(BARRIER.status, BarrierStatus, _BARRIER_GROUPS),
        "category": _barrier_category,
        "severity": _barrier_severity,
        "principle": principle_builder("barriers"),
    },
    Entity.FUNDING: {
        "pilot": _pilot_word(Entity.FUNDING),
        "org": _by_id(_org_by_id, FUNDING.source_organisation_id),
        "year": _contains_word(FUNDING.financial_year),
    },
}
"""Field words per entity; a word missing here is a ``QueryError`` for that entity."""

__all__ = [
    "FIELD_ALIASES",
    "FIELD_BUILDERS",
    "KNOWN_FIELDS",
    "TEXT_BUILDERS",
    "Condition",
    "FieldTerm",
    "Op",
    "Query",
    "QueryError",
    "Term",
    "TextTerm",
    "apply_query",
    "fields_for",
    "parse_query",
    "pilot_clause",
    "where_clause",
]
