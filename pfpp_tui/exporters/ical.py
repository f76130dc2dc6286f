"""iCalendar export (RFC 5545): meetings as VEVENT, actions with a due date as VTODO.

Owns: the calendar shape and stable UIDs (``meeting-<id>@pfpp-tui``, ``action-<id>@pfpp-tui``)
with SEQUENCE from the record's version, so re-importing into a calendar updates entries
instead of duplicating them. Meeting times are floating (the wall-clock time typed in);
actions without a due date have no place in a calendar and are left out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO

from pfpp_tui.exporters.contentline import day_stamp, escape, lines, local_stamp, utc_stamp
from pfpp_tui.shapes.table import Entity, ExportTable, utc_datetime

PRODID = "-//pfpp-tui//Programme export//EN"
UID_DOMAIN = "pfpp-tui"
MEETING_LENGTH = timedelta(hours=1)
TODO_STATUS = {
    "open": "NEEDS-ACTION",
    "waiting": "NEEDS-ACTION",
    "blocked": "NEEDS-ACTION",
    "in_progress": "IN-PROCESS",
    "done": "COMPLETED",
    "dropped": "CANCELLED",
}
ICS_ENTITIES = frozenset({Entity.MEETINGS, Entity.ACTIONS})


def write(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        stream.write("BEGIN:VCALENDAR\r\n")
        stream.write(lines([("VERSION", "2.0"), ("PRODID", PRODID), ("CALSCALE", "GREGORIAN")]))
        for table in tables:
            if table.entity not in ICS_ENTITIES:
                raise ValueError("iCalendar export holds meetings and actions only")
            keys = table.keys
            render = event if table.entity is Entity.MEETINGS else todo
            for row in table.rows:
                stream.write(render(dict(zip(keys, row, strict=True))))
        stream.write("END:VCALENDAR\r\n")
        stream.flush()
    finally:
        stream.detach()


def _stamps(record: dict[str, Any]) -> list[tuple[str, str]]:
    updated = utc_datetime(record["updated_at"])
    return [
        ("DTSTAMP", utc_stamp(updated)),
        ("LAST-MODIFIED", utc_stamp(updated)),
        ("SEQUENCE", str(max(int(record.get("version") or 1) - 1, 0))),
    ]


def event(meeting: dict[str, Any]) -> str:
    held: datetime = meeting["held_at"]
    description = [meeting.get("notes") or ""]
    decisions = [d.strip() for d in (meeting.get("decisions") or "").splitlines() if d.strip()]
    if decisions:
        description.append("Decisions:\n" + "\n".join(f"- {d}" for d in decisions))
    if meeting.get("attendees"):
        description.append("Attendees: " + ", ".join(meeting["attendees"]))
    properties = [
        ("UID", f"meeting-{meeting['id']}@{UID_DOMAIN}"),
        *_stamps(meeting),
        ("DTSTART", local_stamp(held)),
        ("DTEND", local_stamp(held + MEETING_LENGTH)),
        ("SUMMARY", escape(meeting.get("title") or "")),
        ("LOCATION", escape(meeting.get("pilot") or "")),
        ("CATEGORIES", escape((meeting.get("kind") or "").replace("_", " "))),
        ("DESCRIPTION", escape("\n\n".join(part for part in description if part))),
    ]
    return "BEGIN:VEVENT\r\n" + lines(properties) + "END:VEVENT\r\n"


def todo(action: dict[str, Any]) -> str:
    due: date | None = action.get("due_date")
    if due is None:
        return ""
    details = [action.get("detail") or ""]
    for label, key in (("Owner", "owner"), ("Pilot", "pilot"), ("Barrier", "barrier")):
        if action.get(key):
            details.append(f"{label}: {action[key]}")
    completed: date | None = action.get("completed_on")
    properties = [
        ("UID", f"action-{action['id']}@{UID_DOMAIN}"),
        *_stamps(action),
        ("DUE;VALUE=DATE", day_stamp(due)),
        ("SUMMARY", escape(action.get("title") or "")),
        ("STATUS", TODO_STATUS.get(str(action.get("status")), "NEEDS-ACTION")),
        (
            "COMPLETED",
            utc_stamp(datetime(completed.year, completed.month, completed.day))
            if completed
            else "",
        ),
        ("CATEGORIES", escape(action.get("pilot") or "")),
        ("DESCRIPTION", escape("\n".join(part for part in details if part))),
    ]
    return "BEGIN:VTODO\r\n" + lines(properties) + "END:VTODO\r\n"
