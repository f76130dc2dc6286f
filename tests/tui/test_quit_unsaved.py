"""Quitting never throws unsaved work away without asking (``q``, ``ctrl+q``, the palette's Quit).

With nothing unsaved the app quits at once, as before. With a changed form, a meeting being
logged, an edited agreement or review decisions on any mode's screen stack, one question names
them all: ``n``/``escape`` go back with everything as typed, ``y`` quits and stores nothing. A
``q`` typed into a text field is still a letter, never a quit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import func, select
from textual.command import CommandPalette
from textual.widgets import Input, Static, TextArea

from pfpp_tui.models import Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import get_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.screens.unsaved_work import HoldsUnsavedWork

BARRIER_TITLE = "Police data cannot be shared with outreach"
ADDED = " (fear of failure)"


def _count(db: Database, model: Any) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


async def _press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _asking(app: PfppApp) -> str:
    """The unsaved-work question on show (quitting asks the one every move asks)."""
    assert isinstance(app.screen, DiscardChangesScreen)
    return str(app.screen.query_one("#question", Static).render())


async def _edit_barrier(pilot: Any, app: PfppApp, seeded: Seeded) -> RecordFormScreen:
    """Barriers section, ``e`` on the only barrier, its title retyped (not saved)."""
    await settle(pilot)
    await _press(pilot, "6")
    await _press(pilot, "e")
    form = app.screen
    assert isinstance(form, RecordFormScreen) and form.record is not None
    assert form.record.id == seeded.ids["barrier"]
    await _press(pilot, *ADDED)  # the cursor opens at the end: typing adds to the title
    assert form.query_one("#field-title", Input).value == BARRIER_TITLE + ADDED
    return form


async def _log_for_luton(pilot: Any, app: PfppApp) -> MeetingLogScreen:
    """Pilots section on Luton, ``m``, and a line typed into the notes (not saved)."""
    await settle(pilot)
    await _press(pilot, "1", "j", "m")
    log = app.screen
    assert isinstance(log, MeetingLogScreen) and log.pilot is not None
    notes = log.query_one("#notes", TextArea)
    notes.focus()
    await _press(pilot, *"Agreed to pool the grants")
    assert notes.text == "Agreed to pool the grants"
    return log


def test_every_screen_that_asks_before_discarding_also_says_so_on_quit() -> None:
    for screen in (RecordFormScreen, MeetingLogScreen, AgreementScreen, ReviewScreen):
        assert issubclass(screen, HoldsUnsavedWork), screen
    assert not issubclass(SectionScreen, HoldsUnsavedWork)


@pytest.mark.parametrize("keys", [("q",), ("m", "ctrl+q"), ("e", "ctrl+q")])
async def test_quit_with_nothing_unsaved_exits_at_once(
    seeded_path: tuple[Path, Seeded], keys: tuple[str, ...]
) -> None:
    """From a section, and over a meeting log or a form that opened but holds no change."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "6", *keys)
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_quit_with_an_edited_form_asks_go_back_keeps_the_typing(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    before = get_record(check_db, table="barrier", row_id=seeded.ids["barrier"])
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit_barrier(pilot, app, seeded)
        await _press(pilot, "ctrl+q")  # priority: it reaches the app from inside the field
        question = _asking(app)
        assert f"edit of barrier “{BARRIER_TITLE}”" in question  # named, not numbered
        assert app.screen.focused is app.screen.query_one("#keep")  # going back is the default
        await _press(pilot, "escape")
        assert app.screen is form and app.is_running
        assert form.query_one("#field-title", Input).value == BARRIER_TITLE + ADDED
        await _press(pilot, "ctrl+q")
        await _press(pilot, "ctrl+q")  # asked already: a second quit is not an answer
        assert isinstance(app.screen, DiscardChangesScreen) and app.is_running
        await _press(pilot, "n")
        assert app.screen is form and app.is_running
        await _press(pilot, "ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    after = get_record(check_db, table="barrier", row_id=seeded.ids["barrier"])
    assert after["title"] == BARRIER_TITLE and after.version == before.version


async def test_palette_quit_asks_too(seeded_path: tuple[Path, Seeded]) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        form = await _edit_barrier(pilot, app, seeded)
        await _press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await _press(pilot, *"quit")
        await pilot.pause(0.3)
        await _press(pilot, "enter")
        assert "edit of barrier" in _asking(app)
        await _press(pilot, "n")
        assert app.screen is form and app.is_running


async def test_quit_with_a_meeting_being_logged_asks_and_quit_anyway_stores_nothing(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    meetings = _count(check_db, Meeting)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        log = await _log_for_luton(pilot, app)
        await _press(pilot, "ctrl+q")
        assert "a meeting being logged for Luton" in _asking(app)
        await _press(pilot, "n")
        assert app.screen is log
        assert log.query_one("#notes", TextArea).text == "Agreed to pool the grants"
        await _press(pilot, "ctrl+q", "y")
        await pilot.pause()
        assert not app.is_running
    assert _count(check_db, Meeting) == meetings


async def test_meeting_log_draft_still_kept_on_escape_and_offered_back(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """Going back from the quit question leaves the escape → draft → ``m`` flow as it was."""
    meetings = _count(check_db, Meeting)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await _log_for_luton(pilot, app)
        await _press(pilot, "ctrl+q", "escape")  # go back
        await _press(pilot, "escape")  # the log's own question: discard keeps a draft
        assert isinstance(app.screen, DiscardChangesScreen)
        await _press(pilot, "y")
        assert isinstance(app.screen, SectionScreen)
        assert [d.notes for d in app.meeting_drafts.values()] == ["Agreed to pool the grants"]
        await _press(pilot, "m", "y")  # offered back, restored
        log = app.screen
        assert isinstance(log, MeetingLogScreen)
        assert log.query_one("#notes", TextArea).text == "Agreed to pool the grants"
        await _press(pilot, "ctrl+q")  # the restored draft is unsaved work again
        assert "a meeting being logged for Luton" in _asking(app)
        await _press(pilot, "escape", "escape", "y")
        assert isinstance(app.screen, SectionScreen)
        # A kept draft alone is not asked about: it was promised only "until you quit".
        await _press(pilot, "q")
        await pilot.pause()
        assert not app.is_running
    assert _count(check_db, Meeting) == meetings


async def test_q_typed_into_a_text_field_is_a_letter(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        log = await _log_for_luton(pilot, app)
        await _press(pilot, *" quickly, quorate")
        assert log.query_one("#notes", TextArea).text.endswith(" quickly, quorate")
        title = log.query_one("#title", Input)
        title.focus()
        await _press(pilot, *"quarterly q")
        assert title.value.endswith("quarterly q")
        assert app.screen is log and app.is_running
        assert not isinstance(app.screen, DiscardChangesScreen)

    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "6", "slash", *"quash")
        section = app.screen
        assert isinstance(section, SectionScreen) and app.is_running
        assert section.filter_text == "quash"
        await _press(pilot, "escape", "q")  # out of the field, q quits again
        await pilot.pause()
        assert not app.is_running


async def test_review_decisions_and_an_agreement_edit_are_named(
    seeded_path: tuple[Path, Seeded],
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "1", "j", "R")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.agenda is not None
        await _press(pilot, "d")
        await _press(pilot, "q")  # a review has no text field: q reaches the app
        assert "1 decision taken in the review of Luton" in _asking(app)
        await _press(pilot, "escape")
        assert app.screen is review and len(review.decisions) == 1

        await _press(pilot, "escape", "y")  # discard the review, then the agreement
        await _press(pilot, "a", "e")
        agreement = app.screen
        assert isinstance(agreement, AgreementScreen) and agreement.editing
        await _press(pilot, *"Quicker referrals")  # typed into the purpose, q and all
        await _press(pilot, "ctrl+q")
        assert "edit of the Luton agreement" in _asking(app)
        await _press(pilot, "n")
        assert app.screen is agreement and agreement.changed


async def test_unsaved_work_in_another_mode_is_named_too(seeded_path: tuple[Path, Seeded]) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        log = await _log_for_luton(pilot, app)
        assert app.current_mode == "pilots"
        await app.switch_mode("barriers")  # no key does this over a log; a future one might
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        await _press(pilot, "q")
        assert "a meeting being logged for Luton" in _asking(app)
        await _press(pilot, "escape")
        await app.switch_mode("pilots")
        await settle(pilot)
        assert app.screen is log
