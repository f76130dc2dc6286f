"""PatternsScreen pilot tests: groups on screen, and escalating a group writes one escalation."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Input, Label, Static

from pfpp_tui.models import Barrier, Change
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.patterns import PatternsScreen
from pfpp_tui.tui.screens.workflow_prompts import FuzzyPick, LinePrompt
from tests.tui.conftest import settle as app_settle
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, World, seed_world


class PatternsHost(HostApp):
    def __init__(self, db: Database) -> None:
        super().__init__(PatternsScreen(db))
        self.batches: list[str] = []

    def on_patterns_screen_group_escalated(self, message: PatternsScreen.GroupEscalated) -> None:
        if message.batch:
            self.batches.append(message.batch)


def _world(db: Database) -> World:
    w = seed_world(db)
    for key, place, title in (
        ("b1", "luton", "No single Home Office contact for street culture"),
        ("b2", "hastings", "No Home Office contact for street culture work"),
        ("b3", "luton", "Grants too small to matter"),
    ):
        w.add(key, "barrier", pilot_id=w[place], title=title, category="structure",
              raised_on=TODAY - timedelta(days=3))  # fmt: skip
    return w


async def test_groups_listed_with_their_barriers(db: Database) -> None:
    w = _world(db)
    app = PatternsHost(db)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#patterns-table", DataTable)
        assert table.row_count == 1
        assert str(table.get_cell_at(Coordinate(0, 0))) == "2"  # places
        detail = str(app.screen.query_one("#patterns-barriers", Static).render())
        assert f"#{w['b1']} Luton" in detail and f"#{w['b2']} Hastings" in detail
        assert "Grants too small" not in detail


async def test_escalate_a_group_to_one_department(db: Database) -> None:
    w = _world(db)
    app = PatternsHost(db)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, FuzzyPick)
        for _ in range(len(app.screen.query_one("#pick-input").value)):  # type: ignore[attr-defined]
            await pilot.press("backspace")
        await pilot.press(*"Home Office")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LinePrompt)
        await pilot.press(*"one ask")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PatternsScreen)
    with db.read() as session:
        stored = {
            b.id: (b.status, b.escalated_to_organisation_id, b.escalation_note)
            for b in session.exec(select(Barrier))
        }
        reasons = [
            (c.row_id, c.batch, c.reason)
            for c in session.exec(
                select(Change).where(Change.table_name == "barrier", Change.op == "update")
            )
        ]
    assert stored[w["b1"]] == stored[w["b2"]] == ("escalated", w["ho"], "one ask")
    assert stored[w["b3"]][0] == "new"
    assert sorted(r[0] for r in reasons) == sorted([w["b1"], w["b2"]])
    assert len(app.batches) == 1 and {r[1] for r in reasons} == set(app.batches)
    assert all(app.batches[0] in r[2] for r in reasons)


async def test_escape_in_the_picker_escalates_nothing(db: Database) -> None:
    _world(db)
    app = PatternsHost(db)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # enter on a group = escalate it
        await settle(pilot)
        assert isinstance(app.screen, FuzzyPick)
        await pilot.press("escape")
        await settle(pilot)
    with db.read() as session:
        statuses = set(session.exec(select(Barrier.status).where(col(Barrier.id) > 0)))
    assert statuses == {"new"}


async def test_jk_move_the_dialog_names_the_group_and_ctrl_z_shows_the_undone_state(
    db: Database,
) -> None:
    w = _world(db)
    for key, place in (("d1", "luton"), ("d2", "hastings")):
        w.add(key, "barrier", pilot_id=w[place], title="Police will not share street data",
              category="data_sharing", raised_on=TODAY - timedelta(days=2))  # fmt: skip
    app = PfppApp(str(db.location.path))
    async with app.run_test(size=(150, 40)) as pilot:
        await app_settle(pilot)
        app.push_screen(PatternsScreen(app.db))
        await app_settle(pilot)
        table = app.screen.query_one("#patterns-table", DataTable)
        assert table.row_count == 2 and table.cursor_row == 0
        await pilot.press("j")
        assert table.cursor_row == 1
        await pilot.press("k")
        assert table.cursor_row == 0
        group = app.screen.groups[0]  # type: ignore[attr-defined]
        await pilot.press("x")
        await app_settle(pilot)
        assert isinstance(app.screen, FuzzyPick)
        asked = str(app.screen.query_one(Label).render())
        assert f"“{group.title}” — 2 barriers in 2 places (" in asked
        assert "Luton" in asked and "Hastings" in asked
        app.screen.query_one("#pick-input", Input).value = "Home Office"
        await app_settle(pilot)
        await pilot.press("enter")
        await app_settle(pilot)
        assert isinstance(app.screen, LinePrompt)
        assert f"“{group.title}” — 2 barriers in 2 places" in str(
            app.screen.query_one(Label).render()
        )
        await pilot.press(*"one ask", "enter")
        await app_settle(pilot)
        detail = app.screen.query_one("#patterns-barriers", Static)
        assert "Escalated, Medium, raised" in str(detail.render()) and "→ HO" in str(
            detail.render()
        )
        await pilot.press("ctrl+z")
        await app_settle(pilot)
        assert isinstance(app.screen, PatternsScreen)
        shown = str(detail.render())  # the screen shows the undone state
        assert "→ HO" not in shown and "Escalated" not in shown
