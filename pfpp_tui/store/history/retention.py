"""Retention: ``pfpp purge --older-than 6y`` removes what the programme no longer needs to keep.

What counts as past retention (the period is measured back from now, UTC):

- **archived contacts** not changed since the cutoff — erased exactly as ``pfpp person erase``
  does (their actions and barriers keep ``[erased person]``; history scrubbed);
- **closed actions** (done or dropped) and **closed barriers** (resolved or accepted) not changed
  since the cutoff — deleted, with their history rows;
- **meetings** held before the cutoff that no remaining action or barrier points at — deleted
  with their attendance lists and history. A meeting an open action still refers to stays.

Never purged: organisations, teams, pilots and funding flows (the programme's own record, not
personal data), live contacts, open work. Rows deleted here leave no "delete" history carrying
their values (that would defeat the purpose); one summary history row per run records how many
of each kind went and why. Links from kept rows to purged ones are cleared through
``store.db.records`` so their versions and history stay right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select
from sqlmodel import Session, SQLModel

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.models import ChangeOp, ChangeSource, Contact
from pfpp_tui.store.db.changes import record_change
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import update_row
from pfpp_tui.store.db.written_files import WrittenCopy
from pfpp_tui.store.history.erasure import erase_in_session, reclaim_erased_space, scrub_copy
from pfpp_tui.store.history.person_mentions import find_mentions_of_many, table_of

CLOSED_ACTIONS = ("done", "dropped")
CLOSED_BARRIERS = ("resolved", "accepted")
_PERIOD = re.compile(r"^\s*(\d+)\s*([ymwd])\s*$", re.IGNORECASE)
_CHUNK = 500


def parse_period(text: str) -> relativedelta:
    """``6y``, ``18m``, ``8w``, ``90d`` → a period; anything else is a one-line error."""
    match = _PERIOD.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValidationFailedError(
            f"--older-than: {text!r} is not a period like 6y, 18m, 8w or 90d"
        )
    number, unit = int(match.group(1)), match.group(2).lower()
    return {
        "y": relativedelta(years=number),
        "m": relativedelta(months=number),
        "w": relativedelta(weeks=number),
        "d": relativedelta(days=number),
    }[unit]


@dataclass
class PurgePlan:
    cutoff: datetime
    contacts: list[int] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    barriers: list[int] = field(default_factory=list)
    meetings: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "archived contacts": len(self.contacts),
            "closed actions": len(self.actions),
            "closed barriers": len(self.barriers),
            "meetings": len(self.meetings),
        }

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def _ids(session: Session, stmt: Any) -> list[int]:
    return [int(row_id) for (row_id,) in session.execute(stmt)]


def plan_purge(session: Session, cutoff: datetime) -> PurgePlan:
    plan = PurgePlan(cutoff=cutoff)
    contact, action, barrier, meeting = (
        table_of(n) for n in ("contact", "action", "barrier", "meeting")
    )
    plan.contacts = _ids(
        session,
        select(contact.c.id)
        .where(contact.c.archived.is_(True), contact.c.updated_at < cutoff)
        .order_by(contact.c.id),
    )
    for t, closed, target in (
        (action, CLOSED_ACTIONS, plan.actions),
        (barrier, CLOSED_BARRIERS, plan.barriers),
    ):
        target.extend(
            _ids(
                session,
                select(t.c.id)
                .where(t.c.status.in_(closed), t.c.updated_at < cutoff)
                .order_by(t.c.id),
            )
        )
    kept_refs: set[int] = set()
    for t, gone in ((action, set(plan.actions)), (barrier, set(plan.barriers))):
        for row_id, meeting_id in session.execute(
            select(t.c.id, t.c.meeting_id).where(t.c.meeting_id.is_not(None))
        ):
            if row_id not in gone:
                kept_refs.add(int(meeting_id))
    naive_cutoff = cutoff.astimezone(UTC).replace(tzinfo=None)
    old_meetings = _ids(
        session,
        select(meeting.c.id).where(meeting.c.held_at < naive_cutoff).order_by(meeting.c.id),
    )
    plan.meetings = [m for m in old_meetings if m not in kept_refs]
    return plan


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def delete_rows(session: Session, table: str, ids: list[int]) -> int:
    """Delete rows and their history; clear links to them from kept rows through the store."""
    if not ids:
        return 0
    doomed = set(ids)
    for child in SQLModel.metadata.tables.values():
        for fk in child.foreign_keys:
            if fk.column.table.name != table:
                continue
            column = fk.parent
            for chunk in _chunks(ids):
                rows = session.execute(
                    select(child.c.id).where(column.in_(chunk)).order_by(child.c.id)
                ).all()
                child_ids = [int(r[0]) for r in rows]
                if child.name == table:
                    child_ids = [c for c in child_ids if c not in doomed]
                if (fk.ondelete or "").upper() == "CASCADE":
                    delete_rows(session, child.name, child_ids)
                else:
                    for child_id in child_ids:
                        update_row(session, child.name, child_id, {column.name: None})
    t, change = table_of(table), table_of("change")
    for chunk in _chunks(ids):
        session.execute(delete(t).where(t.c.id.in_(chunk)))
        session.execute(
            delete(change).where(change.c.table_name == table, change.c.row_id.in_(chunk))
        )
    return len(ids)


def purge(
    db: Database,
    older_than: str,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    source: ChangeSource = ChangeSource.CLI,
) -> PurgePlan:
    """Remove (or with ``dry_run`` only count) what is past retention; returns the plan."""
    period = parse_period(older_than)
    cutoff = (now or datetime.now(UTC)) - period
    reason = f"retention: purge of records older than {older_than.strip()}"
    if dry_run:
        with db.read() as session:
            return plan_purge(session, cutoff)
    with db.write(source=source, reason=reason) as session:
        plan = plan_purge(session, cutoff)
        if plan.empty:
            return plan
        delete_rows(session, "action", plan.actions)
        delete_rows(session, "barrier", plan.barriers)
        delete_rows(session, "meeting", plan.meetings)
        # Every archived contact's mentions in one pass over the records and one over the
        # history (not a pass per contact), then each is erased.
        change = table_of("change")
        since = session.execute(select(func.max(change.c.id))).scalar() or 0
        people = [c for i in plan.contacts if (c := session.get(Contact, i)) is not None]
        found = find_mentions_of_many(session, people)
        for contact in people:
            assert contact.id is not None
            erase_in_session(session, contact, found=found[contact.id], since=since)
        record_change(
            session,
            table="retention",
            row_id=0,
            op=ChangeOp.DELETE,
            changes={kind: (count, 0) for kind, count in plan.counts().items() if count},
        )
    reclaim_erased_space(db)
    return plan


def purge_copy(copy: WrittenCopy, older_than: str, now: datetime) -> str:
    """Run the same purge (same cut-off) in a copy that is a pfpp database; one line."""

    def work(copy_db: Database) -> str:
        plan = purge(copy_db, older_than, now=now, source=ChangeSource.SYSTEM)
        if plan.empty:
            return "nothing past retention in it"
        return "purged there too: " + ", ".join(
            f"{n} {kind}" for kind, n in plan.counts().items() if n
        )

    return scrub_copy(copy, work)
