"""``pfpp history [ENTITY [ID]]``: print the change history, newest first.

Owns only argument parsing and formatting; the rows come from ``store.db.changes`` (read
helpers), so the CLI and the TUI's history view show the same thing: one record's history includes
its link rows' changes (principle tags, pilot members, attendees), each with a summary in words.
Must not write to the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pfpp_tui.cli.common import open_db_from_context
from pfpp_tui.errors import NotFoundError
from pfpp_tui.text_safety import json_safe, terminal_safe

if TYPE_CHECKING:
    from pfpp_tui.store.db.changes import HistoryEntry

# The store modules are imported when the command runs: ``pfpp`` imports every command module
# at start-up, and each other command (``pfpp import`` first) would pay for them.

# What users may type for an entity, beyond the table names themselves.
ALIASES = {
    "person": "contact",
    "people": "contact",
    "org": "organisation",
    "organization": "organisation",
    "funding": "funding_flow",
    "attendee": "meeting_attendee",
}


class HistoryFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("history")(history)


def entity_table(name: str) -> str:
    """``contacts``, ``funding-flow``, ``Person`` → the table name; unknown names raise."""
    from pfpp_tui.store.db.records import TABLES

    key = name.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in TABLES and key.endswith("s") and key[:-1] in TABLES:
        key = key[:-1]
    if key not in TABLES:
        known = ", ".join(sorted(TABLES))
        raise NotFoundError(f"no such kind of record: {name} (one of: {known})")
    return key


def show_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return repr(value) if len(value) <= 80 else repr(value[:77] + "...")
    return str(value)


def format_entry(
    entry: HistoryEntry, undone: Mapping[str, HistoryEntry] | None = None
) -> list[str]:
    from pfpp_tui.store.db.changes import reason_in_words

    reason = reason_in_words(entry, undone or {})
    when = entry.at.strftime("%Y-%m-%d %H:%M:%S UTC")
    head = f"#{entry.id}  {when}  {entry.actor} ({entry.source})  "
    if entry.summary:  # a link row in its record's history: the words say it all
        lines = [head + f"{entry.summary}  [{entry.op} {entry.table} {entry.row_id}]"]
        if reason:
            lines.append(f"    reason: {reason}")
        return lines
    lines = [head + f"{entry.op} {entry.table} {entry.row_id}"]
    for field in sorted(entry.changes):
        old, new = entry.changes[field]
        lines.append(f"    {field}: {show_value(old)} → {show_value(new)}")
    if reason:
        lines.append(f"    reason: {reason}")
    return lines


def history(
    ctx: typer.Context,
    entity: Annotated[
        str | None,
        typer.Argument(help="Kind of record (contact, pilot, action, ...); all when omitted."),
    ] = None,
    row_id: Annotated[
        int | None, typer.Argument(metavar="ID", help="One record's id; every record if omitted.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most rows to show.")] = 50,
    output: Annotated[
        HistoryFormat, typer.Option("--format", help="text for people, json for scripts.")
    ] = HistoryFormat.TEXT,
) -> None:
    """Show who changed what and when (UTC), from where, old → new, and why."""
    from pfpp_tui.store.db.changes import history_entries, record_history, undone_changes

    table = entity_table(entity) if entity is not None else None
    db = open_db_from_context(ctx)
    try:
        with db.read() as session:
            if table is not None and row_id is not None:
                entries = record_history(session, table=table, row_id=row_id, limit=limit)
            else:
                entries = history_entries(session, table=table, row_id=row_id, limit=limit)
            undone = undone_changes(session, entries)
    finally:
        db.dispose()
    if output is HistoryFormat.JSON:
        typer.echo(
            json_safe(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2))
        )
        return
    if not entries:
        what = " ".join(str(p) for p in (table, row_id) if p is not None) or "this database"
        typer.echo(f"No history for {what}.")
        return
    for entry in entries:
        lines = format_entry(entry, undone)
        typer.echo("\n".join(terminal_safe(line, single_line=True) for line in lines))
