"""Pre-partnership agreements: read, save (versioned), earlier versions, reviews due.

Owns the use cases behind ``pfpp agreement show``, ``pfpp report agreement`` and the TUI's
agreement screen. An agreement and its partner rows are saved in ONE write transaction through
``store.db.records`` (so every field change lands in the history under one batch); an earlier
version is rebuilt by walking that history back from today's rows, batch by batch. Refuses,
with nothing saved: an organisation that does not exist, a partner listed twice, a lead or
signatory contact that does not exist, and a stale edit. Returns plain dataclasses, never ORM
objects; must not import Textual.

Earlier versions are rebuilt in ``store.history.agreement_history``; assessments live in
``store.insight.partnership_health`` and principle tags in ``store.insight.principle_tags``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from pfpp_tui.errors import NotFoundError, StaleEditError, ValidationFailedError
from pfpp_tui.models import ChangeSource, Contact, Organisation, Pilot, utcnow
from pfpp_tui.models.partnership import AgreementPartner, AgreementStatus, PartnershipAgreement
from pfpp_tui.shapes.partnership import AGREEMENT_FIELDS, Agreement, PartnerEntry
from pfpp_tui.store.db.changes import last_change
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import delete_row, insert_row, update_row
from pfpp_tui.store.directory.workflow_lookup import contact_label, pilot_by_name

AGREEMENT_TABLE = "partnership_agreement"
PARTNER_TABLE = "agreement_partner"
PARTNER_FIELDS = ("organisation_id", "role", "commitments", "lead_contact_id")


# --- reading ---------------------------------------------------------------------------------


def find_pilot(session: Session, pilot: int | str) -> Pilot:
    if isinstance(pilot, int) or str(pilot).isdigit():
        row = session.get(Pilot, int(pilot))
        if row is None:
            raise NotFoundError(f"pilot {pilot} does not exist")
        return row
    found = session.get(Pilot, pilot_by_name(session, str(pilot)).id)
    assert found is not None
    return found


def _labels(session: Session, org_ids: set[int], contact_ids: set[int]) -> dict[str, str]:
    labels: dict[str, str] = {}
    if org_ids:
        for org in session.exec(select(Organisation).where(col(Organisation.id).in_(org_ids))):
            labels[f"o{org.id}"] = org.name
    if contact_ids:
        for contact in session.exec(select(Contact).where(col(Contact.id).in_(contact_ids))):
            labels[f"c{contact.id}"] = contact_label(contact)
    return labels


def build_agreement(
    session: Session,
    pilot: Pilot,
    values: dict[str, Any] | None,
    partners: Sequence[dict[str, Any]],
    *,
    row_id: int | None,
    version: int,
    updated_at: datetime | None,
) -> Agreement:
    assert pilot.id is not None
    values = values or {}
    org_ids = {int(p["organisation_id"]) for p in partners if p.get("organisation_id")}
    contact_ids = {int(p["lead_contact_id"]) for p in partners if p.get("lead_contact_id")}
    if values.get("agreed_by_id"):
        contact_ids.add(int(values["agreed_by_id"]))
    labels = _labels(session, org_ids, contact_ids)
    entries = tuple(
        PartnerEntry(
            organisation_id=int(p["organisation_id"]),
            role=p.get("role") or "",
            commitments=p.get("commitments") or "",
            lead_contact_id=p.get("lead_contact_id"),
            organisation=labels.get(
                f"o{p['organisation_id']}", f"organisation {p['organisation_id']}"
            ),
            lead_contact=labels.get(f"c{p.get('lead_contact_id')}", "")
            if p.get("lead_contact_id")
            else "",
        )
        for p in partners
    )
    agreed_by_id = values.get("agreed_by_id")
    return Agreement(
        pilot_id=pilot.id,
        pilot=pilot.name,
        id=row_id,
        version=version,
        purpose=values.get("purpose") or "",
        governance_board=values.get("governance_board") or "",
        governance_chair=values.get("governance_chair") or "",
        meeting_frequency=values.get("meeting_frequency") or "",
        data_sharing=values.get("data_sharing") or "",
        escalation_route=values.get("escalation_route") or "",
        review_date=_as_date(values.get("review_date")),
        status=AgreementStatus(values.get("status") or AgreementStatus.DRAFT),
        agreed_by_id=agreed_by_id,
        agreed_on=_as_date(values.get("agreed_on")),
        agreed_by=labels.get(f"c{agreed_by_id}", "") if agreed_by_id else "",
        partners=entries,
        updated_at=updated_at,
    )


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def current_rows(
    session: Session, pilot: Pilot
) -> tuple[PartnershipAgreement | None, list[AgreementPartner]]:
    row = session.exec(
        select(PartnershipAgreement).where(PartnershipAgreement.pilot_id == pilot.id)
    ).first()
    if row is None:
        return None, []
    partners = list(
        session.exec(
            select(AgreementPartner)
            .where(AgreementPartner.agreement_id == row.id)
            .order_by(col(AgreementPartner.id))
        )
    )
    return row, partners


def _read(session: Session, pilot: Pilot) -> Agreement:
    row, partners = current_rows(session, pilot)
    if row is None:
        return build_agreement(session, pilot, None, [], row_id=None, version=0, updated_at=None)
    values = {name: getattr(row, name) for name in AGREEMENT_FIELDS}
    rows = [{name: getattr(p, name) for name in PARTNER_FIELDS} for p in partners]
    return build_agreement(
        session, pilot, values, rows, row_id=row.id, version=row.version, updated_at=row.updated_at
    )


def pilot_id_named(db: Database, pilot: int | str) -> int:
    """The id of the pilot with this id or name (``NotFoundError`` with suggestions)."""
    with db.read() as session:
        return int(find_pilot(session, pilot).id or 0)


def get_agreement(db: Database, pilot: int | str) -> Agreement:
    """The pilot's agreement, or an empty draft (``id`` None) when it has none yet."""
    with db.read() as session:
        return _read(session, find_pilot(session, pilot))


def agreements_due_for_review(db: Database, *, today: date) -> list[Agreement]:
    """Agreements whose review date has passed, oldest first (for the digest and agenda)."""
    with db.read() as session:
        rows = session.exec(
            select(PartnershipAgreement)
            .where(col(PartnershipAgreement.review_date) < today)
            .order_by(col(PartnershipAgreement.review_date), col(PartnershipAgreement.pilot_id))
        ).all()
        result = []
        for row in rows:
            pilot = session.get(Pilot, row.pilot_id)
            assert pilot is not None
            result.append(_read(session, pilot))
        return result


# --- saving ----------------------------------------------------------------------------------


def _check_partners(session: Session, partners: Sequence[PartnerEntry]) -> None:
    seen: dict[int, int] = {}
    for n, partner in enumerate(partners, start=1):
        org = session.get(Organisation, partner.organisation_id)
        if org is None:
            name = partner.organisation or f"organisation {partner.organisation_id}"
            raise ValidationFailedError(f"partner {n}: {name} does not exist")
        if partner.organisation_id in seen:
            raise ValidationFailedError(
                f"partner {n}: {org.name} is listed twice "
                f"(also partner {seen[partner.organisation_id]})"
            )
        seen[partner.organisation_id] = n
        if (
            partner.lead_contact_id is not None
            and session.get(Contact, partner.lead_contact_id) is None
        ):
            raise ValidationFailedError(
                f"partner {n} ({org.name}): lead contact {partner.lead_contact_id} does not exist"
            )


def save_agreement(
    db: Database,
    agreement: Agreement,
    *,
    source: ChangeSource,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Agreement:
    """Create or update the pilot's agreement and its partners in one transaction.

    ``expected_version`` is the version the editor loaded (0 for "there was none"); a save
    over someone else's newer save raises ``StaleEditError`` instead of overwriting it.
    """
    with db.write(source=source, reason=reason or "") as session:
        pilot = find_pilot(session, agreement.pilot_id)
        _check_partners(session, agreement.partners)
        if (
            agreement.agreed_by_id is not None
            and session.get(Contact, agreement.agreed_by_id) is None
        ):
            raise ValidationFailedError(
                f"agreed_by: contact {agreement.agreed_by_id} does not exist"
            )
        row, partners = current_rows(session, pilot)
        values = {**agreement.field_values(), "pilot_id": pilot.id}
        if row is None:
            if expected_version:
                raise StaleEditError(AGREEMENT_TABLE, agreement.id or 0, None, None)
            row_id = int(insert_row(session, AGREEMENT_TABLE, values).id)  # type: ignore[attr-defined]
            before_version = 0
        else:
            assert row.id is not None
            row_id = row.id
            before_version = row.version
            if expected_version is not None and row.version != expected_version:
                last = last_change(session, table=AGREEMENT_TABLE, row_id=row.id)
                raise StaleEditError(
                    AGREEMENT_TABLE, row.id, last.actor if last else None, last.at if last else None
                )
            update_row(session, AGREEMENT_TABLE, row.id, values, reason=reason)
        touched = _save_partners(session, row_id, partners, agreement.partners)
        saved = session.get(PartnershipAgreement, row_id)
        assert saved is not None
        session.refresh(saved)
        if touched and saved.version == before_version and before_version:
            # Partner-only edits still make a new version of the agreement as a whole, so an
            # editor holding the old version gets a stale-edit refusal rather than a silent merge.
            session.execute(
                update(PartnershipAgreement)
                .where(col(PartnershipAgreement.id) == row_id)
                .values(version=before_version + 1, updated_at=utcnow())
            )
            session.refresh(saved)
        return _read(session, pilot)


def _save_partners(
    session: Session,
    agreement_id: int,
    existing: list[AgreementPartner],
    wanted: Sequence[PartnerEntry],
) -> bool:
    by_org = {p.organisation_id: p for p in existing}
    wanted_orgs = {p.organisation_id for p in wanted}
    touched = False
    for partner in existing:
        if partner.organisation_id not in wanted_orgs:
            assert partner.id is not None
            delete_row(session, PARTNER_TABLE, partner.id)
            touched = True
    for entry in wanted:
        values = {
            "agreement_id": agreement_id,
            "organisation_id": entry.organisation_id,
            "role": entry.role.strip(),
            "commitments": entry.commitments.strip(),
            "lead_contact_id": entry.lead_contact_id,
        }
        current = by_org.get(entry.organisation_id)
        if current is None:
            insert_row(session, PARTNER_TABLE, values)
            touched = True
            continue
        assert current.id is not None
        before = current.version
        update_row(session, PARTNER_TABLE, current.id, values)
        touched = touched or current.version != before
    return touched


def with_partners(agreement: Agreement, partners: Sequence[PartnerEntry]) -> Agreement:
    """A copy of ``agreement`` with another partner list (for editors)."""
    return replace(agreement, partners=tuple(partners))


# --- editing as text (the TUI form) ------------------------------------------------------------

PARTNER_LINE_HELP = "one partner per line: Organisation | role | lead e-mail | commitments"


def partner_lines(agreement: Agreement) -> str:
    """The partners as editable lines (``PARTNER_LINE_HELP``)."""
    lines = []
    for p in agreement.partners:
        email = p.lead_contact.rsplit("<", 1)[-1].rstrip(">") if "<" in p.lead_contact else ""
        lines.append(" | ".join([p.organisation, p.role, email, p.commitments]).rstrip(" |"))
    return "\n".join(lines)


def partners_from_lines(db: Database, text: str) -> tuple[PartnerEntry, ...]:
    """Partners from edited lines; ``ValidationFailedError`` naming the line for a bad one.

    Organisations are found by name, short name or former name (never guessed); a lead is a
    contact's e-mail. An unknown organisation or e-mail is refused here, before any write.
    """
    from pfpp_tui.store.directory.workflow_lookup import contacts_by_email, organisation_by_name

    entries: list[PartnerEntry] = []
    with db.read() as session:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            parts += [""] * (4 - len(parts))
            name, role, email = parts[0], parts[1], parts[2]
            commitments = " | ".join(parts[3:]).strip(" |")
            try:
                org = organisation_by_name(session, name)
                lead = contacts_by_email(session, [email])[0].id if email else None
            except NotFoundError as exc:
                raise ValidationFailedError(f"partner line {number}: {exc}") from None
            entries.append(PartnerEntry(org.id, role, commitments, lead, org.label))
    return tuple(entries)


def contact_id_by_email(db: Database, email: str) -> int | None:
    """The contact with this e-mail (None for blank); ``NotFoundError`` when there is none."""
    from pfpp_tui.store.directory.workflow_lookup import contacts_by_email

    if not email.strip():
        return None
    with db.read() as session:
        return contacts_by_email(session, [email.strip()])[0].id
