"""A small but awkward programme database for copy and crash tests when sample.db is absent.

Awkward on purpose: forward self-references (an organisation whose parent has a higher id, a
barrier marked duplicate of a later one), non-ASCII and quote-laden text, NULLs, booleans,
dates, naive meeting times, and a history with creates, updates and deletes.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, delete_record, update_record

CLI = ChangeSource.CLI


def fill_programme(db: Database, *, people: int = 60, seed: int = 7) -> None:
    rnd = random.Random(seed)
    child = create_record(db, table="organisation", values={"name": "Hastings BC"}, source=CLI)
    parent = create_record(
        db,
        table="organisation",
        values={"name": "East Sussex CC", "kind": "local_authority"},
        source=CLI,
    )
    update_record(
        db, table="organisation", row_id=child.id, changes={"parent_id": parent.id}, source=CLI
    )
    dept = create_record(
        db,
        table="organisation",
        values={"name": "Department for Energy Security and Net Zero", "short_name": "DESNZ"},
        source=CLI,
    )
    create_record(
        db,
        table="organisation_former_name",
        values={"organisation_id": dept.id, "name": "BEIS", "renamed_on": date(2023, 2, 7)},
        source=CLI,
    )
    team = create_record(
        db,
        table="team",
        values={
            "organisation_id": dept.id,
            "name": "Fuel poverty",
            "remit": 'warm homes; "Help to Heat"',
        },
        source=CLI,
    )
    pilots = [
        create_record(
            db,
            table="pilot",
            values={
                "name": name,
                "start_date": date(2021, 11, 8),
                "challenge_published": i % 2 == 0,
            },
            source=CLI,
        ).id
        for i, name in enumerate(["East Sussex", "Hackney", "Luton"])
    ]
    create_record(
        db,
        table="funding_flow",
        values={
            "pilot_id": pilots[0],
            "pot": "PfPP grant",
            "amount_gbp": 350_000,
            "financial_year": "2022-23",
            "source_organisation_id": dept.id,
        },
        source=CLI,
    )
    names = ["Zoë", "Siân", "Chidi", "O'Brien", "Łukasz", "Ana-María", "李", "Renée"]
    contacts = []
    for i in range(people):
        first_name = rnd.choice(names)
        org = rnd.choice([child.id, parent.id, dept.id, None])
        c = create_record(
            db,
            table="contact",
            values={
                "first_name": first_name,
                "last_name": f"Person{i}",
                "email": f"person{i}@place.example" if i % 5 else None,
                "phone": f"020 7946 0{i:03d}" if i % 3 == 0 else None,
                # A team belongs to its organisation (the store refuses a contact mixing them).
                "organisation_id": dept.id if i % 4 == 0 else org,
                "team_id": team.id if i % 4 == 0 else None,
                "archived": i % 11 == 0,
                "notes": "line one\nline two ✓" if i % 7 == 0 else "",
            },
            source=CLI,
        )
        contacts.append(c.id)
        create_record(
            db,
            table="contact_pilot",
            values={"contact_id": c.id, "pilot_id": pilots[i % 3]},
            source=CLI,
        )
    meetings = []
    for i in range(6):
        m = create_record(
            db,
            table="meeting",
            values={
                "title": f"Check-in {i}",
                "held_at": datetime(2022, 1 + i, 3, 9, 30),
                "pilot_id": pilots[i % 3],
                "decisions": "agree ToR\nmeet monthly",
            },
            source=CLI,
        )
        meetings.append(m.id)
        for who in rnd.sample(contacts, 4):
            create_record(
                db,
                table="meeting_attendee",
                values={"meeting_id": m.id, "contact_id": who},
                source=CLI,
            )
    first = create_record(
        db,
        table="barrier",
        values={
            "title": "Data-sharing agreement stuck",
            "category": "data_sharing",
            "raised_on": date(2022, 2, 1),
            "owner_id": contacts[1],
            "meeting_id": meetings[0],
        },
        source=CLI,
    )
    later = create_record(
        db,
        table="barrier",
        values={
            "title": "DSA stuck again",
            "category": "data_sharing",
            "raised_on": date(2022, 3, 1),
            "status": "escalated",
            "escalated_to_organisation_id": dept.id,
        },
        source=CLI,
    )
    update_record(
        db,
        table="barrier",
        row_id=first.id,
        changes={"duplicate_of_id": later.id},
        source=CLI,
        reason="same problem",
    )
    for i in range(20):
        a = create_record(
            db,
            table="action",
            values={
                "title": f"Action {i}",
                "owner_id": rnd.choice(contacts),
                "meeting_id": rnd.choice(meetings),
                "barrier_id": later.id if i % 6 == 0 else None,
                "due_date": date(2022, 6, 1 + i),
            },
            source=CLI,
        )
        if i % 4 == 0:
            update_record(
                db,
                table="action",
                row_id=a.id,
                changes={"status": "done", "completed_on": date(2022, 7, 1)},
                source=CLI,
            )
    delete_record(db, table="contact", row_id=contacts[-1], source=CLI)
