"""The review holds its decisions until ``ctrl+s``: it says so, and ``escape`` asks first."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Static

from pfpp_tui.models import Action, Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, World, seed_world


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _review_world(db: Database) -> World:
    w = seed_world(db)
    w.add("overdue", "action", pilot_id=w["luton"], title="Send the DSA", owner_id=w["ada"],
          due_date=TODAY - timedelta(days=3), status="in_progress")  # fmt: skip
    return w


def _action_status(db: Database, row: int) -> str:
    with db.read() as session:
        action = session.get(Action, row)
        assert action is not None
        return str(action.status)


async def test_unchanged_review_closes_at_once(db: Database) -> None:
    w = _review_world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, "escape")
        assert not isinstance(app.screen, (ReviewScreen, DiscardChangesScreen))
    assert app.results == [None]


async def test_review_escape_asks_n_keeps_y_discards(db: Database) -> None:
    w = _review_world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, "d")  # the overdue action → done (held until ctrl+s)
        await _press(pilot, "equals_sign", *"Meet monthly", "enter")
        header = str(app.screen.query_one("#review-header", Static).render())
        assert "2 decisions (not saved yet: ctrl+s saves them)" in header
        assert _action_status(db, w["overdue"]) == "in_progress"
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)
        assert "Unsaved: 2 decisions taken in the review of Luton — y discard" in str(
            app.screen.query_one("#question").render()
        )
        await _press(pilot, "n")
        assert isinstance(app.screen, ReviewScreen) and len(app.screen.decisions) == 2
        await _press(pilot, "escape", "y")
        assert not isinstance(app.screen, (ReviewScreen, DiscardChangesScreen))
    assert app.results == [None]
    assert _action_status(db, w["overdue"]) == "in_progress"
    assert _count(db, Meeting) == 0


async def test_review_escape_then_ctrl_s_saves(db: Database) -> None:
    w = _review_world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, "d")
        await _press(pilot, "equals_sign", *"Meet monthly", "enter")
        await _press(pilot, "escape", "ctrl+s")
        assert not isinstance(app.screen, (ReviewScreen, DiscardChangesScreen))
    assert len(app.results) == 1 and isinstance(app.results[0], int)
    assert _action_status(db, w["overdue"]) == "done"
    with db.read() as session:
        review = session.exec(select(Meeting).where(col(Meeting.kind) == "review")).one()
        assert review.decisions.splitlines()[-1] == "Meet monthly"
