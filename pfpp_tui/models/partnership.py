"""Partnership health: pre-partnership agreements, partnership assessments, principle tags.

Owns the tables behind issue 11 and their vocabularies:

- ``PartnershipAgreement`` (one per pilot) and its ``AgreementPartner`` rows — the Partnership
  Improvement Programme's pre-partnership agreement: purpose, who the partners are and what each
  commits to, governance, data sharing (barrier 4), escalation, review date and sign-off;
- ``PartnershipAssessment`` — a dated rating (1-5, with a note) of the four variables that make
  partnerships differ: history of cross-sector relationships, attitudes of key staff, relationships
  within the voluntary and community sector, and capacity;
- ``BarrierPrinciple`` / ``ActionPrinciple`` — tags filing a barrier or an action under one of
  Localis's seven principles of public service integration (link tables, so a record can bear on
  more than one principle and the barrier/action tables stay untouched).

Rules a single row can check live here (ratings 1-5, an agreed agreement says who agreed and
when); rules that need the database or the clock (organisation exists, partner listed twice,
assessment not in the future) live in ``pfpp_tui.store.work.partnership``. No I/O here.
"""

from __future__ import annotations

from datetime import date

from pydantic import model_validator
from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from pfpp_tui.models.common import Tracked
from pfpp_tui.vocabulary import (
    AGREEMENT_STATUS_LABELS,
    PRINCIPLE_LABELS,
    RATING_MAX,
    RATING_MIN,
    VARIABLE_LABELS,
    AgreementStatus,
    PartnershipVariable,
    Principle,
)

# The vocabularies, re-exported for the modules that take them from here.
__all__ = [
    "AGREEMENT_STATUS_LABELS",
    "PRINCIPLE_LABELS",
    "RATING_MAX",
    "RATING_MIN",
    "VARIABLE_LABELS",
    "AgreementStatus",
    "PartnershipVariable",
    "Principle",
]


class PartnershipAgreementBase(SQLModel):
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE", index=True)
    purpose: str = ""
    governance_board: str = Field(default="", max_length=200, sa_type=String(200))
    governance_chair: str = Field(default="", max_length=200, sa_type=String(200))
    meeting_frequency: str = Field(default="", max_length=100, sa_type=String(100))
    # Barrier 4: what may be shared between the partners, and under which agreement.
    data_sharing: str = ""
    escalation_route: str = ""
    review_date: date | None = None
    status: AgreementStatus = Field(default=AgreementStatus.DRAFT, sa_type=String(14))
    agreed_by_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL", index=True
    )
    agreed_on: date | None = None

    @model_validator(mode="after")
    def _agreed_has_a_date(self) -> PartnershipAgreementBase:
        if self.status is AgreementStatus.AGREED and self.agreed_on is None:
            raise ValueError("an agreed agreement needs the date it was agreed (agreed_on)")
        return self


class PartnershipAgreement(PartnershipAgreementBase, Tracked, table=True):
    __tablename__ = "partnership_agreement"
    __table_args__ = (UniqueConstraint("pilot_id"),)
    id: int | None = Field(default=None, primary_key=True)


class AgreementPartnerBase(SQLModel):
    agreement_id: int = Field(
        foreign_key="partnership_agreement.id", ondelete="CASCADE", index=True
    )
    # An organisation named in an agreement cannot be deleted from under it.
    organisation_id: int = Field(foreign_key="organisation.id", ondelete="RESTRICT", index=True)
    role: str = Field(default="", max_length=200, sa_type=String(200))
    commitments: str = ""
    lead_contact_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL", index=True
    )


class AgreementPartner(AgreementPartnerBase, Tracked, table=True):
    __tablename__ = "agreement_partner"
    __table_args__ = (UniqueConstraint("agreement_id", "organisation_id"),)
    id: int | None = Field(default=None, primary_key=True)


class PartnershipAssessmentBase(SQLModel):
    pilot_id: int = Field(foreign_key="pilot.id", ondelete="CASCADE", index=True)
    assessed_on: date = Field(index=True)
    assessor_id: int | None = Field(
        default=None, foreign_key="contact.id", ondelete="SET NULL", index=True
    )
    # Free-text assessor for someone outside the directory (an evaluator, a facilitator).
    assessor_name: str = Field(default="", max_length=200, sa_type=String(200))
    history_rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    history_note: str = ""
    attitudes_rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    attitudes_note: str = ""
    vcs_rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    vcs_note: str = ""
    capacity_rating: int = Field(ge=RATING_MIN, le=RATING_MAX)
    capacity_note: str = ""


class PartnershipAssessment(PartnershipAssessmentBase, Tracked, table=True):
    __tablename__ = "partnership_assessment"
    __table_args__ = (
        UniqueConstraint("pilot_id", "assessed_on"),
        *(
            CheckConstraint(
                f"{v.value}_rating BETWEEN {RATING_MIN} AND {RATING_MAX}",
                name=f"{v.value}_rating_range",
            )
            for v in PartnershipVariable
        ),
    )
    id: int | None = Field(default=None, primary_key=True)


class BarrierPrincipleBase(SQLModel):
    barrier_id: int = Field(foreign_key="barrier.id", ondelete="CASCADE", index=True)
    principle: Principle = Field(sa_type=String(12), index=True)


class BarrierPrinciple(BarrierPrincipleBase, Tracked, table=True):
    __tablename__ = "barrier_principle"
    __table_args__ = (UniqueConstraint("barrier_id", "principle"),)
    id: int | None = Field(default=None, primary_key=True)


class ActionPrincipleBase(SQLModel):
    action_id: int = Field(foreign_key="action.id", ondelete="CASCADE", index=True)
    principle: Principle = Field(sa_type=String(12), index=True)


class ActionPrinciple(ActionPrincipleBase, Tracked, table=True):
    __tablename__ = "action_principle"
    __table_args__ = (UniqueConstraint("action_id", "principle"),)
    id: int | None = Field(default=None, primary_key=True)
