"""Vocabulary values read as words on screen ("In progress"), never as stored ("in_progress").

Bug: the table, the detail pane, the full record and form selects showed ``in progress``,
``data sharing: … [escalated]``, ``Rag: green`` and a kind select offering ``pilot check in``.
Each check below looks at what is drawn, then at what is stored (which must stay raw).
"""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import Input, Select, Static

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record, get_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.history import HistoryScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.record_view import RecordViewScreen
from pfpp_tui.tui.screens.triage import BarrierTriageScreen
from pfpp_tui.tui.widgets.record_table import RecordTable
from tests.tui.workflow_app import HostApp
from tests.workflow_seed import TODAY, seed_world


def _busy_action(path: Path) -> int:
    """An action in progress (the seed has none), written before the app opens the file."""
    db = open_database(path)
    try:
        record = create_record(
            db, table="action", values={"title": "Chase the DSA", "status": "in_progress"},
            source=ChangeSource.SAMPLE,
        )  # fmt: skip
        return record.id
    finally:
        db.dispose()


def _drawn_rows(app: PfppApp) -> str:
    """The table as drawn: header and every row line on screen."""
    table = app.screen.query_one(RecordTable)
    lines = (table.render_line(y) for y in range(table.total + 1))
    return "\n".join("".join(segment.text for segment in strip) for strip in lines)


def _pane(app: PfppApp) -> str:
    body = str(app.screen.query_one("#detail-body", Static).render())
    return body + "\n" + str(app.screen.query_one("#detail-links", Static).render())


async def test_table_cell_detail_pane_and_full_record_show_labels(
    seeded_path: tuple[Path, Seeded],
) -> None:
    path, _ = seeded_path
    busy = _busy_action(path)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")  # actions, newest first: the one in progress on top
        await settle(pilot)
        assert app.screen.query_one(RecordTable).highlighted_id == busy
        drawn = _drawn_rows(app)
        assert "In progress" in drawn and "in_progress" not in drawn
        assert "in progress" not in drawn
        assert "Status: In progress" in _pane(app)
        await pilot.press("6")  # barriers: the seeded one is data_sharing, high, escalated
        await settle(pilot)
        drawn, pane = _drawn_rows(app), _pane(app)
        cells = app.screen.query_one(RecordTable).rows[0].cells
        assert cells[1:4] == ("Data sharing", "High", "Escalated")
        assert "Data shar" in drawn and "High" in drawn and "data_shar" not in drawn  # narrow
        assert "Category: Data sharing" in pane and "Severity: High" in pane
        assert "Status: Escalated" in pane and "data_sharing" not in pane
        await pilot.press("1", "j")  # pilots by name: Hackney, Luton
        await settle(pilot)
        pane = _pane(app)
        assert "RAG: Green" in pane and "Rag:" not in pane and "Stage: Delivery" in pane
        assert "Data sharing: Police data cannot be shared with outreach (Escalated)" in pane
        await pilot.press("enter")  # the full record: every field
        await settle(pilot)
        assert isinstance(app.screen, RecordViewScreen)
        record = str(app.screen.query_one("#record-fields Static", Static).render())
        assert "RAG: Green" in record and "Stage: Delivery" in record
        assert "delivery" not in record


async def test_form_select_shows_labels_and_saves_the_stored_value(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, _ = seeded_path
    busy = _busy_action(path)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        status = app.screen.query_one("#field-status", Select)
        assert status.value == "in_progress"
        shown = str(status.query_one("SelectCurrent #label", Static).render())
        assert shown == "In progress"
        prompts = [str(prompt) for prompt, _ in status._options]
        assert "In progress" in prompts and "in progress" not in prompts
        assert "in_progress" not in prompts
        status.value = "blocked"
        await settle(pilot)
        assert str(status.query_one("SelectCurrent #label", Static).render()) == "Blocked"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RecordFormScreen)
        assert get_record(check_db, table="action", row_id=busy)["status"] == "blocked"
        # Its history says so in the same words, and where the change came from.
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        change = str(app.screen.query_one("#history-changes", Static).render())
        assert "Status: In progress → Blocked" in change and "(TUI)" in change
        assert "in_progress" not in change
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        # A new meeting's kind: the words, with the stored value behind each.
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        kinds = app.screen.query_one("#field-kind", Select)._options
        assert ("Pilot check-in", "pilot_check_in") in [(str(p), v) for p, v in kinds]
        assert ("Cross-government roundtable", "cross_government_roundtable") in [
            (str(p), v) for p, v in kinds
        ]
        await pilot.press("escape")
        await settle(pilot)


async def test_filter_still_takes_the_stored_value(seeded_path: tuple[Path, Seeded]) -> None:
    path, _ = seeded_path
    busy = _busy_action(path)
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        app.screen.query_one("#filter", Input).focus()
        await pilot.press(*"status:in_progress", "enter")
        await settle(pilot)
        table = app.screen.query_one(RecordTable)
        assert table.total == 1 and table.highlighted_id == busy
        assert table.rows[0].cells[-1] == "In progress"


async def test_triage_shows_labels(db: Database) -> None:
    w = seed_world(db)
    w.add("b", "barrier", pilot_id=w["luton"], title="GP data cannot be shared",
          category="data_sharing", severity="critical", raised_on=TODAY)  # fmt: skip
    w.add("a", "action", title="Ask the ICB", barrier_id=w["b"], status="in_progress")
    app = HostApp(BarrierTriageScreen(db))
    async with app.run_test() as pilot:
        await settle(pilot)
        body = str(app.screen.query_one("#triage-body", Static).render())
        assert "Category: Data sharing" in body and "Severity: Critical" in body
        assert "Status: New" in body and "(In progress," in body
        assert "data_sharing" not in body and "in_progress" not in body
        footer = {b.key: b.description for b in app.screen._bindings.key_to_bindings.get("4", [])}
        assert footer == {"4": "Data sharing"}
