"""Rules a record must keep beyond its field types, checked on every write by
``store.db.records``.

Owns: the rules that need more than one field or a look at other rows, so that the form, the
CLI, triage and any other write path refuse the same things with the same words:

- a contact's e-mail is a real address (the importers' rule, ``importers.fields.email_problem``);
  a phone is never refused (kept as written, ``phone_e164`` filled when it parses);
- a contact's team belongs to the contact's organisation, and so does a barrier's
  escalated-to team;
- a barrier marked escalated names the organisation it went to, and a resolved or accepted
  one says how (``STATUSES_NEEDING_RESOLUTION``: triage's ``r`` and ``a`` insist on the same).

A rule is checked on a create, and on an update only when the update changes one of the fields
it reads: an edit of something else never fails because of older data (a barrier escalated
before this rule existed), and undo can always put back a title. Problems are raised as one
``ValidationFailedError`` whose parts read ``field: message``, which the form shows beside the
field. Must not import Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.importers.fields import email_problem
from pfpp_tui.models import BarrierStatus, Organisation, Team

# Closed statuses that must say how the barrier closed (triage's resolve and accept ask too).
STATUSES_NEEDING_RESOLUTION = frozenset({BarrierStatus.RESOLVED, BarrierStatus.ACCEPTED})

Problem = tuple[str, str]  # (field, message)


def needs_resolution(status: Any, resolution: str | None) -> bool:
    """True when ``status`` is a closed one and ``resolution`` says nothing."""
    return _status(status) in STATUSES_NEEDING_RESOLUTION and not (resolution or "").strip()


def _status(value: Any) -> BarrierStatus | None:
    try:
        return BarrierStatus(value)
    except ValueError:
        return None


def team_outside_organisation(
    session: Session, team_id: int | None, organisation_id: int | None
) -> str | None:
    """Why ``team_id`` may not go with ``organisation_id`` (None when it may)."""
    if team_id is None:
        return None
    team = session.get(Team, team_id)
    if team is None:
        return None  # a missing team is the foreign key's to refuse, in its own words
    if team.organisation_id == organisation_id:
        return None
    home = session.get(Organisation, team.organisation_id)
    where = home.name if home is not None else f"organisation {team.organisation_id}"
    if organisation_id is None:
        return f"{team.name} is a team of {where}: choose {where} as the organisation first"
    chosen = session.get(Organisation, organisation_id)
    other = chosen.name if chosen is not None else f"organisation {organisation_id}"
    return f"{team.name} is a team of {where}, not of {other}: choose one of {other}'s teams"


def _contact(session: Session, data: Mapping[str, Any], changed: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    email = data.get("email")
    if email and (changed is None or "email" in changed):
        why = email_problem(email)
        if why is not None:
            problems.append(("email", f"{email!r} is not an e-mail address: {why}"))
    if changed is None or {"team_id", "organisation_id"} & changed:
        why = team_outside_organisation(session, data.get("team_id"), data.get("organisation_id"))
        if why is not None:
            problems.append(("team_id", why))
    return problems


def _barrier(session: Session, data: Mapping[str, Any], changed: set[str] | None) -> list[Problem]:
    problems: list[Problem] = []
    status_fields = {"status", "escalated_to_organisation_id", "escalated_to_team_id", "resolution"}
    if changed is not None and not status_fields & changed:
        return problems
    status = _status(data.get("status"))
    if status is BarrierStatus.ESCALATED and data.get("escalated_to_organisation_id") is None:
        problems.append(
            (
                "escalated_to_organisation_id",
                "an escalated barrier needs the organisation it went to",
            )
        )
    if needs_resolution(status, data.get("resolution")):
        word = status.value if status is not None else "closed"
        problems.append(("resolution", f"a barrier marked {word} needs a resolution: say how"))
    why = team_outside_organisation(
        session, data.get("escalated_to_team_id"), data.get("escalated_to_organisation_id")
    )
    if why is not None:
        problems.append(("escalated_to_team_id", why))
    return problems


_RULES: dict[str, Callable[[Session, Mapping[str, Any], set[str] | None], list[Problem]]] = {
    "contact": _contact,
    "barrier": _barrier,
}


def check_rules(
    session: Session, table: str, data: Mapping[str, Any], *, changed: set[str] | None = None
) -> None:
    """Raise ``ValidationFailedError`` when ``data`` (the whole row) breaks a rule of ``table``.

    ``changed``: the fields an update changes (None for a create: every rule applies).
    """
    rule = _RULES.get(table)
    if rule is None:
        return
    problems = rule(session, data, changed)
    if problems:
        raise ValidationFailedError("; ".join(f"{field}: {text}" for field, text in problems))
