"""``pfpp log meeting`` and ``pfpp barrier triage|queue``: output, exit codes and rows stored."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func
from sqlmodel import col, select
from typer.testing import CliRunner, Result

from pfpp_tui.cli.main import app
from pfpp_tui.models import Action, Barrier, Change, Meeting, MeetingAttendee
from pfpp_tui.store.db.database import Database
from tests.workflow_seed import TODAY, TYPICAL_NOTES, seed_world

runner = CliRunner()
EMAILS = ["ada.okafor@ho.example", "ben.shah@luton.example", "cara.jones@luton.example"]


def db_arg(db: Database) -> str:
    return db.location.url.render_as_string(hide_password=False)


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _log(db: Database, notes_file: str, *extra: str, stdin: str | None = None) -> Result:
    args = [
        "--db",
        db_arg(db),
        "log",
        "meeting",
        "--pilot",
        "luton",
        "--kind",
        "check-in",
        "--when",
        "today 14:00",
        "--notes-file",
        notes_file,
    ]
    for email in EMAILS:
        args += ["--attendee", email]
    return runner.invoke(app, [*args, *extra], input=stdin)


def test_log_meeting_from_a_file_prints_what_it_created(any_db: Database, tmp_path: Path) -> None:
    seed_world(any_db)
    notes = tmp_path / "notes.md"
    notes.write_text(TYPICAL_NOTES, encoding="utf-8")
    result = _log(any_db, str(notes), "--title", "Street culture check-in")
    assert result.exit_code == 0, result.output
    out = result.output.splitlines()
    assert out[0].endswith("14:00 Street culture check-in")
    assert "3 attendees" in out[1]
    assert any("barrier [structure]" in line for line in out)
    assert out[-1] == "  decision: Agreed to pool the two grants"
    assert _count(any_db, Action) == 3
    assert _count(any_db, MeetingAttendee) == 3
    with any_db.read() as s:
        m = s.exec(select(Meeting)).one()
        assert m.kind == "pilot_check_in" and m.held_at.hour == 14


def test_log_meeting_from_stdin_with_default_title(db: Database) -> None:
    seed_world(db)
    result = _log(db, "-", stdin="= Go ahead\n")
    assert result.exit_code == 0, result.output
    with db.read() as s:
        assert (
            s.exec(select(Meeting.title)).one() == "Pilot check-in — Luton"
        )  # as the TUI titles it


def test_unknown_things_are_refused_with_one_line_and_nothing_saved(
    db: Database, tmp_path: Path
) -> None:
    seed_world(db)
    notes = tmp_path / "n.md"
    notes.write_text("- [ ] Chase @nobody\n", encoding="utf-8")
    cases = [
        (_log(db, str(notes)), "@nobody matches nobody"),
        (_log(db, "-", "--attendee", "who@x.example", stdin=""), "who@x.example"),
        (
            runner.invoke(
                app,
                [
                    "--db",
                    db_arg(db),
                    "log",
                    "meeting",
                    "--pilot",
                    "Lutn",
                    "--kind",
                    "review",
                    "--notes-file",
                    "-",
                ],
                input="",
            ),
            "did you mean 'Luton'",
        ),
        (_log(db, "-", "--when", "31/2/2026", stdin=""), "not a real date"),
        (_log(db, "-", "--title", " ", stdin=""), "title"),
    ]
    for result, message in cases:
        assert result.exit_code == 1
        err = result.stderr
        assert message in err and len(err.strip().splitlines()) == 1, err
    assert _count(db, Meeting) == 0


def _barrier(db: Database) -> tuple[int, dict[str, int]]:
    w = seed_world(db)
    w.add("b", "barrier", pilot_id=w["luton"], title="Grants too small", raised_on=TODAY)
    w.add("b2", "barrier", pilot_id=w["luton"], title="Older", raised_on=TODAY - timedelta(3))
    return w["b"], w.ids


def test_triage_by_flags_with_former_organisation_name(any_db: Database) -> None:
    bid, ids = _barrier(any_db)
    result = runner.invoke(
        app,
        [
            "--db",
            db_arg(any_db),
            "barrier",
            "triage",
            str(bid),
            "--category",
            "funding",
            "--severity",
            "high",
            "--escalate",
            "BEIS",
            "--team",
            "Heat Policy",
            "--reason",
            "pool the grants",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"barrier {bid}: escalated · funding · high")
    with any_db.read() as s:
        b = s.get(Barrier, bid)
        assert b is not None and b.escalated_to_organisation_id == ids["desnz"]
        assert b.escalated_to_team_id == ids["heat"]
        reasons = s.exec(
            select(Change.reason).where(
                col(Change.table_name) == "barrier", col(Change.op) == "update"
            )
        ).all()
        assert reasons == ["pool the grants"]


def test_triage_refusals(db: Database) -> None:
    bid, _ = _barrier(db)
    base = ["--db", db_arg(db), "barrier", "triage", str(bid)]
    cases = [
        ([], "nothing to do"),
        (["--duplicate-of", str(bid)], "itself"),
        (["--snooze", "yesterday"], "not after today"),
        (["--escalate", "Ministry of Magic"], "no organisation"),
        (["--resolve"], "reason"),
        (["--owner", "x@nowhere.example"], "x@nowhere.example"),
        (["--category", "weather"], "category"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, [*base, *extra])
        assert result.exit_code == 1, (extra, result.output)
        assert message in result.stderr, (extra, result.stderr)
    with db.read() as s:
        b = s.get(Barrier, bid)
        assert b is not None and b.status == "new" and b.version == 1


def test_queue_lists_oldest_first_and_triaged_leave_it(db: Database) -> None:
    bid, ids = _barrier(db)
    result = runner.invoke(app, ["--db", db_arg(db), "barrier", "queue"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [
        str(ids["b2"]),
        str(bid),
    ]
    runner.invoke(app, ["--db", db_arg(db), "barrier", "triage", str(bid), "--severity", "low"])
    result = runner.invoke(app, ["--db", db_arg(db), "barrier", "queue"])
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [str(ids["b2"])]
    assert "1 barrier waiting" in result.stderr


def test_every_workflow_command_has_help() -> None:
    for args in (["log", "meeting"], ["barrier", "triage"], ["barrier", "queue"]):
        result = runner.invoke(app, [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
