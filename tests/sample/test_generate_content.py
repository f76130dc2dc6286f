"""The sample generator's content: counts, real pilot facts, safe contact details, determinism.

Built on real SQLite files migrated to head (``open_database``), never a mocked database, so
these tests also prove the generated rows satisfy the migrated schema's constraints.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import Session, SQLModel

from pfpp_tui.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Barrier,
    BarrierCategory,
    BarrierStatus,
    Contact,
    ContactPilot,
    FundingFlow,
    Meeting,
    MeetingAttendee,
    Organisation,
    OrganisationFormerName,
    Pilot,
    PilotRole,
    Severity,
    Team,
)
from pfpp_tui.models.common import ChangeSource
from pfpp_tui.sample import SAMPLE_ANCHOR, build_sample
from pfpp_tui.store.db.database import open_database

LEAD_COUNCILS = {
    "Birmingham": "Birmingham City Council",
    "Bradford": "City of Bradford Metropolitan District Council",
    "Cornwall": "Cornwall Council",
    "Durham": "Durham County Council",
    "East Sussex": "East Sussex County Council",
    "Hackney": "London Borough of Hackney",
    "Liverpool": "Liverpool City Council",
    "Luton": "Luton Borough Council",
    "Newcastle": "Newcastle City Council",
    "Northumberland": "Northumberland County Council",
    "Southwark": "Southwark Council",
    "Sunderland": "Sunderland City Council",
    "Wakefield": "Wakefield Council",
}
UNPUBLISHED = {"Liverpool", "Newcastle", "Northumberland", "Wakefield"}
RESERVED_EMAIL = re.compile(r"^[a-z0-9.'-]+@([a-z0-9-]+\.example|example\.(org|com|net))$")
# Ofcom's drama ranges: London, big-city areas, the no-area 01632 code and mobiles.
DRAMA_PHONE = re.compile(
    r"^(020 7946 0\d{3}|01(1[3-8]|21|31|41|51|61) 496 0\d{3}|0191 498 0\d{3}"
    r"|01632 960\d{3}|07700 900\d{3})$"
)
END_OF_ANCHOR = datetime.combine(SAMPLE_ANCHOR, time(23, 59), tzinfo=UTC)


def _build(path: Path) -> None:
    db = open_database(path)
    try:
        with db.write(source=ChangeSource.SAMPLE, actor="sample") as session:
            build_sample(session)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "s.db"
    _build(path)
    return path


def _rows(path: Path, model: type[SQLModel]) -> list[Any]:
    db = open_database(path)
    try:
        with Session(db.engine) as session:
            return list(session.exec(select(model)).scalars().all())  # type: ignore[call-overload]
    finally:
        db.dispose()


def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    db = open_database(path)
    try:
        with Session(db.engine) as session:
            return {
                table.name: [tuple(r) for r in session.execute(select(table).order_by(*table.c))]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        db.dispose()


def test_counts_are_in_the_promised_ranges(sample: Path) -> None:
    counts = {
        model.__name__: len(_rows(sample, model))
        for model in (
            Pilot, Organisation, Team, Contact, Meeting, Action, Barrier, FundingFlow,
        )
    }  # fmt: skip
    assert counts["Pilot"] == 13
    assert 38 <= counts["Organisation"] <= 48
    assert 50 <= counts["Team"] <= 70
    assert 135 <= counts["Contact"] <= 170
    assert 55 <= counts["Meeting"] <= 65
    assert 135 <= counts["Action"] <= 175
    assert 72 <= counts["Barrier"] <= 90
    assert 25 <= counts["FundingFlow"] <= 40


def test_pilots_have_their_real_lead_councils_and_flag_invented_challenges(sample: Path) -> None:
    orgs = {o.id: o.name for o in _rows(sample, Organisation)}
    pilots = _rows(sample, Pilot)
    assert {p.name: orgs[p.lead_organisation_id] for p in pilots} == LEAD_COUNCILS
    assert {p.name for p in pilots if not p.challenge_published} == UNPUBLISHED
    for pilot in pilots:
        assert pilot.local_challenge and pilot.project_name
        if not pilot.challenge_published:
            assert "illustrative" in pilot.notes.lower()
    challenges = {p.name: p.local_challenge for p in pilots}
    assert "Hastings" in challenges["East Sussex"] and "Fuel poverty" in challenges["East Sussex"]
    assert "WeWalworth" in challenges["Southwark"]
    assert "Sunniside" in challenges["Sunderland"]


def test_departments_keep_their_former_names(sample: Path) -> None:
    orgs = {o.id: o for o in _rows(sample, Organisation)}
    former = {(orgs[f.organisation_id].short_name, f.short_name, f.renamed_on)
              for f in _rows(sample, OrganisationFormerName)}  # fmt: skip
    assert ("MHCLG", "DLUHC", date(2024, 7, 8)) in former
    assert ("MHCLG", "MHCLG", date(2021, 9, 19)) in former
    assert ("DESNZ", "BEIS", date(2023, 2, 7)) in former
    names = {o.name for o in orgs.values()}
    for expected in ("Ministry of Housing, Communities and Local Government", "HM Treasury",
                     "Public Health England", "NHS England", "Ipsos UK", "Bradford VCS Alliance",
                     "Grant Thornton UK LLP"):  # fmt: skip
        assert expected in names


def test_contacts_only_use_reserved_domains_and_drama_numbers(sample: Path) -> None:
    contacts = _rows(sample, Contact)
    emails = [c.email for c in contacts if c.email]
    assert len(emails) > 0.9 * len(contacts)
    for contact in contacts:
        if contact.email:
            assert RESERVED_EMAIL.match(contact.email), contact.email
            assert contact.email_key == contact.email.strip().lower()
        if contact.phone:
            assert DRAMA_PHONE.match(contact.phone), contact.phone
            assert contact.phone_e164 == "+44" + contact.phone.replace(" ", "")[1:]
        assert contact.organisation_id is not None and contact.role
    assert len(set(emails)) == len(emails)
    assert 3 <= sum(c.archived for c in contacts) <= 15
    assert sum(bool(c.tags) for c in contacts) >= 20


def test_every_pilot_has_a_lead_and_a_buddy(sample: Path) -> None:
    roles = Counter((link.pilot_id, link.role) for link in _rows(sample, ContactPilot))
    for pilot in _rows(sample, Pilot):
        assert roles[(pilot.id, PilotRole.LEAD)] == 1
        assert roles[(pilot.id, PilotRole.BUDDY)] == 1
    assert {role for _, role in roles} == set(PilotRole)


def test_meetings_are_in_the_past_with_two_to_eight_attendees(sample: Path) -> None:
    meetings = _rows(sample, Meeting)
    attendees = Counter(a.meeting_id for a in _rows(sample, MeetingAttendee))
    for meeting in meetings:
        assert 2 <= attendees[meeting.id] <= 8, meeting.title
        assert meeting.held_at.date() < SAMPLE_ANCHOR
        assert meeting.held_at.weekday() < 5
        assert meeting.notes and meeting.decisions
    assert any(m.pilot_id is None for m in meetings)
    assert len({m.kind for m in meetings}) >= 9
    recent = [m for m in meetings if (SAMPLE_ANCHOR - m.held_at.date()).days <= 90]
    assert len(recent) >= len(meetings) // 2


def test_actions_cover_every_status_and_some_are_overdue(sample: Path) -> None:
    actions = _rows(sample, Action)
    assert {a.status for a in actions} == set(ActionStatus)
    open_ = [a for a in actions if a.status in OPEN_ACTION_STATUSES]
    overdue = [a for a in open_ if a.due_date and a.due_date < SAMPLE_ANCHOR]
    soon = [a for a in open_ if a.due_date and 0 <= (a.due_date - SAMPLE_ANCHOR).days <= 28]
    assert len(overdue) >= 10 and len(soon) >= 15
    for action in actions:
        assert (action.completed_on is not None) == (action.status == ActionStatus.DONE)
        if action.completed_on:
            assert action.completed_on < SAMPLE_ANCHOR
    titles = [a.title for a in actions]
    assert len(set(titles)) == len(titles), "titles should read as distinct pieces of work"
    assert sum(a.barrier_id is not None for a in actions) >= 5


def test_barriers_cover_every_category_status_and_severity(sample: Path) -> None:
    barriers = _rows(sample, Barrier)
    assert {b.category for b in barriers} == set(BarrierCategory)
    assert {b.status for b in barriers} == set(BarrierStatus)
    assert {b.severity for b in barriers} == set(Severity)
    by_id = {b.id: b for b in barriers}
    for barrier in barriers:
        assert barrier.raised_on < SAMPLE_ANCHOR
        if barrier.status == BarrierStatus.ESCALATED:
            assert barrier.escalated_to_organisation_id and barrier.escalated_to_team_id
            assert barrier.escalation_note.startswith("Escalated to ")
        if barrier.status in (BarrierStatus.RESOLVED, BarrierStatus.ACCEPTED):
            assert barrier.resolution
        if barrier.duplicate_of_id is not None:
            original = by_id[barrier.duplicate_of_id]
            assert original.pilot_id == barrier.pilot_id and original.id < barrier.id
    assert sum(b.snoozed_until is not None for b in barriers) >= 3
    assert sum(b.duplicate_of_id is not None for b in barriers) >= 2
    assert sum(b.pilot_id is None for b in barriers) >= 5
    assert (SAMPLE_ANCHOR - min(b.raised_on for b in barriers)).days >= 300


def test_funding_flows_include_many_small_grants(sample: Path) -> None:
    flows = _rows(sample, FundingFlow)
    assert {f.financial_year for f in flows} == {"2021-22", "2022-23", "2023-24"}
    assert sum(f.amount_gbp < 100_000 for f in flows) >= 15
    assert all(0 < f.amount_gbp <= 350_000 for f in flows)


def test_timestamps_are_fixed_aware_and_not_after_the_anchor(sample: Path) -> None:
    for model in (Organisation, Pilot, Contact, Meeting, Action, Barrier, FundingFlow):
        for row in _rows(sample, model):
            assert row.created_at <= row.updated_at <= END_OF_ANCHOR, (model.__name__, row.id)
            assert row.created_at >= END_OF_ANCHOR - timedelta(days=500)


def test_two_builds_are_identical(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    _build(again)
    first, second = _dump(sample), _dump(again)
    assert first == second
    assert sum(len(rows) for rows in first.values()) > 1000
