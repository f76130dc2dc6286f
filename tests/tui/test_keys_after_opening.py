"""Keys typed in one burst with the key that opens a screen, or a form, land in it in order.

``burst`` hands every key to the driver at once, as a terminal read does (``tmux send-keys``,
a fast typist, a paste): none waits for the screen its first key opens to mount, for a record
to load, or for a field to take the keys before it.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import col, select
from textual.widgets import TextArea

from pfpp_tui.models import Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import get_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.record_table import RecordTable
from tests.tui.test_keys_land import burst
from tests.tui.workflow_app import HostApp
from tests.workflow_seed import seed_world


async def _on_pilot(app: PfppApp, pilot: object, pilot_id: int) -> None:
    burst(app, "1")
    await settle(pilot)
    section = app.screen
    assert isinstance(section, SectionScreen)
    section.show_record(pilot_id)  # opens the record, the cursor on it
    await settle(pilot)
    burst(app, "escape")  # back to the list
    await settle(pilot)
    assert app.screen is section
    assert section.query_one(RecordTable).highlighted_id == pilot_id


async def test_a_form_typed_into_and_saved_in_the_burst_that_opens_it(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "5")  # newest first: "Circulate minutes"
        await settle(pilot)
        burst(app, "e", "end", *" v2", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)  # saved and closed
    action = get_record(check_db, table="action", row_id=seeded.ids["done"])
    assert action["title"] == "Circulate minutes v2"


async def test_ctrl_s_typed_straight_after_the_text_saves_the_text(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """The form already open: ctrl+s came before " v2" reached the field ("No changes")."""
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "5")
        await settle(pilot)
        burst(app, "e")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        burst(app, "end", *" v2", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
    action = get_record(check_db, table="action", row_id=seeded.ids["done"])
    assert action["title"] == "Circulate minutes v2"


async def test_names_typed_with_m_go_into_the_meeting_log(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _on_pilot(app, pilot, seeded.ids["luton"])
        burst(app, "m", *"okafor")
        await settle(pilot)
        log = app.screen
        assert isinstance(log, MeetingLogScreen)
        assert log.pilot is not None and log.pilot.id == seeded.ids["luton"]
        assert log.picker.field.value == "okafor"


async def test_a_decision_and_ctrl_s_typed_with_r_save_the_review(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _on_pilot(app, pilot, seeded.ids["luton"])
        burst(app, "R", "equals_sign", *"Pool the grants", "enter", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ReviewScreen)  # saved and closed
    with check_db.read() as session:
        review = session.exec(select(Meeting).where(col(Meeting.kind) == "review")).one()
        assert review.decisions == "Pool the grants"


async def test_ctrl_s_straight_after_a_decision_saves_it(db: Database) -> None:
    w = seed_world(db)
    app = HostApp(ReviewScreen(db, pilot_id=w["luton"]))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        burst(app, "equals_sign", *"Next review in a month", "enter", "ctrl+s")
        await settle(pilot)
    assert len(app.results) == 1 and isinstance(app.results[0], int)
    with db.read() as session:
        review = session.get(Meeting, app.results[0])
        assert review is not None and review.decisions == "Next review in a month"


async def test_an_edit_typed_with_a_goes_into_the_agreement(sample_db: Database) -> None:
    from pfpp_tui.models import Pilot

    with sample_db.read() as session:
        durham = session.exec(select(Pilot).where(col(Pilot.name) == "Durham")).one()
        assert durham.id is not None
        durham_id = durham.id
    app = HostApp(AgreementScreen(sample_db, durham_id))
    async with app.run_test(size=(120, 50)) as pilot:
        burst(app, "e", "ctrl+home", *"Now: ")  # before the agreement has loaded
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen) and screen.editing
        purpose = screen.query_one("#field-purpose", TextArea).text
        assert purpose.startswith("Now: ") and len(purpose) > len("Now: ")


async def test_a_record_named_in_the_palette_in_one_burst_is_gone_to(
    seeded_path: tuple[Path, Seeded],
) -> None:
    """ "ctrl+p Hackney ⏎" at once: enter came before the search answered, and closed it."""
    from pfpp_tui.tui.screens.record_view import RecordViewScreen

    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "ctrl+p", *"Hackney", "enter")
        await settle(pilot)
        assert app.current_mode == "pilots"
        view = app.screen
        assert isinstance(view, RecordViewScreen)
        assert (view.detail.table, view.detail.id) == ("pilot", seeded.ids["hackney"])
