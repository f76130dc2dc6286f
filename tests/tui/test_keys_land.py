"""Keys land where typed, in order: bursts and pastes while focus moves in the meeting log.

A burst is what a terminal delivers when keys come faster than the app answers: every key
(and a paste) handed to the driver at once, before any lookup, search or focus change they
start has finished (``burst``); ``pilot.press`` instead lets the app go idle after each key.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select
from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.widgets import Input, Static, TextArea

from pfpp_tui.models import MeetingAttendee
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from tests.tui.conftest import settle
from tests.tui.test_triage import _barrier as barrier_of
from tests.tui.test_triage import _world as triage_world
from tests.tui.workflow_app import HostApp
from tests.workflow_seed import seed_world

NOTES = "Street culture update\n- [ ] Send the draft @ben due:fri\n= Agreed to pool the grants"


def burst(app: App[Any], *keys: str | events.Paste) -> None:
    """Hand ``keys`` to the driver in one go, as a terminal read would (see ``App._press_keys``)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        if isinstance(key, events.Paste):
            event: events.Event = key
        else:
            name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
            event = events.Key(name, key if len(key) == 1 else None)
        event.set_sender(app)
        driver.send_message(event)


def _log(app: HostApp) -> MeetingLogScreen:
    assert isinstance(app.screen, MeetingLogScreen)
    return app.screen


async def test_attendees_typed_in_one_burst_are_each_added(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        # Three people, enter on the empty field, notes: all in one burst.
        burst(app, *"ben", "enter", *"cara", "enter", *"eve", "enter", "enter", *"ok")
        await settle(pilot)
        log = _log(app)
        assert [a.contact_id for a in log.attendees] == [w["ben"], w["cara"], w["eve"]]
        assert log.picker.field.value == ""
        assert log.query_one("#notes", TextArea).text == "ok"


async def test_notes_pasted_straight_after_tab_go_into_the_notes(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        # Pilot, then Tab through when, kind, title and the attendee field to the notes,
        # pasting at once: no pause for lookups, searches or focus changes to finish.
        burst(app, *"luton", "enter", "tab", "tab", "tab", "tab", events.Paste(NOTES), *"ok")
        await settle(pilot)
        log = _log(app)
        assert log.pilot is not None and log.pilot.id == w["luton"]
        assert log.query_one("#pilot", Input).value == "Luton"
        assert log.query_one("#notes", TextArea).text == NOTES + "ok"


async def test_keys_after_restoring_a_draft_go_on_where_it_left_off(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, *"lut")  # the pilot half typed, not chosen yet
        await settle(pilot)
        burst(app, "escape", "y")  # discard: the draft is kept
        await settle(pilot)
        app.push_screen(MeetingLogScreen(db), app.results.append)
        await settle(pilot)
        burst(app, "y", *"on", "enter", *"to")  # restore, then type on at once
        await settle(pilot)
        log = _log(app)
        assert log.query_one("#pilot", Input).value == "Luton"  # "on" went on, not over
        assert log.pilot is not None and log.pilot.id == w["luton"]
        assert log.query_one("#when", Input).value == "to"  # after enter: the next field
        burst(app, "escape", "y")
        await settle(pilot)
        app.push_screen(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
        await settle(pilot)
        burst(app, "y", *"cara", "enter")  # restored with its pilot: typing adds people
        await settle(pilot)
        log = _log(app)
        assert log.query_one("#pilot", Input).value == "Luton"
        assert w["cara"] in [a.contact_id for a in log.attendees]


async def test_ctrl_s_straight_after_the_names_saves_once_they_are_looked_up(
    db: Database,
) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, *"ben", "enter", *"cara", "enter", "ctrl+s")
        await settle(pilot)
    assert len(app.results) == 1 and isinstance(app.results[0], int)
    with db.read() as session:
        people = set(
            session.exec(
                select(MeetingAttendee.contact_id).where(
                    col(MeetingAttendee.meeting_id) == app.results[0]
                )
            )
        )
    assert people == {w["ben"], w["cara"]}


async def test_attendees_keep_the_typed_order_when_lookups_answer_out_of_order(
    db: Database,
) -> None:
    """Each enter starts its own lookup; a busy machine can answer Cara's before Ben's."""
    from pfpp_tui.store.work.attendee_lookup import lookup_attendees

    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        picker = _log(app).picker
        for name in ("ben", "cara"):
            picker.field.value = name
            picker.commit()
        # The answers, Cara's first, before the screen's own workers can answer.
        picker.show_lookup(lookup_attendees(db, "cara"), commit=True)
        picker.show_lookup(lookup_attendees(db, "ben"), commit=True)
        await settle(pilot)
        assert [a.contact_id for a in picker.attendees] == [w["ben"], w["cara"]]


def _told(app: App[Any]) -> list[str]:
    """Every notification the app has shown (toasts), newest last."""
    return [str(n.message) for n in app._notifications]


async def test_triage_keys_typed_in_one_burst_each_decide_in_turn(db: Database) -> None:
    """ "1 l ⏎ 2 m ⏎ 3 h ⏎" at once: every key decides on the barrier then on show."""
    w = triage_world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, "1", "l", "enter", "2", "m", "enter", "3", "h", "enter")
        await settle(pilot)
        error = str(app.screen.query_one("#triage-error", Static).render())
        assert error == ""
        told = _told(app)
    barriers = [barrier_of(db, w[name]) for name in ("b1", "b2", "b3")]
    decided = [(b.category, b.severity, b.status) for b in barriers]
    assert decided == [
        ("structure", "low", "triaged"),
        ("priorities", "medium", "triaged"),
        ("funding", "high", "triaged"),
    ]
    # No stale-edit refusal by the user's own decision, no wait on a lock nobody else held.
    assert not [t for t in told if "changed by" in t or "Waiting" in t or "Not saved" in t]


async def test_triage_keys_typed_as_the_screen_opens_wait_for_its_first_barrier(
    db: Database,
) -> None:
    w = triage_world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        burst(app, "2", "h", "enter")  # before the queue has loaded
        await settle(pilot)
    b1 = barrier_of(db, w["b1"])
    assert (b1.category, b1.severity, b1.status) == ("priorities", "high", "triaged")


async def test_tab_after_an_attendee_goes_on_to_the_notes(db: Database) -> None:
    """Not to the attendee list, where the letters typed next were its keys (x removed)."""
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, *"ben", "enter", "tab", *"fix the box")
        await settle(pilot)
        log = _log(app)
        assert [a.contact_id for a in log.attendees] == [w["ben"]]
        assert log.query_one("#notes", TextArea).text == "fix the box"
        # Back past the list to the field; ↓ on the empty field reaches the list.
        burst(app, "shift+tab")
        await settle(pilot)
        assert app.focused is log.picker.field
        burst(app, "down", "x")
        await settle(pilot)
        assert log.attendees == []


async def test_a_pick_typed_and_entered_in_one_burst_picks_once_the_search_is_back(
    db: Database,
) -> None:
    """ "a okafor ⏎" at once: enter came before the search answered ("searching…", dropped)."""
    w = triage_world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, "a", *"okafor", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BarrierTriageScreen)
    assert barrier_of(db, w["b1"]).owner_id == w["ada"]


async def test_enter_typed_before_the_terminal_was_taken_over_still_triages(db: Database) -> None:
    """A terminal still in line mode (keys typed while the app starts) sends Enter as ctrl+j."""
    w = triage_world(db)
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test(size=(140, 50)) as pilot:
        burst(app, "1", "ctrl+j")
        await settle(pilot)
    b1 = barrier_of(db, w["b1"])
    assert (b1.category, b1.status) == ("structure", "triaged")
