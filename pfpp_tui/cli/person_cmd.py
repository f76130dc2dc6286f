"""``pfpp person show|erase`` and ``pfpp purge``: personal data on request (UK GDPR).

Parses arguments, asks for confirmation before anything irreversible, prints a summary. The
work is done by ``store.person`` (what is held), ``store.erasure`` (erasing down to the bytes)
and ``store.retention`` (what is past the retention period).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer

from pfpp_tui.cli.common import PfppGroup, open_db_from_context
from pfpp_tui.cli.history_cmd import format_entry
from pfpp_tui.words import counted

person_app = typer.Typer(
    cls=PfppGroup,
    help="What the database holds about a person; erase it on request.",
    no_args_is_help=True,
)


class PersonFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(person_app, name="person")
    app.command("purge")(purge)


Who = Annotated[str, typer.Argument(metavar="EMAIL|ID", help="The contact's e-mail or id.")]


def _rows(title: str, rows: list[dict[str, Any]], keys: tuple[str, ...]) -> list[str]:
    lines = [f"{title} ({len(rows)})"]
    lines.extend(
        "  " + "  ".join(str(row.get(k) if row.get(k) is not None else "—") for k in keys)
        for row in rows
    )
    return lines


def _when_removed(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Removed links with "removed 2026-03-01 14:02 UTC by ada" in their removed_at."""
    shown = []
    for row in rows:
        at, by = row.get("removed_at"), row.get("removed_by")
        when = f"removed {at:%Y-%m-%d %H:%M} UTC" if at is not None else "removed (when unknown)"
        shown.append({**row, "removed_at": when + (f" by {by}" if by else "")})
    return shown


@person_app.command("show")
def show(
    ctx: typer.Context,
    who: Who,
    output: Annotated[
        PersonFormat, typer.Option("--format", help="text to read, json to hand over.")
    ] = PersonFormat.TEXT,
) -> None:
    """Everything held about a person: contact, pilots, meetings, actions, barriers, history."""
    from pfpp_tui.store.person import person_report

    db = open_db_from_context(ctx)
    try:
        report = person_report(db, who)
    finally:
        db.dispose()
    if output is PersonFormat.JSON:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    contact = report.as_json()["contact"]
    lines = [f"Contact {contact['id']}"]
    for key in sorted(contact):
        lines.append(f"  {key}: {contact[key] if contact[key] not in (None, '') else '—'}")
    lines.append(f"  organisation: {report.organisation or '—'}")
    lines.append(f"  team: {report.team or '—'}")
    lines += _rows("Pilots", report.pilots, ("pilot_id", "pilot", "role"))
    lines += _rows(
        "Pilots, removed (from the history)",
        _when_removed(report.pilots_removed),
        ("pilot_id", "pilot", "role", "removed_at", "how"),
    )
    lines += _rows("Meetings attended", report.meetings, ("meeting_id", "held_at", "title"))
    lines += _rows(
        "Meetings attended, removed (from the history)",
        _when_removed(report.meetings_removed),
        ("meeting_id", "held_at", "title", "removed_at", "how"),
    )
    lines += _rows("Actions owned", report.actions, ("id", "status", "title"))
    lines += _rows("Barriers owned", report.barriers, ("id", "status", "title"))
    lines += _rows("Other records naming them", report.other_records, ("table", "id", "as"))
    lines += _rows("Mentioned in free text", report.mentions, ("table", "id", "column"))
    lines.append(f"History ({len(report.history)})")
    for entry in report.history:
        lines += ["  " + line for line in format_entry(entry)]
    typer.echo("\n".join(lines))


@person_app.command("erase")
def erase(
    ctx: typer.Context,
    who: Who,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person: their contact, links and history values; irreversible."""
    from pfpp_tui.store.erasure import erase_person
    from pfpp_tui.store.person import person_report

    db = open_db_from_context(ctx)
    try:
        report = person_report(db, who)
        name = " ".join(
            str(report.contact.get(k) or "") for k in ("first_name", "last_name")
        ).strip()
        label = f"{name or 'contact'} (id {report.contact['id']})"
        if not yes:
            typer.echo(
                f"This erases {label}: {counted(len(report.pilots), 'pilot role')}, "
                f"{counted(len(report.meetings), 'attendance')}, "
                f"{counted(len(report.actions), 'action')} and "
                f"{counted(len(report.barriers), 'barrier')} will show [erased person], and "
                f"{counted(len(report.history), 'history row')} will be scrubbed."
            )
            typer.confirm("Erase this person? It cannot be undone", abort=True)
        result = erase_person(db, str(report.contact["id"]))
    finally:
        db.dispose()
    typer.echo(
        f"Erased contact {result.contact_id}: "
        f"{counted(sum(result.links_removed.values()), 'link')} removed, "
        f"{counted(sum(result.records_detached.values()), 'record')} now show [erased person], "
        f"{counted(result.mentions_rewritten, 'mention')} rewritten, "
        f"{counted(result.history_rows_scrubbed, 'history row')} scrubbed."
    )
    if not result.wal_cleared:
        typer.echo(
            "pfpp: warning: others have the database open, so the freed space could not be "
            "wiped yet; run `pfpp db compact` when they have closed it",
            err=True,
        )
    for backup in result.old_backups:
        typer.echo(
            f"pfpp: note: {backup} was made before the erasure and still holds this "
            "person; delete it if you no longer need it",
            err=True,
        )


def purge(
    ctx: typer.Context,
    older_than: Annotated[
        str, typer.Option("--older-than", help="Retention period: 6y, 18m, 8w or 90d.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would go; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove archived contacts and closed actions, barriers and meetings past retention."""
    from pfpp_tui.store.retention import parse_period
    from pfpp_tui.store.retention import purge as run_purge

    parse_period(older_than)
    db = open_db_from_context(ctx)
    try:
        plan = run_purge(db, older_than, dry_run=True)
        summary = ", ".join(f"{n} {kind}" for kind, n in plan.counts().items())
        cutoff = f"{plan.cutoff:%Y-%m-%d}"
        if plan.empty:
            typer.echo(f"Nothing closed or archived is older than {cutoff}.")
            return
        if dry_run:
            typer.echo(f"Would remove {summary} (older than {cutoff}).")
            return
        if not yes:
            typer.echo(f"Older than {cutoff}: {summary}.")
            typer.confirm("Remove them? It cannot be undone", abort=True)
        done = run_purge(db, older_than)
    finally:
        db.dispose()
    removed = ", ".join(f"{n} {kind}" for kind, n in done.counts().items())
    typer.echo(f"Removed {removed} (older than {done.cutoff:%Y-%m-%d}).")
