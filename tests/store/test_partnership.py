"""Partnership health in the store, on SQLite and PostgreSQL: agreements (versioned, refusals),
assessments (validation, latest and change), principle tags, counts and the filter condition."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from pfpp_tui.errors import StaleEditError, ValidationFailedError
from pfpp_tui.models import Barrier, Change, ChangeSource
from pfpp_tui.models.partnership import (
    AgreementPartner,
    AgreementStatus,
    PartnershipAgreement,
    PartnershipAssessment,
    Principle,
)
from pfpp_tui.shapes.partnership import PartnerEntry
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.history.agreement_history import agreement_versions
from pfpp_tui.store.insight.partnership_health import (
    add_assessment,
    latest_ratings,
    list_assessments,
    save_assessments,
)
from pfpp_tui.store.insight.principle_tags import (
    parse_principle,
    principle_condition,
    principle_counts,
    principles_of,
    set_principles,
)
from pfpp_tui.store.work.partnership import agreements_due_for_review, get_agreement, save_agreement

CLI = ChangeSource.CLI
TODAY = date(2023, 11, 8)


def _seed(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    for key, name in (("council", "Luton Borough Council"), ("vcs", "Luton Voluntary Action")):
        ids[key] = create_record(
            db, table="organisation", values={"name": name, "kind": "local_authority"}, source=CLI
        ).id
    ids["pilot"] = create_record(
        db,
        table="pilot",
        values={"name": "Luton", "lead_organisation_id": ids["council"]},
        source=CLI,
    ).id
    ids["lead"] = create_record(
        db,
        table="contact",
        values={"first_name": "Ada", "last_name": "Osei", "email": "ada@luton.example"},
        source=CLI,
    ).id
    return ids


def _count(db: Database, model: Any) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _assessment(pilot_id: int, day: date, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pilot_id": pilot_id,
        "assessed_on": day,
        "assessor_name": "Facilitator",
        "history_rating": 2,
        "attitudes_rating": 3,
        "vcs_rating": 4,
        "capacity_rating": 2,
    }
    return {**values, **overrides}


def test_a_pilot_without_an_agreement_reads_as_an_empty_draft(any_db: Database) -> None:
    ids = _seed(any_db)
    agreement = get_agreement(any_db, "luton")
    assert (agreement.id, agreement.version, agreement.pilot_id) == (None, 0, ids["pilot"])
    assert agreement.status is AgreementStatus.DRAFT
    assert agreement_versions(any_db, ids["pilot"]) == []


def test_save_agreement_then_edit_keeps_every_version(any_db: Database) -> None:
    ids = _seed(any_db)
    draft = replace(
        get_agreement(any_db, ids["pilot"]),
        purpose="Street culture, together",
        review_date=date(2024, 3, 1),
        partners=(
            PartnerEntry(ids["council"], role="Lead council", lead_contact_id=ids["lead"]),
            PartnerEntry(ids["vcs"], role="VCS partner"),
        ),
    )
    first = save_agreement(any_db, draft, source=CLI, expected_version=0)
    assert first.id is not None and first.version == 1
    assert [p.organisation for p in first.partners] == [
        "Luton Borough Council",
        "Luton Voluntary Action",
    ]
    assert first.partners[0].lead_contact == "Ada Osei <ada@luton.example>"
    agreed = replace(
        first,
        status=AgreementStatus.AGREED,
        agreed_by_id=ids["lead"],
        agreed_on=date(2023, 1, 10),
    )
    second = save_agreement(any_db, agreed, source=CLI, expected_version=1)
    assert second.version == 2 and second.agreed_by == "Ada Osei <ada@luton.example>"
    # A partner-only edit is a new version of the agreement too.
    third = save_agreement(
        any_db, replace(second, partners=second.partners[:1]), source=CLI, expected_version=2
    )
    assert third.version == 3
    assert _count(any_db, AgreementPartner) == 1
    versions = agreement_versions(any_db, "Luton")
    assert [v.number for v in versions] == [3, 2, 1]
    assert versions[0].changed == ("partners",)
    assert len(versions[1].agreement.partners) == 2
    assert versions[1].agreement.status is AgreementStatus.AGREED
    assert versions[2].agreement.status is AgreementStatus.DRAFT
    assert versions[2].agreement.purpose == "Street culture, together"
    assert versions[2].saved_by == "tester"
    with pytest.raises(StaleEditError):
        save_agreement(any_db, replace(third, purpose="late"), source=CLI, expected_version=2)


@pytest.mark.parametrize(
    ("partners", "message"),
    [
        (
            lambda ids: (PartnerEntry(99999, organisation="Nowhere Council"),),
            "Nowhere Council does not exist",
        ),
        (
            lambda ids: (PartnerEntry(ids["council"]), PartnerEntry(ids["council"])),
            "partner 2: Luton Borough Council is listed twice",
        ),
        (lambda ids: (PartnerEntry(ids["vcs"], lead_contact_id=4242),), "lead contact 4242"),
    ],
)
def test_bad_agreements_are_refused_and_nothing_is_saved(
    any_db: Database, partners: Any, message: str
) -> None:
    ids = _seed(any_db)
    before = _count(any_db, Change)
    draft = replace(get_agreement(any_db, ids["pilot"]), purpose="x", partners=partners(ids))
    with pytest.raises(ValidationFailedError, match=message):
        save_agreement(any_db, draft, source=CLI)
    assert _count(any_db, PartnershipAgreement) == 0
    assert _count(any_db, AgreementPartner) == 0
    assert _count(any_db, Change) == before


def test_an_agreed_agreement_needs_its_date(any_db: Database) -> None:
    ids = _seed(any_db)
    draft = replace(get_agreement(any_db, ids["pilot"]), status=AgreementStatus.AGREED)
    with pytest.raises(ValidationFailedError, match="agreed_on"):
        save_agreement(any_db, draft, source=CLI)


def test_reviews_due(any_db: Database) -> None:
    ids = _seed(any_db)
    save_agreement(
        any_db,
        replace(get_agreement(any_db, ids["pilot"]), review_date=date(2023, 10, 1)),
        source=CLI,
    )
    due = agreements_due_for_review(any_db, today=TODAY)
    assert [a.pilot for a in due] == ["Luton"]
    assert due[0].review_overdue(TODAY)
    assert agreements_due_for_review(any_db, today=date(2023, 9, 1)) == []


def test_assessments_latest_and_change(any_db: Database) -> None:
    ids = _seed(any_db)
    add_assessment(any_db, _assessment(ids["pilot"], date(2023, 1, 5)), source=CLI, today=TODAY)
    add_assessment(
        any_db,
        _assessment(ids["pilot"], date(2023, 9, 5), history_rating=4, vcs_rating=3),
        source=CLI,
        today=TODAY,
    )
    assert [a.assessed_on for a in list_assessments(any_db)] == [date(2023, 1, 5), date(2023, 9, 5)]
    summary = latest_ratings(any_db)[ids["pilot"]]
    assert summary.latest.ratings == {"history": 4, "attitudes": 3, "vcs": 3, "capacity": 2}
    assert summary.change == {"history": 2, "attitudes": 0, "vcs": -1, "capacity": 0}
    assert summary.latest.assessed_by == "Facilitator"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"history_rating": 6}, "history_rating: 6 is outside 1-5"),
        ({"capacity_rating": 0}, "capacity_rating: 0 is outside 1-5"),
        ({"assessed_on": date(2023, 11, 9)}, "2023-11-09 is in the future"),
        ({"assessor_id": 4242}, "contact 4242 does not exist"),
        ({"pilot_id": 4242}, "pilot 4242 does not exist"),
    ],
)
def test_bad_assessments_are_refused(
    any_db: Database, overrides: dict[str, Any], message: str
) -> None:
    ids = _seed(any_db)
    values = {**_assessment(ids["pilot"], date(2023, 5, 1)), **overrides}
    with pytest.raises(ValidationFailedError, match=message):
        add_assessment(any_db, values, source=CLI, today=TODAY)
    assert _count(any_db, PartnershipAssessment) == 0


def test_a_second_assessment_the_same_day_is_refused(any_db: Database) -> None:
    ids = _seed(any_db)
    add_assessment(any_db, _assessment(ids["pilot"], date(2023, 5, 1)), source=CLI, today=TODAY)
    with pytest.raises(ValidationFailedError, match="already has an assessment on 2023-05-01"):
        add_assessment(any_db, _assessment(ids["pilot"], date(2023, 5, 1)), source=CLI, today=TODAY)


def test_save_assessments_is_all_or_nothing(any_db: Database) -> None:
    ids = _seed(any_db)
    good = _assessment(ids["pilot"], date(2023, 5, 1))
    bad = _assessment(ids["pilot"], date(2023, 6, 1), vcs_rating=9)
    plan = save_assessments(any_db, [good, bad], source=CLI, today=TODAY)
    assert plan.refused == [(1, "vcs_rating", "9 is outside 1-5")]
    assert _count(any_db, PartnershipAssessment) == 0
    dry = save_assessments(any_db, [good], source=CLI, today=TODAY, dry_run=True)
    assert (dry.added, _count(any_db, PartnershipAssessment)) == (1, 0)
    real = save_assessments(any_db, [good], source=CLI, today=TODAY)
    assert (real.added, real.updated, real.unchanged) == (1, 0, 0)
    again = save_assessments(
        any_db, [good, {**good, "assessed_on": date(2023, 7, 1)}], source=CLI, today=TODAY
    )
    assert (again.added, again.updated, again.unchanged) == (1, 0, 1)
    changed = save_assessments(any_db, [{**good, "vcs_rating": 5}], source=CLI, today=TODAY)
    assert changed.updated == 1


def test_principle_tags_counts_and_filter(any_db: Database) -> None:
    ids = _seed(any_db)
    barrier_ids = [
        create_record(
            any_db,
            table="barrier",
            values={
                "pilot_id": pilot,
                "title": title,
                "raised_on": date(2023, 5, 1),
                "status": status,
                "resolution": "grants extended" if status == "resolved" else "",
            },
            source=CLI,
        ).id
        for pilot, title, status in (
            (ids["pilot"], "No shared data", "new"),
            (ids["pilot"], "Short grants", "resolved"),
            (None, "Ministers change", "triaged"),
        )
    ]
    set_principles(
        any_db,
        kind="barrier",
        row_id=barrier_ids[0],
        principles=[Principle.DATA, Principle.TRUST],
        source=CLI,
    )
    set_principles(
        any_db, kind="barrier", row_id=barrier_ids[1], principles=[Principle.FUNDING], source=CLI
    )
    set_principles(
        any_db, kind="barrier", row_id=barrier_ids[2], principles=[Principle.TRUST], source=CLI
    )
    assert principles_of(any_db, kind="barrier", row_id=barrier_ids[0]) == [
        Principle.TRUST,
        Principle.DATA,
    ]
    set_principles(
        any_db, kind="barrier", row_id=barrier_ids[0], principles=[Principle.DATA], source=CLI
    )
    counts = principle_counts(any_db)
    assert counts.barriers[Principle.TRUST] == 1  # the resolved one is not open
    assert counts.barriers[Principle.DATA] == 1
    assert counts.barriers[Principle.FUNDING] == 0
    assert counts.by_pilot["Luton"][Principle.DATA] == 1
    assert counts.by_pilot["Programme-wide"][Principle.TRUST] == 1
    with any_db.read() as session:
        found = session.execute(
            select(col(Barrier.id))
            .where(principle_condition("barriers", "tru"))
            .order_by(col(Barrier.id))
        ).scalars()
        assert list(found) == [barrier_ids[2]]
    with pytest.raises(ValueError, match="principle:x is not one of: funding, holistic"):
        parse_principle("x")
