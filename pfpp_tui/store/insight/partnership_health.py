"""Partnership assessments against the seven principles: add, list and compare.

Owns the use cases behind ``pfpp import/export assessments`` and the pilot detail's ratings
widget (principle tags -- reading, saving, counting, the SQL of the ``principle:`` filter word --
live in ``store.insight.principle_tags``; the filter word itself in ``store.listing.query``).
Every write goes through ``store.db.records`` inside ``Database.write`` (history included);
an assessment is refused, with nothing saved, when a rating is outside 1-5, its date is in the
future, its pilot or assessor does not exist, or the pilot already has a different assessment
that day. Returns plain dataclasses; must not import Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import and_, or_
from sqlmodel import Session, col
from sqlmodel import select as sql_select

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.models import ChangeSource, Contact, Pilot
from pfpp_tui.models.partnership import (
    PartnershipAssessment,
    PartnershipAssessmentBase,
)
from pfpp_tui.shapes.partnership import VARIABLES, Assessment
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import insert_row, update_row
from pfpp_tui.store.directory.workflow_lookup import contact_label

ASSESSMENT_TABLE = "partnership_assessment"
RATING_FIELDS = tuple(f"{v}_rating" for v in VARIABLES)
NOTE_FIELDS = tuple(f"{v}_note" for v in VARIABLES)


@dataclass(frozen=True, slots=True)
class RatingsSummary:
    """A pilot's latest assessment and how each rating moved since the one before."""

    pilot_id: int
    pilot: str
    latest: Assessment
    previous: Assessment | None
    change: dict[str, int | None]

    @property
    def total(self) -> int:
        return sum(self.latest.ratings.values())


# --- assessments -------------------------------------------------------------------------------


def _to_assessment(row: PartnershipAssessment, pilot: str, contact: Contact | None) -> Assessment:
    assert row.id is not None
    return Assessment(
        id=row.id,
        pilot_id=row.pilot_id,
        pilot=pilot,
        assessed_on=row.assessed_on,
        assessor_id=row.assessor_id,
        assessor=contact_label(contact) if contact else "",
        assessor_email=contact.email if contact else None,
        assessor_name=row.assessor_name,
        ratings={v: int(getattr(row, f"{v}_rating")) for v in VARIABLES},
        notes={v: str(getattr(row, f"{v}_note") or "") for v in VARIABLES},
    )


def _assessments(session: Session, pilot_id: int | None = None) -> list[Assessment]:
    stmt = (
        sql_select(PartnershipAssessment, Pilot.name, Contact)
        .join(Pilot, col(Pilot.id) == PartnershipAssessment.pilot_id)
        .outerjoin(Contact, col(Contact.id) == PartnershipAssessment.assessor_id)
        .order_by(col(Pilot.name), col(PartnershipAssessment.assessed_on))
    )
    if pilot_id is not None:
        stmt = stmt.where(PartnershipAssessment.pilot_id == pilot_id)
    return [_to_assessment(row, name, contact) for row, name, contact in session.exec(stmt)]


def list_assessments(db: Database, *, pilot_id: int | None = None) -> list[Assessment]:
    """Every assessment (or one pilot's), by pilot name then date."""
    with db.read() as session:
        return _assessments(session, pilot_id)


def assessment_problems(values: Mapping[str, Any], *, today: date) -> list[tuple[str, str]]:
    """(field, problem) for values that cannot make an assessment, without a database."""
    problems: list[tuple[str, str]] = []
    try:
        shaped = PartnershipAssessmentBase.model_validate(dict(values))
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"]) or "record"
            message = error["msg"]
            if where in RATING_FIELDS and error["type"] in (
                "greater_than_equal",
                "less_than_equal",
            ):
                message = f"{values.get(where)!r} is outside 1-5"
            problems.append((where, message))
        return problems
    if shaped.assessed_on > today:
        problems.append(("assessed_on", f"{shaped.assessed_on} is in the future"))
    return problems


def _checked(session: Session, values: Mapping[str, Any], today: date) -> dict[str, Any]:
    problems = assessment_problems(values, today=today)
    if problems:
        raise ValidationFailedError("; ".join(f"{f}: {p}" for f, p in problems))
    data = PartnershipAssessmentBase.model_validate(dict(values)).model_dump()
    if session.get(Pilot, data["pilot_id"]) is None:
        raise ValidationFailedError(f"pilot_id: pilot {data['pilot_id']} does not exist")
    if data["assessor_id"] is not None and session.get(Contact, data["assessor_id"]) is None:
        raise ValidationFailedError(f"assessor_id: contact {data['assessor_id']} does not exist")
    return data


def add_assessment(
    db: Database, values: Mapping[str, Any], *, source: ChangeSource, today: date | None = None
) -> Assessment:
    """Record one assessment; refused (nothing saved) when invalid or the day is taken."""
    day = today or date.today()
    with db.write(source=source) as session:
        data = _checked(session, values, day)
        taken = session.exec(
            sql_select(PartnershipAssessment).where(
                PartnershipAssessment.pilot_id == data["pilot_id"],
                PartnershipAssessment.assessed_on == data["assessed_on"],
            )
        ).first()
        if taken is not None:
            raise ValidationFailedError(
                f"assessed_on: this pilot already has an assessment on {data['assessed_on']}"
            )
        row = insert_row(session, ASSESSMENT_TABLE, data)
        assert isinstance(row, PartnershipAssessment)
        return _one(session, row)


def _one(session: Session, row: PartnershipAssessment) -> Assessment:
    pilot = session.get(Pilot, row.pilot_id)
    contact = session.get(Contact, row.assessor_id) if row.assessor_id else None
    return _to_assessment(row, pilot.name if pilot else "", contact)


@dataclass
class AssessmentPlan:
    """What writing a batch of assessments did (or, in a dry run, would do)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (index, field, problem)


_KEYS_AT_ONCE = 300  # (pilot, day) pairs per query: under every engine's parameter limits


def plan_assessments(
    session: Session, rows: Iterable[Mapping[str, Any]], *, today: date
) -> tuple[AssessmentPlan, list[tuple[int | None, dict[str, Any], int | None]]]:
    """Check every row and decide add / update / unchanged, writing nothing.

    Returns the plan and, in row order, what to write: (existing id or None, values, the
    existing row's version). Reads each pilot and assessor once and the same-day assessments
    of the rows' (pilot, day) pairs, never every assessment.
    """
    plan = AssessmentPlan()
    exists: dict[tuple[type[Pilot] | type[Contact], int], bool] = {}

    def missing(model: type[Pilot] | type[Contact], row_id: int) -> bool:
        if (model, row_id) not in exists:
            exists[(model, row_id)] = session.get(model, row_id) is not None
        return not exists[(model, row_id)]

    checked: list[dict[str, Any]] = []
    seen: dict[tuple[int, date], int] = {}
    for index, values in enumerate(rows):
        problems = assessment_problems(values, today=today)
        if problems:
            field_name, problem = (
                problems[0][0],
                "; ".join([problems[0][1], *(f"{f}: {p}" for f, p in problems[1:])]),
            )
            plan.refused.append((index, field_name, problem))
            continue
        data = PartnershipAssessmentBase.model_validate(dict(values)).model_dump()
        if missing(Pilot, data["pilot_id"]):
            plan.refused.append((index, "pilot_id", f"pilot {data['pilot_id']} does not exist"))
            continue
        if data["assessor_id"] is not None and missing(Contact, data["assessor_id"]):
            plan.refused.append(
                (index, "assessor_id", f"contact {data['assessor_id']} does not exist")
            )
            continue
        key = (data["pilot_id"], data["assessed_on"])
        if key in seen:
            plan.refused.append(
                (index, "assessed_on", f"same pilot and day as record {seen[key] + 1}")
            )
            continue
        seen[key] = index
        checked.append(data)
    current = _same_day(session, list(seen))
    writes: list[tuple[int | None, dict[str, Any], int | None]] = []
    for data in checked:
        found = current.get((data["pilot_id"], data["assessed_on"]))
        if found is None:
            plan.added += 1
            writes.append((None, data, None))
        elif all(getattr(found, k) == v for k, v in data.items()):
            plan.unchanged += 1
        else:
            plan.updated += 1
            writes.append((found.id, data, found.version))
    return plan, writes


def _same_day(
    session: Session, keys: list[tuple[int, date]]
) -> dict[tuple[int, date], PartnershipAssessment]:
    """The stored assessments of these (pilot, day) pairs (the unique index answers each)."""
    found: dict[tuple[int, date], PartnershipAssessment] = {}
    for start in range(0, len(keys), _KEYS_AT_ONCE):
        wanted = or_(
            *(
                and_(
                    col(PartnershipAssessment.pilot_id) == pilot_id,
                    col(PartnershipAssessment.assessed_on) == day,
                )
                for pilot_id, day in keys[start : start + _KEYS_AT_ONCE]
            )
        )
        for row in session.exec(sql_select(PartnershipAssessment).where(wanted)):
            found[(row.pilot_id, row.assessed_on)] = row
    return found


def save_assessments(
    db: Database,
    rows: Iterable[Mapping[str, Any]],
    *,
    source: ChangeSource,
    dry_run: bool = False,
    today: date | None = None,
) -> AssessmentPlan:
    """Add or update (same pilot and day) many assessments: all of them or none of them.

    Rows are validated first (``plan_assessments``); any refused row (or ``dry_run``) and
    nothing is written. One transaction: for a few rows (the import of a whole file writes in
    short steps instead: ``store.imports.assessment_import``).
    """
    day = today or date.today()
    if dry_run:
        with db.read() as session:
            return plan_assessments(session, rows, today=day)[0]
    with db.write(source=source) as session:
        plan, writes = plan_assessments(session, rows, today=day)
        if plan.refused:
            session.rollback()
            return plan
        for row_id, data, version in writes:
            if row_id is None:
                insert_row(session, ASSESSMENT_TABLE, data)
            else:
                update_row(session, ASSESSMENT_TABLE, row_id, data, expected_version=version)
    return plan


def _summaries(items: list[Assessment]) -> dict[int, RatingsSummary]:
    by_pilot: dict[int, list[Assessment]] = {}
    for item in items:
        by_pilot.setdefault(item.pilot_id, []).append(item)
    result: dict[int, RatingsSummary] = {}
    for pilot_id, dated in by_pilot.items():
        dated.sort(key=lambda a: a.assessed_on)
        latest = dated[-1]
        previous = dated[-2] if len(dated) > 1 else None
        change: dict[str, int | None] = {
            v: (latest.ratings[v] - previous.ratings[v]) if previous else None for v in VARIABLES
        }
        result[pilot_id] = RatingsSummary(pilot_id, latest.pilot, latest, previous, change)
    return result


def latest_ratings(db: Database) -> dict[int, RatingsSummary]:
    """Per pilot id: the latest assessment and the change since the previous one."""
    with db.read() as session:
        return latest_ratings_in(session)


def latest_ratings_in(session: Session) -> dict[int, RatingsSummary]:
    """``latest_ratings`` inside a read the caller already holds (one consistent picture)."""
    return _summaries(_assessments(session))


def pilot_ratings(db: Database, pilot_id: int) -> RatingsSummary | None:
    """One pilot's latest ratings (None when it has never been assessed)."""
    with db.read() as session:
        return _summaries(_assessments(session, pilot_id)).get(pilot_id)


__all__ = [
    "AssessmentPlan",
    "RatingsSummary",
    "add_assessment",
    "assessment_problems",
    "latest_ratings",
    "list_assessments",
    "pilot_ratings",
    "save_assessments",
]
