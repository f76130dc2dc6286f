"""``pfpp person show|erase`` and ``pfpp purge``: personal data on request (UK GDPR).

Parses arguments, asks for confirmation before anything irreversible, prints a summary. The
work is done by ``store.history.person`` (what is held), ``store.history.erasure`` (erasing down
to the bytes) and ``store.history.retention`` (what is past the retention period).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfpp_tui.cli.common import PfppGroup, open_db_from_context
from pfpp_tui.cli.history_cmd import format_entry
from pfpp_tui.cli.safe_output import echo
from pfpp_tui.text_safety import json_safe, terminal_safe
from pfpp_tui.words import counted

if TYPE_CHECKING:
    from pfpp_tui.store.db.database import Database
    from pfpp_tui.store.db.written_files import WrittenCopy

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
    from pfpp_tui.store.history.person import person_report

    db = open_db_from_context(ctx)
    try:
        report = person_report(db, who)
    finally:
        db.dispose()
    if output is PersonFormat.JSON:
        typer.echo(json_safe(json.dumps(report.as_json(), ensure_ascii=False, indent=2)))
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
    # Stored text may hold escape sequences (written before imports refused them, or by
    # another tool): each line is shown terminal-safe, a value's line breaks as ␊.
    typer.echo("\n".join(terminal_safe(line, single_line=True) for line in lines))


class CopiesAction(StrEnum):
    LIST = "list"
    SCRUB = "scrub"
    DELETE = "delete"


CopiesOption = Annotated[
    CopiesAction,
    typer.Option(
        "--copies",
        help=(
            "Files pfpp wrote that may still hold the data (backups, pre-restore and "
            "pre-migration copies, exports written with -o): list them (default); scrub them "
            "(a copy that is a pfpp database is opened and the same erasure or purge is run "
            "in it; an export cannot be, and is listed); or delete them."
        ),
    ),
]


def _copies_done(
    db: Database,
    copies: list[WrittenCopy],
    action: CopiesAction,
    scrub: Callable[[WrittenCopy], str],
    holds: str,
) -> list[str]:
    """Act on the copies as asked; the lines to print."""
    from pfpp_tui.errors import PfppError
    from pfpp_tui.store.db.written_files import delete_copy

    if not copies:
        return []
    if action is CopiesAction.LIST:
        lines = [f"These files written by pfpp may still hold {holds}:"]
        lines += [f"  {copy.describe()}" for copy in copies]
        lines.append("Scrub them with --copies scrub, or delete them with --copies delete.")
        return lines
    lines = []
    for copy in copies:
        if action is CopiesAction.DELETE:
            delete_copy(db, copy)
            lines.append(f"  {copy.path}: deleted")
            continue
        try:
            outcome = scrub(copy)
        except PfppError as exc:
            outcome = "not scrubbed: " + str(exc).removeprefix(f"{copy.path}: ")
        lines.append(f"  {copy.path}: {outcome}")
    return lines


@person_app.command("erase")
def erase(
    ctx: typer.Context,
    who: Who,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    copies: CopiesOption = CopiesAction.LIST,
) -> None:
    """Erase a person: their contact, links and history values; irreversible.

    Ends by naming every file pfpp wrote since the person was added
    that still exists and may hold them. --copies scrub erases them
    there too; --copies delete deletes those files. Someone already
    erased here can still be erased from the copies, by e-mail,
    with --copies scrub.
    """
    from pfpp_tui.errors import NotFoundError
    from pfpp_tui.store.db.written_files import known_copies
    from pfpp_tui.store.history.erasure import erase_from_copies_only, erase_from_copy, erase_person
    from pfpp_tui.store.history.person import person_report

    db = open_db_from_context(ctx)
    try:
        try:
            report = person_report(db, who)
        except NotFoundError:
            if copies is not CopiesAction.SCRUB or "@" not in who:
                raise
            echo(f"{who} is not in {db.display_name}; erasing them from its copies:")
            for copy, outcome in erase_from_copies_only(db, who):
                echo(f"  {copy.path}: {outcome}", single_line=True)
            return
        name = " ".join(
            str(report.contact.get(k) or "") for k in ("first_name", "last_name")
        ).strip()
        label = terminal_safe(f"{name or 'contact'} (id {report.contact['id']})", single_line=True)
        if not yes:
            held = len(known_copies(db, since=report.contact.get("created_at")))
            echo(
                f"This erases {label}: {counted(len(report.pilots), 'pilot role')}, "
                f"{counted(len(report.meetings), 'attendance')}, "
                f"{counted(len(report.actions), 'action')} and "
                f"{counted(len(report.barriers), 'barrier')} will show [erased person], and "
                f"{counted(len(report.history), 'history row')} will be scrubbed."
                + (
                    f" {counted(held, 'file')} pfpp wrote may hold them too (--copies)."
                    if held
                    else ""
                )
            )
            typer.confirm("Erase this person? It cannot be undone", abort=True)
        result = erase_person(db, str(report.contact["id"]))
        lines = _copies_done(
            db, result.copies, copies, lambda copy: erase_from_copy(copy, result), name or label
        )
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
    for line in lines:
        echo(line, single_line=True)  # names, paths and descriptions are user data


def purge(
    ctx: typer.Context,
    older_than: Annotated[
        str, typer.Option("--older-than", help="Retention period: 6y, 18m, 8w or 90d.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count what would go; change nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    copies: CopiesOption = CopiesAction.LIST,
) -> None:
    """Remove archived contacts and closed actions, barriers and meetings past retention.

    Ends by naming the files pfpp wrote that still exist and may hold
    what was removed; --copies scrub runs the same purge (same cut-off)
    in those that are pfpp databases, --copies delete deletes them.
    """
    from pfpp_tui.store.db.written_files import known_copies
    from pfpp_tui.store.history.retention import parse_period, purge_copy
    from pfpp_tui.store.history.retention import purge as run_purge

    parse_period(older_than)
    now = datetime.now(UTC)
    db = open_db_from_context(ctx)
    try:
        plan = run_purge(db, older_than, dry_run=True, now=now)
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
        done = run_purge(db, older_than, now=now)
        lines = _copies_done(
            db,
            known_copies(db),
            copies,
            lambda copy: purge_copy(copy, older_than, now),
            "what was removed",
        )
    finally:
        db.dispose()
    removed = ", ".join(f"{n} {kind}" for kind, n in done.counts().items())
    typer.echo(f"Removed {removed} (older than {done.cutoff:%Y-%m-%d}).")
    for line in lines:
        echo(line, single_line=True)  # names, paths and descriptions are user data
