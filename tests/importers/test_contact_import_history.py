"""The creation history an import writes is exactly what ``record_changes`` would write.

On SQLite the history of new contacts is built by SQLite itself (``json_quote`` and string
concatenation), on PostgreSQL in Python: both must give ``encode_changes``' text byte for byte,
whatever the values hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.store.contact_import import FIELDS, import_contacts
from pfpp_tui.store.database import Database
from pfpp_tui.store.history import encode_changes

AWKWARD = [
    'Quote " and back\\slash',
    "Line\nbreak, tab\t, CR\r, form feed\f, bell\x07, \x1f",
    "Zo\u00eb \u00d3 Brien \u2013 \u201ccurly\u201d \U0001f600",
    "Separators \u2028 \u2029 and DEL \x7f",
    "/slash/ and {braces} [brackets] ::: colons",
]


def test_creation_history_is_encode_changes_byte_for_byte(any_db: Database) -> None:
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
    plan = import_contacts(any_db, [ParsedFile(Path("in.csv"), "csv", records)])
    assert plan.summaries[0].added == len(AWKWARD)
    with any_db.read() as session:
        contacts = {
            row[0]: dict(zip((*FIELDS, "email_key"), row[1:], strict=True))
            for row in session.execute(
                text(f"SELECT id, {', '.join(FIELDS)}, email_key FROM contact")
            )
        }
        history = list(
            session.execute(
                text("SELECT row_id, changes FROM change WHERE table_name = 'contact' ORDER BY id")
            )
        )
    assert [row_id for row_id, _ in history] == sorted(contacts)
    for row_id, changes in history:
        values: dict[str, Any] = contacts[row_id]
        expected = {k: (None, v) for k, v in values.items() if v is not None and v != ""}
        assert changes == encode_changes(expected)
