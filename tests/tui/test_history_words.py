"""The history pane speaks in labels and names: "Escalated to: — → Home Office", never the
column it is stored in or a bare id; an undo's reason says whose change it undid, not a batch id.
The CLI's ``pfpp history`` words the undo the same way."""

from __future__ import annotations

from pathlib import Path

from seed import Seeded  # type: ignore[import-not-found]
from textual.widgets import DataTable, Static
from typer.testing import CliRunner

from pfpp_tui.cli.main import app as cli_app
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.history.undo import new_batch, save_in_batch, undo_batch
from pfpp_tui.tui.screens.history import HistoryScreen
from tests.tui.workflow_app import HostApp, settle


async def test_history_names_fields_by_label_and_links_by_name(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    _path, seeded = seeded_path
    barrier = seeded.ids["barrier"]
    batch = new_batch()
    save_in_batch(
        check_db, table="barrier", row_id=barrier, batch=batch,
        values={"escalated_to_organisation_id": seeded.ids["desnz"]},
    )  # fmt: skip
    undo_batch(check_db, batch)
    app = HostApp(HistoryScreen(check_db, "barrier", barrier))
    async with app.run_test(size=(150, 42)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        shown = []
        for row in range(table.row_count):  # j moves down the list, k back up
            assert table.cursor_row == row
            shown.append(str(app.screen.query_one("#history-changes", Static).render()))
            await pilot.press("j")
        await pilot.press("k")
        assert table.cursor_row == table.row_count - 2
        cells = [" | ".join(str(c) for c in table.get_row_at(r)) for r in range(table.row_count)]
    undo, edit, created = shown
    desnz, home = "Department for Energy Security and Net Zero (DESNZ)", "Home Office (HO)"
    assert f"Escalated to: {desnz} → {home}" in undo
    assert f"Escalated to: {home} → {desnz}" in edit
    assert f"Escalated to: — → {home}" in created
    assert "why: undo of tester's change of " in undo and batch not in undo
    assert "Escalated to" in cells[0] and batch not in cells[0]
    for text in [*shown, *cells]:
        assert "escalated_to_organisation_id" not in text
        assert "pilot_id" not in text


def test_cli_history_words_an_undo_like_the_tui(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    batch = new_batch()
    save_in_batch(
        check_db, table="barrier", row_id=seeded.ids["barrier"], batch=batch,
        values={"title": "Police data still cannot be shared"},
    )  # fmt: skip
    undo_batch(check_db, batch)
    result = CliRunner().invoke(
        cli_app, ["--db", str(path), "history", "barrier", str(seeded.ids["barrier"])]
    )
    assert result.exit_code == 0, result.output
    assert "reason: undo of tester's change of " in result.output
    assert batch not in result.output
