"""A key's own frame comes first: what a section loads after it fills in later (issue 19).

- a cursor move paints the cursor on its row before the detail pane's reads start, and the
  pane then shows the row the cursor stopped on, never an older answer;
- switching back to a section shows its rows as they were at once (no "Loading…", no 50 ms
  hold), then the fresh rows and count replace them.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from textual.app import App
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens import section as section_module
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.widgets.record_table import RecordTable


def _table(app: PfppApp) -> RecordTable:
    return app.screen.query_one(RecordTable)


def _detail(app: PfppApp) -> str:
    return str(app.screen.query_one("#detail-body", Static).render())


def _title(app: PfppApp) -> str:
    return str(app.screen.query_one("#section-title", Static).render())


class _Gate:
    """Holds a store call in its worker thread until the test releases it."""

    def __init__(self) -> None:
        self.reached, self.release = threading.Event(), threading.Event()

    def wait(self) -> None:
        self.reached.set()
        assert self.release.wait(10)

    async def until_reached(self, pilot: Pilot[None]) -> None:
        for _ in range(1000):
            if self.reached.is_set():
                return
            await pilot.pause()
        raise AssertionError("the held call was never made")


async def test_cursor_is_painted_before_the_detail_is_read(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table tells of a new highlighted row (the screen then reads its detail) only
    once it has drawn the cursor on that row: the reads never hold back that frame."""
    painted: set[int] = set()  # rows drawn with the cursor on them
    draw = RecordTable.render_line

    def render_line(self: RecordTable, y: int) -> Strip:
        if y and int(self.scroll_offset.y) + y - 1 == self.cursor:
            painted.add(self.cursor)
        return draw(self, y)

    told: list[tuple[int | None, bool]] = []  # each Highlighted: row, was row 1 painted?
    post = RecordTable.post_message

    def post_message(self: RecordTable, message: Any) -> bool:
        if isinstance(message, RecordTable.Highlighted):
            told.append((message.row_id, 1 in painted))
        return post(self, message)

    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")  # pilots by name: Hackney, Luton
        await settle(pilot)
        monkeypatch.setattr(RecordTable, "render_line", render_line)
        monkeypatch.setattr(RecordTable, "post_message", post_message)
        table = _table(app)
        luton = table.rows[1].id
        table.cursor = 1  # what j does
        assert told == []  # not told while the move is handled, before any frame
        await settle(pilot)
        assert told == [(luton, True)]
        assert "Luton" in _detail(app)


async def test_moves_faster_than_frames_read_only_the_row_the_cursor_stops_on(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    detail = section_module.record_detail

    def record_detail(db: Database, table: str, row_id: int) -> Any:
        read.append(row_id)
        return detail(db, table, row_id)

    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(section_module, "record_detail", record_detail)
        table = _table(app)
        table.cursor = 1  # three moves before the next frame
        table.cursor = 2
        table.cursor = 1
        await settle(pilot)
        assert read == [table.rows[1].id]
        assert table.rows[1].cells[0] in _detail(app)


async def test_fast_moves_leave_the_detail_of_the_row_the_cursor_stopped_on(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow answer for a row the cursor has left never replaces the newer row's detail."""
    gate = _Gate()
    read = section_module.record_detail
    held: list[int] = []

    def record_detail(db: Database, table: str, row_id: int) -> Any:
        if not held:  # the first read after the moves starts: hold it
            held.append(row_id)
            gate.wait()
        return read(db, table, row_id)

    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(section_module, "record_detail", record_detail)
        table = _table(app)
        await pilot.press("j")
        await gate.until_reached(pilot)  # row 1's detail is being read, and held
        await pilot.press("j")
        for _ in range(1000):  # row 2's detail is read and shown meanwhile
            if table.rows[2].cells[0] in _detail(app):
                break
            await pilot.pause()
        gate.release.set()
        await settle(pilot)
        assert held == [table.rows[1].id]
        assert table.cursor == 2
        assert table.rows[2].cells[0] in _detail(app)
        assert table.rows[1].cells[0] not in _detail(app)


async def test_switching_back_shows_the_rows_at_once_and_then_fresh_ones(
    seeded_path: tuple[Path, Seeded], check_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Back on People: its rows, cursor and count while they are fetched again, then new."""
    gate = _Gate()
    fetch = section_module.fetch_page

    def fetch_page(*args: Any, **kwargs: Any) -> Any:
        gate.wait()
        return fetch(*args, **kwargs)

    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        before = dict(_table(app).rows)
        assert len(before) == 3 and "3 rows" in _title(app)
        await pilot.press("5")
        await settle(pilot)
        values = {"first_name": "Zara", "last_name": "Ali"}
        create_record(check_db, table="contact", values=values, source=ChangeSource.SAMPLE)
        monkeypatch.setattr(section_module, "fetch_page", fetch_page)
        await pilot.press("2")
        await gate.until_reached(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.section.key == "contacts"
        assert _table(app).rows == before and _table(app).cursor == 1
        assert "3 rows" in _title(app)  # not "counting…"
        gate.release.set()
        await settle(pilot)
        names = [row.cells[0] for row in _table(app).rows.values()]
        assert len(names) == 4 and any("Ali" in name for name in names)
        assert "4 rows" in _title(app)
        assert _table(app).rows[_table(app).cursor].cells[0] in _detail(app)


async def test_only_a_first_switch_to_a_section_holds_its_frames(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual hides a new screen composing (``delay_update``); a composed one needs no hold."""
    holds: list[float] = []
    monkeypatch.setattr(App, "delay_update", lambda self, delay=0.05: holds.append(delay))
    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, section in [("5", "actions"), ("2", "contacts"), ("5", "actions")]:
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, SectionScreen) and screen.section.key == section
            assert _table(app).rows
        assert len(holds) == 1  # actions, the first time it is shown


async def test_a_move_redraws_only_the_two_rows_it_changes(
    seeded_path: tuple[Path, Seeded], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``j`` redraws the row the cursor left and the one it reached, not the whole table."""
    drawn: list[int] = []
    draw = RecordTable.render_line

    def render_line(self: RecordTable, y: int) -> Strip:
        drawn.append(y)
        return draw(self, y)

    app = PfppApp(str(seeded_path[0]), section="contacts")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(RecordTable, "render_line", render_line)
        await pilot.press("j")
        await settle(pilot)  # the detail pane fills in too: the table is not drawn again
        assert sorted(drawn) == [1, 2]  # line 0 is the header
        assert _table(app).cursor == 1
        assert _table(app).rows[1].cells[0] in _detail(app)
