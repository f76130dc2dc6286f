"""The generic write path behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pfpp_tui.errors import StaleEditError, ValidationFailedError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, delete_record, get_record, update_record


def test_create_update_delete_with_history(any_db: Database) -> None:
    org = create_record(
        any_db, table="organisation", values={"name": "Home Office"}, source=ChangeSource.CLI
    )
    contact = create_record(
        any_db,
        table="contact",
        values={"first_name": "Ada", "email": "Ada@HO.example", "organisation_id": org.id},
        source=ChangeSource.TUI,
    )
    assert contact["email_key"] == "ada@ho.example"
    updated = update_record(
        any_db,
        table="contact",
        row_id=contact.id,
        changes={"role": "Deputy Director"},
        source=ChangeSource.TUI,
        expected_version=contact.version,
    )
    assert updated.version == contact.version + 1
    assert get_record(any_db, table="contact", row_id=contact.id)["role"] == "Deputy Director"
    delete_record(any_db, table="contact", row_id=contact.id, source=ChangeSource.CLI)
    with any_db.read() as session:
        ops = (
            session.execute(text("SELECT op FROM change WHERE table_name = 'contact' ORDER BY id"))
            .scalars()
            .all()
        )
    assert ops == ["create", "update", "delete"]


def test_stale_edit_and_unique_email(any_db: Database) -> None:
    c = create_record(
        any_db, table="contact", values={"email": "x@y.example"}, source=ChangeSource.CLI
    )
    update_record(
        any_db,
        table="contact",
        row_id=c.id,
        changes={"notes": "a"},
        source=ChangeSource.CLI,
        expected_version=c.version,
    )
    with pytest.raises(StaleEditError):
        update_record(
            any_db,
            table="contact",
            row_id=c.id,
            changes={"notes": "b"},
            source=ChangeSource.CLI,
            expected_version=c.version,
        )
    with pytest.raises(ValidationFailedError):
        create_record(
            any_db, table="contact", values={"email": "X@Y.EXAMPLE"}, source=ChangeSource.CLI
        )
