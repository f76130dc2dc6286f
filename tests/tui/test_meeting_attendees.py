"""The meeting log's attendees and kind, as a new user met them (bugs found trying the app).

No key typed or pasted is lost (``+`` is text, read when ``enter`` commits it); ``enter`` takes
only a confident match or the suggestion moved to with ``↓``; a pasted list adds the people it
names exactly and leaves the rest in the field, named; attendees can be removed; the kind shows
and accepts its label. Each test checks the widgets and the rows saved by ``ctrl+s``.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from pfpp_tui.models import Contact, Meeting, MeetingAttendee
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.workflow_lookup import Named, pilot_by_name
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.widgets.attendee_picker import AttendeeList
from tests.tui.workflow_app import HostApp, settle
from tests.workflow_seed import seed_world

TESS = "+Tess Newcomer, tess.newcomer@luton.example, Luton Borough Council"


def _log(app: HostApp) -> MeetingLogScreen:
    assert isinstance(app.screen, MeetingLogScreen)
    return app.screen


def _hint(app: HostApp) -> str:
    return str(app.screen.query_one("#attendee-hint", Static).render())


def _contacts(db: Database) -> int:
    with db.read() as s:
        return int(s.exec(select(func.count()).select_from(Contact)).one())


def _saved_attendees(db: Database, app: HostApp) -> set[int]:
    """Who attends the meeting the log was dismissed with."""
    [meeting_id] = app.results
    with db.read() as s:
        return set(
            s.exec(
                select(MeetingAttendee.contact_id).where(
                    col(MeetingAttendee.meeting_id) == meeting_id
                )
            ).all()
        )


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def _save(pilot: Pilot[None], app: HostApp) -> None:
    await _press(pilot, "ctrl+s")
    assert app.results and isinstance(app.results[-1], int), "the meeting was not saved"


def _luton(db: Database) -> Named:
    with db.read() as session:
        return pilot_by_name(session, "Luton")


async def test_fast_typing_a_new_person_loses_no_key(sample_db: Database) -> None:
    before = _contacts(sample_db)
    app = HostApp(MeetingLogScreen(sample_db, pilot=_luton(sample_db)))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await pilot.press(*TESS, "enter")  # no pauses: as fast as the terminal delivers
        await settle(pilot)
        [tess] = _log(app).attendees
        assert tess.label == "Tess Newcomer (new)" and tess.new is not None
        assert tess.new.email == "tess.newcomer@luton.example"
        assert app.screen.query_one("#attendee", Input).value == ""
        await _save(pilot, app)
    assert _contacts(sample_db) == before + 1
    with sample_db.read() as s:
        row = s.exec(
            select(Contact).where(col(Contact.email) == "tess.newcomer@luton.example")
        ).one()
        assert (row.first_name, row.last_name) == ("Tess", "Newcomer")
        assert row.organisation_id is not None
        tess_id = row.id
    assert _saved_attendees(sample_db, app) == {tess_id}


async def test_pasting_a_new_person_never_takes_a_loose_match(sample_db: Database) -> None:
    app = HostApp(MeetingLogScreen(sample_db, pilot=_luton(sample_db)))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.post_message(events.Paste(TESS))
        await settle(pilot)
        assert app.screen.query_one("#attendee", Input).value == TESS
        assert "Will Jones" not in _hint(app)
        await _press(pilot, "enter")
        assert [a.label for a in _log(app).attendees] == ["Tess Newcomer (new)"]


async def test_a_pasted_invite_adds_exact_people_and_names_the_rest(sample_db: Database) -> None:
    before = _contacts(sample_db)
    invite = (
        "Emma Nowak <emma.nowak@blmk-icb.example>; Bob Roe <bob@y.gov.uk>\n"
        "Will Jonse, tess.newcomer@luton.example"
    )
    app = HostApp(MeetingLogScreen(sample_db, pilot=_luton(sample_db)))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.post_message(events.Paste(invite))  # two lines: both kept
        await settle(pilot)
        assert "enter adds 1 of 4" in _hint(app)
        await _press(pilot, "enter")
        assert [a.label for a in _log(app).attendees] == [
            "Emma Nowak <emma.nowak@blmk-icb.example>"
        ]
        field = app.screen.query_one("#attendee", Input)
        left = "Bob Roe <bob@y.gov.uk>; Will Jonse; tess.newcomer@luton.example"
        assert field.value == left
        hint = _hint(app)
        assert "added Emma Nowak" in hint
        for who in ("Bob Roe", "Will Jonse", "tess.newcomer@luton.example"):
            assert f"not found: {who}" in hint
        await _press(pilot, "ctrl+s")  # people still in the field: not saved without them
        assert "not added yet" in str(app.screen.query_one("#log-error", Static).render())
        assert not app.results
        await _press(pilot, "ctrl+u")  # the user lets the unmatched ones go
        await _save(pilot, app)
    assert _contacts(sample_db) == before
    assert len(_saved_attendees(sample_db, app)) == 1


async def test_enter_does_not_take_a_fuzzy_suggestion_but_arrows_do(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await _press(pilot, *"Cara Jonse")
        assert "Cara Jones" in _hint(app)  # suggested...
        await _press(pilot, "enter")
        assert _log(app).attendees == []  # ...not taken
        assert app.screen.query_one("#attendee", Input).value == "Cara Jonse"
        assert "no exact match for 'Cara Jonse'" in _hint(app)
        await _press(pilot, "down")
        assert "▸ Cara Jones" in _hint(app)
        await _press(pilot, "enter")  # moved to it: the user chose
        assert [a.contact_id for a in _log(app).attendees] == [w["cara"]]
        await _press(pilot, *"shah", "enter")  # Ben and Bea: ambiguous, not guessed
        assert len(_log(app).attendees) == 1
        await _press(pilot, "ctrl+u")
        await _save(pilot, app)
    assert _saved_attendees(db, app) == {w["cara"]}


async def test_attendees_can_be_removed_and_the_hint_says_how(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        for who in ("ben", "cara", "eve"):
            await _press(pilot, *who, "enter")
        assert [a.contact_id for a in _log(app).attendees] == [w["ben"], w["cara"], w["eve"]]
        count = str(app.screen.query_one("#attendee-count", Static).render())
        assert "3 attendees" in count and "backspace" in count and "delete" in count
        await _press(pilot, "backspace")  # the empty field: the last one goes
        assert [a.contact_id for a in _log(app).attendees] == [w["ben"], w["cara"]]
        assert "removed Eve Patel" in _hint(app)
        await _press(pilot, "down")  # ↓ on the empty field: the list (tab goes to the notes)
        assert isinstance(app.focused, AttendeeList)
        await _press(pilot, "home", "delete")  # the first one, moved to explicitly
        assert [a.contact_id for a in _log(app).attendees] == [w["cara"]]
        app.screen.query_one("#notes", TextArea).focus()
        await _save(pilot, app)
    assert _saved_attendees(db, app) == {w["cara"]}


async def test_kind_shows_and_takes_labels_and_lists_them_when_wrong(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(MeetingLogScreen(db, pilot=Named(w["luton"], "Luton")))
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        kind = app.screen.query_one("#kind", Input)
        title = app.screen.query_one("#title", Input)
        assert kind.value == "Pilot check-in" and title.value == "Pilot check-in — Luton"
        kind.focus()
        await _press(pilot, "ctrl+u", *"nonsense")
        hint = str(app.screen.query_one("#kind-hint", Static).render())
        assert "Pilot check-in" in hint and "Local board" in hint and "Site visit" in hint
        await _press(pilot, "ctrl+u", *"board")
        assert "Local board" in str(app.screen.query_one("#kind-hint", Static).render())
        await _press(pilot, "enter")
        assert kind.value == "Local board" and title.value == "Local board — Luton"
        kind.focus()
        await _press(pilot, "ctrl+u", *"site_visit", "enter")  # the stored value works too
        assert kind.value == "Site visit"
        await _save(pilot, app)
    with db.read() as s:
        meeting = s.exec(select(Meeting)).one()
        assert (meeting.kind, meeting.title) == ("site_visit", "Site visit — Luton")
