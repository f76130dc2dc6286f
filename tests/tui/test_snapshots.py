"""Layout guards: every section, the overview, triage, review, the meeting log and a record
form with an error, at 80x24 and 160x45; plus a section, the new-record form and the key help.

Built on a database with fixed values and timestamps so the pictures never drift with the day.
Update after an intended layout change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import settle  # type: ignore[import-not-found]
from sqlmodel import SQLModel
from textual.widgets import Input

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.records import create_record
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


# --- every screen at 80x24 and 160x45 (issue 16.5) ----------------------------------------------
# On a copy of sample.db named the same in every run, with the clock stopped at a fixed moment
# (time-machine: date.today() and datetime.now() in the app and the store), so ages, overdue marks
# and the meeting log's "when" never drift.
SIZES = [(80, 24), (160, 45)]
NOW = datetime(2023, 11, 10, 9, 30, tzinfo=ZoneInfo("UTC"))
LUTON = ("1", *["j"] * 7)  # pilots sorted by name: Luton is the eighth


@pytest.fixture
def sample_snap(sample_copy: Path) -> Path:
    target = sample_copy.with_name("demo.db")  # the overview shows the file's name
    sample_copy.rename(target)
    return target


def _sized(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _snap(snap_compare: Any, path: Path, size: tuple[int, int], run_before: Any) -> bool:
    with time_machine.travel(NOW, tick=False):
        return bool(snap_compare(PfppApp(str(path)), terminal_size=size, run_before=run_before))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
@pytest.mark.parametrize("key", list("0123456"))
def test_section_layout(
    snap_compare: Any, sample_snap: Path, key: str, size: tuple[int, int]
) -> None:
    assert _snap(snap_compare, sample_snap, size, _run(key))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_triage_layout(snap_compare: Any, sample_snap: Path, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, sample_snap, size, _run("6", "t"))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_review_layout(snap_compare: Any, sample_snap: Path, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, sample_snap, size, _run(*LUTON, "R", "j", "j", "j"))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_meeting_log_layout(snap_compare: Any, sample_snap: Path, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, sample_snap, size, _run(*LUTON, "m"))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_record_form_error_layout(
    snap_compare: Any, sample_snap: Path, size: tuple[int, int]
) -> None:
    """A new pilot whose end date does not parse: ctrl+s shows the error beside the field."""

    async def run_before(pilot: Any) -> None:
        await _run("1", "n")(pilot)
        form = pilot.app.screen
        form.query_one("#field-name", Input).value = "Sefton"
        form.query_one("#field-end_date", Input).value = "not a date"
        form.query_one("#field-name", Input).focus()
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        for field in form.query(Input):  # the cursor held on: a blinking one is drawn or
            field.cursor_blink = False  # not by the clock, and the picture differed
        await settle(pilot)

    assert _snap(snap_compare, sample_snap, size, run_before)


def test_overview_charts_layout(snap_compare: Any, sample_snap: Path) -> None:
    """At 80x24 the heat map and charts sit below the table, reached with pgdn or end."""
    assert _snap(snap_compare, sample_snap, (80, 24), _run("0", "end"))


@pytest.mark.parametrize("size", SIZES, ids=_sized)
def test_escalate_dialog_layout(
    snap_compare: Any, sample_snap: Path, size: tuple[int, int]
) -> None:
    """Barrier patterns, ``x``: the question names the group, its count and places in full."""

    async def run_before(pilot: Any) -> None:
        await _run("6")(pilot)
        from pfpp_tui.tui.screens.patterns import PatternsScreen

        pilot.app.push_screen(PatternsScreen(pilot.app.db))
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        for field in pilot.app.screen.query(Input):  # a blinking cursor is drawn or not by
            field.cursor_blink = False  # the clock: held on, the picture is the same each run
        await settle(pilot)

    assert _snap(snap_compare, sample_snap, size, run_before)
