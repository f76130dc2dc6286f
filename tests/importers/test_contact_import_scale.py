"""An import's cost follows the file, and its write never holds the lock for long (issue 17.10).

- Planning a small import on a database of many contacts reads the contacts the file can match
  (by its e-mails, its organisations, contacts without an e-mail that share a name), not every
  contact: counted in rows loaded and statements run, not timed.
- Those targeted look-ups plan exactly what reading every contact plans (a property test over
  existing contacts with and without e-mails, names shared across organisations).
- No transaction of an import writes more than ``contact_import_stage.CHUNK`` contacts: counted
  at each commit by a second connection, not timed.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.imports import contact_import_plan, contact_import_stage
from pfpp_tui.store.imports.contact_import import import_contacts
from pfpp_tui.store.imports.contact_import_model import ImportPlan
from pfpp_tui.store.imports.contact_import_plan import plan_import

MANY = 20_000


def _records(count: int, start: int = 0, **extra: Any) -> list[ContactRecord]:
    return [
        ContactRecord(
            n + 2,
            f"First{n}",
            f"Last{n}",
            f"person{n}@dept{n % 40}.example",
            organisation=f"Department {n % 40}",
            **extra,
        )
        for n in range(start, start + count)
    ]


def test_planning_a_small_import_reads_what_the_file_names_not_the_database(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = ParsedFile(Path("big.csv"), "csv", _records(MANY))
    assert import_contacts(db, [big]).summaries[0].added == MANY
    create_record(db, table="contact", values={"first_name": "No", "last_name": "Email"},
                  source=ChangeSource.CLI)  # fmt: skip
    small = ParsedFile(
        Path("small.csv"),
        "csv",
        [*_records(3, start=100), ContactRecord(9, "New", "Person", "new@x.example"),
         ContactRecord(10, "No", "Email", None)],
    )  # fmt: skip
    loaded: list[int] = []
    real_lookups = contact_import_plan._Lookups

    class Counted(real_lookups):  # type: ignore[misc,valid-type]
        def _contacts(self, *args: Any) -> dict[int, Any]:
            found = super()._contacts(*args)
            loaded.append(len(found))
            return found

    monkeypatch.setattr(contact_import_plan, "_Lookups", Counted)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.read() as session:
            plan = plan_import(session, [small])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # Three matched by e-mail and one by name (no e-mail, no organisation), all unchanged.
    assert [(s.added, s.unchanged) for s in plan.summaries] == [(1, 4)] and not plan.updates
    # Those four contacts were read, not the 20,001.
    assert loaded == [4]
    assert len(statements) <= 12, statements


@st.composite
def _people(draw: st.DrawFn, line: int) -> ContactRecord:
    return ContactRecord(
        line,
        draw(st.sampled_from(["Ada", "Bob", ""])),
        draw(st.sampled_from(["Lovelace", ""])),
        draw(st.sampled_from([None, "a@x.example", "b@x.example", f"n{line}@x.example"])),
        organisation=draw(st.sampled_from([None, "DfE", "Defra"])),
    )


@st.composite
def _files(draw: st.DrawFn) -> list[ParsedFile]:
    records = [draw(_people(line)) for line in range(2, draw(st.integers(1, 6)) + 2)]
    return [ParsedFile(Path("f.csv"), "csv", records)]


def _seed(db: Database) -> None:
    """Contacts with and without e-mails, the same names in two organisations."""
    with db.read() as session:
        if session.get(contact_import_plan.Contact, 1) is not None:
            return
    orgs = [
        create_record(db, table="organisation", values={"name": n}, source=ChangeSource.CLI).id
        for n in ("DfE", "Defra")
    ]
    people = [
        {"first_name": "Ada", "last_name": "Lovelace", "organisation_id": orgs[0]},
        {"first_name": "Ada", "last_name": "Lovelace", "email": "a@x.example"},
        {"first_name": "Bob", "last_name": "", "organisation_id": orgs[1]},
        {"first_name": "Ada", "last_name": "Lovelace", "organisation_id": orgs[1],
         "email": "c@x.example"},
        {"first_name": "Ada", "last_name": "Lovelace", "organisation_id": orgs[1]},
        {"first_name": "", "last_name": "Lovelace"},
    ]  # fmt: skip
    for values in people:
        create_record(db, table="contact", values=values, source=ChangeSource.CLI)


def _as_data(plan: ImportPlan) -> tuple[object, ...]:
    updates = [(e.id, e.values) for e in plan.updates]
    return (plan.summaries, plan.new_orgs, plan.new_teams, plan.inserts, plan.links, updates)


@given(_files())
# Ada '' collapses with the later Bob Lovelace (same e-mail) into Ada Lovelace, a name no file
# record has: the earlier Ada Lovelace at Defra (id 4) has an e-mail, so the new e-mail claims
# nobody (id 5 is not the first Ada Lovelace there) and the group is added.
@example(
    [
        ParsedFile(
            Path("f.csv"),
            "csv",
            [
                ContactRecord(2, "Ada", "", "b@x.example", organisation="Defra"),
                ContactRecord(3, "Bob", "Lovelace", "b@x.example"),
            ],
        )
    ]
)
@settings(
    max_examples=120,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
def test_targeted_lookups_plan_what_reading_every_contact_plans(
    db: Database, parsed: list[ParsedFile]
) -> None:
    _seed(db)
    plans = []
    for per_record in (0, 1_000_000):  # look up what the file names; read every contact
        contact_import_plan.PRELOAD_PER_RECORD = per_record
        try:
            with db.read() as session:
                plans.append(_as_data(plan_import(session, parsed, pilot_id=None)))
        finally:
            contact_import_plan.PRELOAD_PER_RECORD = 1
    assert plans[0] == plans[1]


def test_no_import_transaction_writes_more_than_a_chunk_of_contacts(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted at every commit by another connection: what each transaction added."""
    monkeypatch.setattr(contact_import_stage, "YIELD_S", 0)
    assert db.location.path is not None
    watcher = sqlite3.connect(db.location.path)
    seen: list[int] = []

    def at_commit(_conn: Any) -> None:  # before the COMMIT: the watcher sees the last one's
        seen.append(int(watcher.execute("SELECT count(*) FROM contact").fetchone()[0]))

    event.listen(db.engine, "commit", at_commit)
    try:
        rows = contact_import_stage.CHUNK * 2 + 500
        parsed = ParsedFile(Path("big.csv"), "csv", _records(rows))
        assert import_contacts(db, [parsed]).summaries[0].added == rows
    finally:
        event.remove(db.engine, "commit", at_commit)
    seen.append(int(watcher.execute("SELECT count(*) FROM contact").fetchone()[0]))
    watcher.close()
    added = [after - before for before, after in itertools.pairwise(seen)]
    assert seen[-1] == rows
    assert max(added) <= contact_import_stage.CHUNK, added
    assert sum(1 for n in added if n) >= 3


def test_an_e_mail_saved_by_someone_else_mid_write_is_theirs_and_the_rest_is_written(
    any_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the import's deciding step and its contacts, an editor saves one of the same
    e-mails: the editor's contact is kept, the import writes the others and says so."""
    real_wrote = any_db.wrote

    def editor_saves_meanwhile() -> None:
        real_wrote()
        monkeypatch.setattr(any_db, "wrote", real_wrote)
        create_record(any_db, table="contact", values={"first_name": "Editor's",
                      "email": "PERSON1@dept1.example"}, source=ChangeSource.TUI)  # fmt: skip

    monkeypatch.setattr(any_db, "wrote", editor_saves_meanwhile)
    plan = import_contacts(any_db, [ParsedFile(Path("f.csv"), "csv", _records(3))])
    assert plan.overtaken == 1
    assert any("1 contact not added: someone saved the same e-mail" in line
               for line in plan.new_records_lines(done=True))  # fmt: skip
    with any_db.read() as session:
        rows = sorted(
            session.execute(text("SELECT first_name, import_batch_id IS NULL FROM contact"))
        )
        added = session.execute(text("SELECT contacts_added FROM import_batch")).scalar_one()
    assert rows == [("Editor's", True), ("First0", False), ("First2", False)]
    assert added == 2
