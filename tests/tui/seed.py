"""A small programme written through ``records.create_record``: the TUI and browse tests' data.

Real rows in a real SQLite file migrated to head; dates relative to ``TODAY`` so "overdue"
stays meaningful whenever the tests run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record

TODAY = date.today()


@dataclass
class Seeded:
    ids: dict[str, int]


def seed_programme(db: Database) -> Seeded:
    ids: dict[str, int] = {}

    def add(key: str, table: str, /, **values: Any) -> int:
        record = create_record(db, table=table, values=values, source=ChangeSource.SAMPLE)
        ids[key] = record.id
        return record.id

    add("home_office", "organisation", name="Home Office", short_name="HO")
    add(
        "desnz",
        "organisation",
        name="Department for Energy Security and Net Zero",
        short_name="DESNZ",
    )
    add(
        "beis",
        "organisation_former_name",
        organisation_id=ids["desnz"],
        name="Department for Business, Energy and Industrial Strategy",
        short_name="BEIS",
        renamed_on=date(2023, 2, 7),
    )
    add("luton_bc", "organisation", name="Luton Borough Council", kind="local_authority")
    add(
        "asb_team",
        "team",
        organisation_id=ids["home_office"],
        name="Anti-social Behaviour Unit",
        directorate="Crime, Policing and Fire",
        remit="anti-social behaviour, town centres",
    )
    add(
        "luton",
        "pilot",
        name="Luton",
        lead_organisation_id=ids["luton_bc"],
        local_challenge="Town-centre street culture, ASB and rough sleeping",
    )
    add("hackney", "pilot", name="Hackney", local_challenge="Ageing Well")
    add(
        "patel",
        "contact",
        first_name="Asha",
        last_name="Patel",
        email="asha.patel@ho.example",
        organisation_id=ids["home_office"],
        team_id=ids["asb_team"],
        role="Policy lead",
    )
    add(
        "jones",
        "contact",
        first_name="Gareth",
        last_name="Jones",
        email="gareth.jones@luton.example",
        organisation_id=ids["luton_bc"],
        role="Programme manager",
    )
    add(
        "okafor",
        "contact",
        first_name="Ngozi",
        last_name="Okafor",
        email="ngozi@hackney.example",
        role="Ageing Well lead",
    )
    add("patel_luton", "contact_pilot", contact_id=ids["patel"], pilot_id=ids["luton"])
    add("jones_luton", "contact_pilot", contact_id=ids["jones"], pilot_id=ids["luton"], role="lead")
    add(
        "board",
        "meeting",
        pilot_id=ids["luton"],
        title="Luton town-centre board",
        kind="local_board",
        held_at=datetime.combine(TODAY - timedelta(days=7), datetime.min.time()),
    )
    add("att1", "meeting_attendee", meeting_id=ids["board"], contact_id=ids["patel"])
    add("att2", "meeting_attendee", meeting_id=ids["board"], contact_id=ids["jones"])
    add(
        "barrier",
        "barrier",
        pilot_id=ids["luton"],
        category="data_sharing",
        title="Police data cannot be shared with outreach",
        severity="high",
        raised_on=TODAY - timedelta(days=7),
        escalated_to_organisation_id=ids["home_office"],
        status="escalated",
    )
    add(
        "overdue",
        "action",
        title="Send data-sharing agreement draft",
        owner_id=ids["patel"],
        pilot_id=ids["luton"],
        meeting_id=ids["board"],
        barrier_id=ids["barrier"],
        due_date=TODAY - timedelta(days=3),
    )
    add(
        "later",
        "action",
        title="Book site visit",
        owner_id=ids["jones"],
        pilot_id=ids["luton"],
        due_date=TODAY + timedelta(days=14),
    )
    add(
        "done",
        "action",
        title="Circulate minutes",
        owner_id=ids["jones"],
        pilot_id=ids["luton"],
        status="done",
        due_date=TODAY - timedelta(days=5),
    )
    add(
        "funding",
        "funding_flow",
        pilot_id=ids["luton"],
        pot="PfPP grant",
        amount_gbp=250000,
        financial_year="2022-23",
        source_organisation_id=ids["home_office"],
    )
    return Seeded(ids)
