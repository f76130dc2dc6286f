"""Layout guards: a section with its detail pane, the new-record form and the key help.

Built on a database with fixed values and timestamps so the pictures never drift with the day.
Update after an intended layout change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import settle  # type: ignore[import-not-found]
from sqlmodel import SQLModel

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.database import open_database
from pfpp_tui.store.records import create_record
from pfpp_tui.tui.app import PfppApp

SIZE = (120, 32)
FIXED = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


@pytest.fixture
def fixed_db(tmp_path: Path) -> Path:
    path = tmp_path / "snap.db"
    db = open_database(path)
    lbc = {"name": "Luton Borough Council", "kind": "local_authority"}
    org = create_record(db, table="organisation", source=ChangeSource.SAMPLE, values=lbc)
    for name, stage, rag in (("Luton", "delivery", "amber"), ("Hackney", "discovery", "green")):
        create_record(db, table="pilot", source=ChangeSource.SAMPLE, values={
            "name": name, "stage": stage, "rag": rag, "start_date": date(2022, 1, 10),
            "lead_organisation_id": org.id if name == "Luton" else None,
            "local_challenge": f"{name}'s local challenge"})  # fmt: skip
    with db.engine.begin() as conn:
        for table in ("organisation", "pilot"):
            t = SQLModel.metadata.tables[table]
            conn.execute(t.update().values(created_at=FIXED, updated_at=FIXED))
    db.dispose()
    return path


def _run(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_pilots_section_layout(snap_compare: Any, fixed_db: Path) -> None:
    assert snap_compare(PfppApp(str(fixed_db)), terminal_size=SIZE, run_before=_run("1"))


def test_new_pilot_form_layout(snap_compare: Any, fixed_db: Path) -> None:
    assert snap_compare(PfppApp(str(fixed_db)), terminal_size=SIZE, run_before=_run("1", "n"))


def test_help_layout(snap_compare: Any, fixed_db: Path) -> None:
    assert snap_compare(PfppApp(str(fixed_db)), terminal_size=SIZE, run_before=_run("1", "?"))
