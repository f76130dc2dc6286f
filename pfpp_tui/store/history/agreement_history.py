"""Earlier versions of a pre-partnership agreement, rebuilt from the change history.

Owns ``agreement_versions``: today's rows are the newest version; undoing each save (one
history batch, covering the agreement row and its partner rows) in turn gives the one before
it. A state from before the history began (e.g. the sample's first draft) is the oldest
version. Read-only; returns plain values; must not import Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from pfpp_tui.models import Change
from pfpp_tui.shapes.partnership import AGREEMENT_FIELDS, Agreement
from pfpp_tui.store.db.changes import decode_changes
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.partnership import (
    AGREEMENT_TABLE,
    PARTNER_FIELDS,
    PARTNER_TABLE,
    build_agreement,
    current_rows,
    find_pilot,
)


@dataclass(frozen=True, slots=True)
class AgreementVersion:
    """One saved state of an agreement: number 1 is the oldest the history can rebuild."""

    number: int
    saved_at: datetime | None
    saved_by: str
    agreement: Agreement
    changed: tuple[str, ...] = field(default=())


# --- --------------------------------------------------------------------------


def agreement_versions(db: Database, pilot: int | str) -> list[AgreementVersion]:
    """Every saved state the history can rebuild, newest first (empty without an agreement).

    Today's rows are the newest version; undoing each save (one history batch) in turn gives
    the one before it. A state from before the history began (e.g. the sample's first draft)
    is the oldest version.
    """
    with db.read() as session:
        pilot_row = find_pilot(session, pilot)
        row, partners = current_rows(session, pilot_row)
        if row is None:
            return []
        assert row.id is not None
        values: dict[str, Any] = {name: getattr(row, name) for name in AGREEMENT_FIELDS}
        state: dict[int, dict[str, Any]] = {
            int(p.id or 0): {name: getattr(p, name) for name in PARTNER_FIELDS} for p in partners
        }
        changes = _agreement_changes(session, row.id)
        batches: list[list[Change]] = []
        for change in changes:  # newest first
            if batches and batches[-1][0].batch == change.batch and change.batch is not None:
                batches[-1].append(change)
            else:
                batches.append([change])
        snapshots: list[
            tuple[datetime | None, str, dict[str, Any], dict[int, dict[str, Any]], tuple[str, ...]]
        ] = []
        created = False
        for batch in batches:
            changed = _changed_fields(batch)
            snapshots.append((batch[0].at, batch[0].actor, dict(values), _copy(state), changed))
            for change in batch:  # undo newest-first within the batch too
                diff = decode_changes(change.changes)
                if change.table_name == AGREEMENT_TABLE:
                    if change.op == "create":
                        created = True
                    for name, (old, _new) in diff.items():
                        if name in AGREEMENT_FIELDS:
                            values[name] = old
                elif change.op == "create":
                    state.pop(change.row_id, None)
                elif change.op == "delete":
                    state[change.row_id] = {n: diff.get(n, (None, None))[0] for n in PARTNER_FIELDS}
                else:
                    for name, (old, _new) in diff.items():
                        if name in PARTNER_FIELDS and change.row_id in state:
                            state[change.row_id][name] = old
        if not created:
            snapshots.append((None, "", dict(values), _copy(state), ()))
        total = len(snapshots)
        result = []
        for index, (at, actor, vals, parts, changed) in enumerate(snapshots):
            ordered = [parts[k] for k in sorted(parts)]
            built = build_agreement(
                session,
                pilot_row,
                vals,
                ordered,
                row_id=row.id,
                version=total - index,
                updated_at=at,
            )
            result.append(AgreementVersion(total - index, at, actor, built, changed))
        return result


def _copy(state: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {k: dict(v) for k, v in state.items()}


def _changed_fields(batch: list[Change]) -> tuple[str, ...]:
    names: list[str] = []
    for change in batch:
        if change.table_name == PARTNER_TABLE:
            names.append("partners")
        else:
            names.extend(k for k in decode_changes(change.changes) if k in AGREEMENT_FIELDS)
    return tuple(dict.fromkeys(names))


def _agreement_changes(session: Session, agreement_id: int) -> list[Change]:
    """History rows of the agreement and of every partner row it ever had, newest first."""
    own = list(
        session.exec(
            select(Change).where(
                Change.table_name == AGREEMENT_TABLE, Change.row_id == agreement_id
            )
        )
    )
    partner_rows = list(session.exec(select(Change).where(Change.table_name == PARTNER_TABLE)))
    mine: set[int] = set()
    for change in partner_rows:
        diff = decode_changes(change.changes)
        if "agreement_id" in diff and agreement_id in diff["agreement_id"]:
            mine.add(change.row_id)
    rows = own + [c for c in partner_rows if c.row_id in mine]
    rows.sort(key=lambda c: int(c.id or 0), reverse=True)
    return rows
