"""Logging a meeting: the meeting, its attendees, and the actions, barriers and decisions in
its notes, saved all together or not at all.

Owns: ``preview_meeting`` (the notes read and their owners resolved against the database, for
a live preview) and ``log_meeting`` (one ``Database.write`` transaction through
``records.insert_row``, so every row gets its history and one batch id). The notes syntax
itself lives in ``pfpp_tui.notes_markers``. Anything a user got wrong — an empty title, an
unknown pilot or attendee, an owner nobody or several people match, a bad due date — raises a
``PfppError`` before anything is committed. Must not import Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import (
    ActionStatus,
    BarrierStatus,
    ChangeSource,
    Contact,
    MeetingKind,
    Pilot,
)
from pfpp_tui.models.labels import label
from pfpp_tui.notes_markers import ItemKind, NotesPreview, parse_notes, resolve_owners
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import insert_row
from pfpp_tui.store.directory.workflow_lookup import owner_candidates
from pfpp_tui.words import counted, noun_for


@dataclass(frozen=True, slots=True)
class NewPerson:
    """Someone added inline while logging: created in the same transaction as the meeting."""

    first_name: str
    last_name: str = ""
    email: str | None = None
    organisation_id: int | None = None
    organisation: str = ""  # the organisation's name, to show; not stored

    @property
    def label(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or (self.email or "new person")


@dataclass(frozen=True, slots=True)
class LoggedMeeting:
    """What ``log_meeting`` created, as plain values for a summary."""

    meeting_id: int
    title: str
    held_at: datetime
    attendee_ids: tuple[int, ...]
    new_contact_ids: tuple[int, ...]
    action_ids: tuple[int, ...]
    barrier_ids: tuple[int, ...]
    decisions: tuple[str, ...]
    preview: NotesPreview

    def summary_lines(self) -> list[str]:
        lines = [
            f"meeting {self.meeting_id}: {self.held_at:%Y-%m-%d %H:%M} {self.title}",
            f"  {counted(len(self.attendee_ids), 'attendee')}"
            + (
                f", {counted(len(self.new_contact_ids), 'new contact')}"
                if self.new_contact_ids
                else ""
            ),
        ]
        ids = {ItemKind.ACTION: iter(self.action_ids), ItemKind.BARRIER: iter(self.barrier_ids)}
        for item in self.preview.items:
            text = self.preview.describe(item)
            numbers = ids.get(item.kind)
            lines.append(f"  {text}" if numbers is None else f"  #{next(numbers)} {text}")
        return lines


def meeting_kind_from_text(text: str) -> MeetingKind:
    """``Pilot check-in`` (the label), ``pilot_check_in`` or a unique part like ``deep``."""
    key = "_".join(text.lower().replace("-", " ").split())
    kinds = list(MeetingKind)
    for kind in kinds:
        if key == kind.value:
            return kind
    found = [k for k in kinds if key and (k.value.startswith(key) or f"_{key}" in k.value)]
    if len(found) == 1:
        return found[0]
    choices = ", ".join(k.value for k in kinds)
    raise ValidationFailedError(f"kind: {text!r} is not one of {choices}")


def meeting_kind_labels() -> str:
    """Every meeting kind's label, for a message saying which kinds there are."""
    return ", ".join(label(kind) for kind in MeetingKind)


def default_meeting_title(kind: MeetingKind | None, pilot: str | None) -> str:
    """``Pilot check-in — Luton``: the kind's label and the pilot, as a meeting's first title."""
    words = label(kind) if kind is not None else "Meeting"
    return f"{words} — {pilot}" if pilot else words


def _preview_in(
    session: Session, notes: str, *, day: date, attendee_ids: Sequence[int]
) -> NotesPreview:
    preview = parse_notes(notes, today=day)
    tokens = preview.owner_tokens()
    if not tokens:
        return preview
    return resolve_owners(preview, owner_candidates(session, tokens, preferred_ids=attendee_ids))


def preview_meeting(
    db: Database, *, notes: str, day: date, attendee_ids: Sequence[int] = ()
) -> NotesPreview:
    """The notes read, with owners resolved (attendees first): what saving would create."""
    with db.read() as session:
        return _preview_in(session, notes, day=day, attendee_ids=attendee_ids)


def _check_people(session: Session, ids: Sequence[int]) -> None:
    missing = [i for i in ids if session.get(Contact, i) is None]
    if missing:
        raise NotFoundError(
            f"{noun_for(len(missing), 'attendee')} {', '.join(map(str, missing))} "
            f"{'does' if len(missing) == 1 else 'do'} not exist"
        )


def log_meeting(
    db: Database,
    *,
    pilot_id: int | None,
    held_at: datetime,
    kind: MeetingKind | str,
    title: str,
    attendee_ids: Sequence[int],
    notes: str,
    source: ChangeSource,
    new_people: Sequence[NewPerson] = (),
    actor: str | None = None,
) -> LoggedMeeting:
    """Save the meeting and everything its notes mark, in one transaction (all or nothing)."""
    title = " ".join(title.split())
    if not title:
        raise ValidationFailedError("title: a meeting needs a title")
    try:
        meeting_kind = MeetingKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in MeetingKind)
        raise ValidationFailedError(f"kind: {kind!r} is not one of {kinds}") from None
    attendees = list(dict.fromkeys(attendee_ids))
    with db.write(source=source, actor=actor) as session:
        if pilot_id is not None and session.get(Pilot, pilot_id) is None:
            raise NotFoundError(f"pilot {pilot_id} does not exist")
        _check_people(session, attendees)
        new_ids: list[int] = []
        for person in new_people:
            row = insert_row(
                session,
                "contact",
                {
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "email": person.email,
                    "organisation_id": person.organisation_id,
                },
            )
            new_ids.append(int(row.id))  # type: ignore[attr-defined]
        attendees.extend(new_ids)
        preview = _preview_in(session, notes, day=held_at.date(), attendee_ids=attendees)
        if preview.problems:
            raise ValidationFailedError("notes: " + "; ".join(preview.problems))
        decisions = tuple(d.title for d in preview.decisions)
        meeting = insert_row(
            session,
            "meeting",
            {
                "pilot_id": pilot_id,
                "held_at": held_at.replace(tzinfo=None, microsecond=0),
                "kind": meeting_kind,
                "title": title,
                "notes": notes,
                "decisions": "\n".join(decisions),
            },
        )
        meeting_id = int(meeting.id)  # type: ignore[attr-defined]
        for contact_id in attendees:
            insert_row(
                session, "meeting_attendee", {"meeting_id": meeting_id, "contact_id": contact_id}
            )
        barrier_ids: list[int] = []
        for item in preview.barriers:
            row = insert_row(
                session,
                "barrier",
                {
                    "pilot_id": pilot_id,
                    "category": item.category,
                    "title": item.title,
                    "detail": item.detail,
                    "status": BarrierStatus.NEW,
                    "owner_id": preview.owner_id(item),
                    "raised_on": held_at.date(),
                    "meeting_id": meeting_id,
                },
            )
            barrier_ids.append(int(row.id))  # type: ignore[attr-defined]
        action_ids: list[int] = []
        for item in preview.actions:
            row = insert_row(
                session,
                "action",
                {
                    "title": item.title,
                    "detail": item.detail,
                    "owner_id": preview.owner_id(item),
                    "pilot_id": pilot_id,
                    "meeting_id": meeting_id,
                    "due_date": item.due,
                    "status": ActionStatus.DONE if item.done else ActionStatus.OPEN,
                    "completed_on": held_at.date() if item.done else None,
                },
            )
            action_ids.append(int(row.id))  # type: ignore[attr-defined]
    return LoggedMeeting(
        meeting_id=meeting_id,
        title=title,
        held_at=held_at,
        attendee_ids=tuple(attendees),
        new_contact_ids=tuple(new_ids),
        action_ids=tuple(action_ids),
        barrier_ids=tuple(barrier_ids),
        decisions=decisions,
        preview=preview,
    )
