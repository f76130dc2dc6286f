"""Bulk contact import, the database side: match, de-duplicate, plan, then one short write.

Owns what an imported record *means* against the database: which organisation, team and
existing contact it is, and what changes. Parsing belongs to ``pfpp_tui.importers``; this module
never reads files and never prints.

Meaning (the contract of ``pfpp import contacts``):

- An organisation is matched case- and space-insensitively by its name, its short name, or
  any former name or former short name; created when new. A team is matched the same way
  within its organisation; created when new (a team with no organisation goes to the notes).
- The same person: the same e-mail (trimmed, case-insensitive; ``contact.email_key``); a record
  with no e-mail matches the same normalised full name in the same organisation, and a record
  whose e-mail is new may claim such a contact that has no e-mail yet. Records inside the
  import collapse by the same rules (the first one wins, later ones fill its gaps).
- ``merge`` fills empty fields and never overwrites a non-empty one; ``skip`` leaves existing
  contacts alone; ``replace`` overwrites every field the file gives a value for (an empty cell
  never erases). Re-importing the same file therefore changes nothing.
- Further e-mails and phones are appended to the notes ("Other e-mails: ...").
- ``--pilot`` links every imported contact to that pilot.

Speed and safety: the records are staged a block at a time in a TEMP table on the import's
own connection and planned there (``contact_import_staged``): the import's own duplicates are
found with SQL over the staged keys, and only the contacts the files can be are read -- by the
e-mails, organisations and names staged, never every contact -- so planning costs time in
proportion to the files, not the database, and memory in proportion to neither (a streamed file
is never whole in memory). ``plan_import`` (``contact_import_plan``, with
``contact_import_collapse``) plans the same in memory; a property test holds the two equal.
The write then never holds the write lock for long
(``contact_import_stage``): the new contacts are staged in short transactions, one short
transaction (``contact_import_write.apply_plan``) writes the rest and decides the import, and the
staged contacts are published a chunk at a time. A kill before that decision leaves nothing
(the staged rows are deleted by the next open), after it everything (the next open finishes the
publishing). If something the plan relied on was written between planning and deciding, the
staged rows are dropped and the import is planned again. The new contacts' creation history is
one ``import_batch`` record (who, when, the files and their SHA-256, counts, options) named on
each contact, not a history row each. The shapes passed between the parts are
``contact_import_model``'s. This module is the entry point and the public names.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, select
from sqlmodel import Session

from pfpp_tui.errors import NotFoundError, PfppError
from pfpp_tui.importers.base import ParsedFile
from pfpp_tui.models import Pilot
from pfpp_tui.shapes.contacts import FIELDS
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.imports import contact_import_stage as stage
from pfpp_tui.store.imports import contact_import_staged as staged
from pfpp_tui.store.imports.contact_import_model import (
    FileSummary,
    ImportPlan,
    OnConflict,
    name_key,
)
from pfpp_tui.store.imports.contact_import_plan import history_mark, plan_import


def find_pilot(session: Session, name: str) -> int:
    """The id of the pilot called ``name`` (case-insensitive); NotFoundError names the choices."""
    rows = list(session.execute(select(Pilot.id, Pilot.name)))  # type: ignore[call-overload]
    for pilot_id, pilot_name in rows:
        if name_key(pilot_name) == name_key(name):
            return int(pilot_id)
    choices = ", ".join(sorted(str(n) for _, n in rows)) or "none yet"
    raise NotFoundError(f"no pilot named {name!r} (pilots: {choices})")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def _files_json(plan: ImportPlan, files: Sequence[ParsedFile]) -> str:
    return json.dumps(
        [
            {
                "name": Path(summary.file).name,
                "sha256": _sha256(Path(parsed.path)),
                "added": summary.added,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
            for summary, parsed in zip(plan.summaries, files, strict=True)
        ],
        ensure_ascii=False,
    )


MAX_PLANS = 5  # a plan overtaken by another writer this many times in a row: give up


def import_contacts(
    db: Database,
    files: Sequence[ParsedFile],
    *,
    on_conflict: OnConflict = OnConflict.MERGE,
    pilot: str | None = None,
    dry_run: bool = False,
    on_phase: Callable[[str], None] | None = None,
    batch: str | None = None,
) -> ImportPlan:
    """Plan the import and, unless refused or a dry run, write it: all of it or nothing.

    The files' records are staged and planned a block at a time (``contact_import_staged``),
    so a streamed file (``importers.reader.open_contacts_file``) is never whole in memory.
    ``on_phase`` is told "Matching" and "Writing" as the import reaches them (for a progress
    display; it must not touch the database). ``batch`` is the history batch the write uses
    (chosen by the caller so it can offer ``ctrl+z``; a new one when None).
    """
    if on_phase is not None:
        on_phase("Matching")
    if not dry_run:
        stage.recover(db)
    pilot_id: int | None = None
    if pilot is not None:
        with db.read() as session:
            pilot_id = find_pilot(session, pilot)
    with staged.import_connection(db) as conn:
        for _ in range(MAX_PLANS):
            plan = staged.plan_staged(
                conn, db.is_sqlite, files, on_conflict=on_conflict, pilot_id=pilot_id
            )
            if dry_run or not plan.writes:
                return plan
            if on_phase is not None:
                on_phase("Writing")
            if _write(db, conn, plan, files, on_conflict=on_conflict, pilot=pilot, batch=batch):
                return plan
    raise PfppError("contacts kept changing while importing; nothing was written, run it again")


def _write(
    db: Database,
    conn: Connection,
    plan: ImportPlan,
    files: Sequence[ParsedFile],
    *,
    on_conflict: OnConflict,
    pilot: str | None,
    batch: str | None,
) -> bool:
    """Write the plan, all of it or nothing; False (nothing written) when it was overtaken."""
    written = stage.write_import(
        db,
        conn,
        plan,
        batch=batch or str(uuid.uuid4()),
        files=_files_json(plan, files),
        options={"on_conflict": on_conflict.value, "pilot": pilot, "pilot_id": plan.pilot_id},
        still_holds=staged.still_holds,
        history_mark=history_mark,
    )
    if written is None:
        return False
    plan.overtaken = plan.new_contacts - written
    return True


__all__ = [
    "FIELDS",
    "FileSummary",
    "ImportPlan",
    "OnConflict",
    "find_pilot",
    "import_contacts",
    "plan_import",
]
