"""Planning's fast paths plan exactly what the record-by-record loop plans."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource, Organisation
from pfpp_tui.shapes.contacts import INSERT_FIELDS
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.imports import contact_import_plan
from pfpp_tui.store.imports.contact_import_model import ImportPlan
from pfpp_tui.store.imports.contact_import_plan import plan_import

ORGS = [None, "", "DfE", "dfe", " Department  for Education ", "Defra", "New Org", "new org"]
TEAMS = [None, "", "Floods", "floods", "Skills", "Orphan"]


@st.composite
def record(draw: st.DrawFn, line: int, file: int) -> ContactRecord:
    # Mostly distinct e-mails (the fast path), sometimes none or a shared one (the loop).
    email = [None, f"P{line % 3}@x.example"] + [f"p{file}.{line}@x.example"] * 8
    return ContactRecord(
        line,
        draw(st.sampled_from(["", "Ada", "Bob"])),
        draw(st.sampled_from(["", "Lovelace", "Smith"])),
        draw(st.sampled_from(email)),
        draw(st.sampled_from([(), ("other@x.example",)])),
        draw(st.sampled_from([None, "020 7946 0000"])),
        None,
        draw(st.sampled_from([(), ("07700 900456",)])),
        draw(st.sampled_from(ORGS)),
        draw(st.sampled_from(TEAMS)),
        draw(st.sampled_from(["", "Adviser"])),
        draw(st.sampled_from(["", "Note"])),
        draw(st.sampled_from([(), ("PfPP",), ("PfPP", "Luton")])),
    )


@st.composite
def files(draw: st.DrawFn) -> list[ParsedFile]:
    found = []
    for n in range(draw(st.integers(1, 3))):
        records = [draw(record(line, n)) for line in range(2, draw(st.integers(0, 8)) + 2)]
        found.append(ParsedFile(Path(f"f{n}.csv"), "csv", records))
    return found


def _seed_once(db: Database) -> None:
    """DfE with a Skills team (the same database serves every example)."""
    with db.read() as session:
        if session.get(Organisation, 1) is not None:
            return
    org = create_record(db, table="organisation", values={"name": "DfE"}, source=ChangeSource.CLI)
    create_record(
        db,
        table="team",
        values={"name": "Skills", "organisation_id": org.id},
        source=ChangeSource.CLI,
    )


def _plan(db: Database, parsed: list[ParsedFile], pilot_id: int | None) -> ImportPlan:
    with db.read() as session:
        return plan_import(session, parsed, pilot_id=pilot_id)


def _as_data(plan: ImportPlan) -> tuple[object, ...]:
    return (plan.summaries, plan.new_orgs, plan.new_teams, plan.inserts, plan.links)


@given(files(), st.booleans())
@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
def test_fast_collapse_plans_what_the_loop_plans(
    db: Database, parsed: list[ParsedFile], with_pilot: bool
) -> None:
    _seed_once(db)
    pilot_id = 1 if with_pilot else None
    fast = _plan(db, parsed, pilot_id)
    original = getattr(contact_import_plan, "collapse_distinct")  # noqa: B009
    setattr(contact_import_plan, "collapse_distinct", lambda *args: None)  # noqa: B010
    try:
        slow = _plan(db, parsed, pilot_id)
    finally:
        setattr(contact_import_plan, "collapse_distinct", original)  # noqa: B010
    assert _as_data(fast) == _as_data(slow)


def test_fast_collapse_with_existing_organisations(db: Database) -> None:
    org = create_record(db, table="organisation", values={"name": "DfE"}, source=ChangeSource.CLI)
    create_record(
        db,
        table="team",
        values={"name": "Skills", "organisation_id": org.id},
        source=ChangeSource.CLI,
    )
    records = [
        ContactRecord(2, "Ada", "", "a@x.example", organisation="dfe", team="skills"),
        ContactRecord(3, "Bob", "", "b@x.example", organisation="New", team="Floods"),
        ContactRecord(4, "Cy", "", "c@x.example", team="Orphan", extra_emails=("d@x.example",)),
    ]
    parsed = [ParsedFile(Path("f.csv"), "csv", records)]
    fast = _plan(db, parsed, None)
    assert fast.new_orgs == ["New"]
    assert fast.new_teams == [(-1, "Floods")]
    row = dict(zip(INSERT_FIELDS, fast.inserts[2], strict=True))
    assert [r[INSERT_FIELDS.index("organisation_id")] for r in fast.inserts] == [org.id, -1, None]
    assert row["notes"] == "Other e-mails: d@x.example\nTeam: Orphan"
    assert row["email_key"] == "c@x.example"
