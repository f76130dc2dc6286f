"""What the new/edit form asks for, per kind of record, and how typed text becomes values.

Owns: the field list of each form (label, kind, linked table, choices) and ``parse_field``,
which turns what a user typed into a value (natural dates via ``pfpp_tui.dates``, e-mails by
the importers' rule) or a message for the field; ``field_advice`` words a value that is kept but
worth a second look (a phone that does not parse is saved as written, with a gentle note, never
refused). ``model_default`` is what the store would save for a field left alone, so a new form
shows it selected from the start. The store validates again on save (``store.db.record_rules``);
this layer exists so mistakes show beside the field as they are made. No widgets and no
database here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pfpp_tui.dates import DateParseError, format_date, parse_date, parse_datetime
from pfpp_tui.importers.fields import email_problem, phone_e164
from pfpp_tui.models import (
    ActionStatus,
    BarrierCategory,
    BarrierStatus,
    MeetingKind,
    OrganisationKind,
    PilotStage,
    Rag,
    Severity,
)
from pfpp_tui.models.labels import choices, label
from pfpp_tui.models.partnership import PRINCIPLE_LABELS, Principle
from pfpp_tui.store.db.records import TABLES


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text | long | email | phone | enum | bool | date | datetime | int | link | tags
    required: bool = False
    link: str | None = None  # linked table for kind == "link"
    # For a link: the form field naming the record it must belong to, which is also the linked
    # table's column ("organisation_id": a contact's team is one of its organisation's teams).
    within: str | None = None
    choices: type[StrEnum] | None = None  # one of them (enum) or several (tags)
    placeholder: str = ""


def _f(name: str, label: str, kind: str = "text", **extra: Any) -> FieldSpec:
    return FieldSpec(name, label, kind, **extra)


_DATE = "2026-12-01, today, fri, +2w"
FORMS: dict[str, tuple[FieldSpec, ...]] = {
    "pilot": (
        _f("name", "Name", required=True),
        _f("lead_organisation_id", "Lead organisation", "link", link="organisation"),
        _f("project_name", "Project"),
        _f("local_challenge", "Local challenge", "long"),
        _f("stage", "Stage", "enum", choices=PilotStage),
        _f("rag", "RAG", "enum", choices=Rag),
        _f("start_date", "Start", "date", placeholder=_DATE),
        _f("end_date", "End", "date", placeholder=_DATE),
        _f("notes", "Notes", "long"),
    ),
    "contact": (
        _f("first_name", "First name"),
        _f("last_name", "Last name"),
        _f("email", "E-mail", "email", placeholder="name@department.example"),
        _f("phone", "Phone", "phone"),
        _f("organisation_id", "Organisation", "link", link="organisation"),
        _f("team_id", "Team", "link", link="team", within="organisation_id"),
        _f("role", "Role"),
        _f("tags", "Tags", placeholder="comma, separated"),
        _f("notes", "Notes", "long"),
    ),
    "organisation": (
        _f("name", "Name", required=True),
        _f("short_name", "Short name"),
        _f("kind", "Kind", "enum", choices=OrganisationKind),
        _f("parent_id", "Part of", "link", link="organisation"),
        _f("notes", "Notes", "long"),
    ),
    "team": (
        _f("name", "Name", required=True),
        _f("organisation_id", "Organisation", "link", required=True, link="organisation"),
        _f("directorate", "Directorate"),
        _f("remit", "Remit", "long", placeholder="policy areas the team covers"),
    ),
    "meeting": (
        _f("title", "Title", required=True),
        _f("held_at", "When", "datetime", required=True, placeholder="fri 14:00, 2026-12-01"),
        _f("kind", "Kind", "enum", choices=MeetingKind),
        _f("pilot_id", "Pilot", "link", link="pilot"),
        _f("notes", "Notes", "long"),
        _f("decisions", "Decisions", "long", placeholder="one per line"),
    ),
    "action": (
        _f("title", "Action", required=True),
        _f("owner_id", "Owner", "link", link="contact"),
        _f("pilot_id", "Pilot", "link", link="pilot"),
        _f("due_date", "Due", "date", placeholder=_DATE),
        _f("status", "Status", "enum", choices=ActionStatus),
        _f("principles", "Principles", "tags", choices=Principle),
        _f("meeting_id", "Meeting", "link", link="meeting"),
        _f("barrier_id", "Barrier", "link", link="barrier"),
        _f("detail", "Detail", "long"),
    ),
    "barrier": (
        _f("title", "Barrier", required=True),
        _f("category", "Category", "enum", choices=BarrierCategory),
        _f("severity", "Severity", "enum", choices=Severity),
        _f("status", "Status", "enum", choices=BarrierStatus),
        _f("principles", "Principles", "tags", choices=Principle),
        _f("pilot_id", "Pilot", "link", link="pilot"),
        _f("raised_on", "Raised on", "date", required=True, placeholder=_DATE),
        _f("owner_id", "Owner", "link", link="contact"),
        _f("escalated_to_organisation_id", "Escalated to", "link", link="organisation"),
        _f("escalation_note", "Escalation note", "long"),
        _f("resolution", "Resolution", "long"),
        _f("detail", "Detail", "long"),
    ),
}

DEFAULTS: dict[str, dict[str, str]] = {
    "barrier": {"raised_on": "today"},
    "meeting": {"held_at": "today 10:00"},
}


# Longer words for a tags field's choices, shown beside the short key the CLI and filter use.
CHOICE_LABELS: dict[type[StrEnum], dict[Any, str]] = {Principle: dict(PRINCIPLE_LABELS)}


def choice_options(spec: FieldSpec) -> list[tuple[str, str]]:
    """(shown text, stored value) per choice of a tags field: ``trust — Trust between tiers…``."""
    assert spec.choices is not None
    labels = CHOICE_LABELS.get(spec.choices, {})
    return [
        (f"{c.value} — {labels[c]}" if c in labels else label(c), c.value) for c in spec.choices
    ]


def enum_options(spec: FieldSpec) -> list[tuple[str, str]]:
    """(label, stored value) per choice of an enum field: the select shows "In progress"."""
    assert spec.choices is not None
    return choices(spec.choices)


class FieldError(ValueError):
    """What is wrong with one field, in words for the user."""


def model_default(table: str, spec: FieldSpec) -> Any:
    """What the store saves for ``spec`` left out of a new record (None: nothing in particular)."""
    field = TABLES[table][1].model_fields.get(spec.name)
    if field is None or field.is_required():
        return None
    return field.get_default(call_default_factory=True)


def parse_field(spec: FieldSpec, text: str, *, today: date | None = None) -> Any:
    """The value to store for ``text`` typed into ``spec`` (link fields are handled by id)."""
    raw = text.strip()
    if not raw:
        if spec.required:
            raise FieldError(f"{spec.label} is required")
        return None if spec.kind in ("date", "datetime", "int", "link") else ""
    try:
        if spec.kind == "date":
            return parse_date(raw, today=today)
        if spec.kind == "datetime":
            return parse_datetime(raw, today=today)
    except DateParseError as exc:
        raise FieldError(str(exc)) from None
    if spec.kind == "email":
        problem = email_problem(raw)
        if problem is not None:
            raise FieldError(f"not an e-mail address: {problem}")
        return raw
    if spec.kind == "int":
        try:
            return int(raw.replace(",", "").replace("£", ""))
        except ValueError:
            raise FieldError(f"{spec.label}: a whole number, please") from None
    return raw


def field_advice(spec: FieldSpec, value: Any) -> str:
    """A note on a value that is saved as it is but may be a slip ("" when there is none)."""
    if spec.kind == "phone" and value and phone_e164(value) is None:
        return "kept as written: not read as a phone number, so it cannot be matched or dialled"
    return ""


def shown_value(spec: FieldSpec, value: Any) -> str:
    """How an existing value is put back into an input for editing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


def field_spec(table: str, field: str) -> FieldSpec | None:
    """The form's spec for one stored column, if the form shows it."""
    return next((s for s in FORMS.get(table, ()) if s.name == field), None)


def field_label(table: str, field: str) -> str:
    """A stored column as a person reads it: the form's label ("Escalated to"), never the name
    it is stored under (``escalated_to_organisation_id``)."""
    spec = field_spec(table, field)
    if spec is not None:
        return spec.label
    words = field.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]
