"""``pfpp import assessments``: give read records their meaning, then write all or nothing.

Owns resolving each record's pilot (by name, as ``pilot_by_name``) and assessor (a contact by
e-mail, else a free-text name), and mapping every refusal back to ``FILE:LINE: field: problem``.
Writing is ``store.partnership_health.save_assessments`` (one transaction; any refusal or a dry
run rolls it back, so the database is left byte-for-byte as it was). Never raises on bad rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pfpp_tui.errors import NotFoundError
from pfpp_tui.importers.assessments_csv import ParsedAssessments
from pfpp_tui.importers.base import RowError
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.database import Database
from pfpp_tui.store.partnership_health import save_assessments
from pfpp_tui.store.workflow_lookup import contacts_by_email, pilot_by_name


@dataclass
class AssessmentImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len({(e.file, e.line) for e in self.errors})


def import_assessments(
    db: Database, parsed: ParsedAssessments, *, dry_run: bool = False, today: date | None = None
) -> AssessmentImport:
    result = AssessmentImport(errors=list(parsed.errors))
    name = str(parsed.path)
    values: list[dict[str, Any]] = []
    lines: list[int] = []
    with db.read() as session:
        for record in parsed.records:
            try:
                pilot_id = pilot_by_name(session, record.pilot).id
            except NotFoundError as exc:
                result.errors.append(RowError(name, record.line, "pilot", str(exc)))
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
    plan = save_assessments(
        db,
        values,
        source=ChangeSource.IMPORT,
        dry_run=dry_run or bool(result.errors),
        today=today,
    )
    for index, column, problem in plan.refused:
        result.errors.append(RowError(name, lines[index], column, problem))
    result.errors.sort(key=lambda e: (e.line, e.field))
    # With refusals nothing was written; the counts say what the good rows would have done.
    result.added, result.updated, result.unchanged = plan.added, plan.updated, plan.unchanged
    return result
