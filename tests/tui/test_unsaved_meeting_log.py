"""The meeting log asks before ``escape`` throws a meeting away, and keeps it as a draft.

``escape`` then ``n`` keeps editing, ``y`` closes (nothing stored) but keeps the draft for the
session, so the meeting log for the same pilot offers it back; ``ctrl+s`` saves from the prompt.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from pfpp_tui.models import Meeting, MeetingAttendee
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.meeting_draft import RestoreDraftScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import seed_world


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


NOTES = "Street culture check-in.\n- [ ] send the DSA @ben due:fri\n= pool the two grants\n"


def _log(app: HostApp) -> MeetingLogScreen:
    assert isinstance(app.screen, MeetingLogScreen)
    return app.screen


async def _fill_meeting(pilot: Pilot[None], app: HostApp) -> None:
    """Three attendees and pasted notes, as the tester did."""
    assert app.focused is app.screen.query_one("#attendee", Input)
    for who in ("ben", "cara", "eve"):
        await _press(pilot, *who)
        await _press(pilot, "enter")
    await _press(pilot, "enter")  # empty attendee line → notes
    assert isinstance(app.focused, TextArea)
    app.post_message(events.Paste(NOTES))
    await settle(pilot)
    assert len(_log(app).attendees) == 3


def _meetings(db: Database) -> int:
    return _count(db, Meeting)


async def test_unchanged_meeting_log_closes_at_once(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, "escape")
        assert not isinstance(app.screen, (MeetingLogScreen, DiscardChangesScreen))
        assert app.meeting_drafts == {}
    assert app.results == [None]


async def test_meeting_log_escape_asks_n_keeps_y_discards_and_m_offers_the_draft(
    db: Database,
) -> None:
    w = seed_world(db)
    luton = Named(w["luton"], "Luton")
    app = HostApp(MeetingLogScreen(db, pilot=luton))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _fill_meeting(pilot, app)
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)
        assert "Unsaved: a meeting being logged for Luton — y discard" in str(
            app.screen.query_one("#question").render()
        )
        await _press(pilot, "n")  # keep editing: everything still there
        log = _log(app)
        assert [a.label.split(" <")[0] for a in log.attendees] == [
            "Ben Shah",
            "Cara Jones",
            "Eve Patel",
        ]
        assert log.query_one("#notes", TextArea).text == NOTES
        await _press(pilot, "escape", "y")  # discard: closed, nothing stored, draft kept
        assert not isinstance(app.screen, (MeetingLogScreen, DiscardChangesScreen))
        assert app.results == [None]
        assert _meetings(db) == 0
        assert list(app.meeting_drafts) == [w["luton"]]

        # m again for another pilot: a fresh form, no offer
        app.push_screen(MeetingLogScreen(db, pilot=Named(w["hastings"], "Hastings")))
        await settle(pilot)
        assert isinstance(app.screen, MeetingLogScreen) and app.screen.attendees == []
        await _press(pilot, "escape")

        # m again for Luton: offered back; y restores it all, ctrl+s saves it
        app.push_screen(MeetingLogScreen(db, pilot=luton), app.results.append)
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraftScreen)
        question = str(app.screen.query_one("#question").render())
        assert "Restore the meeting you were logging for Luton?" in question
        assert "3 attendees" in question
        await _press(pilot, "y")
        log = _log(app)
        assert len(log.attendees) == 3 and log.query_one("#notes", TextArea).text == NOTES
        assert log.changed  # restored work is still unsaved work
        await _press(pilot, "ctrl+s")
        assert isinstance(app.results[-1], int)
        assert app.meeting_drafts == {}
    with db.read() as session:
        meeting = session.exec(select(Meeting)).one()
        assert meeting.pilot_id == w["luton"] and "Street culture" in meeting.notes
        attendees = session.exec(
            select(MeetingAttendee).where(col(MeetingAttendee.meeting_id) == meeting.id)
        ).all()
        assert len(attendees) == 3


async def test_meeting_log_draft_declined_is_kept_and_dropped_only_by_d(db: Database) -> None:
    """n/escape on "Restore the meeting…?" start afresh and keep the draft (the safe default,
    as in the unsaved-work question): it is offered again; only d drops it."""
    w = seed_world(db)
    luton = Named(w["luton"], "Luton")
    app = HostApp(MeetingLogScreen(db, pilot=luton))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _fill_meeting(pilot, app)
        await _press(pilot, "escape", "y")
        for key in ("n", "escape"):
            app.push_screen(MeetingLogScreen(db, pilot=luton))
            await settle(pilot)
            assert isinstance(app.screen, RestoreDraftScreen)
            await _press(pilot, key)  # start afresh
            log = _log(app)
            assert log.attendees == [] and log.query_one("#notes", TextArea).text == ""
            assert list(app.meeting_drafts) == [w["luton"]]  # kept for next time
            await _press(pilot, "escape")
            assert not isinstance(app.screen, (MeetingLogScreen, DiscardChangesScreen))
        app.push_screen(MeetingLogScreen(db, pilot=luton))
        await settle(pilot)
        assert isinstance(app.screen, RestoreDraftScreen)  # offered again
        await _press(pilot, "d")  # the one explicit way to drop it
        assert app.meeting_drafts == {}
        await _press(pilot, "escape")
        app.push_screen(MeetingLogScreen(db, pilot=luton))
        await settle(pilot)
        assert isinstance(app.screen, MeetingLogScreen)  # nothing left to offer
    assert _meetings(db) == 0


async def test_a_fresh_meeting_saved_keeps_the_draft_it_did_not_restore(db: Database) -> None:
    w = seed_world(db)
    luton = Named(w["luton"], "Luton")
    app = HostApp(MeetingLogScreen(db, pilot=luton))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _fill_meeting(pilot, app)
        await _press(pilot, "escape", "y")
        app.push_screen(MeetingLogScreen(db, pilot=luton), app.results.append)
        await settle(pilot)
        await _press(pilot, "n", "ctrl+s")  # another meeting, saved as it opened
        assert isinstance(app.results[-1], int)
        assert list(app.meeting_drafts) == [w["luton"]]


async def test_meeting_log_escape_then_ctrl_s_saves(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _fill_meeting(pilot, app)
        await _press(pilot, "escape", "ctrl+s")
        assert not isinstance(app.screen, (MeetingLogScreen, DiscardChangesScreen))
    assert len(app.results) == 1 and isinstance(app.results[0], int)
    assert _meetings(db) == 1
