"""Undoing a bulk import does the same work for 50 contacts as for 5,000, under the same rules.

``ctrl+z`` after a 5,000-contact import took minutes when each contact was taken back on its
own (about nine statements each); a 60,000-row one never finished. The undo now checks and
deletes the import's contacts as a set: the number of SQL statements it runs must not grow
with the number of contacts. It still refuses, naming the contact, when someone changed one
since or linked a record to it, and still writes a deletion history row for each contact.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, update_record
from pfpp_tui.store.history.undo import UndoRefusedError, undo_batch
from pfpp_tui.store.imports.contact_import import import_contacts


def _import(db: Database, n: int, tag: str, pilot: str | None = None) -> tuple[str, list[int]]:
    """Import ``n`` new contacts (no organisation); the batch and their ids."""
    records = [
        ContactRecord(i + 2, f"First{i}", f"{tag}{i}", f"{tag}{i}@x.example") for i in range(n)
    ]
    import_contacts(db, [ParsedFile(Path(f"{tag}.csv"), "csv", records)], pilot=pilot)
    with db.read() as session:
        batch = session.execute(
            text("SELECT batch FROM import_batch ORDER BY id DESC LIMIT 1")
        ).scalar_one()
        ids = [
            int(i)
            for i in session.execute(
                text(
                    "SELECT id FROM contact WHERE import_batch_id ="
                    " (SELECT id FROM import_batch WHERE batch = :b) ORDER BY id"
                ),
                {"b": batch},
            ).scalars()
        ]
    assert len(ids) == n
    return str(batch), ids


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _count(db: Database, sql: str, **params: Any) -> int:
    with db.read() as session:
        return int(session.execute(text(sql), params).scalar_one())


def test_undoing_an_import_runs_as_many_statements_for_5000_contacts_as_for_50(
    any_db: Database,
) -> None:
    small, _ = _import(any_db, 50, "small")
    large, _ = _import(any_db, 5000, "large")
    with _statements(any_db) as for_large:
        result = undo_batch(any_db, large)
    with _statements(any_db) as for_small:
        undo_batch(any_db, small)
    assert result.reverted == 5000
    assert result.summary == "Undid the import: 5000 contacts"
    assert len(for_large) <= len(for_small) + 2, (len(for_small), len(for_large))
    assert len(for_large) < 40
    assert _count(any_db, "SELECT count(*) FROM contact") == 0
    # A deletion history row for each contact, as the row-by-row undo wrote.
    deleted = _count(
        any_db, "SELECT count(*) FROM change WHERE table_name = 'contact' AND op = 'delete'"
    )
    assert deleted == 5050


def _refused(db: Database, batch: str, match: str) -> None:
    contacts = _count(db, "SELECT count(*) FROM contact")
    changes = _count(db, "SELECT count(*) FROM change")
    with pytest.raises(UndoRefusedError, match=match):
        undo_batch(db, batch)
    assert _count(db, "SELECT count(*) FROM contact") == contacts
    assert _count(db, "SELECT count(*) FROM change") == changes


def test_undoing_an_import_refuses_when_one_contact_was_changed_since(db: Database) -> None:
    batch, ids = _import(db, 300, "x")
    edited = update_record(
        db, table="contact", row_id=ids[100], changes={"role": "Chair"}, source=ChangeSource.TUI
    )
    _refused(db, batch, f"contact {edited.id} was changed later by")
    # Once that change is undone (its batch), the import's undo goes through.
    with db.read() as session:
        later = session.execute(
            text("SELECT batch FROM change WHERE table_name = 'contact' AND row_id = :r"),
            {"r": edited.id},
        ).scalar_one()
    undo_batch(db, str(later))
    assert undo_batch(db, batch).reverted == 300
    assert _count(db, "SELECT count(*) FROM contact") == 0


def test_undoing_an_import_refuses_when_a_record_links_to_one_contact(db: Database) -> None:
    batch, ids = _import(db, 300, "y")
    create_record(
        db, table="action", values={"title": "Call", "owner_id": ids[7]}, source=ChangeSource.TUI
    )
    create_record(
        db, table="action", values={"title": "Call", "owner_id": ids[5]}, source=ChangeSource.TUI
    )
    # The row-by-row undo went newest first: the newer contact is the one named.
    _refused(db, batch, f"contact {ids[7]} is now linked from 1 action row")


def test_undoing_a_pilot_import_runs_as_many_statements_for_2000_links_as_for_50(
    any_db: Database,
) -> None:
    create_record(any_db, table="pilot", values={"name": "Luton"}, source=ChangeSource.TUI)
    small, _ = _import(any_db, 50, "small", pilot="Luton")
    large, _ = _import(any_db, 2000, "large", pilot="Luton")
    with _statements(any_db) as for_large:
        result = undo_batch(any_db, large)
    with _statements(any_db) as for_small:
        undo_batch(any_db, small)
    assert result.summary == "Undid the import: 2000 contacts, 2000 pilot links"
    assert len(for_large) <= len(for_small) + 2, (len(for_small), len(for_large))
    assert _count(any_db, "SELECT count(*) FROM contact_pilot") == 0
    deleted = _count(
        any_db, "SELECT count(*) FROM change WHERE table_name = 'contact_pilot' AND op = 'delete'"
    )
    assert deleted == 2050


def test_undoing_a_pilot_import_refuses_when_one_link_was_changed_since(db: Database) -> None:
    create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.TUI)
    batch, ids = _import(db, 100, "z", pilot="Luton")
    with db.read() as session:
        link = int(
            session.execute(
                text("SELECT id FROM contact_pilot WHERE contact_id = :c"), {"c": ids[40]}
            ).scalar_one()
        )
    update_record(
        db, table="contact_pilot", row_id=link, changes={"role": "lead"}, source=ChangeSource.TUI
    )
    _refused(db, batch, f"contact pilot {link} was changed later by")
