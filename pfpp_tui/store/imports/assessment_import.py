"""``pfpp import assessments``: give read records their meaning, then write all or nothing.

Owns resolving each record's pilot (by name, as ``pilot_by_name``; the pilots are read once)
and assessor (a contact by e-mail, else a free-text name), and mapping every refusal back to
``FILE:LINE: field: problem``. Planning is ``store.insight.partnership_health.plan_assessments`` in
a read transaction (each record's pilot, assessor and same-day assessment by key, never every
assessment); any refusal or a dry run and nothing is written, the database left byte-for-byte
as it was. The write is ``store.imports.bulk_import.publish``: short steps under one import record,
so an editor is never kept waiting, all of it or nothing even after a kill. Never raises on bad
rows.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from pfpp_tui.errors import NotFoundError
from pfpp_tui.importers.assessments_csv import ParsedAssessments
from pfpp_tui.importers.base import RowError
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import contacts_by_email, pilot_by_name
from pfpp_tui.store.imports import bulk_import
from pfpp_tui.store.insight.partnership_health import ASSESSMENT_TABLE, plan_assessments


@dataclass
class AssessmentImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len({(e.file, e.line) for e in self.errors})


# What an assessment plan reads: a change to any of these after planning means plan again.
# (Not contacts: editors save them all day. An assessor deleted meanwhile fails its row's
# foreign key, and the import is taken back and refused.)
DEPENDS_ON = (ASSESSMENT_TABLE, "pilot")


def import_assessments(
    db: Database, parsed: ParsedAssessments, *, dry_run: bool = False, today: date | None = None
) -> AssessmentImport:
    day = today or date.today()
    if not dry_run:
        bulk_import.recover_all(db)

    def plan_and_write() -> AssessmentImport:
        with db.read() as session:
            mark = bulk_import.history_mark(session)
            result, writes = _plan(session, parsed, day)
        if dry_run or result.errors or not writes:
            return result
        bulk_import.publish(
            db,
            ASSESSMENT_TABLE,
            writes,
            mark=mark,
            depends_on=DEPENDS_ON,
            batch=str(uuid.uuid4()),
            files=[
                {
                    "name": parsed.path.name,
                    "sha256": _sha256(parsed),
                    "added": result.added,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            ],
            reason=f"import {parsed.path.name}",
        )
        return result

    return bulk_import.until_not_overtaken(plan_and_write, what="assessments")


def _sha256(parsed: ParsedAssessments) -> str:
    try:
        return hashlib.sha256(parsed.path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _plan(
    session: Session, parsed: ParsedAssessments, today: date
) -> tuple[AssessmentImport, list[bulk_import.Write]]:
    result = AssessmentImport(errors=list(parsed.errors))
    name = str(parsed.path)
    values: list[dict[str, Any]] = []
    lines: list[int] = []
    pilots: dict[str, int | str] = {}  # name -> id, or why not: the pilots are read once each
    for record in parsed.records:
        if record.pilot not in pilots:
            try:
                pilots[record.pilot] = pilot_by_name(session, record.pilot).id
            except NotFoundError as exc:
                pilots[record.pilot] = str(exc)
        pilot_id = pilots[record.pilot]
        if isinstance(pilot_id, str):
            result.errors.append(RowError(name, record.line, "pilot", pilot_id))
            continue
        assessor_id: int | None = None
        if record.assessor_email:
            try:
                assessor_id = contacts_by_email(session, [record.assessor_email])[0].id
            except NotFoundError as exc:
                result.errors.append(RowError(name, record.line, "assessor_email", str(exc)))
                continue
        row: dict[str, Any] = {
            "pilot_id": pilot_id,
            "assessed_on": record.assessed_on,
            "assessor_id": assessor_id,
            "assessor_name": record.assessor_name,
        }
        for variable, rating in record.ratings.items():
            row[f"{variable}_rating"] = rating
            row[f"{variable}_note"] = record.notes.get(variable, "")
        values.append(row)
        lines.append(record.line)
    plan, planned = plan_assessments(session, values, today=today)
    for index, column, problem in plan.refused:
        result.errors.append(RowError(name, lines[index], column, problem))
    result.errors.sort(key=lambda e: (e.line, e.field))
    # With refusals nothing is written; the counts say what the good rows would have done.
    result.added, result.updated, result.unchanged = plan.added, plan.updated, plan.unchanged
    writes = [bulk_import.Write(row_id, data, version) for row_id, data, version in planned]
    return result, writes
