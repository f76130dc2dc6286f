"""A scripted day in a real terminal: the installed ``pfpp demo`` in tmux at 80x24 (issue 16.8).

The README's first command opens the app on a demo copy of the sample (``pfpp demo``; here
``--copy-to`` says where, so the database can be read afterwards). Then, as a user would: log
the Luton check-in with two people, pasting the notes straight after ``tab``; triage five
barriers with single keys and the pickers; review Luton; edit an action; with a new action's
form open go to Durham through the palette (the Unsaved question appears, ``n`` keeps the form
with its text) and save it; undo twice; export the actions to CSV; quit. Afterwards sqlite3
reads what the day left in the database and the export file.

Each step waits for the screen the step leads to (``capture-pane`` polled, generous deadlines)
— never a fixed pause — so a loaded machine only makes it slower. Keys a terminal delivers at
once are one tmux call. Needs tmux (``.ci/run`` installs it); a private tmux server (``-L``) is
started and killed by the test alone.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PFPP = Path(sys.executable).with_name("pfpp")
DEADLINE_S = 60.0  # per step: a loaded 2-core machine is slow, never this slow

NOTES = (
    "- [ ] Send the data-sharing agreement to the ICB @nowak due:fri\n"
    "- [ ] Book the landlord forum @stewart due:+2w\n"
    "! No single contact for street culture in Home Office #structure\n"
    "= Agreed to pool the two outreach grants\n"
)  # README's 10:30 example
EDITED = "Book the landlord forum for January"
NEW_ACTION = "Ring the ICB about the outreach van"
REVIEW_NOTE = "Luton keeps the outreach van to March"


class Tmux:
    """One pane at a fixed size on a private tmux server."""

    def __init__(self, home: Path, width: int, height: int) -> None:
        self.socket = f"pfpp-day-{uuid.uuid4().hex[:8]}"
        self.home, self.width, self.height = home, width, height

    def run(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, command: str, cwd: Path) -> None:
        env = (
            f"XDG_DATA_HOME={self.home / 'data'} XDG_CONFIG_HOME={self.home / 'config'} "
            f"PFPP_CONFIG={self.home / 'config' / 'config.toml'} PFPP_USER=tester"
        )
        size = ["-x", str(self.width), "-y", str(self.height)]
        # remain-on-exit: an app that dies leaves its last screen (the traceback) to read.
        self.run("new-session", "-d", *size, "-c", str(cwd), f"env {env} {command}")
        self.run("set-option", "-g", "remain-on-exit", "on")

    def keys(self, *keys: str) -> None:
        """One ``send-keys``: the keys reach the app at once, as a fast typist's would."""
        self.run("send-keys", *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p")

    def until(self, what: Callable[[str], bool], step: str) -> str:
        """Poll the pane until ``what`` holds for it (the app's state, not a clock)."""
        start, tick = time.monotonic(), threading.Event()
        while True:
            shown = self.screen()
            if what(shown):
                return shown
            assert time.monotonic() - start < DEADLINE_S, f"{step}: never showed; screen:\n{shown}"
            tick.wait(0.05)

    def shows(self, *texts: str, step: str) -> str:
        return self.until(lambda s: all(t in s for t in texts), step)

    def gone(self, text: str, step: str) -> str:
        return self.until(lambda s: text not in s, step)

    def dead(self) -> bool:
        """The app has exited (its pane stays, dead: remain-on-exit)."""
        shown = subprocess.run(
            ["tmux", "-L", self.socket, "display-message", "-p", "#{pane_dead}"],
            capture_output=True,
            text=True,
        )
        return shown.returncode != 0 or shown.stdout.strip() == "1"

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "home", 80, 24)
    yield session
    session.kill()


def _palette_first(screen: str) -> str:
    """The palette's first command (the one ``enter`` runs)."""
    lines = screen.splitlines()
    below = next((i for i, line in enumerate(lines) if "🔎" in line), len(lines))
    return next((line.strip() for line in lines[below + 1 :] if line.strip()), "")


def _picker_first(screen: str, search: str) -> str:
    """A picker's first choice (the one ``enter`` takes), below the field holding ``search``."""
    lines = screen.splitlines()
    below = next((i for i, line in enumerate(lines) if f"▊  {search}" in line), len(lines))
    for line in lines[below + 1 :]:
        row = re.search(r"▊ ([^▔▁]*?)\s*(?:▆▆|▅▅|▇▇|▃▃|▂▂|▄▄|██)?\s*▎", line)
        if row and row.group(1).strip():
            return row.group(1).strip()
    return ""


def _barrier_shown(screen: str) -> int:
    found = re.search(r"remaining · barrier (\d+)", screen)
    assert found, f"no barrier on the triage screen:\n{screen}"
    return int(found.group(1))


def _next_barrier(tmux: Tmux, after: int, step: str) -> int:
    screen = tmux.until(
        lambda s: (
            (m := re.search(r"remaining · barrier (\d+)", s)) is not None
            and int(m.group(1)) != after
        ),
        step,
    )
    return _barrier_shown(screen)


def _pick(tmux: Tmux, title: str, search: str, wanted: str, step: str) -> None:
    """In the picker ``title``: type ``search``, wait until ``wanted`` heads the list, take it."""
    tmux.shows(title, step=step)
    tmux.keys(search)
    tmux.until(lambda s: wanted in _picker_first(s, search), step)
    tmux.keys("Enter")


def test_a_scripted_day_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    db, export = tmp_path / "demo.db", tmp_path / "luton-actions.csv"
    since = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")  # as change.at is kept
    tmux.start(f"{PFPP} demo --copy-to {db}", tmp_path)
    tmux.shows("open barriers", "Pilots", step="the overview")

    # --- 10:30 — log the Luton check-in: two people, then the notes pasted after tab -------
    tmux.keys("1")
    tmux.shows("sorted by Pilot", step="the pilots")
    tmux.keys(*["j"] * 7)  # Birmingham … Liverpool, Luton
    tmux.keys("m")
    tmux.shows("Pilot check-in — Luton", "nobody yet", step="the meeting log for Luton")
    tmux.keys("emma", "Enter", "stewart", "Enter")
    tmux.shows("2 attendees", step="Emma Nowak and Helen Stewart added")
    notes_file = tmp_path / "notes.md"
    notes_file.write_text(NOTES)
    tmux.run("load-buffer", "-b", "notes", str(notes_file))
    # Tab (to the list of people) and the paste in one tmux call: paste-buffer -p is a
    # bracketed paste, as a terminal delivers one; it arrives before the focus has moved.
    tmux.run("send-keys", "Tab", ";", "paste-buffer", "-p", "-d", "-b", "notes")
    tmux.shows("2 actions", "1 decision", step="the notes' preview")
    tmux.keys("C-s")
    tmux.shows("sorted by Pilot", step="the meeting saved, back to the pilots")
    tmux.gone("Attendees", step="the meeting log closed")

    # --- afternoon — triage five barriers --------------------------------------------------
    tmux.keys("t")
    first = _barrier_shown(tmux.shows("Barrier triage —", "remaining · barrier", step="triage"))
    decided: dict[str, int] = {}
    # 1: funding, high, triaged — three keys typed at once.
    tmux.keys("3", "h", "Enter")
    decided["funding-high"] = first
    second = _next_barrier(tmux, first, "after the first decision")
    # 2: escalate to the Home Office with a note.
    tmux.keys("x")
    _pick(tmux, "Escalate to organisation / team", "home office", "Home Office (HO)", "escalate")
    tmux.shows("Escalate to Home Office (HO) — note", step="the escalation note")
    tmux.keys("Needs a named Home Office contact", "Enter")
    decided["escalated"] = second
    third = _next_barrier(tmux, second, "after the escalation")
    # 3: snooze for two weeks.
    tmux.keys("z")
    tmux.shows("Snooze until", step="the snooze prompt")
    tmux.keys("+2w", "Enter")
    decided["snoozed"] = third
    fourth = _next_barrier(tmux, third, "after the snooze")
    # 4: a new owner, then triaged.
    tmux.keys("a")
    _pick(tmux, "Assign owner", "harpreet patel", "Harpreet Patel", "assign an owner")
    tmux.shows("Owner: Harpreet Patel", step="the new owner shown")
    tmux.keys("Enter")
    decided["owner"] = fourth
    fifth = _next_barrier(tmux, fourth, "after the owner")
    # 5: resolved, with a reason.
    tmux.keys("r")
    tmux.shows("Resolved — reason", step="the resolve prompt")
    tmux.keys("Sorted at the board", "Enter")
    decided["resolved"] = fifth
    _next_barrier(tmux, fifth, "after the resolution")
    tmux.keys("Escape")
    tmux.shows("sorted by Pilot", step="triage closed")

    # --- before the board — review Luton: one action done, one decision -------------------
    tmux.keys("R")
    tmux.shows("Review — Luton", "0 decisions", step="the Luton review")
    tmux.keys("d")
    tmux.shows("1 decision", step="the first overdue action done")
    tmux.keys("=")
    tmux.until(lambda s: re.search(r"│ Decision +│", s) is not None, "the decision prompt")
    tmux.keys(REVIEW_NOTE, "Enter")
    tmux.shows("2 decisions", step="the decision noted")
    tmux.keys("C-s")
    tmux.shows("sorted by Pilot", step="the review saved")

    # --- edit an action: the newest, from the meeting --------------------------------------
    tmux.keys("5")
    tmux.shows("Actions ·", "sorted by newest first", step="the actions")
    tmux.keys("e")
    tmux.shows("Edit action", "Book the landlord forum", step="the action's form")
    # The cursor opens at the end of the title, nothing selected: typing adds to it.
    tmux.keys(EDITED.removeprefix("Book the landlord forum"))
    tmux.shows(EDITED, step="the new title typed")
    tmux.keys("C-s")
    tmux.gone("Edit action", step="the action saved")

    # --- a new action's form open, go to Durham through the palette ------------------------
    tmux.keys("n")
    tmux.shows("New action", step="the new action's form")
    tmux.keys(NEW_ACTION)
    tmux.shows(NEW_ACTION, step="its title typed")
    tmux.keys("C-p")
    tmux.shows("🔎", step="the palette")
    tmux.keys("durham")
    tmux.until(lambda s: "Pilot · Durham" in _palette_first(s), "Durham in the palette")
    tmux.keys("Enter")
    tmux.shows("Unsaved: a new action", step="the question")
    tmux.keys("n")  # keep editing
    screen = tmux.gone("Unsaved:", step="the question answered")
    assert "New action" in screen and NEW_ACTION in screen, screen
    tmux.keys("C-s")
    tmux.gone("New action", step="the new action saved")

    # --- undo twice: the new action, then the edit -----------------------------------------
    tmux.keys("C-z")
    tmux.shows("Undid", step="the first undo")
    tmux.gone("Undid", step="the first undo's note gone")  # so the second's can be told apart
    tmux.keys("C-z")
    tmux.shows("Undid: saved action", step="the second undo")  # what, in words

    # --- export the actions ----------------------------------------------------------------
    tmux.keys("C-p")
    tmux.shows("🔎", step="the palette again")
    tmux.keys("export actions csv")
    tmux.until(lambda s: "Export: actions as CSV" in _palette_first(s), "the export command")
    tmux.keys("Enter")
    tmux.shows("Export actions as CSV to:", step="the export path")
    tmux.keys(str(export), "Enter")
    tmux.shows("Exported", step="the export written")
    tmux.keys("C-q")
    tmux.until(lambda _s: tmux.dead(), "the app quit")

    _check_the_day(db, export, decided, since)


def _check_the_day(db: Path, export: Path, decided: dict[str, int], since: str) -> None:
    conn = sqlite3.connect(db)
    one = conn.execute

    # The meeting, its notes and its people; the notes' actions, barrier and decision.
    meeting_id, notes, decisions = one(
        "SELECT m.id, m.notes, m.decisions FROM meeting m JOIN pilot p ON p.id = m.pilot_id "
        "WHERE p.name = 'Luton' AND m.title = 'Pilot check-in — Luton'"
    ).fetchone()
    assert notes.strip() == NOTES.strip()
    people = {
        row[0]
        for row in one(
            "SELECT c.email FROM meeting_attendee a JOIN contact c ON c.id = a.contact_id "
            "WHERE a.meeting_id = ?",
            (meeting_id,),
        )
    }
    assert people == {"emma.nowak@blmk-icb.example", "helen.stewart@luton.example"}
    assert "Agreed to pool the two outreach grants" in decisions
    held = date.fromisoformat(one("SELECT held_at FROM meeting WHERE id = ?", (meeting_id,))
                              .fetchone()[0][:10])  # fmt: skip
    actions = {
        title: (email, date.fromisoformat(due))
        for title, email, due in one(
            "SELECT a.title, c.email, a.due_date FROM action a JOIN contact c "
            "ON c.id = a.owner_id WHERE a.meeting_id = ?",
            (meeting_id,),
        )
    }
    assert set(actions) == {
        "Send the data-sharing agreement to the ICB",
        "Book the landlord forum",  # the edit was undone
    }
    email, due = actions["Send the data-sharing agreement to the ICB"]
    assert email == "emma.nowak@blmk-icb.example"
    assert due.weekday() == 4 and 0 < (due - held).days <= 7  # due:fri, the coming Friday
    email, due = actions["Book the landlord forum"]
    assert email == "helen.stewart@luton.example" and (due - held).days == 14  # due:+2w
    assert one(
        "SELECT category FROM barrier WHERE meeting_id = ? AND title LIKE 'No single contact%'",
        (meeting_id,),
    ).fetchone() == ("structure",)

    # The five triage decisions.
    def barrier(key: str) -> tuple[object, ...]:
        return tuple(
            one(
                "SELECT b.category, b.severity, b.status, coalesce(o.short_name, ''), "
                "b.escalation_note, b.snoozed_until IS NOT NULL, coalesce(c.email, ''), "
                "b.resolution FROM barrier b LEFT JOIN organisation o "
                "ON o.id = b.escalated_to_organisation_id LEFT JOIN contact c ON c.id = b.owner_id "
                "WHERE b.id = ?",
                (decided[key],),
            ).fetchone()
        )

    category, severity, status, *_ = barrier("funding-high")
    assert (category, severity, status) == ("funding", "high", "triaged")
    assert barrier("escalated")[2:5] == ("escalated", "HO", "Needs a named Home Office contact")
    assert barrier("snoozed")[2] == "new" and barrier("snoozed")[5] == 1  # back in 2 weeks
    assert barrier("owner")[2] == "triaged"
    assert barrier("owner")[6] == "harpreet.patel@mhclg.example"
    assert barrier("resolved")[2] == "resolved" and barrier("resolved")[7] == "Sorted at the board"
    ids = sorted(decided.values())
    recorded = one(
        "SELECT count(DISTINCT row_id) FROM change WHERE table_name = 'barrier' "
        f"AND op = 'update' AND actor = 'tester' AND row_id IN ({','.join('?' * len(ids))})",
        ids,
    ).fetchone()[0]
    assert len(ids) == 5 and recorded == 5  # five barriers, each decision in the history

    # The review: a meeting of kind review for Luton with the decision and the done action.
    review_decisions = one(
        "SELECT m.decisions FROM meeting m JOIN pilot p ON p.id = m.pilot_id "
        "WHERE p.name = 'Luton' AND m.kind = 'review'"
    ).fetchone()[0]
    assert REVIEW_NOTE in review_decisions
    done = re.search(r"Done: action (\d+)", review_decisions)
    assert done, review_decisions
    assert one(
        "SELECT a.status, a.completed_on IS NOT NULL, p.name FROM action a "
        "JOIN pilot p ON p.id = a.pilot_id WHERE a.id = ?",
        (int(done.group(1)),),
    ).fetchone() == ("done", 1, "Luton")

    # The edit happened (its history row), then was undone; the new action came and went.
    edits = [
        row[0]
        for row in one(
            "SELECT h.changes FROM change h JOIN action a ON a.id = h.row_id "
            "WHERE h.table_name = 'action' AND a.meeting_id = ? ORDER BY h.id",
            (meeting_id,),
        )
    ]
    titles_edited = [json.loads(changes).get("title") for changes in edits]
    assert ["Book the landlord forum", EDITED] in titles_edited  # the edit, as typed
    assert (
        one("SELECT count(*) FROM action WHERE title IN (?, ?)", (EDITED, NEW_ACTION)).fetchone()[0]
        == 0
    )
    created = one(
        "SELECT count(*) FROM change WHERE table_name = 'action' AND changes LIKE ?",
        (f"%{NEW_ACTION}%",),
    ).fetchone()[0]
    assert created >= 1  # it was saved before the undo took it away

    # The export: every action as the database has it now, the undone edit not in it.
    with export.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == one("SELECT count(*) FROM action").fetchone()[0]
    titles = {row["title"] for row in rows}
    assert {"Send the data-sharing agreement to the ICB", "Book the landlord forum"} <= titles
    assert EDITED not in titles and NEW_ACTION not in titles
    sent = next(row for row in rows if row["title"] == "Send the data-sharing agreement to the ICB")
    assert (sent["owner_email"], sent["pilot"], sent["meeting"]) == (
        "emma.nowak@blmk-icb.example",
        "Luton",
        "Pilot check-in — Luton",
    )

    # Every change the day made is the tester's, from the app.
    assert set(one("SELECT actor, source FROM change WHERE at >= ?", (since,)).fetchall()) == {
        ("tester", "tui")
    }
    conn.close()
