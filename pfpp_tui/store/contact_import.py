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

Speed and safety: ``plan_import`` (``contact_import_plan``, with ``contact_import_collapse``)
does all matching in Python against dicts preloaded in one read transaction; ``apply_plan``
(``contact_import_write``) then writes everything -- organisations, teams, contacts, pilot links
and one history row per change (source ``import``, one batch) -- in the single
``Database.write`` transaction. If anything was written between planning and writing (the
history high-water mark moved), the plan is redone inside the transaction. The shapes passed
between them are ``contact_import_model``'s. This module is the entry point and the public names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlmodel import Session

from pfpp_tui.errors import NotFoundError
from pfpp_tui.importers.base import ParsedFile
from pfpp_tui.models import ChangeSource, Pilot
from pfpp_tui.store.contact_import_model import (
    FIELDS,
    FileSummary,
    ImportPlan,
    OnConflict,
    name_key,
)
from pfpp_tui.store.contact_import_plan import history_mark, plan_import
from pfpp_tui.store.contact_import_write import apply_plan
from pfpp_tui.store.database import Database


def find_pilot(session: Session, name: str) -> int:
    """The id of the pilot called ``name`` (case-insensitive); NotFoundError names the choices."""
    rows = list(session.execute(select(Pilot.id, Pilot.name)))  # type: ignore[call-overload]
    for pilot_id, pilot_name in rows:
        if name_key(pilot_name) == name_key(name):
            return int(pilot_id)
    choices = ", ".join(sorted(str(n) for _, n in rows)) or "none yet"
    raise NotFoundError(f"no pilot named {name!r} (pilots: {choices})")


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
    """Plan the import and, unless refused or a dry run, write it in one transaction.

    ``on_phase`` is told "Matching" and "Writing" as the import reaches them (for a progress
    display; it must not touch the database). ``batch`` is the history batch the write uses
    (chosen by the caller so it can offer ``ctrl+z``; a new one when None).
    """
    if on_phase is not None:
        on_phase("Matching")
    with db.read() as session:
        pilot_id = find_pilot(session, pilot) if pilot is not None else None
        plan = plan_import(session, files, on_conflict=on_conflict, pilot_id=pilot_id)
    if dry_run or plan.refused or not (plan.inserts or plan.updates or plan.links):
        return plan
    if on_phase is not None:
        on_phase("Writing")
    with db.write(source=ChangeSource.IMPORT, batch=batch) as session:
        if history_mark(session) != plan.stamp:
            plan = plan_import(session, files, on_conflict=on_conflict, pilot_id=pilot_id)
        apply_plan(session, plan, is_sqlite=db.is_sqlite)
    return plan


__all__ = [
    "FIELDS",
    "FileSummary",
    "ImportPlan",
    "OnConflict",
    "apply_plan",
    "find_pilot",
    "import_contacts",
    "plan_import",
]
