"""No escape sequence reaches the terminal from the CLI (issue 17.5).

Every command that prints user text is run on a database whose text holds ESC sequences,
OSC 52, C1 CSI, a lone CR, DEL and bidi overrides, written there directly (as data written
before the import checks, or by psql, would be). Stdout must hold none of them raw; they are
shown visibly. Files written with ``-o`` keep the data as stored, except JSON, which escapes
DEL, C1 and bidi controls as ``\\uXXXX`` (the same JSON values).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.cli.safe_output import SafeStdout
from pfpp_tui.text_safety import json_safe, terminal_safe
from tests.hostile_db import CONTROL, PAYLOAD, build_hostile_db, forbidden_in

runner = CliRunner()

COMMANDS = {
    "person show": ["person", "show", "1"],
    "person show json": ["person", "show", "1", "--format", "json"],
    "report pilot": ["report", "pilot", "luton"],
    "digest": ["digest"],
    "report agreement": ["report", "agreement", "luton"],
    "report principles": ["report", "principles"],
    "report coverage": ["report", "coverage"],
    "report coverage csv": ["report", "coverage", "--format", "csv"],
    "report patterns": ["report", "patterns"],
    "report funding": ["report", "funding"],
    "agreement show": ["agreement", "show", "luton"],
    "agreement versions": ["agreement", "show", "luton", "--versions"],
    "barrier queue": ["barrier", "queue"],
    "history": ["history", "partnership_agreement"],
    "history json": ["history", "--format", "json"],
    "export md": ["export", "all", "--format", "md"],
    "export csv": ["export", "contacts", "--format", "csv"],
    "export json": ["export", "all", "--format", "json"],
    "export vcf": ["export", "contacts", "--format", "vcf"],
    "export ics": ["export", "all", "--format", "ics"],
    "export assessments json": ["export", "assessments", "--format", "json"],
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile_db(tmp_path_factory.mktemp("hostile") / "hostile.db")


def run(database: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(database), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_stdout_holds_no_raw_control_or_bidi_character(command: str, hostile: Path) -> None:
    out = run(hostile, *COMMANDS[command])
    assert out.strip()
    # CRLF is a line end (CSV, vCard and iCalendar use it); any other CR is forbidden.
    assert forbidden_in(out.replace("\r\n", "\n")) == []


@pytest.mark.parametrize(
    "command", ["person show", "report pilot", "export md", "export csv", "agreement show"]
)
def test_the_controls_are_shown_not_dropped(command: str, hostile: Path) -> None:
    out = run(hostile, *COMMANDS[command])
    assert "␛" in out and "\\u009b31m" in out and "\\u202eevil" in out


def test_history_shows_controls_visibly(hostile: Path) -> None:
    out = run(hostile, "history", "partnership_agreement")
    assert "reason: Reason ␛[2J" in out and forbidden_in(out) == []


def test_json_file_escapes_c1_and_bidi_but_keeps_the_values(hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    run(hostile, "export", "all", "--format", "json", "-o", str(target))
    text = target.read_text(encoding="utf-8")
    assert forbidden_in(text) == []
    assert "\\u009b" in text and "\\u202e" in text
    contacts = json.loads(text)["contacts"]
    assert contacts[0]["first_name"] == "Priya" + PAYLOAD


def test_csv_file_keeps_the_data_as_stored(hostile: Path, tmp_path: Path) -> None:
    target = tmp_path / "contacts.csv"
    run(hostile, "export", "contacts", "--format", "csv", "-o", str(target))
    text = target.read_bytes().decode("utf-8-sig")  # not read_text: it would translate CR
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows[0]["first_name"] == "Priya" + PAYLOAD


def test_terminal_safe_rule() -> None:
    assert terminal_safe(CONTROL) == "␛[2J␛]52;c;cHduZWQ=␇ \\u009b31m \\u202eevil␍␡\\u2066"
    assert terminal_safe("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert terminal_safe("a\tb\nc", single_line=True) == "a␉b␊c"
    assert terminal_safe("Zoë Ågren — 日本") == "Zoë Ågren — 日本"


def test_json_safe_keeps_json_values() -> None:
    text = json.dumps({"name": CONTROL}, ensure_ascii=False)
    escaped = json_safe(text)
    assert forbidden_in(escaped) == []
    assert json.loads(escaped) == {"name": CONTROL}


def test_safe_stdout_keeps_split_crlf_and_split_characters() -> None:
    target = io.BytesIO()
    stream = SafeStdout(target)  # type: ignore[arg-type]
    data = "a\r\nZoë\x1b\r".encode()
    for byte in data:  # the worst case: one byte a write
        stream.write(bytes([byte]))
    stream.flush()
    assert target.getvalue().decode() == "a\r\nZoë␛␍"
