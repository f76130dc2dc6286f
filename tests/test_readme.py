"""The README's promises that CI depends on: its test command is what .ci/run runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- test-command -->\s*```sh\n(.+?)\n```", readme, re.S)
    assert block, "README.md lost its marked test command"
    return block.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = _readme_test_command()
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert command in ci_lines


def test_readme_first_command_opens_the_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.+?)\n```", readme, re.S)
    assert first and first.group(1).strip().endswith("pfpp demo")


def test_the_meeting_notes_example_saves_on_the_demo_data(sample_copy: Path) -> None:
    """A new user types the README's notes into a Luton check-in: they must save as described
    (two actions with owners and due dates, a structure barrier, a decision), not be refused."""
    from typer.testing import CliRunner

    from pfpp_tui.cli.main import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"log the Luton check-in.+?```\n(.+?)\n```", readme, re.S)
    assert block, "README.md lost its meeting-notes example"
    notes = sample_copy.parent / "notes.md"
    notes.write_text(block.group(1) + "\n", encoding="utf-8")
    attendee = re.search(r"--attendee (\S+)", readme)
    assert attendee
    result = CliRunner().invoke(
        app,
        ["--db", str(sample_copy), "log", "meeting", "--pilot", "Luton", "--kind",
         "pilot_check_in", "--attendee", attendee.group(1), "--notes-file", str(notes)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "action: Send the data-sharing agreement to the ICB · owner Emma Nowak" in out
    assert "action: Book the landlord forum · owner Helen Stewart" in out
    assert "barrier [structure]: No single contact for street culture in Home Office" in out
    assert "decision: Agreed to pool the two outreach grants" in out
