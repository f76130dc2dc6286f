"""``pfpp person show|erase`` and ``pfpp purge``: output, confirmation, exit codes, rows kept."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, delete_record

runner = CliRunner()
CLI = ChangeSource.CLI


def db_arg(db: Database) -> str:
    return db.location.url.render_as_string(hide_password=False)


def person(db: Database) -> int:
    c = create_record(
        db,
        table="contact",
        values={"first_name": "Ada", "last_name": "Quill", "email": "ada.quill@ho.example"},
        source=CLI,
    )
    create_record(db, table="action", values={"title": "Write up", "owner_id": c.id}, source=CLI)
    return c.id


def contacts(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(text("SELECT count(*) FROM contact")).scalar() or 0)


def test_show_text_and_json(any_db: Database) -> None:
    pid = person(any_db)
    result = runner.invoke(app, ["--db", db_arg(any_db), "person", "show", "ADA.QUILL@ho.example"])
    assert result.exit_code == 0, result.output
    assert f"Contact {pid}" in result.output
    assert "Actions owned (1)" in result.output
    assert "create contact" in result.output
    as_json = runner.invoke(
        app, ["--db", db_arg(any_db), "person", "show", str(pid), "--format", "json"]
    )
    data = json.loads(as_json.output)
    assert data["contact"]["email"] == "ada.quill@ho.example"
    assert [a["title"] for a in data["actions_owned"]] == ["Write up"]


def test_show_lists_a_deleted_membership_marked_removed(any_db: Database) -> None:
    pid = person(any_db)
    pilot = create_record(any_db, table="pilot", values={"name": "Luton"}, source=CLI)
    link = create_record(
        any_db,
        table="contact_pilot",
        values={"contact_id": pid, "pilot_id": pilot.id, "role": "lead"},
        source=CLI,
    )
    delete_record(any_db, table="contact_pilot", row_id=link.id, source=CLI)
    result = runner.invoke(app, ["--db", db_arg(any_db), "person", "show", str(pid)])
    assert result.exit_code == 0, result.output
    assert "Pilots (0)" in result.output
    lines = result.output.splitlines()
    at = lines.index("Pilots, removed (from the history) (1)")
    assert lines[at + 1].startswith(f"  {pilot.id}  Luton  lead  removed 20")
    assert lines[at + 1].endswith(" UTC by tester  deleted")
    as_json = runner.invoke(
        app, ["--db", db_arg(any_db), "person", "show", str(pid), "--format", "json"]
    )
    data = json.loads(as_json.output)
    contract = {"contact", "organisation", "team", "pilots", "meetings_attended", "actions_owned",
                "barriers_owned", "other_records", "history", "mentions_in_free_text"}  # fmt: skip
    assert contract <= set(data) and data["pilots"] == []
    (removed,) = data["pilots_removed"]
    assert (removed["pilot_id"], removed["pilot"], removed["role"], removed["removed"]) == (
        pilot.id, "Luton", "lead", True
    )  # fmt: skip
    assert removed["removed_at"].startswith("20") and removed["how"] == "deleted"
    assert data["meetings_attended_removed"] == []


def test_unknown_person_is_one_line_exit_1(any_db: Database) -> None:
    result = runner.invoke(app, ["--db", db_arg(any_db), "person", "show", "nobody@x.example"])
    assert result.exit_code == 1
    assert result.output.strip() == "pfpp: no contact with id or e-mail 'nobody@x.example'"


def test_erase_asks_first_and_no_keeps_everything(any_db: Database) -> None:
    pid = person(any_db)
    result = runner.invoke(app, ["--db", db_arg(any_db), "person", "erase", str(pid)], input="n\n")
    assert result.exit_code == 1
    assert "This erases Ada Quill" in result.output
    assert contacts(any_db) == 1
    result = runner.invoke(app, ["--db", db_arg(any_db), "person", "erase", str(pid)], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"Erased contact {pid}" in result.output
    assert contacts(any_db) == 0


def test_erase_yes_does_not_ask(any_db: Database) -> None:
    person(any_db)
    result = runner.invoke(
        app, ["--db", db_arg(any_db), "person", "erase", "ada.quill@ho.example", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "1 record now show [erased person]" in result.output
    assert contacts(any_db) == 0


def test_purge_dry_run_then_for_real(any_db: Database) -> None:
    old = create_record(
        any_db, table="contact", values={"first_name": "Gone", "archived": True}, source=CLI
    )
    create_record(
        any_db,
        table="barrier",
        values={
            "title": "Fixed",
            "status": "resolved",
            "resolution": "done",
            "raised_on": date(2015, 1, 1),
        },
        source=CLI,
    )
    args = ["--db", db_arg(any_db), "purge", "--older-than", "6y"]
    assert "Nothing closed or archived" in runner.invoke(app, args).output
    with any_db.write(source=CLI) as session:  # back-date them past six years
        for table in ("contact", "barrier"):
            session.execute(text(f"UPDATE {table} SET updated_at = :t"), {"t": "2015-01-01"})
    dry = runner.invoke(app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would remove 1 archived contacts, 0 closed actions, 1 closed barriers" in dry.output
    assert contacts(any_db) == 1
    result = runner.invoke(app, [*args, "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Removed 1 archived contacts")
    assert contacts(any_db) == 0
    assert old.id


def test_purge_bad_period(any_db: Database) -> None:
    result = runner.invoke(app, ["--db", db_arg(any_db), "purge", "--older-than", "soon"])
    assert result.exit_code == 1
    assert "not a period like 6y" in result.output


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["history"], "who changed what"),
        (["person", "show"], "Everything held about a person"),
        (["person", "erase"], "Erase a person"),
        (["purge"], "past retention"),
        (["db", "restore"], "current data is kept"),
        (["db", "copy"], "between SQLite and PostgreSQL"),
        (["db", "backup"], "pg_dump"),
    ],
)
def test_every_command_here_has_help(command: list[str], words: str) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert words in " ".join(result.output.split())


def test_db_compact(any_db: Database) -> None:
    result = runner.invoke(app, ["--db", db_arg(any_db), "db", "compact"])
    assert result.exit_code == 0, result.output
    assert "compacted" in result.output
