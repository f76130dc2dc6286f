"""Generic create / update / delete for every table, with validation, versions and history.

Every write goes through ``insert_row`` / ``update_row`` / ``delete_row`` inside a
``Database.write`` session, so the version counter, the change history and the rules that
span fields (``store.db.record_rules``: a contact's e-mail and team, a barrier's escalation and
resolution) can never be forgotten by a caller. The ``*_record`` functions own their
transaction and hand back plain ``Record`` values (safe to pass between threads), never ORM
objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, update

from pfpp_tui.errors import NotFoundError, StaleEditError, ValidationFailedError
from pfpp_tui.models import (
    Action,
    ActionBase,
    Barrier,
    BarrierBase,
    ChangeOp,
    ChangeSource,
    Contact,
    ContactBase,
    ContactPilot,
    ContactPilotBase,
    FundingFlow,
    FundingFlowBase,
    Meeting,
    MeetingAttendee,
    MeetingAttendeeBase,
    MeetingBase,
    Organisation,
    OrganisationBase,
    OrganisationFormerName,
    OrganisationFormerNameBase,
    Pilot,
    PilotBase,
    Team,
    TeamBase,
    utcnow,
)
from pfpp_tui.models.partnership import (
    ActionPrinciple,
    ActionPrincipleBase,
    AgreementPartner,
    AgreementPartnerBase,
    BarrierPrinciple,
    BarrierPrincipleBase,
    PartnershipAgreement,
    PartnershipAgreementBase,
    PartnershipAssessment,
    PartnershipAssessmentBase,
)
from pfpp_tui.rules import email_key, phone_e164
from pfpp_tui.store.db.changes import last_change, record_change
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.record_rules import check_rules
from pfpp_tui.words import noun_for

# table name -> (table model, validating base shape)
TABLES: dict[str, tuple[type[SQLModel], type[SQLModel]]] = {
    "organisation": (Organisation, OrganisationBase),
    "organisation_former_name": (OrganisationFormerName, OrganisationFormerNameBase),
    "team": (Team, TeamBase),
    "pilot": (Pilot, PilotBase),
    "contact": (Contact, ContactBase),
    "contact_pilot": (ContactPilot, ContactPilotBase),
    "meeting": (Meeting, MeetingBase),
    "meeting_attendee": (MeetingAttendee, MeetingAttendeeBase),
    "barrier": (Barrier, BarrierBase),
    "action": (Action, ActionBase),
    "funding_flow": (FundingFlow, FundingFlowBase),
    "partnership_agreement": (PartnershipAgreement, PartnershipAgreementBase),
    "agreement_partner": (AgreementPartner, AgreementPartnerBase),
    "partnership_assessment": (PartnershipAssessment, PartnershipAssessmentBase),
    "barrier_principle": (BarrierPrinciple, BarrierPrincipleBase),
    "action_principle": (ActionPrinciple, ActionPrincipleBase),
}

# Tables whose rows only join two records or tag one (not records in their own right): undo
# names a history batch after the record such rows belong to, never after them.
LINK_TABLES = frozenset(
    {"contact_pilot", "meeting_attendee", "barrier_principle", "action_principle"}
)

_BOOKKEEPING = frozenset(
    {"id", "created_at", "updated_at", "version", "email_key", "import_batch_id"}
)


@dataclass(frozen=True, slots=True)
class Record:
    """A row as plain values: what use-case functions return across threads."""

    table: str
    id: int
    version: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def _model(table: str) -> tuple[type[SQLModel], type[SQLModel]]:
    try:
        return TABLES[table]
    except KeyError:
        raise NotFoundError(f"no such kind of record: {table}") from None


def row_values(row: SQLModel) -> dict[str, Any]:
    return {name: getattr(row, name) for name in type(row).model_fields}


def to_record(table: str, row: SQLModel) -> Record:
    values = row_values(row)
    return Record(table=table, id=int(values["id"]), version=int(values["version"]), values=values)


def validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _validated(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    _, base = _model(table)
    clean = {k: v for k, v in values.items() if k not in _BOOKKEEPING}
    unknown = set(clean) - set(base.model_fields)
    if unknown:
        raise ValidationFailedError(
            f"{table}: unknown {noun_for(len(unknown), 'field')} {', '.join(sorted(unknown))}"
        )
    try:
        shaped = base.model_validate(clean)
    except ValidationError as exc:
        raise ValidationFailedError(validation_message(exc)) from None
    data = shaped.model_dump()
    if table == "contact":
        data = _normalise_contact(data)
    return data


def _normalise_contact(data: dict[str, Any]) -> dict[str, Any]:
    for field in ("first_name", "last_name", "role"):
        data[field] = (data.get(field) or "").strip()
    email = (data.get("email") or "").strip() or None
    data["email"] = email
    data["email_key"] = email_key(email)
    phone = (data.get("phone") or "").strip() or None
    data["phone"] = phone
    data["phone_e164"] = phone_e164(phone)
    if not (data["first_name"] or data["last_name"] or email):
        raise ValidationFailedError("contact: needs a name or an e-mail")
    return data


def _comparable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _integrity_message(table: str, exc: IntegrityError) -> str:
    text = str(exc.orig)
    if "email_key" in text:
        return "email: another contact already has this e-mail"
    if "UNIQUE" in text.upper() or "unique" in text:
        return f"{table}: a record with the same name already exists"
    if "FOREIGN KEY" in text.upper() or "foreign key" in text:
        return f"{table}: a linked record does not exist"
    return f"{table}: {text.splitlines()[0]}"


def insert_row(session: Session, table: str, values: Mapping[str, Any]) -> SQLModel:
    model, _ = _model(table)
    data = _validated(table, values)
    check_rules(session, table, data)
    row = model(**data)
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ValidationFailedError(_integrity_message(table, exc)) from None
    assert row.id is not None  # type: ignore[attr-defined]
    record_change(
        session,
        table=table,
        row_id=row.id,  # type: ignore[attr-defined]
        op=ChangeOp.CREATE,
        changes={k: (None, v) for k, v in data.items() if v not in (None, "", False)},
    )
    return row


def load_row(session: Session, table: str, row_id: int) -> SQLModel:
    model, _ = _model(table)
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{table} {row_id} does not exist (deleted by someone else?)")
    return row


def _check_version(session: Session, table: str, row: SQLModel, expected: int | None) -> None:
    if expected is not None and row.version != expected:  # type: ignore[attr-defined]
        last = last_change(session, table=table, row_id=row.id)  # type: ignore[attr-defined]
        raise StaleEditError(
            table,
            row.id,  # type: ignore[attr-defined]
            last.actor if last else None,
            last.at if last else None,
        )


def update_row(
    session: Session,
    table: str,
    row_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    reason: str | None = None,
) -> SQLModel:
    """Apply ``changes``; a stale ``expected_version`` raises instead of overwriting.

    Changes that leave every value as it was write nothing: no new version, no history row.
    """
    model, _ = _model(table)
    row = load_row(session, table, row_id)
    _check_version(session, table, row, expected_version)
    current = row_values(row)
    data = _validated(table, {**current, **changes})
    diff = {
        k: (current.get(k), v)
        for k, v in data.items()
        if _comparable(current.get(k)) != _comparable(v)
    }
    if not diff:
        return row
    check_rules(session, table, data, changed=set(diff))
    old_version = row.version  # type: ignore[attr-defined]
    stmt = (
        update(model)
        .where(model.id == row_id)  # type: ignore[attr-defined]
        .where(model.version == old_version)  # type: ignore[attr-defined]
        .values(
            **{k: v for k, (_, v) in diff.items()}, version=old_version + 1, updated_at=utcnow()
        )
    )
    try:
        result = session.execute(stmt)
    except IntegrityError as exc:
        raise ValidationFailedError(_integrity_message(table, exc)) from None
    if result.rowcount != 1:  # type: ignore[attr-defined]
        _check_version(session, table, load_row(session, table, row_id), old_version)
    session.refresh(row)
    record_change(
        session,
        table=table,
        row_id=row_id,
        op=ChangeOp.UPDATE,
        changes={k: v for k, v in diff.items() if k != "email_key"},
        reason=reason,
    )
    return row


def delete_row(
    session: Session, table: str, row_id: int, *, expected_version: int | None = None
) -> dict[str, Any]:
    row = load_row(session, table, row_id)
    _check_version(session, table, row, expected_version)
    values = row_values(row)
    session.delete(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ValidationFailedError(_integrity_message(table, exc)) from None
    record_change(
        session,
        table=table,
        row_id=row_id,
        op=ChangeOp.DELETE,
        changes={k: (v, None) for k, v in values.items() if k not in ("id",)},
    )
    return values


def create_record(
    db: Database, *, table: str, values: Mapping[str, Any], source: ChangeSource
) -> Record:
    with db.write(source=source) as session:
        row = insert_row(session, table, values)
        return to_record(table, row)


def update_record(
    db: Database,
    *,
    table: str,
    row_id: int,
    changes: Mapping[str, Any],
    source: ChangeSource,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Record:
    with db.write(source=source) as session:
        row = update_row(
            session, table, row_id, changes, expected_version=expected_version, reason=reason
        )
        return to_record(table, row)


def delete_record(
    db: Database,
    *,
    table: str,
    row_id: int,
    source: ChangeSource,
    expected_version: int | None = None,
) -> dict[str, Any]:
    with db.write(source=source) as session:
        return delete_row(session, table, row_id, expected_version=expected_version)


def get_record(db: Database, *, table: str, row_id: int) -> Record:
    with db.read() as session:
        return to_record(table, load_row(session, table, row_id))
