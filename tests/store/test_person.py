"""Personal data: everything held about a person, and erasing it down to the bytes on disk.

Runs on both engines. On SQLite the files themselves (database, -wal, -shm) are byte-grepped
for canary values; on PostgreSQL every row of every table is searched as text.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text
from sqlmodel import SQLModel

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, delete_record, get_record, update_record
from pfpp_tui.store.history.erasure import ERASED, erase_person
from pfpp_tui.store.history.person import (
    PERSON_LINKS,
    contact_links_in_schema,
    link_row_ids,
    person_report,
)

FIRST = "Zanzibarqx"
LAST = "Quokkaflux"
EMAIL = "zq.canary@erase.example"
PHONE = "020 7946 0999"
E164 = "+442079460999"
CANARIES = (FIRST, LAST, EMAIL, PHONE, E164)


def test_every_table_linking_to_contact_is_covered() -> None:
    """Fails when someone adds a link to contacts that show/erase do not know about."""
    covered = {(link.table, link.column) for link in PERSON_LINKS}
    in_schema = contact_links_in_schema()
    assert in_schema - covered == set(), f"not covered by PERSON_LINKS: {in_schema - covered}"
    assert covered - in_schema == set(), f"PERSON_LINKS names links that vanished: {covered}"


def make_person(db: Database) -> dict[str, int]:
    cli = ChangeSource.CLI
    org = create_record(db, table="organisation", values={"name": "Hastings BC"}, source=cli)
    pilot = create_record(db, table="pilot", values={"name": "East Sussex"}, source=cli)
    person = create_record(
        db,
        table="contact",
        values={
            "first_name": FIRST,
            "last_name": LAST,
            "email": EMAIL.upper(),
            "phone": PHONE,
            "organisation_id": org.id,
            "role": "Fuel poverty lead",
        },
        source=cli,
    )
    update_record(db, table="contact", row_id=person.id, changes={"notes": "met twice"}, source=cli)
    other = create_record(
        db,
        table="contact",
        values={"first_name": "Bo", "notes": f"deputy to {FIRST} {LAST}, {EMAIL}"},
        source=cli,
    )
    create_record(
        db,
        table="contact_pilot",
        values={"contact_id": person.id, "pilot_id": pilot.id, "role": "lead"},
        source=cli,
    )
    meeting = create_record(
        db,
        table="meeting",
        values={
            "title": "Warm homes check-in",
            "held_at": datetime(2022, 3, 1, 10),
            "pilot_id": pilot.id,
        },
        source=cli,
    )
    for contact_id in (person.id, other.id):
        create_record(
            db,
            table="meeting_attendee",
            values={"meeting_id": meeting.id, "contact_id": contact_id},
            source=cli,
        )
    action = create_record(
        db,
        table="action",
        values={"title": "Send landlord list", "owner_id": person.id, "meeting_id": meeting.id},
        source=cli,
    )
    barrier = create_record(
        db,
        table="barrier",
        values={"title": "Data not shared", "owner_id": person.id, "raised_on": date(2022, 3, 1)},
        source=cli,
    )
    agreement = create_record(
        db,
        table="partnership_agreement",
        values={"pilot_id": pilot.id, "purpose": "Warm homes", "agreed_by_id": person.id},
        source=cli,
    )
    partner = create_record(
        db,
        table="agreement_partner",
        values={
            "agreement_id": agreement.id,
            "organisation_id": org.id,
            "lead_contact_id": person.id,
        },
        source=cli,
    )
    ratings = {f"{v}_rating": 3 for v in ("history", "attitudes", "vcs", "capacity")}
    assessment = create_record(
        db,
        table="partnership_assessment",
        values={
            "pilot_id": pilot.id,
            "assessed_on": date(2022, 4, 1),
            "assessor_id": person.id,
            "assessor_name": f"{FIRST} {LAST}",
            **ratings,
        },
        source=cli,
    )
    return {
        "agreement": agreement.id,
        "partner": partner.id,
        "assessment": assessment.id,
        "person": person.id,
        "other": other.id,
        "meeting": meeting.id,
        "action": action.id,
        "barrier": barrier.id,
    }


def test_show_gathers_everything_held_about_a_person(any_db: Database) -> None:
    ids = make_person(any_db)
    report = person_report(any_db, EMAIL.lower())
    assert report.contact["id"] == ids["person"]
    assert report.organisation == "Hastings BC"
    assert [p["pilot"] for p in report.pilots] == ["East Sussex"]
    assert [m["title"] for m in report.meetings] == ["Warm homes check-in"]
    assert [a["id"] for a in report.actions] == [ids["action"]]
    assert [b["id"] for b in report.barriers] == [ids["barrier"]]
    ops = [(h.table, h.op) for h in report.history]
    assert ("contact", "create") in ops and ("contact", "update") in ops
    assert ("contact_pilot", "create") in ops and ("meeting_attendee", "create") in ops
    assert {"table": "contact", "id": ids["other"], "column": "notes"} in report.mentions
    assert person_report(any_db, str(ids["person"])).contact["email"] == EMAIL.upper()
    assert {(r["table"], r["id"]) for r in report.other_records} == {
        ("partnership_agreement", ids["agreement"]),
        ("agreement_partner", ids["partner"]),
        ("partnership_assessment", ids["assessment"]),
    }
    # The test person is linked through every covered link, so every link is exercised.
    with any_db.read() as session:
        links = link_row_ids(session, ids["person"])
    assert all(links.values()), links
    data = report.as_json()
    for key in ("pilots", "meetings_attended", "actions_owned", "barriers_owned"):
        assert data[key], key


def test_show_lists_removed_links_from_the_history(any_db: Database) -> None:
    """A deleted membership or attendance stays in the report, marked removed, with when; a
    link row whose id is reused for someone else afterwards stays theirs alone."""
    cli = ChangeSource.CLI
    ids = make_person(any_db)
    with any_db.read() as session:
        links = link_row_ids(session, ids["person"])
    fenland = create_record(any_db, table="pilot", values={"name": "Fenland"}, source=cli)
    create_record(
        any_db,
        table="contact_pilot",
        values={"contact_id": ids["person"], "pilot_id": fenland.id, "role": "member"},
        source=cli,
    )
    delete_record(any_db, table="pilot", row_id=fenland.id, source=cli)  # cascades, unrecorded
    (membership,) = links["contact_pilot"]
    (attendance,) = links["meeting_attendee"]
    delete_record(any_db, table="contact_pilot", row_id=membership, source=cli)
    delete_record(any_db, table="meeting_attendee", row_id=attendance, source=cli)
    pilot_id = get_record(any_db, table="meeting", row_id=ids["meeting"]).values["pilot_id"]
    create_record(
        any_db,
        table="contact_pilot",
        values={"contact_id": ids["other"], "pilot_id": pilot_id, "role": "buddy"},
        source=cli,
    )  # on SQLite this may take the freed id again

    report = person_report(any_db, EMAIL)
    assert report.pilots == [] and report.meetings == []
    removed = [(r["pilot"], r["role"], r["how"], r["removed"]) for r in report.pilots_removed]
    assert removed == [
        ("Fenland", "member", "deleted with the pilot", True),
        ("East Sussex", "lead", "deleted", True),
    ]
    assert all(r["removed_at"] and r["removed_by"] == "tester" for r in report.pilots_removed)
    (meeting,) = report.meetings_removed
    assert (meeting["meeting_id"], meeting["title"], meeting["held_at"], meeting["how"]) == (
        ids["meeting"],
        "Warm homes check-in",
        datetime(2022, 3, 1, 10),
        "deleted",
    )
    ops = [(h.table, h.row_id, h.op) for h in report.history]
    assert ("contact_pilot", membership, "delete") in ops
    assert ("meeting_attendee", attendance, "delete") in ops
    data = report.as_json()
    assert [r["pilot"] for r in data["pilots_removed"]] == ["Fenland", "East Sussex"]
    assert data["meetings_attended_removed"][0]["removed"] is True
    assert data["pilots"] == [] and data["meetings_attended"] == []

    other = person_report(any_db, str(ids["other"]))
    assert [(p["pilot"], p["role"]) for p in other.pilots] == [("East Sussex", "buddy")]
    assert other.pilots_removed == []


def rows_containing(db: Database, needle: str) -> list[str]:
    """Every table whose rows, as text, contain ``needle`` (any case)."""
    hits = []
    with db.read() as session:
        for name in SQLModel.metadata.tables:
            if db.is_sqlite:
                cols = [c.name for c in SQLModel.metadata.tables[name].columns]
                expr = " || '|' || ".join(f"coalesce(CAST(\"{c}\" AS TEXT), '')" for c in cols)
                sql = f'SELECT count(*) FROM "{name}" WHERE lower({expr}) LIKE :n'
            else:
                sql = f'SELECT count(*) FROM "{name}" t WHERE lower(t::text) LIKE :n'
            if session.execute(text(sql), {"n": f"%{needle.lower()}%"}).scalar():
                hits.append(name)
    return hits


def files_containing(path: Path, needle: str) -> list[str]:
    found = []
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            data = candidate.read_bytes()
            if needle.encode() in data or needle.lower().encode() in data:
                found.append(candidate.name)
    return found


def test_erase_leaves_no_trace_of_the_person(any_db: Database) -> None:
    ids = make_person(any_db)
    path = any_db.location.path
    if path is not None:
        # The grep can see them before: otherwise the final check proves nothing.
        assert all(files_containing(path, c) for c in CANARIES)
    report = erase_person(any_db, EMAIL)
    assert report.wal_cleared
    assert report.links_removed == {"contact_pilot": 1, "meeting_attendee": 1}
    assert report.records_detached == {
        "action": 1,
        "barrier": 1,
        "partnership_agreement": 1,
        "agreement_partner": 1,
        "partnership_assessment": 1,
    }
    assert report.mentions_rewritten == 1
    for canary in CANARIES:
        assert rows_containing(any_db, canary) == [], canary
        if path is not None:
            assert files_containing(path, canary) == [], canary
    action = get_record(any_db, table="action", row_id=ids["action"])
    assert action["owner_id"] is None and ERASED in action["detail"]
    barrier = get_record(any_db, table="barrier", row_id=ids["barrier"])
    assert barrier["owner_id"] is None and ERASED in barrier["detail"]
    meeting = get_record(any_db, table="meeting", row_id=ids["meeting"])
    assert ERASED in meeting["notes"]
    agreement = get_record(any_db, table="partnership_agreement", row_id=ids["agreement"])
    assert agreement["agreed_by_id"] is None
    assert agreement["purpose"] == f"Warm homes\nAgreed by: {ERASED}"
    partner = get_record(any_db, table="agreement_partner", row_id=ids["partner"])
    assert partner["lead_contact_id"] is None and ERASED in partner["commitments"]
    assessment = get_record(any_db, table="partnership_assessment", row_id=ids["assessment"])
    assert (assessment["assessor_id"], assessment["assessor_name"]) == (None, ERASED)
    other = get_record(any_db, table="contact", row_id=ids["other"])
    assert other["notes"] == f"deputy to {ERASED}, {ERASED}"
    with any_db.read() as session:
        attendees = session.execute(text("SELECT count(*) FROM meeting_attendee")).scalar()
        ops = session.execute(
            text("SELECT op, reason FROM change WHERE table_name = 'contact' AND row_id = :i"),
            {"i": ids["person"]},
        ).all()
    assert attendees == 1  # the other attendee stays
    # What happened stays in the history; who it happened to does not.
    assert [o.op for o in ops] == ["create", "update", "delete"]
    assert ops[-1].reason.startswith("erasure request")


def test_erasure_reports_when_others_keep_the_wal_busy(db: Database) -> None:
    """A reader in another connection pins the WAL: erased, but told the space is not wiped."""
    import sqlite3

    make_person(db)
    assert db.location.path is not None
    reader = sqlite3.connect(db.location.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM contact").fetchone()
        report = erase_person(db, EMAIL)
        assert not report.wal_cleared
    finally:
        reader.close()
    assert rows_containing(db, EMAIL) == []
    from pfpp_tui.store.history.erasure import reclaim_erased_space

    assert reclaim_erased_space(db)
    for canary in CANARIES:
        assert files_containing(db.location.path, canary) == [], canary
