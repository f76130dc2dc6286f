"""A bulk-imported contact's creation history is rebuilt from its batch record, exactly.

Issue 19's decision: a bulk import records its new contacts' creation as one ``import_batch``
record named on each contact, not a history row each with a copy of the values. What
``pfpp history contact ID`` shows for the creation must still be exactly what the contact was
created with -- the values ``encode_changes`` would have written, whatever they hold -- rebuilt
from the row and its later changes, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.changes import encode_changes, history_entries, record_history
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import update_record
from pfpp_tui.store.imports.contact_import import FIELDS, import_contacts

AWKWARD = [
    'Quote " and back\\slash',
    "Line\nbreak, tab\t, CR\r, form feed\f, bell\x07, \x1f",
    "Zo\u00eb \u00d3 Brien \u2013 \u201ccurly\u201d \U0001f600",
    "Separators \u2028 \u2029 and DEL \x7f",
    "/slash/ and {braces} [brackets] ::: colons",
]


def test_creation_is_rebuilt_from_the_batch_record_and_later_changes(any_db: Database) -> None:
    records = [
        ContactRecord(
            n + 2,
            value,
            f"Last {n}",
            f"person{n}@x.example" if n % 2 else None,
            phone=value[:60] if n % 3 else None,
            organisation=f"Org {value}" if n % 2 else None,
            team="Team" if n % 2 else None,
            role=value,
            notes=value,
            tags=(value,),
        )
        for n, value in enumerate(AWKWARD)
    ]
    path = Path("in.csv")
    plan = import_contacts(any_db, [ParsedFile(path, "csv", records)])
    assert plan.summaries[0].added == len(AWKWARD)
    with any_db.read() as session:
        contacts = {
            row[0]: dict(zip((*FIELDS, "email_key"), row[1:], strict=True))
            for row in session.execute(
                text(f"SELECT id, {', '.join(FIELDS)}, email_key FROM contact")
            )
        }
        own_rows = session.execute(
            text("SELECT count(*) FROM change WHERE table_name = 'contact'")
        ).scalar_one()
    assert own_rows == 0  # no history row per contact: the batch record is their creation
    # Edit every contact afterwards: the creation must still show the imported values.
    for row_id in contacts:
        update_record(
            any_db,
            table="contact",
            row_id=row_id,
            changes={"role": "Changed later", "notes": ""},
            source=ChangeSource.CLI,
        )
    with any_db.read() as session:
        for row_id, values in contacts.items():
            history = history_entries(session, table="contact", row_id=row_id)
            assert [e.op for e in history] == ["update", "create"]
            created = history[-1]
            assert created.source == "import" and created.actor == "tester"
            assert created.reason == "imported from in.csv"
            expected: dict[str, Any] = {
                k: (None, v) for k, v in values.items() if v is not None and v != ""
            }
            assert encode_changes(created.changes) == encode_changes(expected)
            assert record_history(session, table="contact", row_id=row_id)[-1] == created
