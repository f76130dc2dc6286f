"""Principle tags on barriers and actions: parse, read, replace, count, filter.

Owns the use cases behind ``pfpp principles``, ``pfpp report principles``, the barrier/action
form's principle tags (saved with the record in one transaction and history batch) and the SQL
for the ``principle:`` filter word. Every write goes through ``store.db.records`` inside
``Database.write`` (history included). Returns plain values and dataclasses; must not import
Textual. Partnership assessments live in ``store.insight.partnership_health``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlmodel import Session, col
from sqlmodel import select as sql_select

from pfpp_tui.models import (
    OPEN_ACTION_STATUSES,
    OPEN_BARRIER_STATUSES,
    Action,
    Barrier,
    ChangeSource,
    Pilot,
)
from pfpp_tui.models.partnership import ActionPrinciple, BarrierPrinciple, Principle
from pfpp_tui.shapes.partnership import PrincipleCounts
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import Record, delete_row, insert_row, to_record, update_row

PROGRAMME_WIDE = "Programme-wide"

# The link table, its name and its foreign-key column, per kind of tagged record.
_LINKS: dict[str, tuple[Any, str, str]] = {
    "barrier": (BarrierPrinciple, "barrier_principle", "barrier_id"),
    "action": (ActionPrinciple, "action_principle", "action_id"),
}


def parse_principle(text: str) -> Principle:
    """A principle by key or unique prefix ("trust", "prev"); ValueError naming the choices."""
    wanted = text.strip().lower()
    if wanted in Principle._value2member_map_:
        return Principle(wanted)
    matches = [p for p in Principle if p.value.startswith(wanted)] if wanted else []
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(p.value for p in Principle)
    raise ValueError(f"principle:{text} is not one of: {choices}")


def _ordered(principles: Iterable[Principle]) -> list[Principle]:
    return sorted(set(principles), key=list(Principle).index)


def principles_in(session: Session, *, kind: str, row_id: int) -> list[Principle]:
    """A barrier's or action's tags inside a session the caller holds, in the enum's order."""
    model, _, column = _LINKS[kind]
    stmt = sql_select(model).where(getattr(model, column) == row_id)
    return _ordered(Principle(r.principle) for r in session.exec(stmt))


def principles_of(db: Database, *, kind: str, row_id: int) -> list[Principle]:
    with db.read() as session:
        return principles_in(session, kind=kind, row_id=row_id)


def replace_principles(
    session: Session,
    *,
    kind: str,
    row_id: int,
    principles: Iterable[Principle],
    before: Iterable[Principle] | None = None,
) -> list[Principle]:
    """Make the tags ``principles`` inside the caller's write transaction (history rows kept).

    With ``before`` (the tags a form showed when it opened), only what the user changed since
    then is applied, so a tag someone else added or removed meanwhile is not undone silently.
    Returns the tags as stored.
    """
    model, table, column = _LINKS[kind]
    wanted = set(principles)
    current = {
        Principle(r.principle): int(r.id or 0)
        for r in session.exec(sql_select(model).where(getattr(model, column) == row_id))
    }
    if before is not None:
        shown = set(before)
        wanted = (set(current) - (shown - wanted)) | (wanted - shown)
    for principle, link_id in current.items():
        if principle not in wanted:
            delete_row(session, table, link_id)
    for principle in _ordered(wanted - set(current)):
        insert_row(session, table, {column: row_id, "principle": principle})
    return _ordered(wanted)


def set_principles(
    db: Database, *, kind: str, row_id: int, principles: Iterable[Principle], source: ChangeSource
) -> list[Principle]:
    """Make a barrier's or action's principle tags exactly ``principles`` (history kept)."""
    with db.write(source=source) as session:
        return replace_principles(session, kind=kind, row_id=row_id, principles=principles)


def save_tagged_in_batch(
    db: Database,
    *,
    table: str,
    values: Mapping[str, Any],
    principles: Iterable[Principle] | None,
    before: Iterable[Principle] | None = None,
    row_id: int | None = None,
    expected_version: int | None = None,
    batch: str,
    source: ChangeSource = ChangeSource.TUI,
) -> tuple[Record, list[Principle]]:
    """Create or update a barrier or action and its tags in one transaction and history batch.

    ``store.history.undo.save_in_batch`` with the tags added: a refused record (stale, invalid)
    leaves the tags untouched too, and ``undo_batch`` reverts both. ``principles`` None leaves the
    tags as they are. Returns the record and its tags as stored.
    """
    with db.write(source=source, batch=batch) as session:
        if row_id is None:
            record = to_record(table, insert_row(session, table, values))
        else:
            row = update_row(session, table, row_id, values, expected_version=expected_version)
            record = to_record(table, row)
        if principles is None:
            return record, principles_in(session, kind=table, row_id=record.id)
        saved = replace_principles(
            session, kind=table, row_id=record.id, principles=principles, before=before
        )
        return record, saved


def principle_counts(db: Database) -> PrincipleCounts:
    open_barriers = [s.value for s in OPEN_BARRIER_STATUSES]
    open_actions = [s.value for s in OPEN_ACTION_STATUSES]
    with db.read() as session:
        rows = session.execute(
            select(col(BarrierPrinciple.principle), col(Pilot.name), func.count())
            .select_from(BarrierPrinciple)
            .join(Barrier, col(Barrier.id) == BarrierPrinciple.barrier_id)
            .outerjoin(Pilot, col(Pilot.id) == Barrier.pilot_id)
            .where(col(Barrier.status).in_(open_barriers))
            .group_by(BarrierPrinciple.principle, Pilot.name)
        ).all()
        action_rows = session.execute(
            select(col(ActionPrinciple.principle), func.count())
            .join(Action, col(Action.id) == ActionPrinciple.action_id)
            .where(col(Action.status).in_(open_actions))
            .group_by(ActionPrinciple.principle)
        ).all()
        untagged = session.execute(
            select(func.count())
            .select_from(Barrier)
            .where(col(Barrier.status).in_(open_barriers))
            .where(~exists().where(col(BarrierPrinciple.barrier_id) == col(Barrier.id)))
        ).scalar_one()
    known = {p.value: p for p in Principle}
    unknown: dict[str, tuple[int, int]] = {}
    barriers = dict.fromkeys(Principle, 0)
    by_pilot: dict[str, dict[Principle, int]] = {}
    for value, pilot, count in rows:
        principle = known.get(str(value))
        if principle is None:
            seen = unknown.get(str(value), (0, 0))
            unknown[str(value)] = (seen[0] + int(count), seen[1])
            continue
        barriers[principle] += int(count)
        place = by_pilot.setdefault(pilot or PROGRAMME_WIDE, dict.fromkeys(Principle, 0))
        place[principle] += int(count)
    actions = dict.fromkeys(Principle, 0)
    for value, count in action_rows:
        principle = known.get(str(value))
        if principle is None:
            seen = unknown.get(str(value), (0, 0))
            unknown[str(value)] = (seen[0], seen[1] + int(count))
            continue
        actions[principle] = int(count)
    ordered = dict(sorted(by_pilot.items(), key=lambda kv: (kv[0] == PROGRAMME_WIDE, kv[0])))
    return PrincipleCounts(barriers, ordered, actions, int(untagged), dict(sorted(unknown.items())))


def principle_condition(kind: str, value: str) -> ColumnElement[bool]:
    """SQL for ``principle:VALUE`` on barriers or actions (``kind`` "barriers"/"actions").

    Raises ``ValueError`` with a one-line message for an unknown principle; the query module
    turns it into its ``QueryError``.
    """
    principle = parse_principle(value)
    singular = kind.removesuffix("s")
    model, _, column = _LINKS[singular]
    parent: Any = Barrier if singular == "barrier" else Action
    link = getattr(model, column)
    condition: ColumnElement[bool] = exists().where(
        link == parent.id, model.principle == principle.value
    )
    return condition


__all__ = [
    "PROGRAMME_WIDE",
    "PrincipleCounts",
    "parse_principle",
    "principle_condition",
    "principle_counts",
    "principles_in",
    "principles_of",
    "replace_principles",
    "save_tagged_in_batch",
    "set_principles",
]
