"""One record's history includes its link rows' changes, in words, on both engines.

Bug: ticking two principles on a barrier and saving left ``h`` and ``pfpp history barrier ID``
empty; the tags' rows were only in the full history as ``create barrier_principle 63``.
"""

from __future__ import annotations

from datetime import date, datetime

from pfpp_tui.models import ChangeSource
from pfpp_tui.models.partnership import Principle
from pfpp_tui.store.db.changes import RECORD_LINKS, HistoryEntry, record_history
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import (
    LINK_TABLES,
    TABLES,
    create_record,
    delete_record,
    update_record,
)
from pfpp_tui.store.insight.principle_tags import set_principles

CLI = ChangeSource.CLI


def _history(db: Database, table: str, row_id: int) -> list[HistoryEntry]:
    with db.read() as session:
        return record_history(session, table=table, row_id=row_id)


def _summaries(entries: list[HistoryEntry]) -> list[str]:
    """Oldest first, a record's own rows as "create barrier" etc."""
    return [e.summary or f"{e.op} {e.table}" for e in reversed(entries)]


def _barriers(db: Database, count: int) -> list[int]:
    return [
        create_record(
            db,
            table="barrier",
            values={"title": f"Barrier {n}", "raised_on": date(2026, 1, 5)},
            source=CLI,
        ).id
        for n in range(count)
    ]


def test_a_barriers_history_shows_its_principle_tags_added_and_removed(any_db: Database) -> None:
    # Eleven barriers: barrier 1's id is a substring of barrier 11's, so a text match on the
    # JSON alone would mix their tags.
    ids = _barriers(any_db, 11)
    first, last = ids[0], ids[-1]
    assert str(first) in str(last)
    set_principles(any_db, kind="barrier", row_id=first, principles=[Principle.TRUST], source=CLI)
    set_principles(any_db, kind="barrier", row_id=last, principles=[Principle.FUNDING], source=CLI)
    set_principles(any_db, kind="barrier", row_id=first, principles=[Principle.DATA], source=CLI)
    update_record(any_db, table="barrier", row_id=first, changes={"detail": "x"}, source=CLI)

    entries = _history(any_db, "barrier", first)
    assert _summaries(entries) == [
        "create barrier",
        "principle trust added",
        "principle trust removed",
        "principle data added",
        "update barrier",
    ]
    removed = entries[2]
    assert removed.op == "delete" and removed.table == "barrier_principle"
    assert removed.changes["principle"] == ("trust", None)  # the old value, kept in the JSON
    assert removed.as_json()["summary"] == "principle trust removed"
    assert _summaries(_history(any_db, "barrier", last)) == [
        "create barrier",
        "principle funding added",
    ]
    # The full table history is unchanged: raw rows, no summary.
    with any_db.read() as session:
        from pfpp_tui.store.db.changes import history_entries

        raw = history_entries(session, table="barrier_principle")
    assert len(raw) == 4 and all(e.summary == "" for e in raw)


def test_an_actions_history_shows_its_principle_tags(any_db: Database) -> None:
    action = create_record(any_db, table="action", values={"title": "Send the DSA"}, source=CLI)
    set_principles(
        any_db,
        kind="action",
        row_id=action.id,
        principles=[Principle.TRUST, Principle.DATA],
        source=CLI,
    )
    assert _summaries(_history(any_db, "action", action.id)) == [
        "create action",
        "principle trust added",
        "principle data added",
    ]


def test_pilot_members_in_both_records_histories_and_attendees_in_the_meetings(
    any_db: Database,
) -> None:
    luton = create_record(any_db, table="pilot", values={"name": "Luton"}, source=CLI).id
    ada = create_record(
        any_db, table="contact", values={"first_name": "Ada", "last_name": "Lovelace"}, source=CLI
    ).id
    link = create_record(
        any_db,
        table="contact_pilot",
        values={"contact_id": ada, "pilot_id": luton, "role": "partner"},
        source=CLI,
    ).id
    update_record(any_db, table="contact_pilot", row_id=link, changes={"role": "lead"}, source=CLI)
    delete_record(any_db, table="contact_pilot", row_id=link, source=CLI)
    assert _summaries(_history(any_db, "pilot", luton)) == [
        "create pilot",
        "member Ada Lovelace added (role partner)",
        "member Ada Lovelace: role partner → lead",
        "member Ada Lovelace removed",
    ]
    assert _summaries(_history(any_db, "contact", ada)) == [
        "create contact",
        "pilot Luton added (role partner)",
        "pilot Luton: role partner → lead",
        "pilot Luton removed",
    ]
    meeting = create_record(
        any_db,
        table="meeting",
        values={"title": "Check-in", "held_at": datetime(2026, 1, 5, 10), "pilot_id": luton},
        source=CLI,
    ).id
    create_record(
        any_db,
        table="meeting_attendee",
        values={"meeting_id": meeting, "contact_id": ada},
        source=CLI,
    )
    assert _summaries(_history(any_db, "meeting", meeting)) == [
        "create meeting",
        "attendee Ada Lovelace added",
    ]


def test_a_reused_link_row_id_stays_with_the_record_it_was_written_for(db: Database) -> None:
    # SQLite hands the highest deleted id out again: the old row's history must not follow it.
    first, second = _barriers(db, 2)
    set_principles(db, kind="barrier", row_id=first, principles=[Principle.TRUST], source=CLI)
    set_principles(db, kind="barrier", row_id=first, principles=[], source=CLI)
    set_principles(db, kind="barrier", row_id=second, principles=[Principle.DATA], source=CLI)
    firsts, seconds = _history(db, "barrier", first), _history(db, "barrier", second)
    assert firsts[0].row_id == seconds[0].row_id  # the id was reused
    assert _summaries(firsts) == [
        "create barrier",
        "principle trust added",
        "principle trust removed",
    ]
    assert _summaries(seconds) == ["create barrier", "principle data added"]


def test_every_link_table_shows_in_the_history_of_the_records_it_links() -> None:
    covered = {link.table for links in RECORD_LINKS.values() for link in links}
    assert covered == LINK_TABLES
    for table, links in RECORD_LINKS.items():
        assert table in TABLES
        for link in links:
            columns = TABLES[link.table][0].model_fields
            assert link.column in columns and link.other in columns
