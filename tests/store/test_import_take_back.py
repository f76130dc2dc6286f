"""Taking back an import that did not finish never undoes someone else's work.

An import writes its contacts a chunk per transaction, so they are visible while it writes; a
colleague may make one a barrier's owner before a kill stops the import. The next open takes the
import back — but a contact someone used is kept, with its organisation and a history row saying
why, instead of being deleted (which would silently clear the colleague's link: ``ON DELETE SET
NULL``, with no history).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, update_record
from pfpp_tui.store.imports.contact_import import import_contacts
from pfpp_tui.store.imports.contact_import_stage import KEPT_REASON, recover


def _rows(db: Database, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [tuple(row) for row in session.execute(text(sql), params)]


def _dead_owner() -> str:
    """``host:pid`` of a process that has ended: the import's writer, killed."""
    import socket

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return f"{socket.gethostname()}:{done.stdout.strip()}"


def test_a_contact_used_while_the_import_wrote_is_kept_the_rest_taken_back(
    any_db: Database,
) -> None:
    db = any_db
    pilot = create_record(db, table="pilot", values={"name": "Luton"}, source=ChangeSource.CLI)
    barrier = create_record(
        db,
        table="barrier",
        values={
            "title": "No single contact for street culture",
            "pilot_id": pilot.id,
            "raised_on": "2026-11-30",
        },
        source=ChangeSource.CLI,
    )
    records = ParsedFile(
        Path("in.csv"),
        "csv",
        [
            ContactRecord(2, "Ada", "Lovelace", "ada@x.example", organisation="New Body"),
            ContactRecord(3, "Bea", "Lovelace", "bea@x.example", organisation="Other Body"),
            ContactRecord(4, "Cy", "Lovelace", "cy@x.example", organisation="Other Body"),
        ],
        [],
    )
    import_contacts(db, [records])
    # As the killed import left it: every contact written, the batch still publishing, its
    # writer gone.
    with db.write(source=ChangeSource.SYSTEM) as session:
        session.execute(
            text("UPDATE import_batch SET state = 'publishing', owner = :o"), {"o": _dead_owner()}
        )
    ada = _rows(db, "SELECT id, organisation_id FROM contact WHERE email_key = 'ada@x.example'")[0]
    # A colleague makes Ada the barrier's owner meanwhile.
    update_record(
        db, table="barrier", row_id=barrier.id, changes={"owner_id": ada[0]},
        source=ChangeSource.TUI,
    )  # fmt: skip

    assert recover(db) == 1

    assert _rows(db, "SELECT email_key, import_batch_id FROM contact") == [("ada@x.example", None)]
    assert _rows(db, "SELECT owner_id FROM barrier WHERE id = :b", b=barrier.id) == [(ada[0],)]
    assert _rows(db, "SELECT name FROM organisation") == [("New Body",)]
    assert _rows(db, "SELECT count(*) FROM import_batch") == [(0,)]
    kept = _rows(
        db,
        "SELECT table_name, op, reason FROM change WHERE reason = :r ORDER BY table_name",
        r=KEPT_REASON,
    )
    assert kept == [("contact", "create", KEPT_REASON), ("organisation", "create", KEPT_REASON)]
    # Nothing of Bea, Cy or their organisation is left in the history.
    assert _rows(db, "SELECT count(*) FROM change WHERE changes LIKE '%Other Body%'") == [(0,)]
