"""The filter query language shared by ``pfpp export --filter`` and the TUI filter box.

Owns: parsing a line of query words into a ``Query`` (pure, no database) and turning a ``Query``
into SQLAlchemy where-clauses for one entity (``apply_query`` / ``where_clause``). It must not
execute SQL, and it uses only portable SQL (``ilike``, ``lower``, ``EXISTS``) so the same query
runs on SQLite and PostgreSQL.

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

Field words an entity does not have (``severity:`` on contacts) raise ``QueryError``; so does
anything malformed (an unterminated quote, an empty value, an unknown field, ``due<soon``).
Callers show ``str(error)`` to the user as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Select,
    and_,
    exists,
    false,
    not_,
    or_,
    select,
    true,
)
from sqlmodel import SQLModel

from pfpp_tui.errors import PfppError
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


class QueryError(PfppError):
    """A filter the user typed cannot be understood; the message says why, in one line."""


class Entity(StrEnum):
    """The record kinds a query (and an export) can be about."""

    CONTACTS = "contacts"
    ORGANISATIONS = "organisations"
    PILOTS = "pilots"
    MEETINGS = "meetings"
    ACTIONS = "actions"
    BARRIERS = "barriers"
    FUNDING = "funding"


class Op(StrEnum):
    IS = ":"
    BEFORE = "<"
    AFTER = ">"


@dataclass(frozen=True, slots=True)
class TextTerm:
    """Free text (a word or a quoted phrase) matched against an entity's text columns."""

    text: str
    negated: bool = False

    def __str__(self) -> str:
        return ("-" if self.negated else "") + _quote_text(self.text, negated=self.negated)


@dataclass(frozen=True, slots=True)
class FieldTerm:
    """``field:value`` (or ``due<value`` / ``due>value``); ``field`` is canonical lower case."""

    field: str
    op: Op
    value: str
    negated: bool = False

    def __str__(self) -> str:
        return f"{'-' if self.negated else ''}{self.field}{self.op.value}{_quote_value(self.value)}"


Term = TextTerm | FieldTerm


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter: every term must hold. The empty query matches everything."""

    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __str__(self) -> str:
        """Canonical text that ``parse_query`` turns back into an equal ``Query``."""
        return " ".join(str(term) for term in self.terms)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(t.field for t in self.terms if isinstance(t, FieldTerm))


# --- parsing ---------------------------------------------------------------------------------

KNOWN_FIELDS = frozenset(
    {
        "pilot",
        "org",
        "team",
        "owner",
        "status",
        "category",
        "severity",
        "due",
        "kind",
        "tag",
        "role",
        "stage",
        "rag",
        "year",
    }
)
FIELD_ALIASES = {
    "organisation": "org",
    "organization": "org",
    "place": "pilot",
    "tags": "tag",
    "cat": "category",
    "type": "kind",
}
_FIELD_RE = re.compile(r"([A-Za-z_]+)(:|<|>)")
_DURATION_RE = re.compile(r"(\d{1,5})([dw])", re.IGNORECASE)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUE_WORDS = frozenset({"overdue", "today", "none"})


def parse_query(text: str) -> Query:
    """Parse a line of query words; raise ``QueryError`` (one clear line) if it is malformed."""
    terms: list[Term] = []
    pos, end = 0, len(text)
    while pos < end:
        if text[pos].isspace():
            pos += 1
            continue
        negated = False
        if text[pos] == "-":
            if pos + 1 >= end or text[pos + 1].isspace():
                raise QueryError("a '-' must be followed by the word to exclude")
            negated = True
            pos += 1
        match = _FIELD_RE.match(text, pos)
        if text[pos] == '"':
            phrase, pos = _read_quoted(text, pos)
            if phrase.strip():
                terms.append(TextTerm(phrase, negated))
        elif match:
            name = match.group(1).lower()
            name = FIELD_ALIASES.get(name, name)
            if name not in KNOWN_FIELDS:
                raise QueryError(
                    f"unknown filter field {match.group(1)!r} "
                    f"(known: {', '.join(sorted(KNOWN_FIELDS))})"
                )
            op = Op(match.group(2))
            pos = match.end()
            if pos < end and text[pos] == '"':
                value, pos = _read_quoted(text, pos)
            else:
                value, pos = _read_bare(text, pos)
            value = value.strip()
            if not value:
                raise QueryError(f"{name}{op.value} needs a value, e.g. {_example(name)}")
            terms.append(_checked_field(FieldTerm(name, op, value, negated)))
        else:
            word, pos = _read_bare(text, pos)
            terms.append(TextTerm(word, negated))
    return Query(tuple(terms))


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    close = text.find('"', pos + 1)
    if close < 0:
        raise QueryError(f"unterminated quote in filter: {text[pos:]}")
    return text[pos + 1 : close], close + 1


def _read_bare(text: str, pos: int) -> tuple[str, int]:
    start = pos
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return text[start:pos], pos


def _example(name: str) -> str:
    return {"due": "due<7d or due:overdue", "org": 'org:"home office"'}.get(name, f"{name}:x")


def _checked_field(term: FieldTerm) -> FieldTerm:
    if term.field != "due":
        if term.op is not Op.IS:
            raise QueryError(f"only due accepts < and > (got {term.field}{term.op.value})")
        return term
    _due_spec(term)  # validates
    return term


def _due_spec(term: FieldTerm) -> tuple[str, int | date | None]:
    """Decode a due value into ("days", n) / ("date", d) / ("overdue"|"today"|"none", None)."""
    value = term.value.lower()
    if term.op is Op.IS and value in _DUE_WORDS:
        return value, None
    duration = _DURATION_RE.fullmatch(value)
    if duration:
        if term.op is Op.IS:
            raise QueryError(f"use due<{value} or due>{value}, not due:{value}")
        n = int(duration.group(1))
        return "days", n * 7 if duration.group(2) == "w" else n
    if _DATE_RE.fullmatch(value):
        try:
            return "date", date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"due: {term.value!r} is not a real date") from None
    raise QueryError(
        f"due{term.op.value}{term.value} not understood: use due<7d, due>2w, due:overdue, "
        "due:today, due:none or a date like due<2026-01-31"
    )


def _quote_text(text: str, *, negated: bool) -> str:
    # After a negating "-" the next character is read as part of the word, so a leading "-"
    # needs no quotes there. Words holding a '"' are always bare-safe (the parser only puts
    # a '"' in a word that did not start with one), so quoting never has to escape one.
    bare_ok = (
        text
        and not any(ch.isspace() for ch in text)
        and text[0] != '"'
        and (negated or text[0] != "-")
        and not _FIELD_RE.match(text)
    )
    return text if bare_ok else f'"{text}"'


def _quote_value(value: str) -> str:
    bare_ok = value and not any(ch.isspace() for ch in value) and value[0] != '"'
    return value if bare_ok else f'"{value}"'


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
        conditions.append(not_(cond) if term.negated else cond)
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


def _contains(column: Any, value: str) -> Condition:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    result: Condition = column.ilike(f"%{escaped}%", escape="\\")
    return result


def _any_contains(columns: tuple[Any, ...], value: str) -> Condition:
    return or_(false(), *(_contains(column, value) for column in columns))


def _person_matches(c: Any, value: str) -> Condition:
    full = c.first_name + " " + c.last_name
    return _any_contains((c.first_name, c.last_name, full, c.email), value)


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
        spec, arg = _due_spec(term)
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
    t, o = _alias(TEAM), _alias(ORGANISATION)
    return or_(
        _person_matches(CONTACT, value),
        _any_contains((CONTACT.role, CONTACT.notes, CONTACT.tags), value),
        exists(
            select(t.id).where(
                t.id == CONTACT.team_id, _any_contains((t.name, t.directorate, t.remit), value)
            )
        ),
        exists(
            select(o.id).where(
                o.id == CONTACT.organisation_id, _any_contains((o.name, o.short_name), value)
            )
        ),
    )


def _organisation_text(value: str) -> Condition:
    return or_(_org_matches(ORGANISATION, value), _contains(ORGANISATION.notes, value))


def _columns_text(*columns: Any) -> Callable[[str], Condition]:
    def build(value: str) -> Condition:
        return _any_contains(columns, value)

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
    },
    Entity.BARRIERS: {
        "pilot": _pilot_word(Entity.BARRIERS),
        "owner": _owner_word(BARRIER.owner_id),
        "org": _by_id(_org_by_id, BARRIER.escalated_to_organisation_id),
        "team": _by_id(_team_by_id, BARRIER.escalated_to_team_id),
        "status": _enum_word(BARRIER.status, BarrierStatus, _BARRIER_GROUPS),
        "category": _barrier_category,
        "severity": _barrier_severity,
    },
    Entity.FUNDING: {
        "pilot": _pilot_word(Entity.FUNDING),
        "org": _by_id(_org_by_id, FUNDING.source_organisation_id),
        "year": _contains_word(FUNDING.financial_year),
    },
}
"""Field words per entity; a word missing here is a ``QueryError`` for that entity."""
