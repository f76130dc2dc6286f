"""Partnership assessments as CSV or JSON: the file ``pfpp import assessments`` reads back.

Owns the column layout (``ASSESSMENT_COLUMNS``, shared with the importer so an export always
re-imports unchanged) and the bytes: CSV is UTF-8 with a BOM and formula-neutralised text cells
(unless ``raw``); JSON is a list of objects with the same keys. Pure: rows in, bytes out.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, BinaryIO

from pfpp_tui.exporters.csv_format import neutralise
from pfpp_tui.shapes.partnership import ASSESSMENT_COLUMNS, VARIABLES, Assessment
from pfpp_tui.text_safety import json_safe


class AssessmentFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


def assessment_record(item: Assessment) -> dict[str, Any]:
    """One assessment as the exported columns (assessor by e-mail: stable across databases)."""
    record: dict[str, Any] = {
        "pilot": item.pilot,
        "assessed_on": item.assessed_on.isoformat(),
        "assessor_email": item.assessor_email or "",
        "assessor_name": item.assessor_name or ("" if item.assessor_email else item.assessor),
    }
    for v in VARIABLES:
        record[f"{v}_rating"] = item.ratings[v]
        record[f"{v}_note"] = item.notes[v]
    return record


def write_assessments(
    items: Sequence[Assessment], out: BinaryIO, fmt: AssessmentFormat, *, raw: bool = False
) -> None:
    records = [assessment_record(item) for item in items]
    if fmt is AssessmentFormat.JSON:
        document = json_safe(json.dumps(records, ensure_ascii=False, indent=2))
        out.write(document.encode("utf-8") + b"\n")
        return
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(ASSESSMENT_COLUMNS)
    for record in records:
        writer.writerow(
            [
                value if raw or not isinstance(value, str) else neutralise(value)
                for value in (record[c] for c in ASSESSMENT_COLUMNS)
            ]
        )
    out.write(text.getvalue().encode("utf-8-sig"))
