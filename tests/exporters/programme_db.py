"""A small, real programme database for export, query and report tests.

Built through the store's own write session on a SQLite file migrated to head, with dates
relative to ``TODAY`` so "overdue" and "due in 7 days" stay meaningful whenever tests run.
It holds the formula-injection payloads in text fields a spreadsheet would show.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from pfpp_tui.models import (
    Action,
    ActionStatus,
    Barrier,
    BarrierCategory,
    BarrierStatus,
    ChangeSource,
    Contact,
    ContactPilot,
    FundingFlow,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    Organisation,
    OrganisationFormerName,
    OrganisationKind,
    Pilot,
    Rag,
    Severity,
    Team,
)
from pfpp_tui.store.db.database import Database, open_database

TODAY = date.today()

INJECTION_PAYLOADS = (
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    '=HYPERLINK("http://x","y")',
)


def build_programme_db(location: str | Path) -> Database:
    """Create ``path`` with organisations, pilots, people, meetings, actions, barriers, funding."""
    db = open_database(location)
    with db.write(source=ChangeSource.SAMPLE) as s:
        desnz = Organisation(
            name="Department for Energy Security and Net Zero",
            short_name="DESNZ",
            kind=OrganisationKind.CENTRAL_DEPARTMENT,
        )
        home = Organisation(name="Home Office", kind=OrganisationKind.CENTRAL_DEPARTMENT)
        luton_bc = Organisation(name="Luton Borough Council", kind=OrganisationKind.LOCAL_AUTHORITY)
        esx = Organisation(name="East Sussex County Council", kind=OrganisationKind.LOCAL_AUTHORITY)
        s.add_all([desnz, home, luton_bc, esx])
        s.flush()
        assert desnz.id and home.id and luton_bc.id and esx.id
        s.add(
            OrganisationFormerName(
                organisation_id=desnz.id,
                name="Department for Business, Energy and Industrial Strategy",
                short_name="BEIS",
                renamed_on=date(2023, 2, 7),
            )
        )
        asb = Team(
            organisation_id=home.id,
            name="Anti-social Behaviour Unit",
            directorate="Crime",
            remit="anti-social behaviour, town centres",
        )
        fuel = Team(
            organisation_id=desnz.id,
            name="Fuel Poverty Team",
            directorate="Homes",
            remit="fuel poverty, private rented homes",
        )
        safety = Team(organisation_id=luton_bc.id, name="Community Safety")
        s.add_all([asb, fuel, safety])
        s.flush()
        luton = Pilot(
            name="Luton",
            lead_organisation_id=luton_bc.id,
            project_name="Town centre",
            local_challenge="Street culture, ASB and rough sleeping",
            rag=Rag.AMBER,
            start_date=date(2022, 1, 1),
        )
        hastings = Pilot(
            name="East Sussex",
            lead_organisation_id=esx.id,
            local_challenge="Fuel poverty in private rented homes",
            rag=Rag.GREEN,
        )
        s.add_all([luton, hastings])
        s.flush()
        assert luton.id and hastings.id
        patel = Contact(
            first_name="Priya",
            last_name="Patel",
            email="priya.patel@homeoffice.example",
            phone="+44 20 7946 0001",
            organisation_id=home.id,
            team_id=asb.id,
            role="Policy lead, ASB",
            notes="Knows the Luton town centre partners",
            tags="buddy",
        )
        brown = Contact(
            first_name="Tom",
            last_name="Brown",
            email="tom.brown@desnz.example",
            organisation_id=desnz.id,
            team_id=fuel.id,
            role="Senior policy adviser",
            notes="Line one\nline two, with; punctuation",
        )
        agren = Contact(
            first_name="Zoë",
            last_name="Ågren",
            email="zoe.agren@luton.example",
            organisation_id=luton_bc.id,
            team_id=safety.id,
            role="Programme manager",
            tags="data lead, buddy",
        )
        evil = Contact(
            first_name=INJECTION_PAYLOADS[0],
            last_name=INJECTION_PAYLOADS[1],
            email="evil@example.org",
            role=INJECTION_PAYLOADS[2],
            notes=INJECTION_PAYLOADS[3],
            tags=f"{INJECTION_PAYLOADS[0]}, safe",
            phone=INJECTION_PAYLOADS[1],
        )
        evil2 = Contact(
            first_name="Hyper",
            last_name="Link",
            email="hyper@example.org",
            role=INJECTION_PAYLOADS[4],
            notes=INJECTION_PAYLOADS[5],
        )
        s.add_all([patel, brown, agren, evil, evil2])
        s.flush()
        assert patel.id and brown.id and agren.id and evil.id
        s.add_all(
            [
                ContactPilot(contact_id=patel.id, pilot_id=luton.id),
                ContactPilot(contact_id=agren.id, pilot_id=luton.id),
                ContactPilot(contact_id=agren.id, pilot_id=hastings.id),
                ContactPilot(contact_id=brown.id, pilot_id=hastings.id),
            ]
        )
        board = Meeting(
            pilot_id=luton.id,
            held_at=datetime.combine(TODAY - timedelta(days=2), datetime.min.time()).replace(
                hour=10
            ),
            kind=MeetingKind.LOCAL_BOARD,
            title="Luton town centre board",
            notes="Quarterly board",
            decisions="Agree night-time economy plan\nAsk Home Office for data",
        )
        roundtable = Meeting(
            held_at=datetime(2025, 3, 4, 14, 30),
            kind=MeetingKind.CROSS_GOVERNMENT_ROUNDTABLE,
            title="Fuel poverty roundtable",
        )
        s.add_all([board, roundtable])
        s.flush()
        assert board.id and roundtable.id
        s.add_all(
            [
                MeetingAttendee(meeting_id=board.id, contact_id=patel.id),
                MeetingAttendee(meeting_id=board.id, contact_id=agren.id),
                MeetingAttendee(meeting_id=roundtable.id, contact_id=brown.id),
            ]
        )
        funding_barrier = Barrier(
            pilot_id=luton.id,
            category=BarrierCategory.FUNDING,
            title="Three competing small grants",
            severity=Severity.HIGH,
            status=BarrierStatus.NEW,
            raised_on=TODAY - timedelta(days=3),
            owner_id=agren.id,
        )
        data_barrier = Barrier(
            pilot_id=hastings.id,
            category=BarrierCategory.DATA_SHARING,
            title="Cannot share EPC data with the council",
            severity=Severity.CRITICAL,
            status=BarrierStatus.ESCALATED,
            raised_on=TODAY - timedelta(days=60),
            escalated_to_organisation_id=desnz.id,
            escalated_to_team_id=fuel.id,
            escalation_note="Asked for a data-sharing agreement",
            owner_id=brown.id,
        )
        s.add_all([funding_barrier, data_barrier])
        s.flush()
        s.add_all(
            [
                Action(
                    title="Map the small grants",
                    owner_id=patel.id,
                    pilot_id=luton.id,
                    meeting_id=board.id,
                    barrier_id=funding_barrier.id,
                    due_date=TODAY - timedelta(days=3),
                    status=ActionStatus.OPEN,
                ),
                Action(
                    title="Draft data-sharing agreement",
                    owner_id=brown.id,
                    pilot_id=hastings.id,
                    barrier_id=data_barrier.id,
                    due_date=TODAY + timedelta(days=5),
                    status=ActionStatus.IN_PROGRESS,
                ),
                Action(
                    title="Book the site visit",
                    owner_id=agren.id,
                    pilot_id=luton.id,
                    due_date=TODAY - timedelta(days=10),
                    status=ActionStatus.DONE,
                    completed_on=TODAY - timedelta(days=9),
                ),
                Action(
                    title="=1+1 think about it",
                    owner_id=patel.id,
                    pilot_id=luton.id,
                    status=ActionStatus.WAITING,
                ),
            ]
        )
        s.add_all(
            [
                FundingFlow(
                    pilot_id=luton.id,
                    source_organisation_id=home.id,
                    pot="Safer Streets Fund",
                    amount_gbp=150_000,
                    financial_year="2022-23",
                    outcome="CCTV and street wardens",
                ),
                FundingFlow(
                    pilot_id=luton.id,
                    source_organisation_id=home.id,
                    pot="Rough sleeping grant",
                    amount_gbp=45_000,
                    financial_year="2022-23",
                ),
                FundingFlow(
                    pilot_id=hastings.id,
                    source_organisation_id=desnz.id,
                    pot="Home Upgrade Grant",
                    amount_gbp=90_000,
                    financial_year="2022-23",
                ),
            ]
        )
    return db
