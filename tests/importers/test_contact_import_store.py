"""The database side of contact import, on SQLite and PostgreSQL: matching, merging, history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pfpp_tui.importers.base import ContactRecord, ParsedFile, RowError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.changes import history_entries
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.imports.contact_import import OnConflict, import_contacts


def parsed(*records: ContactRecord, errors: tuple[RowError, ...] = ()) -> ParsedFile:
    return ParsedFile(Path("in.csv"), "csv", list(records), list(errors))


def rows(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql))]


def contacts(db: Database) -> list[tuple[Any, ...]]:
    return rows(
        db,
        "SELECT c.first_name, c.last_name, c.email, o.name, t.name, c.role, c.phone, c.notes "
        "FROM contact c LEFT JOIN organisation o ON o.id = c.organisation_id "
        "LEFT JOIN team t ON t.id = c.team_id ORDER BY c.id",
    )


def counts(plan: Any) -> tuple[int, int, int, int]:
    s = plan.summaries[0]
    return (s.added, s.updated, s.unchanged, s.refused)


def seed_department(db: Database) -> int:
    org = create_record(
        db,
        table="organisation",
        values={"name": "Department for Energy Security and Net Zero", "short_name": "DESNZ"},
        source=ChangeSource.CLI,
    )
    create_record(
        db,
        table="organisation_former_name",
        values={
            "organisation_id": org.id,
            "name": "Department for Business, Energy and Industrial Strategy",
            "short_name": "BEIS",
        },
        source=ChangeSource.CLI,
    )
    create_record(
        db,
        table="team",
        values={"organisation_id": org.id, "name": "Heat Policy"},
        source=ChangeSource.CLI,
    )
    return org.id


def test_organisations_match_by_name_short_name_and_former_names(any_db: Database) -> None:
    org_id = seed_department(any_db)
    plan = import_contacts(
        any_db,
        [
            parsed(
                ContactRecord(
                    2, "A", "One", "a@x.example", organisation="desnz", team="heat policy"
                ),
                ContactRecord(3, "B", "Two", "b@x.example", organisation="  BEIS "),
                ContactRecord(
                    4,
                    "C",
                    "Three",
                    "c@x.example",
                    organisation="department for business, energy and industrial strategy",
                    team="Net Zero Buildings",
                ),
                ContactRecord(5, "D", "Four", "d@x.example", organisation="Defra", team="Floods"),
                ContactRecord(6, "E", "Five", "e@x.example", organisation="DEFRA", team="floods"),
            )
        ],
    )
    assert counts(plan) == (5, 0, 0, 0)
    assert rows(any_db, "SELECT organisation_id FROM contact ORDER BY id")[:3] == [(org_id,)] * 3
    assert rows(any_db, "SELECT name FROM organisation ORDER BY id") == [
        ("Department for Energy Security and Net Zero",),
        ("Defra",),
    ]
    assert rows(any_db, "SELECT name FROM team ORDER BY id") == [
        ("Heat Policy",),
        ("Net Zero Buildings",),
        ("Floods",),
    ]


def test_same_person_by_email_or_by_name_and_organisation(any_db: Database) -> None:
    first = import_contacts(
        any_db,
        [
            parsed(
                ContactRecord(2, "Ada", "Lovelace", "Ada@DfE.example", organisation="DfE"),
                ContactRecord(3, "Bob", "Smith", None, organisation="DfE", phone="0207"),
                # Duplicates inside the file collapse: by e-mail, and by name + organisation.
                ContactRecord(4, "ADA", "LOVELACE", "ada@dfe.example", role="Adviser"),
                ContactRecord(5, "bob", " smith", None, organisation="dfe", role="Analyst"),
            )
        ],
    )
    assert counts(first) == (2, 0, 2, 0)
    assert contacts(any_db) == [
        ("Ada", "Lovelace", "Ada@DfE.example", "DfE", None, "Adviser", None, ""),
        ("Bob", "Smith", None, "DfE", None, "Analyst", "0207", ""),
    ]
    second = import_contacts(
        any_db,
        [
            parsed(
                ContactRecord(2, "Someone", "Else", " ADA@dfe.EXAMPLE ".strip(), phone="01"),
                ContactRecord(3, "Bob", "Smith", "bob@dfe.example", organisation="DfE"),
                ContactRecord(4, "Bob", "Smith", None, organisation="Home Office"),
            )
        ],
    )
    assert counts(second) == (1, 2, 0, 0)
    assert contacts(any_db) == [
        ("Ada", "Lovelace", "Ada@DfE.example", "DfE", None, "Adviser", "01", ""),
        ("Bob", "Smith", "bob@dfe.example", "DfE", None, "Analyst", "0207", ""),
        ("Bob", "Smith", None, "Home Office", None, "", None, ""),
    ]


@pytest.mark.parametrize(
    ("mode", "expected", "summary"),
    [
        (OnConflict.MERGE, ("Ada", "Adviser", "0207 1"), (0, 1, 0, 0)),
        (OnConflict.SKIP, ("Ada", "Adviser", None), (0, 0, 1, 0)),
        (OnConflict.REPLACE, ("Augusta", "Chief", "0207 1"), (0, 1, 0, 0)),
    ],
)
def test_on_conflict_modes(
    db: Database, mode: OnConflict, expected: tuple[Any, ...], summary: tuple[int, ...]
) -> None:
    import_contacts(db, [parsed(ContactRecord(2, "Ada", "L", "ada@x.example", role="Adviser"))])
    plan = import_contacts(
        db,
        [parsed(ContactRecord(2, "Augusta", "", "ADA@x.example", phone="0207 1", role="Chief"))],
        on_conflict=mode,
    )
    assert counts(plan) == summary
    assert rows(db, "SELECT first_name, role, phone FROM contact") == [expected]
    # Replace never erases with an empty value: the last name survives.
    assert rows(db, "SELECT last_name FROM contact") == [("L",)]


def test_reimport_changes_nothing_and_history_is_written(any_db: Database) -> None:
    any_db_pilot = create_record(
        any_db, table="pilot", values={"name": "Hastings"}, source=ChangeSource.CLI
    )
    records = parsed(
        ContactRecord(
            2,
            "Zoë",
            "O'Brien",
            "zoe@hastings.example",
            extra_emails=("z@h.example",),
            phone="01424 451066",
            phone_e164="+441424451066",
            extra_phones=("07700 900456",),
            organisation="Hastings Borough Council",
            team="Housing",
            notes="Warm homes",
            tags=("Fuel poverty", "PfPP"),
        ),
        ContactRecord(3, "Tom", "Baxter", None, team="Orphan team"),
    )
    first = import_contacts(any_db, [records], pilot="hastings")
    assert counts(first) == (2, 0, 0, 0)
    again = import_contacts(any_db, [records], pilot="Hastings")
    assert counts(again) == (0, 0, 2, 0)
    assert rows(any_db, "SELECT notes, tags, phone_e164, email_key FROM contact ORDER BY id") == [
        (
            "Warm homes\nOther e-mails: z@h.example\nOther phones: 07700 900456",
            "Fuel poverty, PfPP",
            "+441424451066",
            "zoe@hastings.example",
        ),
        ("Team: Orphan team", "", None, None),
    ]
    assert rows(any_db, "SELECT pilot_id FROM contact_pilot") == [(any_db_pilot.id,)] * 2
    history = rows(
        any_db,
        "SELECT table_name, op, source, actor FROM change WHERE source = 'import' ORDER BY id",
    )
    # The new contacts' creation is the import's one batch record (issue 19), not a row each.
    assert history == [
        ("organisation", "create", "import", "tester"),
        ("team", "create", "import", "tester"),
        ("contact_pilot", "create", "import", "tester"),
        ("contact_pilot", "create", "import", "tester"),
    ]
    (batch,) = set(rows(any_db, "SELECT batch FROM change WHERE source = 'import'"))
    assert rows(any_db, "SELECT batch, contacts_added, state FROM import_batch") == [
        (batch[0], 2, "done")
    ]
    assert rows(any_db, "SELECT count(*) FROM contact WHERE import_batch_id IS NOT NULL") == [(2,)]
    with any_db.read() as session:
        (created,) = [
            e for e in history_entries(session, table="contact", row_id=1) if e.op == "create"
        ]
    assert (created.actor, created.source, created.batch) == ("tester", "import", batch[0])
    assert {k: list(v) for k, v in created.changes.items()} == {
        "email": [None, "zoe@hastings.example"],
        "email_key": [None, "zoe@hastings.example"],
        "first_name": [None, "Zoë"],
        "last_name": [None, "O'Brien"],
        "notes": [None, "Warm homes\nOther e-mails: z@h.example\nOther phones: 07700 900456"],
        "organisation_id": [None, 1],
        "phone": [None, "01424 451066"],
        "phone_e164": [None, "+441424451066"],
        "tags": [None, "Fuel poverty, PfPP"],
        "team_id": [None, 1],
    }


def test_update_history_records_old_and_new(db: Database) -> None:
    import_contacts(db, [parsed(ContactRecord(2, "Ada", "", "ada@x.example"))])
    import_contacts(db, [parsed(ContactRecord(2, "Ada", "Lovelace", "ada@x.example"))])
    assert rows(db, "SELECT op, changes FROM change WHERE op = 'update'") == [
        ("update", '{"last_name": ["", "Lovelace"]}')
    ]
    assert rows(db, "SELECT version FROM contact") == [(2,)]


def test_refused_import_writes_nothing(db: Database) -> None:
    before = rows(db, "SELECT COUNT(*) FROM change")
    plan = import_contacts(
        db,
        [
            parsed(
                ContactRecord(2, "Ada", "", "ada@x.example", organisation="New Org"),
                errors=(RowError("in.csv", 3, "email", "bad"),),
            )
        ],
    )
    assert plan.refused
    assert counts(plan) == (1, 0, 0, 1)
    assert rows(db, "SELECT COUNT(*) FROM contact") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM organisation") == [(0,)]
    assert rows(db, "SELECT COUNT(*) FROM change") == before


def test_unknown_pilot_names_the_choices(db: Database) -> None:
    from pfpp_tui.errors import NotFoundError

    create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
    with pytest.raises(NotFoundError, match="Luton"):
        import_contacts(db, [parsed(ContactRecord(2, "A", "", "a@x.example"))], pilot="Lut")


def test_a_write_between_planning_and_writing_is_replanned(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone saves the same person while the import is matching: no duplicate, no crash."""
    import pfpp_tui.store.imports.contact_import_staged as contact_import_staged

    real_plan = contact_import_staged.plan_staged
    calls: list[int] = []

    def plan_then_interfere(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan(*args, **kwargs)
        if not calls:
            create_record(
                db,
                table="contact",
                values={"first_name": "Ada", "email": "ADA@x.example", "role": "Lead"},
                source=ChangeSource.TUI,
            )
        calls.append(1)
        return plan

    monkeypatch.setattr(contact_import_staged, "plan_staged", plan_then_interfere)
    plan = import_contacts(
        db, [parsed(ContactRecord(2, "Ada", "Lovelace", "ada@x.example", role="Adviser"))]
    )
    assert len(calls) == 2
    assert counts(plan) == (0, 1, 0, 0)
    assert rows(db, "SELECT first_name, last_name, role FROM contact") == [
        ("Ada", "Lovelace", "Lead")
    ]
