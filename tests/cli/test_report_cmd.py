"""``pfpp report pilot`` and ``pfpp digest`` on a small programme and on the sample database."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.insight.reports import digest, pilot_report
from tests.conftest import SAMPLE_DB
from tests.exporters.programme_db import TODAY, build_programme_db

runner = CliRunner()


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("report") / "programme.db"
    build_programme_db(path).dispose()
    yield path


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed sample.db when there is one, else one made by ``pfpp sample``."""
    target = tmp_path_factory.mktemp("sample") / "sample.db"
    if SAMPLE_DB.exists():
        target.write_bytes(SAMPLE_DB.read_bytes())
    else:
        result = runner.invoke(app, ["sample", str(target)])
        assert result.exit_code == 0, result.output
    return target


def test_pilot_report_data(programme: Path) -> None:
    db = open_database(programme)
    try:
        report = pilot_report(db, "luton", today=TODAY)
    finally:
        db.dispose()
    assert report.pilot.name == "Luton"
    assert [a.title for a in report.open_actions] == [
        "Map the small grants",  # overdue first
        "=1+1 think about it",
    ]
    assert report.open_actions[0].overdue and report.open_actions[0].days_overdue == 3
    assert list(report.barriers) == [
        "structure",
        "priorities",
        "funding",
        "data_sharing",
        "culture",
        "other",
    ]
    assert [b.title for b in report.barriers["funding"]] == ["Three competing small grants"]
    assert list(report.partners) == ["Home Office", "Luton Borough Council"]
    assert report.funding_by_department == [("Home Office", 195_000)]
    assert report.funding_total == 195_000


def test_digest_data(programme: Path) -> None:
    db = open_database(programme)
    try:
        data = digest(db, days=7, today=TODAY)
        later = digest(db, days=7, today=TODAY + timedelta(days=6))
    finally:
        db.dispose()
    assert {o: [a.title for a in v] for o, v in data.overdue_by_owner.items()} == {
        "Priya Patel": ["Map the small grants"]
    }
    assert [a.title for a in data.due_soon] == ["Draft data-sharing agreement"]
    assert [b.title for b in data.new_barriers] == ["Three competing small grants"]
    assert [b.title for b in data.stale_barriers] == ["Cannot share EPC data with the council"]
    assert list(data.escalations_by_department) == ["Department for Energy Security and Net Zero"]
    assert [m.title for m in data.meetings_held] == ["Luton town centre board"]
    # Six days on, the data-sharing action (due in 5 days) is overdue too; done ones never are.
    assert sorted(later.overdue_by_owner) == ["Priya Patel", "Tom Brown"]


def test_report_pilot_command_to_file(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "luton.md"
    result = runner.invoke(
        app, ["--db", str(programme), "report", "pilot", "Luton", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    text = target.read_text()
    for heading in (
        "# Luton — pilot report pack",
        "## Summary",
        "## Partners and contacts",
        "## Meeting timeline",
        "## Open actions (overdue first, by owner)",
        "## Barrier log",
        "## Funding flows",
        "### Totals by department",
    ):
        assert heading in text
    assert "**overdue 3 d**" in text
    assert "| **All sources** | **£195,000** |" in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_digest_command(programme: Path) -> None:
    result = runner.invoke(app, ["--db", str(programme), "digest", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Weekly digest")
    for heading in (
        "## Overdue actions by owner",
        "## Due in the next 7 days",
        "## New (untriaged) barriers",
        "## Barriers open more than 30 days",
        "## Escalations by department",
        "## Meetings held (last 7 days)",
    ):
        assert heading in result.stdout


def test_unknown_pilot_is_one_line(programme: Path) -> None:
    result = runner.invoke(app, ["--db", str(programme), "report", "pilot", "Atlantis"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "pfpp: no pilot named 'Atlantis' (pilots: East Sussex, Luton)"
    assert result.stdout == ""


def test_bad_days_is_a_usage_error(programme: Path) -> None:
    result = runner.invoke(app, ["--db", str(programme), "digest", "--days", "0"])
    assert result.exit_code == 2
    assert "--days must be between 1 and 366" in result.stderr


def test_unwritable_report_path(programme: Path, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "r.md"
    result = runner.invoke(app, ["--db", str(programme), "digest", "-o", str(target)])
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert not target.parent.exists()


def test_every_sample_pilot_has_a_report_pack(sample: Path, tmp_path: Path) -> None:
    db = open_database(sample)
    try:
        with db.engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM pilot ORDER BY name")]
    finally:
        db.dispose()
    assert len(names) == 13
    for name in names:
        target = tmp_path / f"{name}.md"
        result = runner.invoke(
            app, ["--db", str(sample), "report", "pilot", name, "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        text = target.read_text()
        assert text.startswith(f"# {name} — pilot report pack")
        assert "## Barrier log" in text


def test_sample_digest(sample: Path) -> None:
    result = runner.invoke(app, ["--db", str(sample), "digest", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "## Overdue actions by owner" in result.stdout
    assert "Traceback" not in result.output


def test_sample_digest_lists_agreements_past_their_review_date(sample: Path) -> None:
    result = runner.invoke(app, ["--db", str(sample), "digest"])
    assert result.exit_code == 0, result.output
    section = result.stdout.split("## Agreements past their review date", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    # The header row plus one row per agreement whose review date has passed on the sample.
    assert len(rows) - 1 >= 6
