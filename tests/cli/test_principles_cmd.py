"""``pfpp principles``: tags land in the database, feed the filter, and bad input is refused."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.store.db.database import open_database

runner = CliRunner()


def _tags(path: Path, barrier_id: int) -> list[str]:
    db = open_database(path)
    with db.read() as session:
        rows = (
            session.execute(
                text("SELECT principle FROM barrier_principle WHERE barrier_id = :i ORDER BY 1"),
                {"i": barrier_id},
            )
            .scalars()
            .all()
        )
    db.dispose()
    return list(rows)


def test_set_show_and_clear_principles(sample_copy: Path) -> None:
    db = ["--db", str(sample_copy)]
    result = runner.invoke(app, [*db, "principles", "set", "barrier", "1", "trust", "dat"])
    assert result.exit_code == 0, result.output
    assert _tags(sample_copy, 1) == ["data", "trust"]
    shown = runner.invoke(app, [*db, "principles", "show", "barrier", "1"])
    assert "Trust between tiers of government" in shown.stdout
    exported = runner.invoke(
        app, [*db, "export", "barriers", "--format", "json", "--filter", "principle:trust"]
    )
    assert '"id": 1,' in exported.stdout
    assert runner.invoke(app, [*db, "principles", "set", "barrier", "1"]).exit_code == 0
    assert _tags(sample_copy, 1) == []


def test_unknown_principle_or_record_is_refused(sample_copy: Path) -> None:
    db = ["--db", str(sample_copy)]
    before = _tags(sample_copy, 2)
    bad = runner.invoke(app, [*db, "principles", "set", "barrier", "2", "bogus"])
    assert bad.exit_code == 2
    missing = runner.invoke(app, [*db, "principles", "set", "barrier", "99999", "trust"])
    assert missing.exit_code == 1
    assert "does not exist" in missing.output
    assert runner.invoke(app, [*db, "principles", "set", "pilot", "1", "trust"]).exit_code == 2
    assert _tags(sample_copy, 2) == before
