"""Triage screen: every contract key, checked on screen and in the database."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from textual.widgets import Static

from pfpp_tui.models import Action, Barrier, Change
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, World, seed_world


def _world(db: Database) -> World:
    w = seed_world(db)
    w.add(
        "b1",
        "barrier",
        pilot_id=w["luton"],
        title="No single contact for street culture",
        raised_on=TODAY - timedelta(days=9),
    )
    w.add(
        "b2",
        "barrier",
        pilot_id=w["luton"],
        title="Grants too small",
        raised_on=TODAY - timedelta(days=5),
    )
    w.add(
        "b3",
        "barrier",
        pilot_id=w["luton"],
        title="GP data cannot be shared",
        raised_on=TODAY - timedelta(days=1),
    )
    w.add(
        "other",
        "barrier",
        pilot_id=w["hastings"],
        category="structure",
        status="triaged",
        title="No single contact for private rented homes",
        raised_on=TODAY,
    )
    w.add("act", "action", title="Find the team", barrier_id=w["b1"])
    return w


def _barrier(db: Database, bid: int) -> Barrier:
    with db.read() as s:
        b = s.get(Barrier, bid)
        assert b is not None
        s.expunge(b)
        return b


def _header(app: HostApp) -> str:
    return str(app.screen.query_one("#triage-header", Static).render())


async def test_category_severity_keys_then_enter_triages_and_moves_on(db: Database) -> None:
    w = _world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        assert "3 remaining" in _header(app)
        assert f"barrier {w['b1']}" in _header(app)
        body = str(app.screen.query_one("#triage-body", Static).render())
        assert "Find the team" in body and "private rented homes" not in body  # other category
        for key, category in (
            ("2", "priorities"),
            ("3", "funding"),
            ("4", "data_sharing"),
            ("5", "culture"),
            ("0", "other"),
            ("1", "structure"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert _barrier(db, w["b1"]).category == category
        assert "private rented homes" in str(app.screen.query_one("#triage-body", Static).render())
        for key, severity in (("l", "low"), ("m", "medium"), ("c", "critical"), ("h", "high")):
            await pilot.press(key)
            await settle(pilot)
            assert _barrier(db, w["b1"]).severity == severity
        await pilot.press("enter")
        await settle(pilot)
        assert _barrier(db, w["b1"]).status == "triaged"
        assert "2 remaining" in _header(app) and f"barrier {w['b2']}" in _header(app)
        # u undoes the last decision (triaged) and brings the barrier back
        await pilot.press("u")
        await settle(pilot)
        assert _barrier(db, w["b1"]).status == "new"
        assert f"barrier {w['b1']}" in _header(app)
    with db.read() as s:
        reasons = s.exec(
            select(Change.reason).where(
                col(Change.table_name) == "barrier",
                col(Change.row_id) == w["b1"],
                col(Change.op) == "update",
            )
        ).all()
    assert reasons[0] == "triage: category priorities" and reasons[-1].startswith("undo:")


async def test_skip_snooze_and_past_snooze_refused_in_place(db: Database) -> None:
    w = _world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert f"barrier {w['b2']}" in _header(app) and "2 remaining" in _header(app)
        await pilot.press("z")
        await pilot.press(*"yesterday", "enter")
        await settle(pilot)
        error = str(app.screen.query_one("#prompt-error", Static).render())
        assert "not after today" in error  # refused in place; the prompt stays open
        for _ in "yesterday":
            await pilot.press("backspace")
        await pilot.press(*"+2w", "enter")
        await settle(pilot)
        assert _barrier(db, w["b2"]).snoozed_until == TODAY + timedelta(weeks=2)
        assert f"barrier {w['b3']}" in _header(app) and "1 remaining" in _header(app)


async def test_assign_escalate_duplicate_resolve_accept(db: Database) -> None:
    w = _world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("a", *"okafor")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _barrier(db, w["b1"]).owner_id == w["ada"]
        # D: duplicate of the Hastings barrier; the linked action moves with it
        await pilot.press("D", *"private rented")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        b1 = _barrier(db, w["b1"])
        assert b1.duplicate_of_id == w["other"] and b1.status == "resolved"
        with db.read() as s:
            assert s.get(Action, w["act"]).barrier_id == w["other"]  # type: ignore[union-attr]
        # x: escalate b2 to a former name (BEIS finds DESNZ) with a note
        await pilot.press("x", *"BEIS")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"pool the grants", "enter")
        await settle(pilot)
        b2 = _barrier(db, w["b2"])
        assert b2.status == "escalated" and b2.escalated_to_organisation_id == w["desnz"]
        assert b2.escalation_note == "pool the grants"
        # r needs a reason: an empty one is refused in place
        await pilot.press("r", "enter")
        await settle(pilot)
        assert "reason" in str(app.screen.query_one("#prompt-error", Static).render())
        await pilot.press("escape")
        await pilot.press("A", *"work around via ICB", "enter")
        await settle(pilot)
        b3 = _barrier(db, w["b3"])
        assert b3.status == "accepted" and b3.resolution == "work around via ICB"
        assert "nothing left" in _header(app)


async def test_resolve_with_reason(db: Database) -> None:
    w = _world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("r", *"named contact found", "enter")
        await settle(pilot)
        b1 = _barrier(db, w["b1"])
        assert b1.status == "resolved" and b1.resolution == "named contact found"
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


async def test_skipped_barriers_are_counted_and_come_round_again_on_request(db: Database) -> None:
    w = _world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        header = _header(app)
        assert "2 remaining · 1 skipped barrier (they come round again)" in header
        assert f"barrier {w['b2']}" in header
        await pilot.press("s", "s")
        await settle(pilot)
        assert "nothing left to triage · 3 skipped barriers" in _header(app)
        body = str(app.screen.query_one("#triage-body", Static).render())
        assert "3 skipped barriers still wait: s brings them round again" in body
        await pilot.press("s")
        await settle(pilot)
        assert "3 remaining" in _header(app) and "skipped" not in _header(app)
        assert f"barrier {w['b1']}" in _header(app)  # oldest first again
