"""The sample's partnership health: agreements, assessments and principle tags for 13 pilots.

Owns ``build_partnership``: one pre-partnership agreement per pilot (in every status, some past
their review date), two dated assessments of the four partnership variables per pilot, and
principle tags on a share of the barriers and actions ``work`` made. It draws from its own
``random.Random`` (seeded from ``SAMPLE_SEED``) so the rest of the sample is byte-for-byte what
it was before these tables existed. Never reads the clock, commits or writes history.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from pfpp_tui.models import Action, Barrier, BarrierCategory, Contact, OrganisationKind
from pfpp_tui.models.partnership import (
    ActionPrinciple,
    AgreementPartner,
    AgreementStatus,
    BarrierPrinciple,
    PartnershipAgreement,
    PartnershipAssessment,
    Principle,
)
from pfpp_tui.sample.anchor import SAMPLE_ANCHOR, SAMPLE_SEED, at, days_before, row_id, weekday
from pfpp_tui.sample.directory import PILOTS, Directory
from pfpp_tui.sample.organisations import ORGANISATIONS
from pfpp_tui.sample.specs import PilotSpec

PARTNERSHIP_SEED = SAMPLE_SEED + 11  # issue 11

# Status per pilot, in PILOTS order: every status, agreed the most common.
_STATUSES = (
    AgreementStatus.AGREED, AgreementStatus.AGREED, AgreementStatus.UNDER_REVIEW,
    AgreementStatus.AGREED, AgreementStatus.AGREED, AgreementStatus.DRAFT,
    AgreementStatus.AGREED, AgreementStatus.UNDER_REVIEW, AgreementStatus.AGREED,
    AgreementStatus.DRAFT, AgreementStatus.AGREED, AgreementStatus.UNDER_REVIEW,
    AgreementStatus.DRAFT,
)  # fmt: skip
# Agreed agreements whose review date has already passed (indexes into PILOTS).
_OVERDUE = frozenset({1, 6, 10})

_BOARDS = (
    "{place} Partnership Board", "{place} Place Leadership Group", "{place} Pilot Steering Group",
)  # fmt: skip
_FREQUENCIES = ("Monthly", "Every six weeks", "Quarterly, with a monthly working group")
_DATA_SHARING = (
    "Partners share pseudonymised caseload counts monthly under the {place} information-sharing "
    "agreement (ISA); no personal data leaves the council without a signed data-processing "
    "agreement.",
    "Aggregated outcome data only, shared through the council's data hub under the existing "
    "multi-agency ISA; named-person data stays with the service that collected it.",
    "A data-protection impact assessment is in draft; until it is signed, partners share only "
    "published statistics and anonymised case studies.",
)
_ESCALATION = (
    "Disagreements go first to the leads of the partners concerned, then to the board chair "
    "within 10 working days, and finally to the PfPP programme team and the sponsoring "
    "department.",
    "Raised at the next board meeting; anything blocking delivery goes to the programme buddy "
    "within a week and, if unresolved, to the deputy director sponsor.",
)
_ROLES: dict[OrganisationKind, tuple[str, str]] = {
    OrganisationKind.LOCAL_AUTHORITY: (
        "Lead council and accountable body",
        "Hosts the pilot team, holds the grant and reports to the programme quarterly.",
    ),
    OrganisationKind.CENTRAL_DEPARTMENT: (
        "Central government partner",
        "Names a policy lead, joins the board twice a year and answers escalations within "
        "four weeks.",
    ),
    OrganisationKind.VOLUNTARY_COMMUNITY: (
        "Voluntary and community sector partner",
        "Brings resident voice to the board and co-designs outreach with community groups.",
    ),
    OrganisationKind.NHS_BODY: (
        "Health partner",
        "Shares service-use data under the ISA and releases staff time for joint case reviews.",
    ),
    OrganisationKind.PUBLIC_BODY: (
        "Community safety partner",
        "Attends the board and shares incident trends for the pilot area.",
    ),
    OrganisationKind.PRIVATE_PARTNER: (
        "Local business partner",
        "Hosts events and shares footfall data for the pilot area.",
    ),
    OrganisationKind.RESEARCH_EVALUATION: (
        "Evaluation partner",
        "Runs the evaluation sessions and shares emerging findings with the board.",
    ),
    OrganisationKind.ARMS_LENGTH_BODY: (
        "Arm's-length body partner",
        "Advises on delivery and joins deep-dives when asked.",
    ),
}
_SPONSOR = (
    "Programme sponsor (PfPP team)",
    "Provides the grant, a programme buddy and routes barriers to the right department.",
)
_NOTES = {
    "history": ("Little joint working before the pilot; partners knew each other by name only.",
                "Some joint commissioning in the past, patchy since.",
                "A track record of joint bids and shared posts over several years."),
    "attitudes": ("Key staff see partners as competitors for funding.",
                  "Mixed: enthusiasm at officer level, caution higher up.",
                  "Leaders talk about 'our' outcomes rather than their own service's."),
    "vcs": ("Voluntary groups are fragmented and rarely meet one another.",
            "An umbrella body exists but larger charities dominate.",
            "A strong alliance with a shared voice at the board."),
    "capacity": ("The pilot rests on one or two people; cover is thin.",
                 "Enough people, but data and evaluation skills are short.",
                 "A stable team with the skills the work needs."),
}  # fmt: skip
_CATEGORY_PRINCIPLES: dict[BarrierCategory, tuple[Principle, ...]] = {
    BarrierCategory.STRUCTURE: (Principle.HOLISTIC, Principle.TRUST),
    BarrierCategory.PRIORITIES: (Principle.FRAMEWORKS, Principle.OUTCOMES, Principle.TRUST),
    BarrierCategory.FUNDING: (Principle.FUNDING, Principle.OUTCOMES),
    BarrierCategory.DATA_SHARING: (Principle.DATA,),
    BarrierCategory.CULTURE: (Principle.TRUST, Principle.PREVENTION),
    BarrierCategory.OTHER: tuple(Principle),
}


def build_partnership(session: Session, d: Directory) -> None:
    """Add agreements, assessments and principle tags; flushes, never commits."""
    rng = random.Random(PARTNERSHIP_SEED)
    for n, p in enumerate(PILOTS):
        _agreement(session, d, rng, n, p)
        _assessments(session, d, rng, p)
    session.flush()
    _principles(session, rng)
    session.flush()


def _contact_at(d: Directory, pilot_key: str, org_id: int) -> Contact | None:
    """The first active person of ``org_id`` working on the pilot, else anyone active there."""
    for contact in d.pilot_people[pilot_key]:
        if contact.organisation_id == org_id:
            return contact
    for contact in d.contacts:
        if contact.organisation_id == org_id and not contact.archived:
            return contact
    return None


def _partner_orgs(d: Directory, p: PilotSpec) -> list[str]:
    local = [o.key for o in ORGANISATIONS if p.key in o.pilots and o.key != p.lead_org]
    central = list(dict.fromkeys(d.team_specs[t].org for t in d.central_teams_for(p.key)))
    return [p.lead_org, *local[:3], *[c for c in central if c != "mhclg"][:2], "mhclg"]


def _purpose(p: PilotSpec) -> str:
    challenge = p.local_challenge.rstrip(".")
    challenge = challenge[:1].lower() + challenge[1:]
    where = "" if p.name.lower() in challenge.lower() else f" in {p.name}"
    return (
        f"To work as one partnership on {challenge}{where}, agreeing purpose and roles before "
        "delivery starts and reviewing them as the pilot learns."
    )


def _agreement(session: Session, d: Directory, rng: random.Random, n: int, p: PilotSpec) -> None:
    status = _STATUSES[n]
    fields = {"place": p.name}
    drafted = weekday(days_before(rng.randint(420, 520)))
    agreed_on: date | None = None
    agreed_by: Contact | None = None
    review: date | None
    if status is AgreementStatus.DRAFT:
        review = None if n % 2 else weekday(SAMPLE_ANCHOR + timedelta(days=rng.randint(20, 60)))
    else:
        agreed_on = weekday(drafted + timedelta(days=rng.randint(30, 75)))
        agreed_by = d.leads[p.key]
        if status is AgreementStatus.UNDER_REVIEW or n in _OVERDUE:
            review = weekday(days_before(rng.randint(5, 60)))
        else:
            review = weekday(SAMPLE_ANCHOR + timedelta(days=rng.randint(30, 180)))
    touched = agreed_on or drafted
    if status is AgreementStatus.UNDER_REVIEW and review is not None:
        touched = review
    chair = d.leads[p.key]
    agreement = PartnershipAgreement(
        pilot_id=row_id(d.pilots[p.key]),
        purpose=_purpose(p),
        governance_board=rng.choice(_BOARDS).format(**fields),
        governance_chair=f"{chair.first_name} {chair.last_name}, {chair.role}".strip(", "),
        meeting_frequency=rng.choice(_FREQUENCIES),
        data_sharing=rng.choice(_DATA_SHARING).format(**fields),
        escalation_route=rng.choice(_ESCALATION),
        review_date=review,
        status=status,
        agreed_by_id=row_id(agreed_by) if agreed_by else None,
        agreed_on=agreed_on,
        created_at=at(drafted, 10),
        updated_at=at(touched, 15),
    )
    session.add(agreement)
    session.flush()
    for key in _partner_orgs(d, p):
        org = d.orgs[key]
        kind = d.org_specs[key].kind
        role, commitments = _SPONSOR if key == "mhclg" else _ROLES[kind]
        lead: Contact | None
        if key == p.lead_org:
            lead = d.leads[p.key]
        elif key == "mhclg":
            lead = d.buddies[p.key]
        else:
            lead = _contact_at(d, p.key, row_id(org))
        session.add(
            AgreementPartner(
                agreement_id=row_id(agreement), organisation_id=row_id(org), role=role,
                commitments=commitments, lead_contact_id=row_id(lead) if lead else None,
                created_at=at(drafted, 10), updated_at=at(drafted, 10),
            )
        )  # fmt: skip


def _assessments(session: Session, d: Directory, rng: random.Random, p: PilotSpec) -> None:
    first = weekday(days_before(rng.randint(290, 360)))
    second = weekday(days_before(rng.randint(14, 80)))
    ratings = {v: rng.randint(2, 4) for v in _NOTES}
    evaluator = d.active("ipsos_eval")[0] if d.active("ipsos_eval") else None
    assessors: tuple[tuple[Contact | None, str], ...] = (
        (d.buddies[p.key], ""),
        (evaluator, "") if rng.random() < 0.6 else (None, "Independent facilitator"),
    )
    for day, (assessor, name) in zip((first, second), assessors, strict=True):
        values: dict[str, Any] = {}
        for variable, rating in ratings.items():
            values[f"{variable}_rating"] = rating
            values[f"{variable}_note"] = _NOTES[variable][min(2, (rating - 1) // 2 + (rating > 3))]
        session.add(
            PartnershipAssessment(
                pilot_id=row_id(d.pilots[p.key]), assessed_on=day,
                assessor_id=row_id(assessor) if assessor else None, assessor_name=name,
                created_at=at(day, 16), updated_at=at(day, 16), **values,
            )
        )  # fmt: skip
        # Most places improve a little between assessments; some slip.
        ratings = {
            v: max(1, min(5, r + rng.choice((-1, 0, 0, 1, 1, 1)))) for v, r in ratings.items()
        }


def _principles(session: Session, rng: random.Random) -> None:
    barriers = list(session.exec(select(Barrier).order_by(col(Barrier.id))))
    first_principle: dict[int, Principle] = {}
    for barrier in barriers:
        if rng.random() >= 0.6:
            continue
        options = _CATEGORY_PRINCIPLES[barrier.category]
        chosen = rng.sample(options, min(len(options), 1 if rng.random() < 0.75 else 2))
        first_principle[row_id(barrier)] = chosen[0]
        for principle in chosen:
            session.add(
                BarrierPrinciple(
                    barrier_id=row_id(barrier), principle=principle,
                    created_at=barrier.updated_at, updated_at=barrier.updated_at,
                )
            )  # fmt: skip
    for action in session.exec(select(Action).order_by(col(Action.id))):
        inherited = first_principle.get(action.barrier_id) if action.barrier_id else None
        if inherited is None and rng.random() >= 0.25:
            continue
        session.add(
            ActionPrinciple(
                action_id=row_id(action), principle=inherited or rng.choice(tuple(Principle)),
                created_at=action.created_at, updated_at=action.created_at,
            )
        )  # fmt: skip


__all__ = ["PARTNERSHIP_SEED", "build_partnership"]
