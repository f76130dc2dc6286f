"""The daily workflows on the command line: ``pfpp log meeting``, ``pfpp barrier triage|queue``.

Owns: turning names, e-mails and natural dates typed on the command line into ids (through
``store.directory.workflow_lookup`` — exact matches only, never a guess) and printing what was
created or changed. The work itself is the store's (``meeting_log``, ``triage``), shared with the
TUI. Anything wrong raises a ``PfppError``: one line on stderr, exit 1, nothing saved.
Must not import Textual.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.cli.safe_output import echo
from pfpp_tui.dates import parse_date, parse_datetime
from pfpp_tui.errors import PfppError, ValidationFailedError
from pfpp_tui.text_safety import terminal_safe
from pfpp_tui.vocabulary import BarrierCategory, ChangeSource, Severity
from pfpp_tui.words import counted

log_app = typer.Typer(help="Log what happened: meetings and what they decided.")
barrier_app = typer.Typer(help="The barrier log: triage new barriers, list the queue.")


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")
    app.add_typer(barrier_app, name="barrier")


def barrier_category(text: str) -> BarrierCategory:
    from pfpp_tui.notes_markers import CATEGORY_TAGS  # (and rapidfuzz): not at every start-up

    key = text.strip().lower().lstrip("#")
    if key in CATEGORY_TAGS:
        return CATEGORY_TAGS[key]
    choices = "structure, priorities, funding, data, culture, other"
    raise ValidationFailedError(f"category: {text!r} is not one of {choices}")


def severity(text: str) -> Severity:
    key = text.strip().lower()
    for value in Severity:
        if value.value == key or (key and value.value.startswith(key)):
            return value
    raise ValidationFailedError(f"severity: {text!r} is not one of low, medium, high, critical")


def _read_notes(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PfppError(f"{path}: cannot read notes ({exc.__class__.__name__})") from None


@log_app.command("meeting")
def log_meeting_command(
    ctx: typer.Context,
    pilot: Annotated[str, typer.Option("--pilot", help="The pilot place, by name.")],
    kind: Annotated[
        str, typer.Option("--kind", help="Meeting kind, e.g. pilot_check_in, local_board.")
    ],
    notes_file: Annotated[
        str, typer.Option("--notes-file", help="Notes with markers; '-' reads stdin.")
    ],
    when: Annotated[
        str | None,
        typer.Option("--when", help="When it was held: 'today 14:00', 'yesterday', a date."),
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option("--attendee", help="An attendee's e-mail (repeat for each person)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Title (default: the kind and the pilot).")
    ] = None,
) -> None:
    """Log a meeting; `- [ ]` actions, `!` barriers and `=` decisions in the notes are created too.

    Owners (`@okafor`) must match exactly one person (attendees first), or nothing is saved.
    """
    from pfpp_tui.store.directory.workflow_lookup import contacts_by_email, pilot_by_name
    from pfpp_tui.store.work.meeting_log import (
        default_meeting_title,
        log_meeting,
        meeting_kind_from_text,
    )

    meeting_kind_value = meeting_kind_from_text(kind)
    held_at = parse_datetime(when) if when else datetime.now().replace(second=0, microsecond=0)
    notes = _read_notes(notes_file)
    db = open_db_from_context(ctx)
    try:
        with db.read() as session:
            place = pilot_by_name(session, pilot)
            people = contacts_by_email(session, attendee or [])
        logged = log_meeting(
            db,
            pilot_id=place.id,
            held_at=held_at,
            kind=meeting_kind_value,
            # The TUI's words for the same meeting: "Pilot check-in — Luton".
            title=title
            if title is not None
            else default_meeting_title(meeting_kind_value, place.label),
            attendee_ids=[p.id for p in people],
            notes=notes,
            source=ChangeSource.CLI,
        )
    finally:
        db.dispose()
    for line in logged.summary_lines():
        echo(line, single_line=True)


@barrier_app.command("triage")
def triage_command(
    ctx: typer.Context,
    barrier_id: Annotated[int, typer.Argument(metavar="ID", help="The barrier's id.")],
    category: Annotated[
        str | None,
        typer.Option(help="structure, priorities, funding, data, culture or other."),
    ] = None,
    severity_text: Annotated[
        str | None, typer.Option("--severity", help="low, medium, high or critical.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Owner's e-mail.")] = None,
    escalate: Annotated[
        str | None,
        typer.Option("--escalate", help="Organisation to escalate to (name, short or former)."),
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="Team to escalate to.")] = None,
    snooze: Annotated[
        str | None, typer.Option("--snooze", help="Leave the queue until this date.")
    ] = None,
    duplicate_of: Annotated[
        int | None,
        typer.Option("--duplicate-of", help="Mark as a duplicate; its actions move there."),
    ] = None,
    resolve: Annotated[bool, typer.Option("--resolve", help="Resolved (needs --reason).")] = False,
    accept: Annotated[
        bool, typer.Option("--accept", help="Accepted, worked around (needs --reason).")
    ] = False,
    reason: Annotated[str, typer.Option("--reason", help="Why: kept in the change history.")] = "",
    keep_new: Annotated[
        bool, typer.Option("--keep-new", help="Change fields but leave the barrier untriaged.")
    ] = False,
) -> None:
    """Take triage decisions on one barrier; each is kept in the history with --reason."""
    from pfpp_tui.store.directory.workflow_lookup import (
        contacts_by_email,
        organisation_by_name,
        team_by_name,
    )
    from pfpp_tui.store.work.triage import TriageDecision, apply_triage, barrier_context

    asked = (category, severity_text, owner, escalate, team, snooze, duplicate_of)
    if all(v is None for v in asked) and not (resolve or accept):
        raise ValidationFailedError(
            "nothing to do: give --category, --severity, --owner, --escalate, --snooze, "
            "--duplicate-of, --resolve or --accept"
        )
    db = open_db_from_context(ctx)
    try:
        with db.read() as session:
            owner_id = contacts_by_email(session, [owner])[0].id if owner else None
            org_id = organisation_by_name(session, escalate).id if escalate else None
            team_id = team_by_name(session, team, organisation_id=org_id).id if team else None
        decision = TriageDecision(
            category=barrier_category(category) if category else None,
            severity=severity(severity_text) if severity_text else None,
            owner_id=owner_id,
            escalate_organisation_id=org_id,
            escalate_team_id=team_id,
            snooze_until=parse_date(snooze) if snooze else None,
            duplicate_of_id=duplicate_of,
            resolve=resolve,
            accept=accept,
            mark_triaged=not keep_new and snooze is None,
            reason=reason,
        )
        apply_triage(db, barrier_id, decision, source=ChangeSource.CLI)
        ctx_after = barrier_context(db, barrier_id)
    finally:
        db.dispose()
    parts = [
        f"barrier {barrier_id}: {ctx_after.status.value}",
        ctx_after.category.value,
        ctx_after.severity.value,
    ]
    if ctx_after.owner:
        parts.append(f"owner {ctx_after.owner}")
    if ctx_after.escalated_to:
        parts.append(f"escalated to {ctx_after.escalated_to}")
    if ctx_after.snoozed_until:
        parts.append(f"snoozed until {ctx_after.snoozed_until.isoformat()}")
    if ctx_after.resolution:
        parts.append(ctx_after.resolution)
    echo(" · ".join(parts), single_line=True)


@barrier_app.command("queue")
def queue_command(ctx: typer.Context) -> None:
    """List barriers waiting for triage (new, not snoozed), oldest first."""
    from pfpp_tui.store.work.triage import triage_queue

    db = open_db_from_context(ctx)
    try:
        queue = triage_queue(db)
    finally:
        db.dispose()
    for item in queue:
        pilot, title = (terminal_safe(t, single_line=True) for t in (item.pilot, item.title))
        typer.echo(
            f"{item.id}\t{item.raised_on.isoformat()}\t{pilot}\t"
            f"{item.category.value}\t{item.severity.value}\t{title}"
        )
    typer.echo(f"{counted(len(queue), 'barrier')} waiting for triage", err=True)
