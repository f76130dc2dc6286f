"""A person's removed links, read back from the change history for ``pfpp person show``.

Owns ``removed_links``: the pilot memberships and meeting attendances of one contact that no
longer exist, with what they pointed at, when they went, who removed them and how. A subject
access report covers what was held, not only what is held now, and the history still holds
these rows' values. Read-only, and it reads the history's JSON in Python (SQL JSON functions
differ between SQLite and PostgreSQL), as ``store.db.changes`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, or_, select
from sqlmodel import Session, SQLModel

from pfpp_tui.models import Change, ChangeOp
from pfpp_tui.store.db.changes import decode_changes

_IN_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


@dataclass(frozen=True, slots=True)
class _LinkKind:
    """A link table whose removed rows are reported, and what its rows point at."""

    table: str  # "contact_pilot"
    target: str  # its column naming what the person was linked to: "pilot_id"
    target_table: str  # "pilot"
    fields: tuple[str, ...]  # the target's columns the report shows: ("name",)
    labels: tuple[str, ...]  # their keys in the report, as the current links use: ("pilot",)
    extra: tuple[str, ...] = ()  # the link row's own columns the report shows: ("role",)


LINK_KINDS = (
    _LinkKind("contact_pilot", "pilot_id", "pilot", ("name",), ("pilot",), ("role",)),
    _LinkKind(
        "meeting_attendee", "meeting_id", "meeting", ("held_at", "title"), ("held_at", "title")
    ),
)


@dataclass(frozen=True, slots=True)
class RemovedLinks:
    """Per link table, the report rows of removed links; and the history rows behind them."""

    rows: dict[str, list[dict[str, Any]]]
    change_ids: list[int]


@dataclass
class _Removal:
    """One time a link row stopped being this person's."""

    link_id: int
    values: dict[str, Any]  # the link row's values as they were
    how: str
    change: Change | None  # the history row that removed it; None when it went silently


def removed_links(session: Session, contact_id: int) -> RemovedLinks:
    """Pilot memberships and attendances of ``contact_id`` that are gone, oldest removal first.

    Each candidate link row's history is replayed in order (an update names only what
    changed, and a row id may be reused for someone else's link), so a row counts only while
    it was this person's. It stopped being theirs by being deleted ("deleted"), by pointing at
    someone else ("moved to another person"), or, with no history row of its own, by its pilot
    or meeting being deleted (``ON DELETE CASCADE``: "deleted with the pilot", dated by the
    pilot's deletion when the history has it). Each report row holds the keys of the current
    links' rows plus ``removed`` (always true), ``removed_at``, ``removed_by``, ``how`` and
    ``link_id``.
    """
    rows: dict[str, list[dict[str, Any]]] = {}
    change_ids: list[int] = []
    for kind in LINK_KINDS:
        removals = _removals(session, kind, contact_id, change_ids)
        found = _report_rows(session, kind, removals)
        found.sort(key=lambda r: (r["removed_at"] is None, str(r["removed_at"]), r["link_id"]))
        rows[kind.table] = found
    return RemovedLinks(rows, sorted(change_ids))


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _is(value: Any, row_id: int) -> bool:
    return value is not None and str(value) == str(row_id)


def _removals(
    session: Session, kind: _LinkKind, contact_id: int, change_ids: list[int]
) -> list[_Removal]:
    t, c = _table(kind.table), _table("change").c
    now = {r for (r,) in session.execute(select(t.c.id).where(t.c.contact_id == contact_id))}
    # A superset of the rows that were ever this person's: ``"contact_id": [<id>, …]`` or
    # ``[…, <id>]`` in the JSON as ``encode_changes`` writes it; the replay decides.
    old, new = f'"contact_id": [{contact_id}, ', f'%"contact_id": [%, {contact_id}]%'
    named = select(c.row_id).where(
        c.table_name == kind.table,
        or_(c.changes.contains(old, autoescape=True), c.changes.like(new)),
    )
    candidates = sorted({row_id for (row_id,) in session.execute(named)})
    history: dict[int, list[Change]] = {row_id: [] for row_id in candidates}
    for start in range(0, len(candidates), _IN_CHUNK):
        chunk = candidates[start : start + _IN_CHUNK]
        stmt = select(Change).where(c.table_name == kind.table, c.row_id.in_(chunk))
        for row in session.execute(stmt).scalars():
            history[row.row_id].append(row)
    found: list[_Removal] = []
    for row_id, changes in history.items():
        changes.sort(key=lambda r: r.id or 0)
        found.extend(_replay(kind, row_id, changes, contact_id, row_id in now, change_ids))
    return found


def _replay(
    kind: _LinkKind,
    row_id: int,
    changes: list[Change],
    contact_id: int,
    theirs_now: bool,
    change_ids: list[int],
) -> list[_Removal]:
    """Walk one link row's history; every time it stopped being ``contact_id``'s."""
    values: dict[str, Any] = {}
    owner: Any = None  # whose row it is after the change; unknown before the first
    found: list[_Removal] = []
    for change in changes:
        diff = decode_changes(change.changes)
        before = diff["contact_id"][0] if "contact_id" in diff else owner
        if change.op == ChangeOp.CREATE.value:
            before = None
        if change.op == ChangeOp.DELETE.value:
            values.update({k: old for k, (old, _) in diff.items()})
            owner = None
        else:
            values.update({k: new for k, (_, new) in diff.items()})
            owner = diff["contact_id"][1] if "contact_id" in diff else before
        if _is(before, contact_id) or _is(owner, contact_id):
            assert change.id is not None
            change_ids.append(change.id)
        if _is(before, contact_id) and not _is(owner, contact_id):
            how = "deleted" if change.op == ChangeOp.DELETE.value else "moved to another person"
            found.append(_Removal(row_id, dict(values), how, change))
    if _is(owner, contact_id) and not theirs_now:
        found.append(_Removal(row_id, dict(values), f"deleted with the {kind.target_table}", None))
    return found


def _report_rows(
    session: Session, kind: _LinkKind, removals: list[_Removal]
) -> list[dict[str, Any]]:
    """The report's rows: what each link pointed at, from its row or its deletion's history."""
    ids = sorted({int(r.values[kind.target]) for r in removals if r.values.get(kind.target)})
    target, c = _table(kind.target_table), _table("change").c
    known: dict[int, dict[str, Any]] = {}
    deleted: dict[int, Change] = {}
    stmt = select(target.c.id, *(target.c[f] for f in kind.fields)).where(target.c.id.in_(ids))
    for target_row in session.execute(stmt) if ids else ():
        known[int(target_row[0])] = dict(zip(kind.fields, target_row[1:], strict=True))
    gone = [i for i in ids if i not in known]
    if gone:  # the pilot or meeting itself is gone too: its deletion says what it was
        stmt = select(Change).where(
            c.table_name == kind.target_table, c.row_id.in_(gone), c.op == ChangeOp.DELETE.value
        )
        for deletion in session.execute(stmt).scalars():
            deleted[deletion.row_id] = deletion
            known[deletion.row_id] = {
                k: old for k, (old, _) in decode_changes(deletion.changes).items()
            }
    rows: list[dict[str, Any]] = []
    for removal in removals:
        target_id = removal.values.get(kind.target)
        about = known.get(int(target_id), {}) if target_id else {}
        change = removal.change or (deleted.get(int(target_id)) if target_id else None)
        row: dict[str, Any] = {kind.target: target_id}
        for label, column in zip(kind.labels, kind.fields, strict=True):
            value = about.get(column)
            if column == "held_at" and isinstance(value, str):
                value = datetime.fromisoformat(value)  # the history holds it as text
            row[label] = value
        row.update({name: removal.values.get(name) for name in kind.extra})
        row.update(
            removed=True,
            removed_at=change.at if change else None,
            removed_by=change.actor if change else None,
            how=removal.how,
            link_id=removal.link_id,
        )
        rows.append(row)
    return rows
