"""Plain, frozen shapes for the sample's fixed reference data.

The reference modules (``organisations``, ``places``, ``texts``) are written as literal tuples of
these specs so the content reads like a document and can be reviewed line by line; only
``generate`` turns them into rows. Nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pfpp_tui.models.common import BarrierCategory, OrganisationKind, PilotStage, Rag


@dataclass(frozen=True)
class FormerNameSpec:
    name: str
    short_name: str | None
    # The day the organisation stopped using this name.
    renamed_on: date


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    short_name: str | None
    kind: OrganisationKind
    # Reserved e-mail domain for the sample's invented staff (always ``*.example``).
    domain: str
    # Ofcom drama-range prefix for landlines, e.g. "020 7946 0" (three digits follow).
    phone_prefix: str
    parent: str | None = None
    notes: str = ""
    former_names: tuple[FormerNameSpec, ...] = ()
    # Pilot keys the organisation works in (local partners) — used to link its staff to pilots.
    pilots: tuple[str, ...] = ()
    # Staff with no team (small organisations are not split into teams in the sample).
    loose_contacts: int = 0


@dataclass(frozen=True)
class TeamSpec:
    key: str
    org: str
    name: str
    directorate: str | None
    remit: str
    # Pilots this team partners with; central teams are where barriers get escalated.
    pilots: tuple[str, ...] = ()
    contacts: int = 2


@dataclass(frozen=True)
class BarrierSpec:
    category: BarrierCategory
    title: str
    detail: str
    # Team key a barrier goes to when escalated; None falls back to the category's usual route.
    escalate_to: str | None = None
    # Index (within the same pilot's list) of the barrier this one repeats.
    duplicate_of: int | None = None


@dataclass(frozen=True)
class PilotSpec:
    key: str
    name: str
    lead_org: str
    project_name: str
    local_challenge: str
    challenge_published: bool
    stage: PilotStage
    rag: Rag
    start_date: date
    end_date: date
    notes: str
    # Short subjects the place's meetings are about ("outreach data with the police").
    topics: tuple[str, ...]
    # One-sentence progress updates quoted in meeting notes.
    updates: tuple[str, ...]
    actions: tuple[str, ...]
    barriers: tuple[BarrierSpec, ...] = field(default_factory=tuple)
