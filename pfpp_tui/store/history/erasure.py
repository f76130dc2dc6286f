"""Erasing a person (UK GDPR right to erasure), down to the bytes on disk.

Owns ``erase_person``: in one write transaction it removes the rows that only say "this person
is in X" (pilot membership, meeting attendance), clears the person from the records the
programme keeps (actions and barriers they owned keep ``[erased person]`` in their place, a
meeting notes that an erased person attended), rewrites free-text mentions of their full name,
e-mail or phone in other records (in any case, Unicode-folded) and the ``@owner`` markers in
meeting notes that resolved to them — the mention set of ``store.history.person_mentions``, the same
one ``person show`` lists — deletes the contact, and finally scrubs every history row that held
their values. Every step except the scrub goes through ``store.db.records`` so versions
and history stay right. ``PERSON_LINKS`` (``store.history.person``) says what to do with each
link.

After the commit the deleted bytes must leave the files too: SQLite runs with
``secure_delete`` (freed cells are zeroed), then the WAL is checkpointed and truncated, the
file is VACUUMed and the WAL truncated again. On PostgreSQL the touched tables get
``VACUUM FULL`` (rewritten without the dead row versions); the server's own WAL and backups are
the database administrator's to rotate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource, Contact
from pfpp_tui.rules import email_key
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.backup import verify_backup_file
from pfpp_tui.store.db.changes import decode_changes, encode_changes
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.db.records import TABLES, delete_row, load_row, update_row
from pfpp_tui.store.db.search_index import SEARCH_TABLE
from pfpp_tui.store.db.written_files import WrittenCopy, known_copies, scrub_register
from pfpp_tui.store.history.person import PERSON_LINKS, find_contact, link_row_ids
from pfpp_tui.store.history.person_mentions import (
    MentionSet,
    find_mentions,
    fold,
    folded_contains,
    history_mentions,
    replace_terms,
    table_of,
)

ERASED = "[erased person]"
ERASURE_REASON = "erasure request (UK GDPR)"
_IN_CHUNK = 500  # ids per IN (...) list: well under every engine's parameter limit


@dataclass
class ErasureReport:
    contact_id: int
    links_removed: dict[str, int] = field(default_factory=dict)
    records_detached: dict[str, int] = field(default_factory=dict)
    mentions_rewritten: int = 0
    history_rows_scrubbed: int = 0
    # False when other sessions kept the space from being reclaimed (the SQLite WAL stayed in
    # use, or PostgreSQL could not lock a table for VACUUM FULL): old bytes may linger there.
    wal_cleared: bool = True
    # Who was erased, to find them again in a copy (``erase_from_copy``).
    name: str = ""
    email: str | None = None
    # Files pfpp wrote since the person was added that still exist (``store.db.written_files``):
    # backups, safety copies and exports that may still hold them.
    copies: list[WrittenCopy] = field(default_factory=list)


def _marked(text: str, line: str) -> str:
    text = (text or "").rstrip()
    return f"{text}\n{line}" if text else line


def erase_in_session(
    session: Session, contact: Contact, *, found: MentionSet | None = None, since: int = 0
) -> ErasureReport:
    """Everything ``erase_person`` does inside the transaction; the caller commits.

    The mention set (``store.history.person_mentions``) is found first, before anything changes, so
    erasure rewrites exactly what ``person show`` lists; the history rows this transaction
    writes (which hold the old values) are scanned for the person afterwards and scrubbed too.
    A purge passes ``found``, found for all its people at once, and ``since``, the newest
    history id when it was found: rows written since (by erasing the others) are scanned too.
    """
    assert contact.id is not None
    contact_id = contact.id
    report = ErasureReport(contact_id=contact_id, name=full_name(contact), email=contact.email)
    session.flush()
    change = table_of("change")
    before = session.execute(select(func.max(change.c.id))).scalar() or 0
    if found is None:
        found = find_mentions(session, contact)
    else:
        before = min(before, since)
    link_ids = link_row_ids(session, contact_id)
    for link in PERSON_LINKS:
        ids = link_ids[link.table]
        for row_id in ids:
            if link.policy == "remove":
                values = delete_row(session, link.table, row_id)
                if link.marks is not None:
                    table, fk, column = link.marks
                    parent = load_row(session, table, values[fk])
                    note = _marked(getattr(parent, column), f"Attended by: {ERASED}")
                    update_row(session, table, values[fk], {column: note})
            else:
                row = load_row(session, link.table, row_id)
                changes: dict[str, Any] = {link.column: None}
                if link.marker_column is not None:
                    current = getattr(row, link.marker_column)
                    changes[link.marker_column] = (
                        ERASED
                        if link.replace
                        else _marked(current, f"{link.marker_label}: {ERASED}")
                    )
                update_row(session, link.table, row_id, changes)
        counts = report.links_removed if link.policy == "remove" else report.records_detached
        counts[link.table] = len(ids)
    for hit in found.text:
        table, row_id, column = hit["table"], hit["id"], hit["column"]
        current = session.get(TABLES[table][0], row_id)
        if current is None:  # in a purge: a record an earlier erasure removed (a contact's own)
            continue
        old = getattr(current, column) or ""
        new = found.scrub(table, row_id, old, ERASED)
        if new != old:  # a detached link may have replaced the value already
            update_row(session, table, row_id, {column: new})
            report.mentions_rewritten += 1
    delete_row(session, "contact", contact_id)
    scrub_register(session, lambda about: replace_terms(about, found.terms, ERASED))
    scrub_import_records(session, found.terms)
    session.flush()
    written_now = history_mentions(session, found, after=before)
    report.history_rows_scrubbed = scrub_history(session, found, [*found.history, *written_now])
    return report


def _names_person(name: str, terms: list[str]) -> bool:
    """True when a file name holds the person's name, e-mail or phone in any case, written
    with any separators or none ("emma-nowak.vcf", "EmmaNowak.csv", "emma_nowak@x.vcf")."""
    squeezed = _SEPARATORS.sub("", fold(name))
    return folded_contains(name, terms) or any(
        term and term in squeezed for term in (_SEPARATORS.sub("", t) for t in terms)
    )


_SEPARATORS = re.compile(r"[\W_]+")


def scrub_import_records(session: Session, terms: list[str]) -> int:
    """Bulk imports' records (``import_batch``): a source file named after the person becomes
    ``[erased person].vcf``, and who ran it and why are rewritten; records changed."""
    batches = table_of("import_batch")
    changed = 0
    rows = session.execute(
        select(batches.c.id, batches.c.files, batches.c.actor, batches.c.reason)
    ).all()
    for row in rows:
        try:
            files = json.loads(row.files or "[]")
        except ValueError:
            files = None
        new_files = row.files
        if isinstance(files, list):
            renamed = False
            for entry in files:
                name = entry.get("name") if isinstance(entry, dict) else None
                if isinstance(name, str) and _names_person(name, terms):
                    entry["name"] = ERASED + PurePath(name).suffix
                    renamed = True
            if renamed:
                new_files = json.dumps(files, ensure_ascii=False)
        elif row.files and _names_person(row.files, terms):
            new_files = "[]"
        actor = ERASED if folded_contains(row.actor, terms) else row.actor
        reason = replace_terms(row.reason or "", terms, ERASED)
        if (new_files, actor, reason) != (row.files, row.actor, row.reason or ""):
            session.execute(
                update(batches)
                .where(batches.c.id == row.id)
                .values(files=new_files, actor=actor, reason=reason)
            )
            changed += 1
    return changed


def scrub_history(session: Session, found: MentionSet, ids: list[int]) -> int:
    """Replace this person's values in these history rows; the rows (what happened) stay."""
    change = table_of("change")
    wanted = sorted(set(ids))
    scrubbed = 0
    for start in range(0, len(wanted), _IN_CHUNK):
        rows = session.execute(
            select(
                change.c.id,
                change.c.table_name,
                change.c.row_id,
                change.c.changes,
                change.c.actor,
                change.c.reason,
            ).where(change.c.id.in_(wanted[start : start + _IN_CHUNK]))
        ).all()
        for row in rows:
            own_row = row.table_name == "contact" and row.row_id == found.contact_id
            at = (row.table_name, row.row_id)
            new_fields = {
                k: tuple(_scrub_value(v, own_row=own_row, found=found, at=at) for v in pair)
                for k, pair in decode_changes(row.changes).items()
            }
            actor = ERASED if folded_contains(row.actor, found.terms) else row.actor
            reason = found.scrub(row.table_name, row.row_id, row.reason or "", ERASED)
            session.execute(
                update(change)
                .where(change.c.id == row.id)
                .values(changes=encode_changes(new_fields), actor=actor, reason=reason)
            )
            scrubbed += 1
    return scrubbed


def _scrub_value(value: Any, *, own_row: bool, found: MentionSet, at: tuple[str, int]) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if own_row:
        # The erased contact's own create/update/delete rows: every value was about them.
        return ERASED
    if isinstance(value, str):
        return found.scrub(at[0], at[1], value, ERASED)
    return value


def erase_person(
    db: Database, who: str, *, source: ChangeSource = ChangeSource.CLI
) -> ErasureReport:
    """Erase the contact with this id or e-mail, then clear the freed bytes from the files."""
    with db.write(source=source, reason=ERASURE_REASON) as session:
        contact = find_contact(session, who)
        added = contact.created_at
        report = erase_in_session(session, contact)
    report.wal_cleared = reclaim_erased_space(db)
    report.copies = known_copies(db, since=added)
    return report


def full_name(contact: Contact) -> str:
    return " ".join(f"{contact.first_name} {contact.last_name}".split())


def erase_from_copy(copy: WrittenCopy, report: ErasureReport) -> str:
    """Erase the person of ``report`` in a copy that is a pfpp database; one line saying how."""

    def work(copy_db: Database) -> str:
        with copy_db.write(source=ChangeSource.SYSTEM, reason=ERASURE_REASON) as session:
            contact = _same_person(session, report)
            if contact is None:
                return "the person is not in it"
            erase_in_session(session, contact)
        return "erased there too"

    return scrub_copy(copy, work)


def erase_from_copies_only(db: Database, email: str) -> list[tuple[WrittenCopy, str]]:
    """Someone already erased here: erase them, found by e-mail, in every copy pfpp wrote."""
    report = ErasureReport(contact_id=-1, email=email.strip())
    done: list[tuple[WrittenCopy, str]] = []
    for copy in known_copies(db):
        try:
            done.append((copy, erase_from_copy(copy, report)))
        except PfppError as exc:
            done.append((copy, "not scrubbed: " + str(exc).removeprefix(f"{copy.path}: ")))
    return done


def _same_person(session: Session, report: ErasureReport) -> Contact | None:
    """The erased person in a copy: by e-mail, else the same id with the same name."""
    if report.email:
        contact_table = table_of("contact")
        key = email_key(report.email)
        stmt = select(contact_table.c.id).where(contact_table.c.email_key == key)
        found = session.execute(stmt).scalar()
        if found is not None:
            return session.get(Contact, found)
    contact = session.get(Contact, report.contact_id)
    if contact is not None and fold(full_name(contact)) == fold(report.name):
        return contact
    return None


def reclaim_erased_space(db: Database, tables: tuple[str, ...] = ()) -> bool:
    """Push deleted bytes out of the files: VACUUM (and WAL truncation on SQLite).

    On SQLite the contacts' text index (``contact_search``, FTS5) still holds an erased
    person's trigrams in its older segments after the delete: ``'optimize'`` merges the
    segments into one without them, before the VACUUM clears the freed pages.
    """
    if db.is_sqlite:
        with db.write(source=ChangeSource.SYSTEM, reason=ERASURE_REASON) as session:
            session.execute(text(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES('optimize')"))
        return sqlite_corner.vacuum_and_truncate_wal(db.engine)
    # Small tables: rewriting them all is cheap and covers every rewritten free-text mention.
    names = tables or (*TABLES, "change")
    done = True
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # VACUUM FULL needs an exclusive lock: never hang behind a colleague's open session.
        conn.exec_driver_sql("SET lock_timeout = '5s'")
        for name in dict.fromkeys(names):
            try:
                conn.exec_driver_sql(f'VACUUM FULL "{name}"')
            except OperationalError:
                done = False
    return done


def scrub_copy(copy: WrittenCopy, work: Callable[[Database], str]) -> str:
    """Open ``copy`` (a pfpp SQLite database), run ``work`` in it, wipe the freed bytes.

    Returns ``work``'s one-line outcome. An older copy is migrated to this version first; the
    safety copy that migration leaves beside it is removed again, so scrubbing never adds a
    file that still holds what was scrubbed.
    """
    if not copy.is_database:
        article = "an" if copy.kind[0] in "aeiou" else "a"  # an export, a backup
        raise PfppError(
            f"{copy.path}: {article} {copy.kind} that is not a SQLite database pfpp can open, "
            "so it cannot be scrubbed; delete it if it is no longer needed"
        )
    verify_backup_file(copy.path)
    before = set(copy.path.parent.glob(f"{copy.path.name}.before-*.bak"))
    copy_db = open_database(copy.path)
    try:
        outcome = work(copy_db)
        if not reclaim_erased_space(copy_db):
            outcome += "; others have it open, so its freed space is not wiped yet"
    finally:
        copy_db.dispose()
        for added in set(copy.path.parent.glob(f"{copy.path.name}.before-*.bak")) - before:
            added.unlink(missing_ok=True)
    return outcome
