"""Importing funding flows: match names, plan every row, then write all of it or nothing.

Owns: turning parsed ``FundingRow`` values into flows — the pilot by name and the source
organisation by name, short name or former name (``store.workflow_lookup``), so "DLUHC" or
"BEIS" in an old spreadsheet still lands on today's department — and deciding per row: add,
update (same pilot, source, pot and year with a new amount or outcome) or unchanged. The rules
are the contact import's: every row is checked before anything is written; one refused row
and nothing is written; a dry run plans in a read transaction and writes nothing at all;
history rows carry source ``import`` and one batch. Must not parse files or print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, select

from pfpp_tui.errors import NotFoundError
from pfpp_tui.importers.base import RowError
from pfpp_tui.importers.funding_csv import FundingRow, ParsedFunding
from pfpp_tui.models import ChangeSource, FundingFlow
from pfpp_tui.store.database import Database
from pfpp_tui.store.records import insert_row, update_row
from pfpp_tui.store.workflow_lookup import organisation_by_name, pilot_by_name

_Key = tuple[int, int | None, str, str]


@dataclass(slots=True)
class FundingImportPlan:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # (existing flow id or None to add, values) in file order.
    writes: list[tuple[int | None, dict[str, Any]]] = field(default_factory=list)

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
    existing: dict[_Key, FundingFlow] = {
        _key(f.pilot_id, f.source_organisation_id, f.pot, f.financial_year): f
        for f in session.exec(select(FundingFlow))
    }
    seen: dict[_Key, int] = {}
    cache: dict[tuple[str, str], int | str] = {}
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
        pilot_id, source_id = matched
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
            plan.writes.append((None, values))
        elif (old.amount_gbp, old.outcome) == (row.amount_gbp, row.outcome):
            plan.unchanged += 1
        else:
            plan.updated += 1
            plan.writes.append((old.id, {"amount_gbp": row.amount_gbp, "outcome": row.outcome}))
    plan.errors.sort(key=lambda e: e.line)
    return plan


def import_funding(
    db: Database, parsed: ParsedFunding, *, dry_run: bool = False
) -> FundingImportPlan:
    """Plan every row; write them all (one transaction) unless refused or a dry run."""
    if dry_run:
        with db.read() as session:
            return plan_funding(session, parsed)
    with db.write(source=ChangeSource.IMPORT, reason=f"import {parsed.file}") as session:
        plan = plan_funding(session, parsed)
        if plan.errors:
            return plan  # nothing written: the write session only ever read
        for flow_id, values in plan.writes:
            if flow_id is None:
                insert_row(session, "funding_flow", values)
            else:
                update_row(session, "funding_flow", flow_id, values, reason=f"import {parsed.file}")
    return plan
