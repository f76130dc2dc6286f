"""In a real terminal: the installed ``pfpp`` in tmux at 80x24, a meeting logged by one burst.

``send-keys`` hands the whole burst to the terminal at once — two people by e-mail, enter on
the empty field, the notes, ctrl+s — faster than any lookup answers; then the database says
where each key landed. Needs tmux (``.ci/run`` installs it); a private tmux server
(``-L``) is started and killed by the test alone.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_DB

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PFPP = Path(sys.executable).with_name("pfpp")
NOTES = "Notes from the burst"


class Tmux:
    def __init__(self, home: Path) -> None:
        self.socket = f"pfpp-test-{uuid.uuid4().hex[:8]}"
        self.home = home

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, db: Path) -> None:
        env = (
            f"XDG_DATA_HOME={self.home / 'data'} XDG_CONFIG_HOME={self.home / 'config'} "
            f"PFPP_CONFIG={self.home / 'config' / 'config.toml'} PFPP_USER=tester"
        )
        self.run("new-session", "-d", "-x", "80", "-y", "24", f"env {env} {PFPP} --db {db}")

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def until(self, what: Callable[[str], bool], limit_s: float = 30.0) -> str:
        """Poll the pane until ``what`` holds for it (the app's state, not a clock)."""
        start, tick = time.monotonic(), threading.Event()
        while True:
            shown = self.screen()
            if what(shown):
                return shown
            assert time.monotonic() - start < limit_s, f"never showed; last screen:\n{shown}"
            tick.wait(0.05)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "home")
    yield session
    session.kill()


def test_a_meeting_typed_in_one_burst_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(SAMPLE_DB, db)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT max(id) FROM meeting").fetchone()[0]
    tmux.start(db)
    tmux.until(lambda s: "Pilots" in s and "open barriers" in s)
    tmux.run("send-keys", "1")
    tmux.until(lambda s: "sorted by Pilot" in s)
    tmux.run("send-keys", "m")  # the meeting log for the pilot under the cursor
    tmux.until(lambda s: "Attendees" in s and "nobody yet" in s)
    tmux.run(
        "send-keys",
        "olivia.king@birmingham.example", "Enter", "sadia.walker@mhclg.example", "Enter",
        "Enter", NOTES, "C-s",
    )  # fmt: skip
    tmux.until(lambda s: "Attendees" not in s)  # saved: the log has closed
    with sqlite3.connect(db) as conn:
        meeting_id, title, notes = conn.execute(
            "SELECT id, title, notes FROM meeting WHERE id > ? ORDER BY id", (before,)
        ).fetchone()
        emails = {
            row[0]
            for row in conn.execute(
                "SELECT c.email FROM meeting_attendee a JOIN contact c ON c.id = a.contact_id "
                "WHERE a.meeting_id = ?",
                (meeting_id,),
            )
        }
    assert title == "Pilot check-in — Birmingham"
    assert notes == NOTES
    assert emails == {"olivia.king@birmingham.example", "sadia.walker@mhclg.example"}
