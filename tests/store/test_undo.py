"""Undo through the change history: updates, deletes and creates, and the refusals."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from pfpp_tui.errors import NotFoundError
from pfpp_tui.models import Change, ChangeSource
from pfpp_tui.models.partnership import Principle
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, get_record, update_record
from pfpp_tui.store.history.undo import (
    NOTHING_RECORDED,
    UndoRefusedError,
    batch_written,
    delete_in_batch,
    new_batch,
    save_in_batch,
    undo_batch,
)
from pfpp_tui.store.insight.principle_tags import principles_of, save_tagged_in_batch


def _pilot(db: Database, name: str = "Luton") -> int:
    return create_record(db, table="pilot", values={"name": name}, source=ChangeSource.TUI).id


def test_undo_update_restores_old_values(db: Database) -> None:
    pid = _pilot(db)
    batch = new_batch()
    save_in_batch(db, table="pilot", row_id=pid, values={"name": "Luton TC", "rag": "red"},
                  batch=batch)  # fmt: skip
    result = undo_batch(db, batch)
    record = get_record(db, table="pilot", row_id=pid)
    assert (record["name"], record["rag"]) == ("Luton", "green")
    assert result.summary == f"Undid edit of pilot {pid}"
    with db.read() as session:
        reasons = [c.reason for c in session.exec(select(Change).where(col(Change.row_id) == pid))]
    assert reasons[-1] == f"undo {batch}"


def test_undo_delete_recreates_with_same_id(db: Database) -> None:
    pid = _pilot(db)
    contact = create_record(
        db, table="contact", values={"first_name": "Asha", "email": "a@x.example"},
        source=ChangeSource.TUI,
    )  # fmt: skip
    batch = new_batch()
    delete_in_batch(db, table="contact", row_id=contact.id, batch=batch)
    undo_batch(db, batch)
    back = get_record(db, table="contact", row_id=contact.id)
    assert (back["first_name"], back["email"]) == ("Asha", "a@x.example")
    assert get_record(db, table="pilot", row_id=pid)


def test_undo_create_deletes_row(db: Database) -> None:
    batch = new_batch()
    record = save_in_batch(db, table="pilot", values={"name": "Hackney"}, batch=batch)
    undo_batch(db, batch)
    with pytest.raises(NotFoundError):
        get_record(db, table="pilot", row_id=record.id)


def test_undo_refused_when_changed_later_by_someone_else(db: Database) -> None:
    pid = _pilot(db)
    batch = new_batch()
    save_in_batch(db, table="pilot", row_id=pid, values={"name": "Luton TC"}, batch=batch)
    update_record(db, table="pilot", row_id=pid, changes={"notes": "x"}, source=ChangeSource.CLI)
    with pytest.raises(UndoRefusedError, match="changed later by tester"):
        undo_batch(db, batch)
    assert get_record(db, table="pilot", row_id=pid)["name"] == "Luton TC"


def test_undo_create_refused_when_linked(db: Database) -> None:
    batch = new_batch()
    org = save_in_batch(db, table="organisation", values={"name": "Home Office"}, batch=batch)
    create_record(db, table="contact", values={"first_name": "A", "organisation_id": org.id},
                  source=ChangeSource.TUI)  # fmt: skip
    with pytest.raises(UndoRefusedError, match="linked from 1 contact"):
        undo_batch(db, batch)


def test_two_undos_in_a_row_on_the_same_record(db: Database) -> None:
    pid = _pilot(db)
    first, second = new_batch(), new_batch()
    save_in_batch(db, table="pilot", row_id=pid, values={"name": "B"}, batch=first)
    save_in_batch(db, table="pilot", row_id=pid, values={"name": "C"}, batch=second)
    undo_batch(db, second)
    undo_batch(db, first)
    assert get_record(db, table="pilot", row_id=pid)["name"] == "Luton"


def test_a_batch_with_no_history_is_dropped_not_refused(db: Database) -> None:
    # An entry on the undo list whose batch wrote nothing must not block the ones beneath it:
    # undoing it succeeds, reverting nothing, so the list moves on to the older change.
    result = undo_batch(db, new_batch())
    assert (result.reverted, result.summary) == (0, NOTHING_RECORDED)


def test_a_save_that_changes_nothing_writes_no_history_and_no_version(db: Database) -> None:
    pid = _pilot(db)
    before = get_record(db, table="pilot", row_id=pid)
    batch = new_batch()
    saved = save_in_batch(db, table="pilot", row_id=pid, values=dict(before.values),
                          expected_version=before.version, batch=batch)  # fmt: skip
    assert saved.version == before.version
    assert not batch_written(db, batch)
    with db.read() as session:
        assert not list(session.exec(select(Change).where(col(Change.batch) == batch)))
    earlier = new_batch()
    save_in_batch(db, table="pilot", row_id=pid, values={"name": "Luton TC"}, batch=earlier)
    assert batch_written(db, earlier)


def _barrier(db: Database, *principles: Principle) -> int:
    batch = new_batch()
    values = {"title": "No shared data", "raised_on": "2024-01-08"}
    record, _ = save_tagged_in_batch(db, table="barrier", values=values, batch=batch,
                                     principles=principles)  # fmt: skip
    return record.id


def test_undo_names_the_record_saved_with_its_tags(db: Database) -> None:
    barrier = _barrier(db, Principle.TRUST)
    batch = new_batch()
    save_tagged_in_batch(db, table="barrier", row_id=barrier, values={"title": "No data"},
                         principles=[Principle.DATA], batch=batch)  # fmt: skip
    result = undo_batch(db, batch)
    assert result.summary == f"Undid edit of barrier {barrier} and 2 more changes"
    assert principles_of(db, kind="barrier", row_id=barrier) == [Principle.TRUST]


def test_undo_of_tags_alone_names_their_record(db: Database) -> None:
    # The form's save when only the tags changed: the batch holds link rows and no barrier row.
    barrier = _barrier(db)
    batch = new_batch()
    save_tagged_in_batch(db, table="barrier", row_id=barrier, values={}, batch=batch,
                         principles=[Principle.TRUST, Principle.DATA])  # fmt: skip
    result = undo_batch(db, batch)
    assert result.summary == f"Undid edit of barrier {barrier}: 2 barrier principle changes"
    assert principles_of(db, kind="barrier", row_id=barrier) == []


def test_undo_of_a_delete_names_the_record_not_its_cascade(db: Database) -> None:
    barrier = _barrier(db, Principle.TRUST, Principle.DATA)
    batch = new_batch()
    delete_in_batch(db, table="barrier", row_id=barrier, batch=batch)  # tags go first
    result = undo_batch(db, batch)
    assert result.summary == f"Undid deletion of barrier {barrier} and 2 more changes"
    assert principles_of(db, kind="barrier", row_id=barrier) == [Principle.TRUST, Principle.DATA]
