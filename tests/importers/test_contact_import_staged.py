"""The streamed plan (records staged, duplicates and matches found with SQL) is exactly the
in-memory plan, on SQLite and PostgreSQL, whatever the records and the database hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.shapes.contacts import INSERT_FIELDS
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.imports import contact_import_plan, contact_import_staged
from pfpp_tui.store.imports.contact_import_model import ImportPlan, OnConflict
from pfpp_tui.store.imports.contact_import_plan import plan_import
from pfpp_tui.store.imports.contact_import_staged import STAGE, Sql, import_connection, plan_staged
from tests.importers.test_contact_import_plan import _seed_once, files
from tests.importers.test_contact_import_scale import _seed

SETTINGS = settings(
    max_examples=120,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)


def _memory(db: Database, parsed: list[ParsedFile], pilot: int | None, how: OnConflict) -> Any:
    with db.read() as session:
        plan = plan_import(session, parsed, pilot_id=pilot, on_conflict=how)
    return _as_data(plan, plan.inserts, [ref for ref in plan.links if ref > 0])


def _streamed(db: Database, parsed: list[ParsedFile], pilot: int | None, how: OnConflict) -> Any:
    with import_connection(db) as conn:
        plan = plan_staged(conn, db.is_sqlite, parsed, pilot_id=pilot, on_conflict=how)
        rows = Sql(conn, db.is_sqlite).rows(
            f"SELECT {', '.join(INSERT_FIELDS)} FROM {STAGE} WHERE fresh = 1 ORDER BY seq"
        )
    assert plan.staged == len(rows)
    return _as_data(plan, [tuple(row) for row in rows], plan.links)


def _as_data(plan: ImportPlan, inserts: list[Any], links: list[int]) -> tuple[object, ...]:
    updates = [(e.id, e.version, e.values, e.original) for e in plan.updates]
    return (plan.summaries, plan.errors, plan.new_orgs, plan.new_teams, inserts, links, updates)


@given(files(), st.booleans(), st.sampled_from(list(OnConflict)))
@SETTINGS
def test_staged_plan_is_the_memory_plan(
    any_db: Database, parsed: list[ParsedFile], with_pilot: bool, how: OnConflict
) -> None:
    _seed_once(any_db)
    pilot = 1 if with_pilot else None
    assert _streamed(any_db, parsed, pilot, how) == _memory(any_db, parsed, pilot, how)


@st.composite
def _people(draw: st.DrawFn) -> list[ParsedFile]:
    """Names, e-mails and organisations that match seeded contacts (with and without an
    e-mail, the same name in two organisations), each other, or nothing."""
    records = [
        ContactRecord(
            line,
            draw(st.sampled_from(["Ada", "Bob", "", "ADA "])),
            draw(st.sampled_from(["Lovelace", ""])),
            draw(
                st.sampled_from(
                    [
                        None,
                        "a@x.example",
                        "A@x.example",
                        "b@x.example",
                        "c@x.example",
                        f"n{line}@x.example",
                    ]
                )
            ),
            organisation=draw(st.sampled_from([None, "DfE", "Defra", "New"])),
            team=draw(st.sampled_from([None, "Skills", "Floods"])),
            role=draw(st.sampled_from(["", "Adviser", "Lead"])),
        )
        for line in range(2, draw(st.integers(1, 8)) + 2)
    ]
    return [ParsedFile(Path("f.csv"), "csv", records)]


@given(_people(), st.sampled_from(list(OnConflict)), st.sampled_from([0, 1_000_000]))
@SETTINGS
def test_staged_plan_matches_existing_contacts_as_the_memory_plan(
    any_db: Database, parsed: list[ParsedFile], how: OnConflict, per_record: int
) -> None:
    """Matched two groups a step (``_HEADS``), against the memory plan reading what the file
    names and reading every contact."""
    _seed(any_db)
    contact_import_plan.PRELOAD_PER_RECORD = per_record
    try:
        memory = _memory(any_db, parsed, None, how)
    finally:
        contact_import_plan.PRELOAD_PER_RECORD = 1
    original = contact_import_staged._HEADS
    contact_import_staged._HEADS = 2
    try:
        streamed = _streamed(any_db, parsed, None, how)
    finally:
        contact_import_staged._HEADS = original
    assert streamed == memory


def test_a_dry_run_on_a_read_only_database_stages_and_plans(any_db: Database) -> None:
    """Staging is a TEMP table: a database opened read-only (PostgreSQL: every transaction
    read-only) still answers a dry run, and the real run is refused in one line."""
    import pytest

    from pfpp_tui.errors import DatabaseReadOnlyError
    from pfpp_tui.store.db.database import open_database
    from pfpp_tui.store.imports.contact_import import import_contacts

    records = [ContactRecord(2, "Ada", "", "ada@x.example"), ContactRecord(3, "Ada", "", None)]
    location = any_db.location
    where = str(location.path) if location.path else location.url.render_as_string(False)
    read_only = open_database(where, read_only=True)
    try:
        plan = import_contacts(read_only, [ParsedFile(Path("f.csv"), "csv", records)], dry_run=True)
        assert (plan.summaries[0].added, plan.summaries[0].unchanged) == (1, 1)
        with pytest.raises(DatabaseReadOnlyError):
            import_contacts(read_only, [ParsedFile(Path("f.csv"), "csv", records)])
    finally:
        read_only.dispose()


def test_matching_reads_the_contacts_of_one_step_at_a_time(db: Database, monkeypatch: Any) -> None:
    """Re-importing a file: each step reads the contacts of its own groups, never all of them
    (a million-row re-import would otherwise hold a million contacts)."""
    from pfpp_tui.store.imports.contact_import import import_contacts

    records = [ContactRecord(n, f"P{n}", "", f"p{n}@x.example") for n in range(2, 52)]
    assert import_contacts(db, [ParsedFile(Path("f.csv"), "csv", records)]).summaries[0].added == 50
    read: list[int] = []
    real_maps = contact_import_staged.contact_maps

    def counted(rows: Any, planned: Any = None) -> Any:
        rows = list(rows)
        read.append(len(rows))
        return real_maps(rows, planned)

    monkeypatch.setattr(contact_import_staged, "contact_maps", counted)
    monkeypatch.setattr(contact_import_staged, "_HEADS", 10)
    plan = import_contacts(db, [ParsedFile(Path("f.csv"), "csv", records)])
    assert (plan.summaries[0].added, plan.summaries[0].unchanged) == (0, 50)
    assert read == [10] * 5
