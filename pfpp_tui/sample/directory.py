"""The sample's directory: organisations, renames, teams, pilots, contacts and funding.

Turns the reference data into rows and decides who is linked to which pilot (lead, buddy,
sponsor, partner); ``work`` then builds meetings, barriers and actions on top of the returned
``Directory``. Draws only from the ``random.Random`` it is given and never reads the clock.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session

from pfpp_tui.models import (
    Contact,
    ContactPilot,
    FundingFlow,
    Organisation,
    OrganisationFormerName,
    OrganisationKind,
    Pilot,
    PilotRole,
    Team,
)
from pfpp_tui.sample import people
from pfpp_tui.sample.anchor import SAMPLE_ANCHOR, SETUP_AT, at, row_id, weekday
from pfpp_tui.sample.funding import PFPP_GRANTS, PFPP_POT, SMALL_GRANTS
from pfpp_tui.sample.organisations import MOBILE, ORGANISATIONS
from pfpp_tui.sample.places_a_to_h import PILOTS_A_TO_H
from pfpp_tui.sample.places_l_to_w import PILOTS_L_TO_W
from pfpp_tui.sample.specs import OrgSpec, PilotSpec, TeamSpec
from pfpp_tui.sample.teams import PFPP_TEAM, TEAMS

PILOTS: tuple[PilotSpec, ...] = PILOTS_A_TO_H + PILOTS_L_TO_W

_CENTRAL = frozenset({OrganisationKind.CENTRAL_DEPARTMENT, OrganisationKind.ARMS_LENGTH_BODY})


class Directory:
    """What the first phase made, by reference-data key, for the work phase to draw on."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.org_specs: dict[str, OrgSpec] = {o.key: o for o in ORGANISATIONS}
        self.team_specs: dict[str, TeamSpec] = {t.key: t for t in TEAMS}
        self.pilot_specs: dict[str, PilotSpec] = {p.key: p for p in PILOTS}
        self.orgs: dict[str, Organisation] = {}
        self.teams: dict[str, Team] = {}
        self.pilots: dict[str, Pilot] = {}
        self.contacts: list[Contact] = []
        self.team_people: dict[str, list[Contact]] = {}
        # Active (not archived) people linked to each pilot, lead and buddy first.
        self.pilot_people: dict[str, list[Contact]] = {p.key: [] for p in PILOTS}
        self.leads: dict[str, Contact] = {}
        self.buddies: dict[str, Contact] = {}
        self.links: set[tuple[int, int]] = set()

    def active(self, team_key: str) -> list[Contact]:
        return [c for c in self.team_people.get(team_key, []) if not c.archived]

    def central_teams_for(self, pilot_key: str) -> list[str]:
        """Department teams that partner this pilot in particular (not programme-wide ones)."""
        return [
            t.key
            for t in TEAMS
            if pilot_key in t.pilots
            and len(t.pilots) < len(PILOTS)
            and self.org_specs[t.org].kind is OrganisationKind.CENTRAL_DEPARTMENT
        ]

    def short(self, org_key: str) -> str:
        org = self.org_specs[org_key]
        return org.short_name or org.name


def build_directory(session: Session, rng: random.Random) -> Directory:
    d = Directory(rng)
    _organisations(session, d)
    _teams_and_pilots(session, d)
    _contacts(session, d)
    return d


def _organisations(session: Session, d: Directory) -> None:
    for spec in ORGANISATIONS:
        org = Organisation(
            name=spec.name, short_name=spec.short_name, kind=spec.kind, notes=spec.notes,
            created_at=SETUP_AT, updated_at=SETUP_AT,
        )  # fmt: skip
        session.add(org)
        d.orgs[spec.key] = org
    session.flush()
    for spec in ORGANISATIONS:
        if spec.parent:
            d.orgs[spec.key].parent_id = row_id(d.orgs[spec.parent])
        for former in spec.former_names:
            session.add(
                OrganisationFormerName(
                    organisation_id=row_id(d.orgs[spec.key]), name=former.name,
                    short_name=former.short_name, renamed_on=former.renamed_on,
                    created_at=SETUP_AT, updated_at=SETUP_AT,
                )
            )  # fmt: skip
    session.flush()


def _teams_and_pilots(session: Session, d: Directory) -> None:
    for t in TEAMS:
        team = Team(
            organisation_id=row_id(d.orgs[t.org]), name=t.name, directorate=t.directorate,
            remit=t.remit, created_at=SETUP_AT, updated_at=SETUP_AT,
        )  # fmt: skip
        session.add(team)
        d.teams[t.key] = team
    for p in PILOTS:
        reviewed = at(weekday(SAMPLE_ANCHOR - timedelta(days=d.rng.randint(2, 40))), 16)
        pilot = Pilot(
            name=p.name, lead_organisation_id=row_id(d.orgs[p.lead_org]),
            project_name=p.project_name, local_challenge=p.local_challenge,
            challenge_published=p.challenge_published, stage=p.stage, rag=p.rag,
            start_date=p.start_date, end_date=p.end_date, notes=p.notes,
            created_at=SETUP_AT, updated_at=reviewed,
        )  # fmt: skip
        session.add(pilot)
        d.pilots[p.key] = pilot
    session.flush()


class _People:
    """Draws unique invented names and drama-range phone numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[tuple[str, str]] = set()
        self.numbers: set[str] = set()

    def name(self) -> tuple[str, str]:
        while True:
            pair = (self.rng.choice(people.FIRST_NAMES), self.rng.choice(people.LAST_NAMES))
            if pair not in self.names:
                self.names.add(pair)
                return pair

    def phone(self, prefix: str) -> tuple[str, str]:
        while True:
            number = f"{prefix}{self.rng.randint(0, 999):03d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number, "+44" + number.replace(" ", "")[1:]


def _slug(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", "-")


def _contacts(session: Session, d: Directory) -> None:
    drawer = _People(d.rng)
    for t in TEAMS:
        for i in range(t.contacts):
            contact = _person(session, d, drawer, d.org_specs[t.org], t, i)
            d.team_people.setdefault(t.key, []).append(contact)
    for o in ORGANISATIONS:
        for i in range(o.loose_contacts):
            _person(session, d, drawer, o, None, i)
    session.flush()
    _link_pilots(session, d)


def _person(
    session: Session, d: Directory, drawer: _People, org: OrgSpec, team: TeamSpec | None, i: int
) -> Contact:
    rng = d.rng
    first, last = drawer.name()
    if i == 0:
        role = rng.choice(people.TEAM_LEAD_ROLES[org.kind])
        role = f"{role}, {team.name}" if team and org.kind in _CENTRAL else role
    else:
        role = rng.choice(people.STAFF_ROLES[org.kind])
    email: str | None = f"{_slug(first)}.{_slug(last)}@{org.domain}"
    if org.kind is OrganisationKind.VOLUNTARY_COMMUNITY and i % 2 == 1:
        email = f"{_slug(first)}.{_slug(last)}@example.org"  # volunteers use their own address
    elif rng.random() < 0.04:
        email = None
    roll = rng.random()
    phone, e164 = (
        drawer.phone(org.phone_prefix) if roll < 0.55
        else drawer.phone(MOBILE) if roll < 0.9
        else (None, None)
    )  # fmt: skip
    tags = ", ".join(rng.sample(people.TAGS, rng.randint(1, 2))) if rng.random() < 0.3 else ""
    notes = rng.choice(people.CONTACT_NOTES) if rng.random() < 0.15 else ""
    archived = org.key == "phe" or rng.random() < 0.03
    if org.key == "phe":
        notes = "Moved to UKHSA or OHID when PHE closed on 1 Oct 2021."
    elif archived:
        notes = "Left the organisation; kept for the record of earlier meetings."
    contact = Contact(
        first_name=first, last_name=last, email=email,
        email_key=email.strip().lower() if email else None, phone=phone, phone_e164=e164,
        organisation_id=row_id(d.orgs[org.key]),
        team_id=row_id(d.teams[team.key]) if team else None,
        role=role, notes=notes, tags=tags, archived=archived,
        created_at=SETUP_AT + timedelta(minutes=len(d.contacts)), updated_at=SETUP_AT,
    )  # fmt: skip
    contact.updated_at = contact.created_at
    session.add(contact)
    d.contacts.append(contact)
    return contact


def _link(
    session: Session, d: Directory, contact: Contact, pilot_key: str, role: PilotRole
) -> None:
    key = (row_id(contact), row_id(d.pilots[pilot_key]))
    if key in d.links:
        return
    d.links.add(key)
    session.add(
        ContactPilot(
            contact_id=key[0], pilot_id=key[1], role=role,
            created_at=contact.created_at, updated_at=contact.created_at,
        )
    )  # fmt: skip
    if not contact.archived:
        d.pilot_people[pilot_key].append(contact)


def _link_pilots(session: Session, d: Directory) -> None:
    rng = d.rng
    # Each pilot's lead is the head of the lead council's first team working on it.
    for p in PILOTS:
        team = next(t for t in TEAMS if t.org == p.lead_org and p.key in t.pilots)
        lead = d.active(team.key)[0]
        d.leads[p.key] = lead
        _link(session, d, lead, p.key, PilotRole.LEAD)
    # Programme-team staff (not its head) buddy the pilots in turn.
    buddies = d.active(PFPP_TEAM)[1:]
    for n, p in enumerate(PILOTS):
        d.buddies[p.key] = buddies[n % len(buddies)]
        _link(session, d, d.buddies[p.key], p.key, PilotRole.BUDDY)
    for t in TEAMS:
        if t.key == PFPP_TEAM:
            continue
        org = d.org_specs[t.org]
        for i, contact in enumerate(d.team_people[t.key]):
            if org.kind in _CENTRAL:
                places = rng.sample(t.pilots, min(len(t.pilots), 1 if len(t.pilots) > 6 else 2))
                # A deputy director sponsors one place; everyone else partners.
                senior = i == 0 and (contact.role or "").startswith("Deputy Director")
                if senior:
                    _link(session, d, contact, places[0], PilotRole.SPONSOR)
                role = PilotRole.PARTNER
            elif org.kind is OrganisationKind.RESEARCH_EVALUATION:
                places, role = rng.sample(t.pilots, 3), PilotRole.MEMBER
            else:
                places = list(t.pilots)
                role = PilotRole.MEMBER if t.org == d.pilot_specs[places[0]].lead_org else (
                    PilotRole.PARTNER
                )  # fmt: skip
            for place in places:
                _link(session, d, contact, place, role)
    for c in d.contacts:
        if c.team_id is None:
            org_key = next(k for k, o in d.orgs.items() if o.id == c.organisation_id)
            for place in d.org_specs[org_key].pilots:
                _link(session, d, c, place, PilotRole.PARTNER)
    session.flush()


def add_funding(session: Session, d: Directory) -> None:
    for p in PILOTS:
        amount, year = PFPP_GRANTS[p.key]
        session.add(
            FundingFlow(
                pilot_id=row_id(d.pilots[p.key]), source_organisation_id=row_id(d.orgs["mhclg"]),
                pot=PFPP_POT, amount_gbp=amount, financial_year=year,
                outcome=p.local_challenge, created_at=SETUP_AT, updated_at=SETUP_AT,
            )
        )  # fmt: skip
    for f in SMALL_GRANTS:
        session.add(
            FundingFlow(
                pilot_id=row_id(d.pilots[f.pilot]), source_organisation_id=row_id(d.orgs[f.source]),
                pot=f.pot, amount_gbp=f.amount_gbp, financial_year=f.financial_year,
                outcome=f.outcome, created_at=SETUP_AT, updated_at=SETUP_AT,
            )
        )  # fmt: skip
    session.flush()
