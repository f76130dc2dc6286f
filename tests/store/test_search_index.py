"""The contacts' text index (migration 0003) finds exactly the rows the plain scan finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from pfpp_tui.models import ChangeSource, Contact
from pfpp_tui.store.db.copy import copy_database
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.history.erasure import erase_person
from pfpp_tui.store.listing.query import CONTACT, _contact_text, _contact_text_scan

PEOPLE = [
    ("Ada", "Lovelace", "ada@example.org", "Analyst", "met in Luton", "buddy, data"),
    ("Émile", "Zola", "emile@example.fr", "Writer", "ÉCOLE normale", ""),
    ("Grace", "Hopper", None, "Rear admiral", "100% sure; a_b", "navy"),
]
WORDS = ["ada", "ace lo", "a lo", "LOVE", "example", "écol", "École", "% sure", "a_b", "zz",
         "ad", "navy", "analyst", "nobody", 'say "hi"']  # fmt: skip


def _ids(db: Database, cond: object) -> list[int]:
    with db.read() as session:
        stmt = select(CONTACT.id).where(cond).order_by(CONTACT.id)  # type: ignore[arg-type]
        return [int(i) for i in session.execute(stmt).scalars()]


def _add_people(db: Database) -> list[int]:
    ids = []
    for first, last, email, role, notes, tags in PEOPLE:
        values = {"first_name": first, "last_name": last, "email": email, "role": role,
                  "notes": notes, "tags": tags}  # fmt: skip
        row = create_record(db, table="contact", values=values, source=ChangeSource.CLI)
        ids.append(int(row.id))
    return ids


@pytest.mark.parametrize("word", WORDS)
def test_index_finds_what_the_scan_finds(any_db: Database, word: str) -> None:
    _add_people(any_db)
    assert _ids(any_db, _contact_text(word)) == _ids(any_db, _contact_text_scan(word))


def test_triggers_follow_updates_and_deletes(db: Database) -> None:
    ada, zola, _ = _add_people(db)
    with db.engine.begin() as conn:
        conn.execute(update(Contact).where(CONTACT.id == ada).values(last_name="Byron"))
        conn.execute(delete(Contact).where(CONTACT.id == zola))
    assert _ids(db, _contact_text("lovelace")) == []
    assert _ids(db, _contact_text("byron")) == [ada]
    assert _ids(db, _contact_text("zola")) == []
    with db.engine.connect() as conn:
        check = "INSERT INTO contact_search(contact_search) VALUES('integrity-check')"
        conn.exec_driver_sql(check)
        assert conn.execute(select(func.count()).select_from(CONTACT.table)).scalar() == 2


def test_erasure_leaves_no_trigram_of_the_person(db: Database, db_path: Path) -> None:
    ada, _, _ = _add_people(db)
    erase_person(db, str(ada))
    db.dispose()
    data = db_path.read_bytes()
    for word in (b"Lovelace", b"ada@example.org", b"ovelac"):
        assert word not in data
    assert _ids(db, _contact_text("lovelace")) == []


def test_a_copy_finds_what_its_source_finds(db: Database, pg_url: str, tmp_path: Path) -> None:
    """``pfpp db copy`` copies no index: the target's triggers (SQLite) or GIN index fill it."""
    ada, _, _ = _add_people(db)
    pg = open_database(pg_url)
    copy_database(db, pg)
    back = open_database(tmp_path / "back.db")
    copy_database(pg, back)
    for target in (pg, back):
        assert _ids(target, _contact_text("lovelace")) == [ada]
        assert _ids(target, _contact_text("example")) == _ids(db, _contact_text("example"))
    with back.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO contact_search(contact_search) VALUES('integrity-check')")
    for opened in (pg, back):
        opened.dispose()


@pytest.mark.parametrize("word", ["patel", "tello", "pate", "ate ot", "pat"])
def test_every_trigram_is_not_enough_the_word_must_be_there(any_db: Database, word: str) -> None:
    """The index keeps no positions (migration 0004): "Pate Otello" holds every trigram of
    "patel" (pat, ate, tel) but not the word; the filter must still leave her out."""
    values = {"first_name": "Pate", "last_name": "Otello", "email": None, "role": "Analyst"}
    create_record(any_db, table="contact", values=values, source=ChangeSource.CLI)
    found = _ids(any_db, _contact_text(word))
    assert found == _ids(any_db, _contact_text_scan(word))
    assert bool(found) == (word != "patel")


def test_the_index_is_built_without_positions(db: Database) -> None:
    with db.engine.connect() as conn:
        schema = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'contact_search'"
        ).scalar_one()
    assert "detail=none" in schema and "trigram" in schema
