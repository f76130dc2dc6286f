"""Review screen: step through the agenda with single keys, take decisions, save the review."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from textual.widgets import Static

from pfpp_tui.models import Action, Barrier, Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.review import ReviewScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import TODAY, World, days_ago, seed_world


def _world(db: Database) -> World:
    w = seed_world(db)
    luton = w["luton"]
    w.add(
        "m",
        "meeting",
        pilot_id=luton,
        held_at=days_ago(5),
        title="Check-in",
        decisions="Agreed to pool the two grants",
    )
    w.add(
        "overdue",
        "action",
        pilot_id=luton,
        title="Send the DSA",
        owner_id=w["ada"],
        due_date=TODAY - timedelta(days=3),
    )
    w.add(
        "soon",
        "action",
        pilot_id=luton,
        title="Map the funding",
        owner_id=w["cara"],
        due_date=TODAY + timedelta(days=7),
    )
    w.add(
        "stale",
        "barrier",
        pilot_id=luton,
        title="Grants too small",
        category="funding",
        raised_on=TODAY - timedelta(days=45),
        status="triaged",
    )
    return w


def _text(app: HostApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_step_decide_undo_and_save_a_review(db: Database) -> None:
    w = _world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "Review — Luton · item 1/" in _text(app, "#review-header")
        body = _text(app, "#review-body")
        for section in (
            "Overdue actions",
            "Due in the next 14 days",
            "Not met for 60 days",
            "Decisions since the last review",
            "Agreed to pool the two grants",
        ):
            assert section in body
        await pilot.press("d")  # item 1: the overdue action → done
        await pilot.press("j", "a", *"eve")  # item 2: reassign to Eve
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n", *"yesterday", "enter")  # past due date refused in place
        await settle(pilot)
        assert "in the past" in _text(app, "#prompt-error")
        await pilot.press("escape", "n", *"+3w", "enter")
        await settle(pilot)
        await pilot.press("d", "u")  # take and undo
        await pilot.press("j", "x", *"BEIS")  # item 3: the stale barrier → escalate
        await settle(pilot)
        await pilot.press("enter", *"pool them", "enter")
        await settle(pilot)
        await pilot.press("d")  # not an action: refused with a message
        assert "action" in _text(app, "#review-error")
        await pilot.press("equals_sign", *"Next review in a month", "enter")
        await settle(pilot)
        assert "5 decisions" in _text(app, "#review-header")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert len(app.results) == 1 and isinstance(app.results[0], int)
    with db.read() as s:
        review = s.exec(select(Meeting).where(col(Meeting.kind) == "review")).one()
        assert review.title == "Review — Luton" and review.pilot_id == w["luton"]
        assert review.decisions.splitlines()[-1] == "Next review in a month"
        assert len(review.decisions.splitlines()) == 5
        overdue, soon = s.get(Action, w["overdue"]), s.get(Action, w["soon"])
        assert overdue is not None and overdue.status == "done"
        assert soon is not None and soon.owner_id == w["eve"]
        assert soon.due_date == TODAY + timedelta(weeks=3)
        stale = s.get(Barrier, w["stale"])
        assert stale is not None and stale.status == "escalated"
        assert stale.escalated_to_organisation_id == w["desnz"]


async def test_barrier_snooze_and_resolve_keys(db: Database) -> None:
    w = _world(db)
    app = HostApp(ReviewScreen(db, organisation_id=w["desnz"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert "nothing on the agenda" in _text(app, "#review-header") or "item" in _text(
            app, "#review-header"
        )
        await pilot.press("escape")
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "z", *"+1w", "enter")
        await settle(pilot)
        await pilot.press("r", "enter")  # empty reason refused in place
        assert "reason" in _text(app, "#prompt-error")
        await pilot.press(*"work around", "enter")
        await settle(pilot)
        await pilot.press("u")  # drop the resolve, keep the snooze
        await pilot.press("ctrl+s")
        await settle(pilot)
    with db.read() as s:
        stale = s.get(Barrier, w["stale"])
        assert stale is not None and stale.snoozed_until == TODAY + timedelta(weeks=1)
        assert stale.status == "triaged"


async def test_the_view_follows_the_cursor_down_a_long_agenda(sample_db: Database) -> None:
    """Luton's agenda on the sample data is taller than a terminal; its last section
    (decisions since the last review) must come into view as the cursor walks down."""
    from textual.containers import VerticalScroll

    from pfpp_tui.store.directory.workflow_lookup import pilot_by_name

    with sample_db.read() as s:
        luton = pilot_by_name(s, "Luton")
    app = HostApp(ReviewScreen(sample_db, pilot_id=luton.id))
    async with app.run_test(size=(110, 24)) as pilot:
        await settle(pilot)
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0, "the agenda should not fit: nothing to test"
        assert scroll.scroll_y == 0
        header = _text(app, "#review-header")
        total = int(header.split("item 1/")[1].split()[0])
        for _ in range(total - 1):
            await pilot.press("j")
        await settle(pilot)
        assert f"item {total}/{total}" in _text(app, "#review-header")
        body = _text(app, "#review-body").splitlines()
        cursor = next(n for n, line in enumerate(body) if line.lstrip().startswith("▶"))
        top = scroll.scroll_y
        assert top > 0 and top <= cursor < top + scroll.scrollable_content_region.height
