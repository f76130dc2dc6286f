"""The contact-import dialog after the write: undo with ctrl+z, closing, cancelling, one import.

Each test drives the real dialog on a real seeded SQLite file and checks the rows stored. A
slow import is simulated by holding the worker at a progress step (``on_phase``), never by
sleeping or by mocking the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import SQLModel, col, func, select
from textual.pilot import Pilot
from textual.widgets import Button, Static

from pfpp_tui.importers.base import ParsedFile
from pfpp_tui.importers.reader import read_contacts_file
from pfpp_tui.models import Change, ChangeSource, Contact, ContactPilot, Organisation, Team
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.history.undo import undo_batch
from pfpp_tui.store.imports.contact_import import import_contacts
from pfpp_tui.tui import transfer
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens import import_flow
from pfpp_tui.tui.screens.import_flow import ImportScreen
from pfpp_tui.tui.screens.section import SectionScreen

# One new person in a new organisation and team, one new person in a known organisation, and
# a known person (Gareth Jones, no phone yet) whose phone the merge fills in.
PEOPLE = (
    "First name,Last name,E-mail,Phone,Organisation,Team\n"
    "Priya,Shah,priya.shah@newbody.example,,Office for New Bodies,Intake Team\n"
    "Tom,Reid,tom.reid@luton.example,,Luton Borough Council,\n"
    "Gareth,Jones,gareth.jones@luton.example,01582 546000,Luton Borough Council,\n"
)


def _count(db: Database, model: type[SQLModel]) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _counts(db: Database) -> dict[str, int]:
    return {
        model.__name__: _count(db, model) for model in (Contact, Organisation, Team, ContactPilot)
    }


def _import_batches(db: Database) -> list[str]:
    with db.read() as session:
        stmt = select(Change.batch).where(col(Change.source) == ChangeSource.IMPORT).distinct()
        return [b for b in session.exec(stmt) if b is not None]


def _gareth_phone(db: Database) -> str | None:
    with db.read() as session:
        contact = session.exec(
            select(Contact).where(col(Contact.email) == "gareth.jones@luton.example")
        ).one()
        return contact.phone


def _summary(app: PfppApp) -> str:
    return str(app.screen.query_one("#import-summary", Static).render())


def _source(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    return path


async def _open_dialog(app: PfppApp, pilot: Pilot[None], source: Path) -> None:
    await settle(pilot)
    await pilot.press("2")  # the people section, so its table shows what the import did
    await settle(pilot)
    app.push_screen(ImportScreen(source))  # as the palette does
    await settle(pilot)
    assert isinstance(app.screen, ImportScreen)
    assert "Press y to import" in _summary(app)


class _Hold:
    """Holds the import worker at one progress step until the test releases it."""

    def __init__(self, step: str, *, after: bool) -> None:
        self.step, self.after = step, after
        self.reached, self.release = threading.Event(), threading.Event()

    def run_import(
        self,
        db: Database,
        files: list[ParsedFile],
        on_phase: Callable[[str], None] | None = None,
    ) -> Any:
        assert on_phase is not None

        def phase(name: str) -> None:
            if name == self.step and not self.after:
                self.wait()
            on_phase(name)
            if name == self.step and self.after:
                self.wait()

        return transfer.run_import(db, files, on_phase=phase)

    def wait(self) -> None:
        self.reached.set()
        assert self.release.wait(10)

    async def until_reached(self, pilot: Pilot[None]) -> None:
        for _ in range(500):
            if self.reached.is_set():
                return
            await pilot.pause(0.01)
        raise AssertionError(f"the import never reached {self.step}")


async def test_import_is_undone_by_ctrl_z(
    seeded_path: tuple[Path, Seeded], check_db: Database, tmp_path: Path
) -> None:
    before = _counts(check_db)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        await pilot.press("y")
        await settle(pilot)
        assert "2 added, 1 updated" in _summary(app)
        grown = {"Contact": 2, "Organisation": 1, "Team": 1, "ContactPilot": 0}
        assert _counts(check_db) == {k: n + grown[k] for k, n in before.items()}
        assert _gareth_phone(check_db) == "01582 546000"
        assert [entry[1] for entry in app.undo_stack] == ["import from people.csv"]
        assert app.undo_stack[0][0] == _import_batches(check_db)[0]

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert app.screen.query_one("#records").total == before["Contact"] + 2  # type: ignore[attr-defined]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.undo_stack == []
        assert app.screen.query_one("#records").total == before["Contact"]  # type: ignore[attr-defined]
    # The new contacts, organisation and team are gone; the merged phone is empty again.
    assert _counts(check_db) == before
    assert not _gareth_phone(check_db)


def test_undoing_an_import_removes_its_pilot_links(
    seeded_path: tuple[Path, Seeded], check_db: Database, tmp_path: Path
) -> None:
    """The TUI imports without ``--pilot``; the CLI's links are in the same batch, undone too."""
    before = _counts(check_db)
    files = [read_contacts_file(_source(tmp_path))]
    import_contacts(check_db, files, pilot="Luton")
    # Tom and Priya are linked; Gareth already was.
    assert _counts(check_db)["ContactPilot"] == before["ContactPilot"] + 2
    (batch,) = _import_batches(check_db)
    result = undo_batch(check_db, batch)
    assert result.reverted == 7  # organisation, team, 2 contacts, 1 update, 2 links
    assert result.summary == (
        "Undid the import: 2 contacts, 1 organisation, 1 team, 2 pilot links, 1 contact restored"
    )
    assert _counts(check_db) == before


async def test_result_closes_on_any_key_and_y_twice_imports_once(
    seeded_path: tuple[Path, Seeded],
    check_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hold = _Hold("Writing", after=True)
    monkeypatch.setattr(import_flow, "run_import", hold.run_import)
    before = _count(check_db, Contact)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        await pilot.press("y")
        await hold.until_reached(pilot)
        await pilot.press("y")  # a second y while the first import writes: ignored
        hold.release.set()
        await settle(pilot)
        assert isinstance(app.screen, ImportScreen)
        assert not app.screen.query_one("#import", Button).display  # no dead "Import (y)"
        assert str(app.screen.query_one("#cancel", Button).label) == "Close (any key)"
        assert "Press any key to close" in _summary(app)
        await pilot.press("y")  # a y on the result closes it: it never imports again
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert len(_import_batches(check_db)) == 1
        assert _count(check_db, Contact) == before + 2
        await pilot.press("4")  # keys reach the app again: the meetings section
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen) and app.screen.section.key == "meetings"


async def test_a_letter_key_closes_the_result(
    seeded_path: tuple[Path, Seeded], tmp_path: Path
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert app.undo_stack  # closing keeps the import on the ctrl+z stack


@pytest.mark.parametrize("step", ["Matching", "Writing"])
async def test_cancel_before_the_write_leaves_nothing_written(
    seeded_path: tuple[Path, Seeded],
    check_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    step: str,
) -> None:
    """Escape while matching, or just as the write is about to start: nothing is written."""
    hold = _Hold(step, after=False)
    monkeypatch.setattr(import_flow, "run_import", hold.run_import)
    before = _counts(check_db)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        await pilot.press("y")
        await hold.until_reached(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)  # closed at once
        hold.release.set()
        await settle(pilot)
        assert app.undo_stack == []
    assert _counts(check_db) == before
    assert _gareth_phone(check_db) is None
    assert _import_batches(check_db) == []


async def test_escape_once_writing_has_started_waits_for_the_result(
    seeded_path: tuple[Path, Seeded],
    check_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the point of no return the dialog stays and shows what was written."""
    hold = _Hold("Writing", after=True)
    monkeypatch.setattr(import_flow, "run_import", hold.run_import)
    before = _count(check_db, Contact)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, _source(tmp_path))
        await pilot.press("y")
        await hold.until_reached(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)  # not "cancelled" while rows are written
        hold.release.set()
        await settle(pilot)
        assert "2 added" in _summary(app)
        assert len(app.undo_stack) == 1
    assert _count(check_db, Contact) == before + 2
