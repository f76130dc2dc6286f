"""Importing funding flows: match names, plan every row, then write all of it or nothing.

Owns: turning parsed ``FundingRow`` values into flows — the pilot by name and the source
organisation by name, short name or former name (``store.directory.workflow_lookup``), so "DLUHC" or
"BEIS" in an old spreadsheet still lands on today's department — and deciding per row: add,
update (same pilot, source, pot and year with a new amount or outcome) or unchanged. The rules
are the contact import's: every row is checked before anything is written; one refused row
and nothing is written; a dry run plans in a read transaction and writes nothing at all;
history rows carry source ``import`` and one batch. Must not parse files or print.

Planning reads the pilots and organisations (short lists) and, of the flows, only those of
the file's pilots in the file's years (never every flow), in a read transaction. The write is
``store.imports.bulk_import.publish``: short steps under one import record, so an editor is never
kept waiting, and all of it or nothing even after a kill.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from pfpp_tui.errors import NotFoundError
from pfpp_tui.importers.base import RowError
from pfpp_tui.importers.funding_csv import FundingRow, ParsedFunding
from pfpp_tui.models import FundingFlow
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import organisation_by_name, pilot_by_name
from pfpp_tui.store.imports import bulk_import

_Key = tuple[int, int | None, str, str]


@dataclass(slots=True)
class FundingImportPlan:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # What to write, in file order (``bulk_import.Write``: an existing flow's id, or None).
    writes: list[bulk_import.Write] = field(default_factory=list)
    mark: int = 0  # the newest history id when planned

    @property
    def refused(self) -> int:
        return len({e.line for e in self.errors})


def _key(pilot_id: int, source_id: int | None, pot: str, year: str) -> _Key:
    return (pilot_id, source_id, " ".join(pot.casefold().split()), year)


def _match(
    session: Session, row: FundingRow, file: str, cache: dict[tuple[str, str], int | str]
) -> tuple[int, int | None] | list[RowError]:
    errors: list[RowError] = []
    found: list[int | None] = []
    for what, text in (("pilot", row.pilot), ("source_organisation", row.source_organisation)):
        if what == "source_organisation" and not text:
            found.append(None)
            continue
        if (what, text.casefold()) not in cache:
            try:
                named = (
                    pilot_by_name(session, text)
                    if what == "pilot"
                    else organisation_by_name(session, text)
                )
                cache[(what, text.casefold())] = named.id
            except NotFoundError as exc:
                cache[(what, text.casefold())] = str(exc)
        hit = cache[(what, text.casefold())]
        if isinstance(hit, str):
            errors.append(RowError(file, row.line, what, hit))
        else:
            found.append(hit)
    if errors:
        return errors
    pilot_id = found[0]
    assert pilot_id is not None
    return pilot_id, found[1]


def plan_funding(session: Session, parsed: ParsedFunding) -> FundingImportPlan:
    plan = FundingImportPlan(parsed.file, errors=list(parsed.errors))
    plan.mark = bulk_import.history_mark(session)
    cache: dict[tuple[str, str], int | str] = {}
    matched_rows: list[tuple[FundingRow, int, int | None]] = []
    for line, pilot, source in parsed.refused_names:
        probe = FundingRow(line, pilot or "?", source, "?", 0, "?")
        found = _match(session, probe, parsed.file, cache)
        if isinstance(found, list):
            plan.errors.extend(e for e in found if pilot or e.field != "pilot")
    for row in parsed.rows:
        matched = _match(session, row, parsed.file, cache)
        if isinstance(matched, list):
            plan.errors.extend(matched)
            continue
        matched_rows.append((row, *matched))
    existing = _existing(session, {(p, s, r.financial_year) for r, p, s in matched_rows})
    seen: dict[_Key, int] = {}
    for row, pilot_id, source_id in matched_rows:
        key = _key(pilot_id, source_id, row.pot, row.financial_year)
        if key in seen:
            plan.errors.append(
                RowError(
                    parsed.file,
                    row.line,
                    "pot",
                    f"same pilot, source, pot and year as line {seen[key]}",
                )
            )
            continue
        seen[key] = row.line
        values: dict[str, Any] = {
            "pilot_id": pilot_id,
            "source_organisation_id": source_id,
            "pot": row.pot,
            "amount_gbp": row.amount_gbp,
            "financial_year": row.financial_year,
            "outcome": row.outcome,
        }
        old = existing.get(key)
        if old is None:
            plan.added += 1
            plan.writes.append(bulk_import.Write(None, values))
        elif (old.amount_gbp, old.outcome) == (row.amount_gbp, row.outcome):
            plan.unchanged += 1
        else:
            plan.updated += 1
            change = {"amount_gbp": row.amount_gbp, "outcome": row.outcome}
            plan.writes.append(bulk_import.Write(old.id, change, old.version))
    plan.errors.sort(key=lambda e: e.line)
    return plan


_IN_CHUNK = 300  # (pilot, year) pairs per query: under every engine's parameter limits


def _existing(
    session: Session, triples: Iterable[tuple[int, int | None, str]]
) -> dict[_Key, FundingFlow]:
    """The stored flows the file can match, by key: those of its (pilot, year) pairs, found
    through the pilot index -- a pilot's own flows, never every flow."""
    wanted = sorted({(pilot_id, year) for pilot_id, _source, year in triples})
    found: dict[_Key, FundingFlow] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        conditions = [
            and_(col(FundingFlow.pilot_id) == pilot_id, col(FundingFlow.financial_year) == year)
            for pilot_id, year in wanted[start : start + _IN_CHUNK]
        ]
        for flow in session.exec(select(FundingFlow).where(or_(*conditions))):
            key = _key(flow.pilot_id, flow.source_organisation_id, flow.pot, flow.financial_year)
            found[key] = flow
    return found


# What a funding plan reads: a change to any of these after planning means plan again.
DEPENDS_ON = ("funding_flow", "pilot", "organisation", "organisation_former_name")


def _sha256(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def import_funding(
    db: Database, parsed: ParsedFunding, *, dry_run: bool = False
) -> FundingImportPlan:
    """Plan every row (a read); unless refused or a dry run, write them all in short steps
    under one import record (``store.imports.bulk_import``): all of it or nothing."""
    if dry_run:
        with db.read() as session:
            return plan_funding(session, parsed)
    bulk_import.recover_all(db)
    reason = f"import {parsed.file}"

    def plan_and_write() -> FundingImportPlan:
        with db.read() as session:
            plan = plan_funding(session, parsed)
        if plan.errors or not plan.writes:
            return plan
        bulk_import.publish(
            db,
            "funding_flow",
            plan.writes,
            mark=plan.mark,
            depends_on=DEPENDS_ON,
            batch=str(uuid.uuid4()),
            files=[
                {
                    "name": Path(parsed.file).name,
                    "sha256": _sha256(parsed.file),
                    "added": plan.added,
                    "updated": plan.updated,
                    "unchanged": plan.unchanged,
                }
            ],
            reason=reason,
        )
        return plan

    return bulk_import.until_not_overtaken(plan_and_write, what="funding flows")
