"""Triage keys typed at once act in order, each on the barrier as the keys before left it.

``5m⏎3h⏎`` in one terminal read: every decision used to be written from the barrier's version
as first loaded, so the second on a barrier was refused ("changed by <you>"), and a key after
``⏎`` acted on the barrier just triaged instead of the next.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from textual.widgets import Static

from pfpp_tui.models import Barrier
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from tests.tui.test_keys_land import burst
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, seed_world


async def test_triage_keys_typed_at_once_each_act_on_the_barrier_before_them(
    db: Database,
) -> None:
    w = seed_world(db)
    for name, days in (("b1", 9), ("b2", 5), ("b3", 1)):
        w.add(name, "barrier", pilot_id=w["luton"], title=name, raised_on=TODAY - timedelta(days))
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        burst(app, "5", "m", "enter", "3", "h", "enter", "s")
        await settle(pilot)
        header = str(app.screen.query_one("#triage-header", Static).render())
        error = str(app.screen.query_one("#triage-error", Static).render())
    with db.read() as s:
        rows = {
            b.title: (b.category, b.severity, b.status)
            for b in s.exec(select(Barrier).where(col(Barrier.title).in_(["b1", "b2", "b3"])))
        }
    assert rows["b1"] == ("culture", "medium", "triaged")
    assert rows["b2"] == ("funding", "high", "triaged")
    assert rows["b3"][2] == "new"  # skipped, untouched
    assert error == ""
    assert "1 skipped barrier" in header
