"""``pfpp`` leaves without the interpreter's teardown (``process_exit``), losing nothing.

Issue 19: after ``ctrl+q`` the app had restored the terminal, then Python spent ~300 ms freeing
SQLAlchemy, SQLModel, pydantic and Textual object by object. What an exit must still do —
wait for threads, run ``atexit``, flush, close the databases — is held here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from pfpp_tui.store.db.database import open_database


def run_script(code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )


def test_pfpp_leaves_without_tearing_the_interpreter_down(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    code = (
        "import atexit, sys, threading\n"
        f"marks = {str(marks)!r}\n"
        "def mark(word):\n"
        "    with open(marks, 'a') as f: f.write(word + '\\n')\n"
        "class Torn:\n"
        "    def __del__(self): mark('torn down')\n"
        "kept = Torn()  # freed only by the interpreter's teardown\n"
        "atexit.register(mark, 'atexit ran')\n"
        "threading.Thread(target=mark, args=('thread finished',)).start()\n"
        "print('buffered', end='')  # no newline: still in stdout's buffer at exit\n"
        "from pfpp_tui.cli.main import run\n"
        "sys.argv = ['pfpp', '--version']\n"
        "run()\n"
    )
    done = run_script(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("buffered") and "pfpp-tui" in done.stdout
    assert sorted(marks.read_text().split("\n")) == ["", "atexit ran", "thread finished"]


def test_exit_codes_and_messages_are_kept(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "x.db"
    code = "from pfpp_tui.cli.main import run; run()"
    done = run_script(code, "--db", str(missing), "db", "check")
    assert done.returncode == 1
    assert done.stderr.startswith("pfpp: ")


def test_a_database_left_open_is_closed_at_exit(tmp_path: Path) -> None:
    """Its WAL is checkpointed into the file, as closing the last connection does."""
    path = tmp_path / "x.db"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE exit_probe (word TEXT)")
    conn.close()
    code = (
        "import sys\n"
        "from sqlalchemy import text\n"
        "from pfpp_tui.models import ChangeSource\n"
        "from pfpp_tui.process_exit import leave\n"
        "from pfpp_tui.store.db.database import open_database\n"
        "db = open_database(sys.argv[1])\n"
        "with db.write(source=ChangeSource.CLI) as session:\n"
        "    session.execute(text(\"INSERT INTO exit_probe VALUES ('kept')\"))\n"
        "leave(0)\n"
    )
    done = run_script(code, str(path))
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "x.db-wal").exists()
    with sqlite3.connect(path) as conn:
        words = [row[0] for row in conn.execute("SELECT word FROM exit_probe")]
    conn.close()
    assert words == ["kept"]
