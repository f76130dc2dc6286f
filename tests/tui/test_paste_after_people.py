"""Notes pasted straight after ``tab`` once someone is listed go into the notes.

With people in the meeting, ``tab`` from the attendee field moved to the list of them (where
``delete`` removes one); a list holds no text, and the notes pasted there were dropped. ``tab``
now goes past the list, to the notes (``test_keys_land``); a paste on the list still lands there.
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from tests.tui.conftest import settle
from tests.tui.test_keys_land import NOTES, burst
from tests.tui.workflow_app import HostApp
from tests.workflow_seed import seed_world


async def test_notes_pasted_straight_after_tab_from_the_people_go_into_the_notes(
    db: Database,
) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        burst(app, *"ben", "enter", *"cara", "enter")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, MeetingLogScreen)
        assert [a.contact_id for a in log.attendees] == [w["ben"], w["cara"]]
        burst(app, "tab", events.Paste(NOTES))  # tab goes on to the notes
        await settle(pilot)
        notes = log.query_one("#notes", TextArea)
        assert notes.text == NOTES
        assert app.focused is notes
        assert [a.contact_id for a in log.attendees] == [w["ben"], w["cara"]]  # nobody removed
