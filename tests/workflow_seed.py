"""A small programme for the workflow tests (meeting log, triage, review): real rows, no mocks.

Written through ``records.create_record`` so history and validation run as in the app. Dates
are relative to ``TODAY`` so "overdue" and "not met for 60 days" hold whenever tests run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record

TODAY = date.today()


def days_ago(n: int, hour: int = 10) -> datetime:
    return datetime.combine(TODAY - timedelta(days=n), time(hour, 0))


@dataclass
class World:
    db: Database
    ids: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, table: str, /, **values: Any) -> int:
        record = create_record(self.db, table=table, values=values, source=ChangeSource.SAMPLE)
        self.ids[key] = record.id
        return record.id

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


def seed_world(db: Database) -> World:
    """Two pilots, three organisations (one renamed), six people."""
    w = World(db)
    w.add("ho", "organisation", name="Home Office", short_name="HO")
    w.add(
        "desnz",
        "organisation",
        name="Department for Energy Security and Net Zero",
        short_name="DESNZ",
    )
    w.add(
        "beis",
        "organisation_former_name",
        organisation_id=w["desnz"],
        name="Department for Business, Energy and Industrial Strategy",
        short_name="BEIS",
    )
    w.add("lbc", "organisation", name="Luton Borough Council", kind="local_authority")
    w.add("asb", "team", organisation_id=w["ho"], name="Anti-social Behaviour Unit")
    w.add("heat", "team", organisation_id=w["desnz"], name="Heat Policy")
    w.add("luton", "pilot", name="Luton", lead_organisation_id=w["lbc"])
    w.add("hastings", "pilot", name="Hastings")
    people = [
        ("ada", "Ada", "Okafor", "ada.okafor@ho.example", "ho"),
        ("ben", "Ben", "Shah", "ben.shah@luton.example", "lbc"),
        ("bea", "Bea", "Shah", "bea.shah@desnz.example", "desnz"),
        ("cara", "Cara", "Jones", "cara.jones@luton.example", "lbc"),
        ("dan", "Dan", "Evans", "dan.evans@ho.example", "ho"),
        ("eve", "Eve", "Patel", "eve.patel@luton.example", "lbc"),
    ]
    for key, first, last, email, org in people:
        w.add(key, "contact", first_name=first, last_name=last, email=email, organisation_id=w[org])
    for key in ("ben", "cara", "eve"):
        w.add(f"{key}_luton", "contact_pilot", contact_id=w[key], pilot_id=w["luton"])
    return w


TYPICAL_NOTES = """Street culture check-in.
- [ ] Send the data-sharing agreement @okafor due:fri
- [ ] Map the night-time economy funding @cara due:+2w
- [ ] Book the next site visit @ben.shah
! No single contact for street culture in Home Office #structure
= Agreed to pool the two grants
"""
