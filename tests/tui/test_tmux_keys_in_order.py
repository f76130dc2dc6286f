"""In a real terminal: the installed ``pfpp`` in tmux at 80x24, each burst one ``send-keys``.

A key that opens a screen (``t``, ``e``, ``m``), the keys meant for it and the key that
saves, handed to the terminal at once as a fast typist or a paste does; then the database says
where each key landed. Uses ``test_tmux_burst``'s private tmux server (``-L``), started and
killed by the test alone.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.work.triage import triage_queue
from tests.conftest import SAMPLE_DB
from tests.tui.test_tmux_burst import Tmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "home")
    yield session
    session.kill()


def _copy(tmp_path: Path) -> Path:
    db = tmp_path / "copy.db"
    shutil.copyfile(SAMPLE_DB, db)
    return db


def _opened(term: Tmux, db: Path) -> None:
    term.start(db)
    term.until(lambda s: "Pilots" in s and "open barriers" in s)


def test_triage_keys_in_one_burst_each_decide_in_turn(term: Tmux, tmp_path: Path) -> None:
    db = _copy(tmp_path)
    database = open_database(db)
    try:
        queue = [item.id for item in triage_queue(database)]
    finally:
        database.dispose()
    _opened(term, db)
    # t opens triage; every key after it in the same burst.
    term.run("send-keys", "t", "1", "l", "Enter", "2", "m", "Enter", "3", "h", "Enter")
    shown = term.until(lambda s: f"{len(queue) - 3} remaining" in s)
    assert "changed by" not in shown and "Waiting" not in shown
    with sqlite3.connect(db) as conn:
        decided = [
            conn.execute(
                "SELECT category, severity, status FROM barrier WHERE id = ?", (bid,)
            ).fetchone()
            for bid in queue[:3]
        ]
    assert decided == [
        ("structure", "low", "triaged"),
        ("priorities", "medium", "triaged"),
        ("funding", "high", "triaged"),
    ]


def test_a_form_opened_edited_and_saved_in_one_burst(term: Tmux, tmp_path: Path) -> None:
    db = _copy(tmp_path)
    with sqlite3.connect(db) as conn:
        before = dict(conn.execute("SELECT id, title FROM action"))
    _opened(term, db)
    term.run("send-keys", "5")
    term.until(lambda s: "5 Actions" in s and "sorted by" in s)
    # e opens the highlighted action's form; End, the text and ctrl+s come with it.
    term.run("send-keys", "e", "End", " v2", "C-s")
    term.until(lambda s: "Saved action" in s and "Edit action" not in s)
    with sqlite3.connect(db) as conn:
        after = dict(conn.execute("SELECT id, title FROM action"))
    changed = {aid: title for aid, title in after.items() if before[aid] != title}
    assert len(changed) == 1
    [(aid, title)] = changed.items()
    assert title == before[aid] + " v2"


def test_a_meeting_opened_and_typed_in_one_burst_with_tab_to_the_notes(
    term: Tmux, tmp_path: Path
) -> None:
    db = _copy(tmp_path)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT max(id) FROM meeting").fetchone()[0]
    _opened(term, db)
    term.run("send-keys", "1")
    term.until(lambda s: "sorted by Pilot" in s)
    # m opens the meeting log on the pilot under the cursor; one person, Tab to the notes.
    term.run(
        "send-keys",
        "m", "olivia.king@birmingham.example", "Enter", "Tab", "Fix the box", "C-s",
    )  # fmt: skip
    term.until(lambda s: "Logged" in s and "Attendees" not in s)
    with sqlite3.connect(db) as conn:
        meeting_id, notes = conn.execute(
            "SELECT id, notes FROM meeting WHERE id > ? ORDER BY id", (before,)
        ).fetchone()
        emails = [
            row[0]
            for row in conn.execute(
                "SELECT c.email FROM meeting_attendee a JOIN contact c ON c.id = a.contact_id "
                "WHERE a.meeting_id = ?",
                (meeting_id,),
            )
        ]
    assert notes == "Fix the box"
    assert emails == ["olivia.king@birmingham.example"]
