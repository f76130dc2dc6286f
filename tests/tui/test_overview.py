"""OverviewPanel pilot tests over sample.db: the numbers on screen against direct queries."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.tui.widgets.insight_charts import MonthChart
from pfpp_tui.tui.widgets.overview import OverviewPanel
from tests.tui.workflow_app import settle

AS_OF = date(2023, 11, 10)
OPEN_A = "('open','in_progress','waiting','blocked')"


class PanelApp(App[None]):
    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.chosen: list[tuple[int, str]] = []

    def compose(self) -> ComposeResult:
        yield OverviewPanel(self.db, today=AS_OF)

    def on_overview_panel_pilot_chosen(self, message: OverviewPanel.PilotChosen) -> None:
        self.chosen.append((message.pilot_id, message.name))


def scalar(db: Database, query: str, **params: Any) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(query), params).scalar_one()


def cell(table: DataTable[Any], row: int, column: int) -> str:
    return str(table.get_cell_at(Coordinate(row, column)))


async def test_pilot_table_numbers_and_sorting(sample_db: Database) -> None:
    app = PanelApp(sample_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.query_one("#overview-pilots", DataTable)
        assert table.row_count == scalar(sample_db, "SELECT COUNT(*) FROM pilot")
        # Sorted by RAG first: every red pilot above every amber one.
        rags = [cell(table, r, 1).strip() for r in range(table.row_count)]
        assert rags == sorted(rags, key=["RED", "AMBER", "GREEN"].index)
        for r in range(table.row_count):
            name = cell(table, r, 0)
            pid = scalar(sample_db, "SELECT id FROM pilot WHERE name = :n", n=name)
            opened = scalar(sample_db, f"SELECT COUNT(*) FROM action WHERE pilot_id = :p "
                            f"AND status IN {OPEN_A}", p=pid)  # fmt: skip
            overdue = scalar(sample_db, f"SELECT COUNT(*) FROM action WHERE pilot_id = :p "
                             f"AND status IN {OPEN_A} AND due_date < :d", p=pid,
                             d=AS_OF.isoformat())  # fmt: skip
            assert (cell(table, r, 2), cell(table, r, 3)) == (str(opened), str(overdue))
        status = str(app.query_one("#overview-status", Static).render())
        total_overdue = scalar(sample_db, f"SELECT COUNT(*) FROM action WHERE status IN "
                               f"{OPEN_A} AND due_date < :d AND pilot_id IS NOT NULL",
                               d=AS_OF.isoformat())  # fmt: skip
        assert f"({total_overdue} overdue)" in status
        await pilot.press("s", "s")  # rag → open → overdue (most overdue first)
        panel = app.query_one(OverviewPanel)
        assert panel.sort_key == "overdue"
        overdue_col = [int(cell(table, r, 3)) for r in range(table.row_count)]
        assert overdue_col == sorted(overdue_col, reverse=True)
        await pilot.click("#overview-pilots", offset=(2, 0))  # the Pilot header
        await pilot.pause()
        names = [cell(table, r, 0) for r in range(table.row_count)]
        assert panel.sort_key == "pilot" and names == sorted(names)


async def test_enter_drills_into_the_highlighted_pilot(sample_db: Database) -> None:
    app = PanelApp(sample_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.query_one("#overview-pilots", DataTable)
        table.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        name = cell(table, 1, 0)
        pid = scalar(sample_db, "SELECT id FROM pilot WHERE name = :n", n=name)
        assert app.chosen == [(pid, name)]


async def test_heat_map_charts_and_escalations(sample_db: Database) -> None:
    app = PanelApp(sample_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.query_one(OverviewPanel)
        assert panel.data is not None
        data = panel.data
        structure = scalar(sample_db, "SELECT COUNT(*) FROM barrier WHERE category = "
                           "'structure' AND pilot_id IS NOT NULL")  # fmt: skip
        assert data.categories.category_total("structure") == structure
        chart = app.query_one("#overview-barrier-chart", MonthChart)
        raised = dict(zip(chart.months, chart.series[0][1], strict=True))
        nov22 = scalar(sample_db, "SELECT COUNT(*) FROM barrier WHERE raised_on >= '2022-11-01' "
                       "AND raised_on < '2022-12-01'")  # fmt: skip
        assert raised[date(2022, 11, 1)] == nov22
        completed = app.query_one("#overview-action-chart", MonthChart).series[0][1]
        done = scalar(sample_db, "SELECT COUNT(*) FROM action WHERE status = 'done' "
                      "AND completed_on IS NOT NULL")  # fmt: skip
        assert sum(completed) == done
        escalations = str(app.query_one("#overview-escalations", Static).render())
        waiting = scalar(sample_db, "SELECT COUNT(*) FROM barrier WHERE status = 'escalated' "
                         "AND escalated_to_organisation_id = 1")  # fmt: skip
        assert escalations.splitlines()[1].startswith(f"MHCLG — {waiting} open")


async def test_sort_by_the_partnership_variables(sample_db: Database) -> None:
    """Issue 11: the overview can sort by the latest ratings of the four variables."""
    from pfpp_tui.store.insight.partnership_health import latest_ratings

    totals = {s.pilot: s.total for s in latest_ratings(sample_db).values()}
    app = PanelApp(sample_db)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.query_one(OverviewPanel)
        for _ in range(5):  # rag → open → overdue → barriers → met → partnership
            await pilot.press("s")
        assert panel.sort_key == "partnership"
        table = app.query_one("#overview-pilots", DataTable)
        shown = [(cell(table, r, 0), cell(table, r, 6)) for r in range(table.row_count)]
        assert [f"{totals[name]}/20" for name, _ in shown] == [text for _, text in shown]
        column = [totals[name] for name, _ in shown]
        assert column == sorted(column, reverse=True)


def test_last_met_reads_as_words_for_today_and_yesterday() -> None:
    from pfpp_tui.tui.widgets.overview import _met

    assert [_met(None), _met(0), _met(1), _met(12)] == ["never", "today", "yesterday", "12d ago"]


async def test_the_status_line_counts_in_words_with_one_of_each(tmp_path: Any) -> None:
    """One pilot with one open action and one open barrier: "1 pilot · 1 open action …", never
    "1 pilots" (the line made its own plurals)."""
    db = open_database(tmp_path / "one.db")
    try:
        pilot_row = create_record(db, table="pilot", source=ChangeSource.SAMPLE,
                                  values={"name": "Luton"})  # fmt: skip
        create_record(db, table="action", source=ChangeSource.SAMPLE,
                      values={"title": "Book the room", "pilot_id": pilot_row.id})  # fmt: skip
        create_record(db, table="barrier", source=ChangeSource.SAMPLE,
                      values={"title": "No room", "pilot_id": pilot_row.id,
                              "raised_on": AS_OF})  # fmt: skip
        app = PanelApp(db)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            status = str(app.query_one("#overview-status", Static).render())
            assert status.startswith(
                "1 pilot · 1 open action (0 overdue) · 1 open barrier · as of"
            ), status
    finally:
        db.dispose()
