"""Read a partnership-assessments CSV into plain records, never raising on bad input.

Pure: bytes in, ``AssessmentRecord``s and ``RowError``s out (``FILE:LINE: field: problem``,
the header being line 1). Checks what the file alone can tell -- the header, dates, whole-number
ratings -- and leaves names (pilot, assessor) and the rules (1-5, not in the future) to
``store.imports.assessment_import``. Columns are those ``exporters.assessments`` writes, so an
export always re-imports; a leading ``'`` that export added against spreadsheet formulas is dropped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pfpp_tui.importers.base import RowError
from pfpp_tui.rules import FORMULA_TRIGGERS
from pfpp_tui.shapes.partnership import ASSESSMENT_COLUMNS
from pfpp_tui.text_safety import control_character
from pfpp_tui.words import noun_for

REQUIRED = ("pilot", "assessed_on", "history_rating", "attitudes_rating", "vcs_rating",
            "capacity_rating")  # fmt: skip


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    line: int
    pilot: str
    assessed_on: date
    assessor_email: str
    assessor_name: str
    ratings: dict[str, int]
    notes: dict[str, str]


@dataclass
class ParsedAssessments:
    path: Path
    records: list[AssessmentRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _clean(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def read_assessments(path: Path, data: bytes | None = None) -> ParsedAssessments:
    result = ParsedAssessments(path)
    name = str(path)
    try:
        raw = path.read_bytes() if data is None else data
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(RowError(name, 1, "file", f"not UTF-8 text ({exc.reason})"))
        return result
    except OSError as exc:
        result.errors.append(RowError(name, 1, "file", exc.strerror or str(exc)))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        result.errors.append(RowError(name, 1, "file", "empty file (expected a header row)"))
        return result
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append(
            RowError(
                name,
                1,
                "header",
                f"missing {noun_for(len(missing), 'column')} {', '.join(missing)}",
            )
        )
        return result
    unknown = [h for h in header if h and h not in ASSESSMENT_COLUMNS]
    if unknown:
        result.errors.append(
            RowError(
                name,
                1,
                "header",
                f"unknown {noun_for(len(unknown), 'column')} {', '.join(unknown)}",
            )
        )
        return result
    last = reader.line_num
    for row in reader:
        line, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {h: _clean(row[i]) if i < len(row) else "" for i, h in enumerate(header)}
        record = _record(name, line, values, result.errors)
        if record is not None:
            result.records.append(record)
    return result


def _record(
    name: str, line: int, values: dict[str, str], errors: list[RowError]
) -> AssessmentRecord | None:
    problems: list[RowError] = []
    for column, value in values.items():
        found = control_character(value, multi_line=column.endswith("_note"))
        if found is not None:
            problems.append(RowError(name, line, column, f"contains a control character ({found})"))
    try:
        day = date.fromisoformat(values["assessed_on"])
    except ValueError:
        problems.append(
            RowError(
                name, line, "assessed_on", f"{values['assessed_on']!r} is not a YYYY-MM-DD date"
            )
        )
        day = date.min
    if not values["pilot"]:
        problems.append(RowError(name, line, "pilot", "missing"))
    ratings: dict[str, int] = {}
    for column in REQUIRED[2:]:
        variable = column.removesuffix("_rating")
        try:
            ratings[variable] = int(values[column])
        except ValueError:
            problems.append(
                RowError(name, line, column, f"{values[column]!r} is not a whole number")
            )
    if problems:
        errors.extend(problems)
        return None
    return AssessmentRecord(
        line=line,
        pilot=values["pilot"],
        assessed_on=day,
        assessor_email=values.get("assessor_email", ""),
        assessor_name=values.get("assessor_name", ""),
        ratings=ratings,
        notes={v: values.get(f"{v}_note", "") for v in ratings},
    )
