"""``pfpp history``: who, when (UTC), source, old → new and why, on both engines."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, update_record

runner = CliRunner()


def db_arg(db: Database) -> str:
    return db.location.url.render_as_string(hide_password=False)


def test_history_of_one_record_shows_who_when_source_and_old_to_new(any_db: Database) -> None:
    org = create_record(
        any_db, table="organisation", values={"name": "BEIS"}, source=ChangeSource.TUI
    )
    update_record(
        any_db,
        table="organisation",
        row_id=org.id,
        changes={"name": "DESNZ"},
        source=ChangeSource.CLI,
        reason="department renamed",
    )
    create_record(any_db, table="organisation", values={"name": "DfE"}, source=ChangeSource.CLI)
    result = runner.invoke(app, ["--db", db_arg(any_db), "history", "organisation", str(org.id)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith(f"tester (cli)  update organisation {org.id}")
    assert " UTC " in lines[0]
    assert "    name: 'BEIS' → 'DESNZ'" in lines
    assert "    reason: department renamed" in lines
    assert any(line.endswith(f"tester (tui)  create organisation {org.id}") for line in lines)
    assert "DfE" not in result.output


def test_history_of_everything_newest_first_as_json(any_db: Database) -> None:
    for name in ("Home Office", "Defra", "DWP"):
        create_record(any_db, table="organisation", values={"name": name}, source=ChangeSource.CLI)
    result = runner.invoke(app, ["--db", db_arg(any_db), "history", "--format", "json", "-n", "2"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["changes"]["name"][1] for r in rows] == ["DWP", "Defra"]
    assert rows[0]["at"].endswith("+00:00")


def test_entity_names_are_forgiving_and_unknown_ones_are_one_line(any_db: Database) -> None:
    result = runner.invoke(app, ["--db", db_arg(any_db), "history", "People"])
    assert result.exit_code == 0, result.output
    assert "No history for contact." in result.output
    bad = runner.invoke(app, ["--db", db_arg(any_db), "history", "widgets"])
    assert bad.exit_code == 1
    assert "no such kind of record: widgets" in bad.output


def test_history_of_a_barrier_shows_its_principle_tags_in_words(any_db: Database) -> None:
    from datetime import date

    from pfpp_tui.models.partnership import Principle
    from pfpp_tui.store.insight.principle_tags import set_principles

    barrier = create_record(
        any_db,
        table="barrier",
        values={"title": "No data-sharing agreement", "raised_on": date(2026, 1, 5)},
        source=ChangeSource.CLI,
    )
    tags = [Principle.TRUST, Principle.DATA]
    set_principles(
        any_db, kind="barrier", row_id=barrier.id, principles=tags, source=ChangeSource.TUI
    )
    set_principles(
        any_db,
        kind="barrier",
        row_id=barrier.id,
        principles=[Principle.DATA],
        source=ChangeSource.TUI,
    )
    where = ["--db", db_arg(any_db), "history", "barrier", str(barrier.id)]
    result = runner.invoke(app, where)
    assert result.exit_code == 0, result.output
    heads = [line for line in result.output.splitlines() if line.startswith("#")]
    assert len(heads) == 4
    assert "tester (tui)  principle trust removed  [delete barrier_principle " in heads[0]
    assert "principle data added  [create barrier_principle " in heads[1]
    assert "principle trust added  [create barrier_principle " in heads[2]
    assert heads[3].endswith(f"create barrier {barrier.id}")
    rows = json.loads(runner.invoke(app, [*where, "--format", "json"]).output)
    # The JSON keys scripts rely on stay; "summary" is added.
    assert set(rows[0]) == {
        "id", "table", "row_id", "op", "at", "actor", "source", "reason", "batch", "changes",
        "summary",
    }  # fmt: skip
    assert [(r["table"], r["op"], r["summary"]) for r in rows] == [
        ("barrier_principle", "delete", "principle trust removed"),
        ("barrier_principle", "create", "principle data added"),
        ("barrier_principle", "create", "principle trust added"),
        ("barrier", "create", ""),
    ]
    assert rows[0]["changes"]["principle"] == ["trust", None]
