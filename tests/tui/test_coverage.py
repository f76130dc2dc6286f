"""CoverageScreen pilot tests over sample.db: cells against direct queries, records, teams."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import text
from textual.coordinate import Coordinate
from textual.widgets import DataTable, OptionList

from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.screens.coverage import CoverageCellScreen, CoverageScreen
from tests.tui.workflow_app import HostApp, settle

AS_OF = date(2023, 11, 10)


class CoverageHost(HostApp):
    def __init__(self, db: Database) -> None:
        super().__init__(CoverageScreen(db, today=AS_OF))
        self.opened: list[tuple[str, int]] = []

    def on_coverage_screen_record_chosen(self, message: CoverageScreen.RecordChosen) -> None:
        self.opened.append((message.table, message.row_id))


def rows(db: Database, query: str, **params: Any) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(query), params))


def _position(table: DataTable[Any], pilot: str, column: str) -> tuple[int, int]:
    row = next(
        r for r in range(table.row_count) if str(table.get_cell_at(Coordinate(r, 0))) == pilot
    )
    labels = [str(c.label) for c in table.ordered_columns]
    return row, labels.index(column)


async def test_matrix_cells_match_direct_queries(sample_db: Database) -> None:
    app = CoverageHost(sample_db)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#coverage-table", DataTable)
        departments = rows(sample_db, "SELECT short_name FROM organisation "
                                      "WHERE kind = 'central_department'")  # fmt: skip
        assert len(table.columns) == 1 + len(departments)
        assert table.row_count == 13
        ((held,),) = rows(
            sample_db,
            "SELECT MAX(m.held_at) FROM meeting m JOIN meeting_attendee a ON a.meeting_id = m.id "
            "JOIN contact c ON c.id = a.contact_id JOIN pilot p ON p.id = m.pilot_id "
            "WHERE p.name = 'Luton' AND c.organisation_id = 1 AND m.held_at < :end",
            end=(AS_OF + timedelta(days=1)).isoformat(),
        )
        days = (AS_OF - datetime.fromisoformat(held).date()).days
        r, c = _position(table, "Luton", "MHCLG")
        shown = table.get_cell_at(Coordinate(r, c))
        assert str(shown).startswith(f"{days}d")
        assert "green" in str(shown.style)  # recent
        r2, c2 = _position(table, "Northumberland", "Defra")
        assert "!" in str(table.get_cell_at(Coordinate(r2, c2)))  # stale: over 60 days
        assert "orange" in str(table.get_cell_at(Coordinate(r2, c2)).style)
        r3, c3 = _position(table, "Luton", "CO")
        assert str(table.get_cell_at(Coordinate(r3, c3))).startswith("never")
        assert "red" in str(table.get_cell_at(Coordinate(r3, c3)).style)


async def test_enter_lists_the_records_and_picking_one_opens_it(sample_db: Database) -> None:
    app = CoverageHost(sample_db)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#coverage-table", DataTable)
        r, c = _position(table, "Luton", "MHCLG")
        table.move_cursor(row=r, column=c)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CoverageCellScreen)
        records = app.screen.records
        actions = rows(
            sample_db,
            "SELECT a.id FROM action a JOIN contact c ON c.id = a.owner_id JOIN pilot p "
            "ON p.id = a.pilot_id WHERE p.name = 'Luton' AND c.organisation_id = 1 AND a.status "
            "IN ('open','in_progress','waiting','blocked') ORDER BY a.id",
        )
        assert sorted(a.id for a in records.actions) == [a[0] for a in actions]
        options = app.screen.query_one(OptionList)
        first_action = next(
            i for i in range(options.option_count) if (options.get_option_at_index(i).id or "")
            .startswith("action-")
        )  # fmt: skip
        options.highlighted = first_action
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)
        assert app.opened == [("action", records.actions[0].id)]


async def test_t_drills_into_teams_and_escape_comes_back(sample_db: Database) -> None:
    app = CoverageHost(sample_db)
    async with app.run_test(size=(170, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#coverage-table", DataTable)
        r, c = _position(table, "Luton", "MHCLG")
        table.move_cursor(row=r, column=c)
        await pilot.press("t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CoverageScreen) and screen.organisation_id == 1
        teams = rows(sample_db, "SELECT name FROM team WHERE organisation_id = 1 ORDER BY name")
        teams_table = screen.query_one("#coverage-table", DataTable)
        assert [str(col.label) for col in teams_table.ordered_columns][1:] == [t[0] for t in teams]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen) and app.screen.organisation_id is None
