"""The first frame's rows, read with plain ``sqlite3`` before SQLAlchemy and the models load.

Owns: ``read_first`` — for a SQLite file already at this version's schema, with no unfinished
import to take back, the rows the app's first screen shows: a section's first window in its
default order (as ``store.listing.browse.fetch_page`` gives it) or the overview's per-pilot rows (as
``store.insight.overview.programme_overview`` gives them). Loading SQLAlchemy, SQLModel and pydantic
took four fifths of a start (issue 19); the app now paints these rows first and opens the database
properly (``store.db.database.open_database``) right after.

Opened as ``open_database`` opens the file: nothing is written, created or migrated. Anything
else — a server URL, a missing file, another revision (the schema must move first), an
unfinished import, a lock, any error — answers None, and the app takes the usual path.
The SQL here mirrors ``store.listing.browse._source`` and ``store.insight.overview.pilot_rows``;
tests compare the two paths row for row on every section.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pfpp_tui.shapes.pilot_overview import PilotOverview
from pfpp_tui.store.db.schema_version import HEAD_REVISION
from pfpp_tui.store.db.sqlite_file import connect_uri, write_problem
from pfpp_tui.store.listing.sections import SECTIONS, BrowseRow, Page, cell_text, decorate
from pfpp_tui.vocabulary import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    PartnershipVariable,
    Severity,
)

# How long the first read waits on another program's lock before leaving it to the usual path.
BUSY_TIMEOUT_S = 0.05
READ_ONLY_ENV = "PFPP_READ_ONLY"  # as ``store.db.database`` reads it

_PERSON = "coalesce(nullif(trim({t}.first_name || ' ' || {t}.last_name), ''), {t}.email, '')"

# Per section: the FROM clause, the SQL of each column (in the section's column order), the
# ORDER BY of its default order and the "extra" value (archived, for people).
_SOURCES: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "pilots": (
        "pilot LEFT OUTER JOIN organisation AS lead ON lead.id = pilot.lead_organisation_id",
        ("pilot.name", "lead.name", "pilot.stage", "pilot.rag", "pilot.start_date",
         "pilot.end_date"),
        "pilot.name ASC NULLS LAST, pilot.id ASC",
        "NULL",
    ),
    "contacts": (
        "contact LEFT OUTER JOIN organisation AS o ON o.id = contact.organisation_id "
        "LEFT OUTER JOIN team AS t ON t.id = contact.team_id",
        (_PERSON.format(t="contact"), "coalesce(o.short_name, o.name)", "t.name",
         "contact.role", "contact.email",
         "(SELECT max(meeting.held_at) FROM meeting JOIN meeting_attendee"
         " ON meeting_attendee.meeting_id = meeting.id"
         " WHERE meeting_attendee.contact_id = contact.id)"),
        "contact.id DESC",
        "contact.archived",
    ),
    "organisations": (
        "organisation",
        ("organisation.name", "organisation.short_name", "organisation.kind",
         "(SELECT count(*) FROM team WHERE team.organisation_id = organisation.id)",
         "(SELECT count(*) FROM contact WHERE contact.organisation_id = organisation.id)"),
        "organisation.name ASC NULLS LAST, organisation.id ASC",
        "NULL",
    ),
    "teams": (
        "team JOIN organisation AS o ON o.id = team.organisation_id",
        ("team.name", "coalesce(o.short_name, o.name)", "team.directorate", "team.remit"),
        "team.name ASC NULLS LAST, team.id ASC",
        "NULL",
    ),
    "meetings": (
        "meeting LEFT OUTER JOIN pilot AS p ON p.id = meeting.pilot_id",
        ("meeting.held_at", "meeting.title", "meeting.kind", "p.name",
         "(SELECT count(*) FROM meeting_attendee"
         " WHERE meeting_attendee.meeting_id = meeting.id)"),
        "meeting.held_at DESC NULLS LAST, meeting.id DESC",
        "NULL",
    ),
    "actions": (
        "action LEFT OUTER JOIN contact AS owner ON owner.id = action.owner_id "
        "LEFT OUTER JOIN pilot AS p ON p.id = action.pilot_id",
        ("action.title", _PERSON.format(t="owner"), "p.name", "action.due_date",
         "action.status"),
        "action.id DESC",
        "NULL",
    ),
    "barriers": (
        "barrier LEFT OUTER JOIN pilot AS p ON p.id = barrier.pilot_id",
        ("barrier.title", "barrier.category", "barrier.severity", "barrier.status", "p.name",
         "barrier.raised_on"),
        "barrier.id DESC",
        "NULL",
    ),
}  # fmt: skip

# Columns stored as date and time ("2022-11-01 13:30:00.000000"): the cell shows minutes, as
# ``cell_text`` does for the ``datetime`` SQLAlchemy hands back.
_DATETIME_COLUMNS = frozenset({("meetings", "when")})


@dataclass(frozen=True, slots=True)
class FirstRows:
    """What the first screen shows: a section's first window, or the overview's pilots."""

    path: Path
    window: Page | None = None
    pilots: tuple[PilotOverview, ...] | None = None


def sqlite_file(location: str | Path | None) -> Path | None:
    """The SQLite file ``location`` names (``--db``, else ``PFPP_DB``, else the default), if it
    is a plain path to an existing file; None for a URL or anything else."""
    from pfpp_tui.paths import default_database_path

    raw: str | Path
    if location is not None and str(location) != "":
        raw = location
    elif os.environ.get("PFPP_DB"):
        raw = os.environ["PFPP_DB"]
    else:
        raw = default_database_path()
    if "://" in str(raw):
        return None
    path = Path(raw).expanduser().absolute()
    return path if path.is_file() else None


def read_first(
    location: str | Path | None, section: str, *, limit: int, today: date | None = None
) -> FirstRows | None:
    """The first screen's rows (``section``: a ``SECTIONS`` key or "overview"), or None when
    the usual path must open the database first (see the module's docstring)."""
    if section != "overview" and section not in SECTIONS:
        return None
    path = sqlite_file(location)
    if path is None:
        return None
    day = today or date.today()
    # Opened as ``open_database`` opens it (``sqlite_file.connect_uri``): read-write when this
    # user may write it, so that closing leaves no -wal/-shm behind; else read-only, and
    # immutable when a WAL file is not in use, creating nothing. Reading changes no byte.
    read_only = os.environ.get(READ_ONLY_ENV, "") not in ("", "0") or write_problem(path)
    try:
        conn = sqlite3.connect(
            connect_uri(path, read_only=bool(read_only)), uri=True, timeout=BUSY_TIMEOUT_S
        )
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # one consistent picture, as the ORM path's one read
        if not _current(conn):
            return None
        if section == "overview":
            return FirstRows(path, pilots=overview_pilots(conn, day))
        return FirstRows(path, window=first_window(conn, section, limit=limit, today=day))
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _current(conn: sqlite3.Connection) -> bool:
    """At this version's revision, with no import left unfinished (``open_database`` settles)."""
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or row[0] != HEAD_REVISION:
        return False
    pending = conn.execute("SELECT 1 FROM import_batch WHERE state <> 'done' LIMIT 1")
    return pending.fetchone() is None


def first_window(conn: sqlite3.Connection, key: str, *, limit: int, today: date) -> Page:
    """``fetch_page(db, key, limit=limit)``: the first window in the section's default order."""
    section = SECTIONS[key]
    frm, columns, order, extra = _SOURCES[key]
    base = section.table
    sql = (
        f"SELECT {base}.id, {extra}, {', '.join(columns)} FROM {frm} "
        f"ORDER BY {order} LIMIT ? OFFSET 0"
    )
    keys = [c.key for c in section.columns]
    rows = []
    for raw in conn.execute(sql, (limit,)):
        values = dict(zip(keys, raw[2:], strict=True))
        for column in keys:
            if (key, column) in _DATETIME_COLUMNS and isinstance(values[column], str):
                values[column] = values[column][:16]
        cells = [
            values[k] if (key, k) in _DATETIME_COLUMNS else cell_text(values[k], k, base)
            for k in keys
        ]
        cells = ["" if c is None else str(c) for c in cells]
        decorate(section, cells, values, raw[1], today)
        rows.append(BrowseRow(int(raw[0]), tuple(cells)))
    return Page(0, tuple(rows))


def overview_pilots(conn: sqlite3.Connection, today: date) -> tuple[PilotOverview, ...]:
    """``programme_overview(db).pilots``: every pilot by name, with its partnership total."""
    open_actions = sorted(str(s) for s in OPEN_ACTION_STATUSES)
    open_barriers = sorted(str(s) for s in OPEN_BARRIER_STATUSES)
    a_marks = ", ".join("?" * len(open_actions))
    actions = {
        pid: (int(n_open), int(n_overdue))
        for pid, n_open, n_overdue in conn.execute(
            f"SELECT pilot_id, count(CASE WHEN status IN ({a_marks}) THEN 1 END), "
            f"count(CASE WHEN status IN ({a_marks}) AND due_date < ? THEN 1 END) "
            "FROM action WHERE pilot_id IS NOT NULL GROUP BY pilot_id",
            (*open_actions, *open_actions, today.isoformat()),
        )
    }
    barriers: dict[int, dict[str, int]] = {}
    b_marks = ", ".join("?" * len(open_barriers))
    for pid, severity, n in conn.execute(
        "SELECT pilot_id, severity, count(*) FROM barrier "
        f"WHERE pilot_id IS NOT NULL AND status IN ({b_marks}) GROUP BY pilot_id, severity",
        open_barriers,
    ):
        barriers.setdefault(pid, {})[str(severity)] = int(n)
    end = f"{(today + timedelta(days=1)).isoformat()} 00:00:00.000000"
    last = {
        pid: date.fromisoformat(str(held)[:10])
        for pid, held in conn.execute(
            "SELECT pilot_id, max(held_at) FROM meeting "
            "WHERE pilot_id IS NOT NULL AND held_at < ? GROUP BY pilot_id",
            (end,),
        )
    }
    ratings = ", ".join(f"a.{v.value}_rating" for v in PartnershipVariable)
    totals: dict[int, int] = {}
    for pid, *scores in conn.execute(
        f"SELECT a.pilot_id, {ratings} FROM partnership_assessment AS a "
        "JOIN pilot ON pilot.id = a.pilot_id ORDER BY pilot.name, a.assessed_on"
    ):
        totals[pid] = sum(int(score) for score in scores)  # the latest, by date, wins
    severities = [str(s) for s in Severity]
    rows = []
    for pid, name, rag, stage in conn.execute(
        "SELECT id, name, rag, stage FROM pilot ORDER BY name"
    ):
        open_n, overdue_n = actions.get(pid, (0, 0))
        held = last.get(pid)
        rows.append(
            PilotOverview(
                pilot_id=int(pid),
                name=str(name),
                rag=str(rag),
                stage=str(stage),
                open_actions=open_n,
                overdue_actions=overdue_n,
                open_barriers={s: barriers.get(pid, {}).get(s, 0) for s in severities},
                last_meeting=held,
                days_since_meeting=(today - held).days if held is not None else None,
                partnership_total=totals.get(pid),
            )
        )
    return tuple(rows)
