"""Triage toasts name the barrier and say the decision in words (issue 16.6).

They said "triage: severity high" (which barrier?), and an escalation or a resolution showed
only the note typed ("Sorted at the board"), naming neither the barrier nor what was done.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, seed_world


class ToastsKept(HostApp):
    """Keeps every toast's words: a 3 s toast can be gone before a loaded machine looks."""

    def __init__(self, screen: BarrierTriageScreen) -> None:
        super().__init__(screen)
        self.toasts: list[str] = []

    def notify(self, message: str, **options: Any) -> None:  # type: ignore[override]
        self.toasts.append(message)
        super().notify(message, **options)


async def test_triage_toasts_name_the_barrier_and_the_decision(db: Database) -> None:
    w = seed_world(db)
    w.add("b1", "barrier", pilot_id=w["luton"], title="Grants too small", raised_on=TODAY)
    w.add("b2", "barrier", pilot_id=w["luton"], title="No data", raised_on=TODAY + timedelta(1))
    app = ToastsKept(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        for keys in (["2"], ["c"], ["enter"], ["r"], [*"Sorted at the board", "enter"]):
            await pilot.press(*keys)
            await settle(pilot)
    toasts = app.toasts
    b1, b2 = w["b1"], w["b2"]
    assert f"Barrier {b1} “Grants too small”: category Priorities" in toasts
    assert f"Barrier {b1} “Grants too small”: severity Critical" in toasts
    assert f"Barrier {b1} “Grants too small”: triaged" in toasts
    assert f"Barrier {b2} “No data”: resolved — Sorted at the board" in toasts
    assert not any(t.startswith("triage:") or t == "Sorted at the board" for t in toasts)
    assert (
        app.remembered[-1][1] == f"triage of barrier {b2} “No data”: resolved — Sorted at the board"
    )
