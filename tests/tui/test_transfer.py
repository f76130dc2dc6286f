"""Palette export and the contact-import dialog: files written, rows stored, errors shown."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import func, select
from test_app import _palette  # type: ignore[import-not-found]
from textual.widgets import Button, Input, Static

from pfpp_tui.errors import FileWriteError
from pfpp_tui.exporters.base import ExportFormat
from pfpp_tui.models import Contact
from pfpp_tui.shapes.table import Entity
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.tui import transfer
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.dialogs import PromptScreen
from pfpp_tui.tui.screens.import_flow import ImportScreen


def _contacts(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(Contact)).one())


async def test_export_current_section_with_its_filter(
    seeded_path: tuple[Path, Seeded], tmp_path: Path
) -> None:
    target = tmp_path / "luton-people.csv"
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "slash", *"pilot:luton", "enter")
        await settle(pilot)
        await _palette(pilot, app, "Export: people as CSV")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig")))
    assert len(rows) == 2
    assert target.stat().st_mode & 0o777 == 0o600


async def test_import_contacts_dry_run_then_confirm(
    seeded_path: tuple[Path, Seeded], check_db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "First name,Last name,E-mail,Organisation\n"
        "Priya,Shah,priya.shah@dwp.example,Department for Work and Pensions\n"
        "Tom,Reid,tom.reid@luton.example,Luton Borough Council\n",
        encoding="utf-8",
    )
    before = _contacts(check_db)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await _palette(pilot, app, "Import: contacts")
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one(Input).value = str(source)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        summary = str(app.screen.query_one("#import-summary", Static).render())
        assert "would add 2, update 0" in summary and "would add 1 new organisation" in summary
        assert _contacts(check_db) == before  # a dry run writes nothing
        await pilot.press("y")
        await settle(pilot)
        summary = str(app.screen.query_one("#import-summary", Static).render())
        assert "2 added" in summary
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#records").total == before + 2  # type: ignore[attr-defined]
    assert _contacts(check_db) == before + 2


async def test_import_with_errors_imports_nothing(
    seeded_path: tuple[Path, Seeded], check_db: Database, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "First name,Last name,E-mail\nPriya,Shah,not-an-email\nTom,Reid,tom@luton.example\n",
        encoding="utf-8",
    )
    before = _contacts(check_db)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ImportScreen(source))
        await settle(pilot)
        summary = str(app.screen.query_one("#import-summary", Static).render())
        assert "bad.csv:2:" in summary and "Nothing will be imported" in summary
        assert app.screen.query_one("#import", Button).disabled
        await pilot.press("y")
        await settle(pilot)
    assert _contacts(check_db) == before


async def test_export_failure_names_the_file_not_a_temporary_one(
    seeded_path: tuple[Path, Seeded], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing" / "a.csv"
    notes: list[str] = []
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        notify = app.notify

        def noted(message: str, **kwargs: Any) -> None:
            notes.append(message)
            notify(message, **kwargs)

        monkeypatch.setattr(app, "notify", noted)
        await settle(pilot)
        await _palette(pilot, app, "Export: people as CSV")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
    assert notes == [f"Export failed: cannot write {target}: No such file or directory"]
    assert not target.parent.exists()


def test_export_entity_error_is_one_line(seeded_path: tuple[Path, Seeded], tmp_path: Path) -> None:
    db = open_database(seeded_path[0])
    try:
        with pytest.raises(FileWriteError) as raised:
            transfer.export_entity(db, Entity.MEETINGS, ExportFormat.ICS, tmp_path / "no" / "a.ics")
        assert (
            str(raised.value)
            == f"cannot write {tmp_path / 'no' / 'a.ics'}: No such file or directory"
        )
        with pytest.raises(FileWriteError, match="is a directory"):
            transfer.export_entity(db, Entity.CONTACTS, ExportFormat.CSV, tmp_path)
    finally:
        db.dispose()
