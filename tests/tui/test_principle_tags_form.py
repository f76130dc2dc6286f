"""Principle tags on the barrier and action forms: ticked, saved with the record, undone.

Each test drives the real form with keys (tab/arrows/space) and asserts the stored link rows, the
list's state and what the detail pane then shows.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from pfpp_tui.models import Action, ChangeSource
from pfpp_tui.models.partnership import ActionPrinciple, BarrierPrinciple, Principle
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.principle_tags import set_principles
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.record_table import RecordTable

ORDER = [p.value for p in Principle]


async def _keys(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _tags(app: PfppApp) -> SelectionList[str]:
    assert isinstance(app.screen, RecordFormScreen)
    return app.screen.query_one("#field-principles", SelectionList)


async def _toggle(pilot: Pilot[None], app: PfppApp, *keys: str) -> None:
    """Tick or untick each principle with the keyboard: focus the list, arrow to it, space."""
    tags = _tags(app)
    tags.focus()
    await pilot.pause()
    for key in keys:
        at = tags.highlighted or 0
        step = ORDER.index(key) - at
        await pilot.press(*(["down"] * step if step > 0 else ["up"] * -step), "space")
    await settle(pilot)


def _barrier_tags(db: Database, barrier_id: int) -> set[str]:
    with db.read() as session:
        rows = session.exec(
            select(BarrierPrinciple).where(BarrierPrinciple.barrier_id == barrier_id)
        )
        return {r.principle for r in rows}


def _action_tags(db: Database, action_id: int) -> set[str]:
    with db.read() as session:
        rows = session.exec(select(ActionPrinciple).where(ActionPrinciple.action_id == action_id))
        return {r.principle for r in rows}


def _pane(app: PfppApp) -> str:
    return str(app.screen.query_one("#detail-body", Static).render())


async def test_edit_barrier_ticks_two_principles_then_undo(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    barrier = seeded.ids["barrier"]
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "6")
        assert app.screen.query_one(RecordTable).highlighted_id == barrier
        assert "Principles: —" not in _pane(app)  # empty fields stay out of the pane
        await _keys(pilot, "e")
        tags = _tags(app)
        assert not tags.disabled and tags.selected == []  # loaded: nothing tagged yet
        await _toggle(pilot, app, "trust", "data")
        assert tags.selected == ["trust", "data"]
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, SectionScreen)
        assert _barrier_tags(check_db, barrier) == {"trust", "data"}
        assert "Principles: trust, data" in _pane(app)
        await _keys(pilot, "ctrl+z")  # the tags were in the edit's history batch
        assert _barrier_tags(check_db, barrier) == set()
        assert app.undo_stack == []
        assert "Principles:" not in _pane(app)


async def test_edit_prefills_tags_and_unticking_removes_one(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    barrier = seeded.ids["barrier"]
    set_principles(check_db, kind="barrier", row_id=barrier, principles=[Principle.DATA,
                   Principle.TRUST], source=ChangeSource.CLI)  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "6")
        assert "Principles: trust, data" in _pane(app)
        await _keys(pilot, "e")
        tags = _tags(app)
        assert tags.selected == ["trust", "data"]  # in the list's order, not the stored order
        await _toggle(pilot, app, "trust")
        assert tags.selected == ["data"]
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, SectionScreen)
        assert _barrier_tags(check_db, barrier) == {"data"}
        assert "Principles: data" in _pane(app)
        await _keys(pilot, "ctrl+z")  # brings the unticked tag back
        assert _barrier_tags(check_db, barrier) == {"trust", "data"}


async def test_tag_added_elsewhere_while_editing_is_kept(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    barrier = seeded.ids["barrier"]
    set_principles(check_db, kind="barrier", row_id=barrier, principles=[Principle.TRUST],
                   source=ChangeSource.CLI)  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "6", "e")
        assert _tags(app).selected == ["trust"]
        theirs = [Principle.TRUST, Principle.FUNDING]
        set_principles(check_db, kind="barrier", row_id=barrier, principles=theirs,
                       source=ChangeSource.CLI)  # fmt: skip
        await _toggle(pilot, app, "trust", "prevention")
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, SectionScreen)
        # Only this form's changes applied: trust off, prevention on; funding (theirs) stays.
        assert _barrier_tags(check_db, barrier) == {"funding", "prevention"}


async def test_new_action_with_two_principles(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "5", "n")
        tags = _tags(app)
        assert not tags.disabled and tags.selected == []
        title = app.screen.query_one("#field-title", Input)
        title.focus()
        await _keys(pilot, *"Agree data protocol")
        # Reachable from the status field with tab, like every other field.
        app.screen.query_one("#field-status").focus()
        await _keys(pilot, "tab")
        assert app.focused is tags
        await _toggle(pilot, app, "data", "prevention")
        assert tags.selected == ["data", "prevention"]
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, SectionScreen)
        with check_db.read() as session:
            action_id = session.exec(
                select(Action.id).where(Action.title == "Agree data protocol")
            ).one()
        assert action_id is not None
        assert _action_tags(check_db, action_id) == {"data", "prevention"}
        await _keys(pilot, "ctrl+z")  # undoing the creation takes its tags with it
        assert _action_tags(check_db, action_id) == set()
        with check_db.read() as session:
            assert session.get(Action, action_id) is None
        assert app.is_running


async def test_invalid_record_saves_no_tags(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """Title cleared: the form refuses before saving, and nothing of the tags is written."""
    path, seeded = seeded_path
    barrier = seeded.ids["barrier"]
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _keys(pilot, "6", "e")
        await _toggle(pilot, app, "holistic")
        app.screen.query_one("#field-title", Input).value = ""
        await _keys(pilot, "ctrl+s")
        assert isinstance(app.screen, RecordFormScreen)
        assert _barrier_tags(check_db, barrier) == set()
