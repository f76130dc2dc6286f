"""``h`` on a barrier shows the principle tags ticked and unticked, in words.

Bug: after ticking two principles on a barrier and saving, its history screen said "0 changes
… No history for this record" (the tags' rows were only in the full history).
"""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Static

from pfpp_tui.models import ChangeSource
from pfpp_tui.models.partnership import Principle
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.insight.principle_tags import set_principles
from pfpp_tui.tui.screens.history import HistoryScreen
from tests.tui.workflow_app import HostApp, settle


async def test_h_on_a_barrier_shows_its_principle_tags_added_and_removed(db: Database) -> None:
    barrier = create_record(
        db,
        table="barrier",
        values={"title": "No data-sharing agreement", "raised_on": date(2026, 1, 5)},
        source=ChangeSource.TUI,
    ).id
    both = [Principle.TRUST, Principle.DATA]
    set_principles(db, kind="barrier", row_id=barrier, principles=both, source=ChangeSource.TUI)
    set_principles(
        db, kind="barrier", row_id=barrier, principles=[Principle.DATA], source=ChangeSource.TUI
    )
    app = HostApp(HistoryScreen(db, "barrier", barrier))
    async with app.run_test(size=(150, 42)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        title = str(screen.query_one("#history-title", Static).render())
        assert "4 changes" in title
        table = screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert [(row[3], row[4]) for row in rows] == [
            ("changed", "principle trust removed"),
            ("changed", "principle data added"),
            ("changed", "principle trust added"),
            ("created", "Barrier, Category, Raised on, Severity,…"),
        ]
        changes = str(screen.query_one("#history-changes", Static).render())
        assert "principle trust removed" in changes and "barrier_id" not in changes
        await pilot.press("down", "down")
        await settle(pilot)
        changes = str(screen.query_one("#history-changes", Static).render())
        assert "principle trust added" in changes
