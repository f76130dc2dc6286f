"""The filter query language: the pure parser, and the SQL it builds on a real database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import col

from pfpp_tui.models import Action, Barrier, Contact, FundingFlow, Meeting, Organisation, Pilot
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.query import (
    FieldTerm,
    Op,
    Query,
    QueryError,
    TextTerm,
    apply_query,
    fields_for,
    parse_query,
    pilot_clause,
)
from tests.exporters.programme_db import TODAY, build_programme_db

# --- parser ----------------------------------------------------------------------------------


def test_empty_query_has_no_terms() -> None:
    assert parse_query("") == Query()
    assert parse_query("   ") == Query()
    assert not parse_query("")


def test_free_text_and_phrases() -> None:
    assert parse_query('fuel "home office" -luton').terms == (
        TextTerm("fuel"),
        TextTerm("home office"),
        TextTerm("luton", negated=True),
    )


def test_field_words_with_quotes_aliases_and_negation() -> None:
    query = parse_query('pilot:luton org:"home office" -status:done Organisation:BEIS')
    assert query.terms == (
        FieldTerm("pilot", Op.IS, "luton"),
        FieldTerm("org", Op.IS, "home office"),
        FieldTerm("status", Op.IS, "done", negated=True),
        FieldTerm("org", Op.IS, "BEIS"),
    )
    assert query.fields == frozenset({"pilot", "org", "status"})


def test_due_comparisons() -> None:
    assert parse_query("due<7d due>2w due:overdue DUE:today").terms == (
        FieldTerm("due", Op.BEFORE, "7d"),
        FieldTerm("due", Op.AFTER, "2w"),
        FieldTerm("due", Op.IS, "overdue"),
        FieldTerm("due", Op.IS, "today"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('org:"home office', "unterminated quote"),
        ("pilot:", "needs a value"),
        ('pilot:""', "needs a value"),
        ("colour:red", "unknown filter field 'colour'"),
        ("due<soon", "not understood"),
        ("due:7d", "use due<7d"),
        ("due<2026-02-31", "not a real date"),
        ("status<open", "only due accepts"),
        ("luton - x", "'-' must be followed"),
    ],
)
def test_malformed_queries_say_why(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(text)


def test_canonical_text_round_trips() -> None:
    query = parse_query('-"pilot:x" org:"home office" fuel due<7d')
    assert str(query) == '-"pilot:x" org:"home office" fuel due<7d'
    assert parse_query(str(query)) == query


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab :<>-"due7dw\t\n' + "ütorg")), max_size=30))
def test_any_text_parses_or_raises_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError:
        return
    assert parse_query(str(query)) == query


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_parses_or_raises_query_error(text: str) -> None:
    """Any text is either a query error or a query whose printed form means the same query."""
    try:
        query = parse_query(text)
    except QueryError:
        return
    assert parse_query(str(query)) == query


# --- SQL -------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The programme on SQLite, then on PostgreSQL: the same SQL must work on both."""
    if request.param == "sqlite":
        location = str(tmp_path_factory.mktemp("query") / "programme.db")
    else:
        server = request.getfixturevalue("pg_server")
        name = f"pfpp_query_{uuid.uuid4().hex[:10]}"
        admin = server.admin_url.replace("+psycopg", "")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE pfpp_template")
        location = server.url_for(name)
    database = build_programme_db(location)
    yield database
    database.dispose()
    if request.param == "postgresql":
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


MODELS: dict[Entity, Any] = {
    Entity.CONTACTS: Contact,
    Entity.ORGANISATIONS: Organisation,
    Entity.PILOTS: Pilot,
    Entity.MEETINGS: Meeting,
    Entity.ACTIONS: Action,
    Entity.BARRIERS: Barrier,
    Entity.FUNDING: FundingFlow,
}
LABEL = {
    Entity.CONTACTS: "last_name",
    Entity.ORGANISATIONS: "name",
    Entity.PILOTS: "name",
    Entity.MEETINGS: "title",
    Entity.ACTIONS: "title",
    Entity.BARRIERS: "title",
    Entity.FUNDING: "pot",
}


def matching(db: Database, entity: Entity, text: str) -> set[str]:
    model = MODELS[entity]
    stmt = apply_query(select(model), entity, parse_query(text), today=TODAY)
    with db.read() as session:
        return {getattr(row, LABEL[entity]) for row in session.scalars(stmt)}


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        (Entity.CONTACTS, "patel", {"Patel"}),
        (Entity.CONTACTS, "priya patel", {"Patel"}),
        (Entity.CONTACTS, '"priya patel"', {"Patel"}),
        (Entity.CONTACTS, "fuel", {"Brown"}),  # team remit
        (Entity.CONTACTS, "pilot:luton", {"Patel", "Ågren"}),
        (Entity.CONTACTS, "pilot:luton -patel", {"Ågren"}),
        (Entity.CONTACTS, "-pilot:luton", {"Brown", "+1", "Link"}),
        (Entity.CONTACTS, 'org:"home office"', {"Patel"}),
        (Entity.CONTACTS, "org:beis", {"Brown"}),  # a former name still finds today's dept
        (Entity.CONTACTS, "-org:beis", {"Patel", "Ågren", "+1", "Link"}),
        (Entity.CONTACTS, "team:crime", {"Patel"}),
        (Entity.CONTACTS, "tag:buddy", {"Patel", "Ågren"}),
        (Entity.CONTACTS, "role:adviser", {"Brown"}),
        (Entity.CONTACTS, "100%", set()),  # LIKE wildcards are literal
        (Entity.CONTACTS, "priya_", set()),
        (Entity.CONTACTS, "fuel pilot:luton", set()),  # an OR inside an AND keeps its brackets
        (Entity.CONTACTS, "fuel -brown", set()),
        (Entity.CONTACTS, "-fuel -patel", {"Ågren", "+1", "Link"}),
        (Entity.CONTACTS, "homeoffice", {"Patel"}),  # e-mail
        (Entity.CONTACTS, '"home office"', {"Patel"}),  # organisation name, matched once
        (Entity.CONTACTS, "homes", {"Brown"}),  # team directorate
        (Entity.CONTACTS, "PATEL", {"Patel"}),
        (Entity.ORGANISATIONS, "org:BEIS", {"Department for Energy Security and Net Zero"}),
        (
            Entity.ORGANISATIONS,
            "kind:local",
            {"Luton Borough Council", "East Sussex County Council"},
        ),
        (
            Entity.ORGANISATIONS,
            "pilot:luton",
            {"Luton Borough Council", "Home Office"},  # lead, member's org, funder
        ),
        (Entity.ORGANISATIONS, "team:fuel", {"Department for Energy Security and Net Zero"}),
        (Entity.PILOTS, "rag:amber", {"Luton"}),
        (Entity.PILOTS, "fuel", {"East Sussex"}),
        (Entity.PILOTS, "org:luton", {"Luton"}),
        (Entity.MEETINGS, "kind:board", {"Luton town centre board"}),
        (Entity.MEETINGS, "pilot:luton", {"Luton town centre board"}),
        (Entity.MEETINGS, "org:beis", {"Fuel poverty roundtable"}),
        (Entity.MEETINGS, "night-time", {"Luton town centre board"}),  # decisions
        (
            Entity.ACTIONS,
            "status:open",
            {"Map the small grants", "Draft data-sharing agreement", "=1+1 think about it"},
        ),
        (Entity.ACTIONS, "status:closed", {"Book the site visit"}),
        (Entity.ACTIONS, "status:in", {"Draft data-sharing agreement"}),
        (Entity.ACTIONS, 'status:"in progress"', {"Draft data-sharing agreement"}),
        (Entity.ACTIONS, "owner:patel", {"Map the small grants", "=1+1 think about it"}),
        (Entity.ACTIONS, "due:overdue", {"Map the small grants"}),
        (
            Entity.ACTIONS,
            "due<7d status:open",
            {"Map the small grants", "Draft data-sharing agreement"},
        ),
        (Entity.ACTIONS, "due>3d", {"Draft data-sharing agreement"}),
        (Entity.ACTIONS, "due:none", {"=1+1 think about it"}),
        (Entity.ACTIONS, "category:funding", {"Map the small grants"}),
        (
            Entity.ACTIONS,
            "status:open owner:patel due<7d category:funding",
            {"Map the small grants"},
        ),
        (Entity.ACTIONS, "org:beis", {"Draft data-sharing agreement"}),
        (Entity.ACTIONS, "=1+1", {"=1+1 think about it"}),
        (Entity.BARRIERS, "severity:high", {"Three competing small grants"}),
        (Entity.BARRIERS, "category:data", {"Cannot share EPC data with the council"}),
        (
            Entity.BARRIERS,
            "status:open",
            {"Three competing small grants", "Cannot share EPC data with the council"},
        ),
        (Entity.BARRIERS, "org:desnz", {"Cannot share EPC data with the council"}),
        (Entity.BARRIERS, "status:new", {"Three competing small grants"}),
        (Entity.FUNDING, "org:home", {"Safer Streets Fund", "Rough sleeping grant"}),
        (Entity.FUNDING, "pilot:sussex year:2022", {"Home Upgrade Grant"}),
    ],
)
def test_queries_select_the_right_rows(
    db: Database, entity: Entity, text: str, expected: set[str]
) -> None:
    assert matching(db, entity, text) == expected


SQLITE: Any = sqlite_dialect.dialect()
POSTGRESQL: Any = postgresql_dialect.dialect()  # type: ignore[no-untyped-call]


def test_contact_free_text_has_no_correlated_subquery() -> None:
    """A rare word read every contact and looked up its team and organisation per row.

    From 3 characters on a word is looked up in the text index (migration 0003): FTS5 on
    SQLite, a UNION of id sets that the pg_trgm index serves on PostgreSQL. Shorter words keep
    the plain scan, whose team and organisation sets are matched once each.
    """
    stmt = apply_query(select(Contact), Entity.CONTACTS, parse_query("rare -word"))
    lite, pg = str(stmt.compile(dialect=SQLITE)), str(stmt.compile(dialect=POSTGRESQL))
    assert "EXISTS" not in lite and "EXISTS" not in pg
    assert lite.count("contact_search MATCH") == 2
    assert pg.count(" UNION ") == 4 and "contact_search" not in pg
    short = apply_query(select(Contact), Entity.CONTACTS, parse_query("ab"))
    for dialect in (SQLITE, POSTGRESQL):
        sql = str(short.compile(dialect=dialect))
        assert "EXISTS" not in sql and "UNION" not in sql and "MATCH" not in sql
        assert sql.count("contact.team_id IN (SELECT") == 1


def test_sqlite_uses_plain_like_and_postgresql_ilike() -> None:
    stmt = apply_query(select(Pilot), Entity.PILOTS, parse_query("fuel"))
    lite = str(stmt.compile(dialect=SQLITE))
    assert " LIKE " in lite and "lower(" not in lite and "= 1" not in lite
    assert " ILIKE " in str(stmt.compile(dialect=POSTGRESQL))


def test_negated_words_keep_rows_with_empty_columns(any_db: Database) -> None:
    """NOT (NULL LIKE ..) is NULL: a person without an e-mail must still pass ``-word``."""
    from pfpp_tui.models import ChangeSource
    from pfpp_tui.store.db.records import create_record

    for values in ({"first_name": "Ada", "email": None}, {"first_name": "Bo", "email": "b@x.org"}):
        create_record(any_db, table="contact", values=values, source=ChangeSource.CLI)

    def names(text: str) -> set[str]:
        stmt = apply_query(select(Contact), Entity.CONTACTS, parse_query(text))
        with any_db.read() as session:
            return {c.first_name for c in session.scalars(stmt)}

    assert names("-zzz") == {"Ada", "Bo"}
    assert names("-x.org") == {"Ada"}
    assert names("-ada") == {"Bo"}
    assert names("-org:zzz -team:zzz") == {"Ada", "Bo"}


@pytest.mark.parametrize(
    ("entity", "model", "expected"), [(Entity.BARRIERS, Barrier, 15), (Entity.ACTIONS, Action, 10)]
)
def test_principle_word_on_the_sample(
    sample_db: Database, entity: Entity, model: Any, expected: int
) -> None:
    stmt = apply_query(select(model), entity, parse_query("principle:trust"))
    negated = apply_query(select(model), entity, parse_query("-principle:trust"))
    with sample_db.read() as session:
        tagged = list(session.scalars(stmt))
        everything = list(session.scalars(select(model)))
        assert len(tagged) == expected
        assert len(list(session.scalars(negated))) == len(everything) - expected


def test_principle_word_is_known_where_it_means_something() -> None:
    assert parse_query("principle:trust").terms == (FieldTerm("principle", Op.IS, "trust"),)
    assert "principle" in fields_for(Entity.BARRIERS)
    assert "principle" in fields_for(Entity.ACTIONS)
    assert "principle" not in fields_for(Entity.CONTACTS)
    with pytest.raises(QueryError, match="principle:nonsense is not one of"):
        apply_query(select(Barrier), Entity.BARRIERS, parse_query("principle:nonsense"))
    with pytest.raises(QueryError, match="contacts cannot be filtered by principle"):
        apply_query(select(Contact), Entity.CONTACTS, parse_query("principle:trust"))
    with pytest.raises(QueryError, match="principle:trust"):
        parse_query("principle:")


def test_the_parser_stays_pure() -> None:
    """``query_parse`` imports no SQL layer: the TUI validates a filter as it is typed."""
    import subprocess
    import sys

    code = (
        "import sys, pfpp_tui.store.listing.query_parse\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_due_today(db: Database) -> None:
    stmt = apply_query(
        select(Action), Entity.ACTIONS, parse_query("due:today"), today=TODAY + timedelta(days=5)
    )
    with db.read() as session:
        assert [a.title for a in session.scalars(stmt)] == ["Draft data-sharing agreement"]


@pytest.mark.parametrize(
    ("entity", "text", "message"),
    [
        (Entity.CONTACTS, "severity:high", "contacts cannot be filtered by severity"),
        (Entity.FUNDING, "due<7d", "funding cannot be filtered by due"),
        (Entity.ACTIONS, "status:finished", "status:finished is not one of"),
        (Entity.BARRIERS, "severity:huge", "severity:huge is not one of"),
    ],
)
def test_fields_an_entity_lacks_are_query_errors(entity: Entity, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        apply_query(select(MODELS[entity]), entity, parse_query(text))


def test_every_entity_knows_pilot() -> None:
    for entity in Entity:
        assert "pilot" in fields_for(entity)


def test_pilot_clause_narrows_every_entity(db: Database) -> None:
    with db.read() as session:
        luton_id = session.scalars(select(col(Pilot.id)).where(col(Pilot.name) == "Luton")).one()
        assert luton_id is not None
        for entity, model in MODELS.items():
            rows = list(session.scalars(select(model).where(pilot_clause(entity, luton_id))))
            every = list(session.scalars(select(model)))
            assert rows, entity
            # Narrowing means some rows of the programme are left out, not merely that some match.
            assert len(rows) < len(every), entity
