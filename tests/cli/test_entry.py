"""The ``pfpp`` console script (``cli.entry``): ``pfpp`` and ``pfpp --db X`` open the app without
building the Typer command tree (issue 19: the first frame); every other command line goes
through it exactly as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pfpp_tui import __version__
from pfpp_tui.cli.entry import app_location


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (True, None)),
        (["--db", "x.db"], (True, "x.db")),
        (["--db=x.db"], (True, "x.db")),
        (["--db", "postgresql://u@h/pfpp"], (True, "postgresql://u@h/pfpp")),
        (["--db"], (False, None)),  # Typer says what is missing
        (["--db", ""], (False, None)),
        (["--db", "--help"], (False, None)),
        (["--db="], (False, None)),
        (["--help"], (False, None)),
        (["--version"], (False, None)),
        (["tui"], (False, None)),
        (["--db", "x.db", "tui", "--section", "people"], (False, None)),
        (["digest"], (False, None)),
    ],
)
def test_only_the_command_lines_that_open_the_app_skip_the_command_tree(
    argv: list[str], expected: tuple[bool, str | None]
) -> None:
    assert app_location(argv) == expected


# Runs ``pfpp --db PATH`` through the console script's entry with the app replaced by a probe
# that notes what is loaded and returns the app's exit code.
PROBE = """
import sys
import pfpp_tui.tui.app as app_module

def probe(location, section="overview"):
    print(location, section, sorted(m for m in ("typer", "click") if m in sys.modules))
    return 1

app_module.run_app = probe
from pfpp_tui.cli.entry import run
sys.argv = ["pfpp", *sys.argv[1:]]
run()
"""


def test_pfpp_db_opens_the_app_without_typer_and_keeps_its_exit_code(tmp_path: Path) -> None:
    path = str(tmp_path / "x.db")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", path], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == f"{path} overview []"
    assert done.returncode == 1  # the app's own code (1: the database could not be opened)


def test_every_other_command_line_goes_through_typer_as_before(tmp_path: Path) -> None:
    code = (
        "import sys; from pfpp_tui.cli.entry import run; sys.argv = ['pfpp', *sys.argv[1:]]; run()"
    )
    version = subprocess.run(
        [sys.executable, "-c", code, "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and version.stdout.strip() == f"pfpp-tui {__version__}"
    missing = subprocess.run(
        [sys.executable, "-c", code, "--db"], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and "--db" in missing.stderr  # Click's usage error
