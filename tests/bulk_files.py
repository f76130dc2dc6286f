"""Big funding and assessment files, and the pilots and organisations they name.

Shared by the tests that run ``pfpp import funding`` / ``pfpp import assessments`` as the bulk
writer (``tests/store/test_two_writers.py``, ``tests/cli/test_crash_bulk_import.py``).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record

PILOTS = 20
SOURCES = 10
ASSESSMENT_HEADER = (
    "pilot", "assessed_on", "assessor_email", "assessor_name", "history_rating", "history_note",
    "attitudes_rating", "attitudes_note", "vcs_rating", "vcs_note", "capacity_rating",
    "capacity_note",
)  # fmt: skip


def seed_places(db: Database) -> None:
    """The pilots (``Place 0`` ...) and funding sources (``Department 0`` ...) the files name."""
    for n in range(PILOTS):
        create_record(db, table="pilot", values={"name": f"Place {n}"}, source=ChangeSource.CLI)
    for n in range(SOURCES):
        create_record(db, table="organisation", values={"name": f"Department {n}"},
                      source=ChangeSource.CLI)  # fmt: skip


def write_funding_csv(path: Path, rows: int, *, amount: int = 1000) -> None:
    """``rows`` distinct flows (pilot, source, pot, year), every one new to the database."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["pilot", "source_organisation", "pot", "amount_gbp", "financial_year",
                      "outcome"])  # fmt: skip
        for n in range(rows):
            year = 2000 + n % 25
            out.writerow([f"Place {n % PILOTS}", f"Department {n % SOURCES}", f"Pot {n}",
                          amount + n % 100, f"{year}-{(year + 1) % 100:02d}",
                          "More homes warmed" if n % 3 == 0 else ""])  # fmt: skip


def write_assessments_csv(path: Path, rows: int, *, rating: int = 3) -> None:
    """``rows`` assessments, one per pilot and day (a day each, back from 2020-01-01)."""
    start = date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(ASSESSMENT_HEADER)
        for n in range(rows):
            day = start - timedelta(days=n // PILOTS)
            out.writerow([f"Place {n % PILOTS}", day.isoformat(), "", "A. Assessor",
                          rating, "h", rating, "a", rating, "v", rating, "c"])  # fmt: skip
