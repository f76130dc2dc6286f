"""``ctrl+z`` says in words what it undid: the change as the session named it when it was made.

A user reviewed Luton, edited an action and pressed ``ctrl+z`` twice: the second toast said
"Undid creation of meeting 61 and 5 more changes", hiding that a whole review meeting (and the
decisions in it) was gone. Now each toast names the change: "Undid: review meeting with Luton,
1 decision".
"""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import col, select
from textual.widgets import Input

from pfpp_tui.models import Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen


def _toasts(app: PfppApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_undo_toasts_name_the_review_meeting_and_the_edit_they_undid(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1", "j")  # Hackney, Luton: the cursor on Luton
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("d", "ctrl+s")  # one decision, saved as a review meeting
        await settle(pilot)
        await pilot.press("5", "e")  # newest action first: "Circulate minutes"
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        app.screen.query_one("#field-title", Input).value = "Circulate minutes to partners"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        undid = [t for t in _toasts(app) if t.startswith("Undid")]
        assert undid == [
            "Undid: saved action “Circulate minutes to partners”",
            "Undid: review meeting with Luton, 1 decision",
        ]
    with check_db.read() as session:
        assert not session.exec(select(Meeting).where(col(Meeting.kind) == "review")).all()
