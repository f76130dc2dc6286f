"""Contact import, streamed: the files' records staged in the database and planned with SQL.

Owns planning an import without holding its records in Python (issue 19: a million-row file
plans in the memory of a ten-thousand-row one). The rules are ``contact_import``'s; this module
gives what ``contact_import_plan.plan_import`` gives for the same records (a property test holds
the two equal), but:

1. the records come a block at a time (``ParsedFile.blocks``): each block's organisation and team
   names are resolved (``contact_import_collapse.Planner``, each name once), its notes merged, its
   e-mail and person keys made, and it is staged in a TEMP table on the import's own connection
   (``STAGE``; no lock on the database, nothing in the file);
2. the import's own duplicates are found with SQL over the staged keys: a record whose e-mail an
   earlier one has, or without an e-mail whose name and organisation an earlier group has, joins
   that group (``head``); only members of groups of several are read back to merge their values;
3. matching against the database goes through the groups a step at a time, reading only the
   contacts each step's groups can be (a join on the unique e-mail index, and the organisations
   where a group matches by name); only the groups that can match one of them go through
   ``contact_import_plan.Matcher``;
4. the rest stay staged with ``fresh = 1``: ``contact_import_stage`` publishes them from there.

SQLite statements go straight to the driver (SQLAlchemy would open every transaction with BEGIN
IMMEDIATE, the write lock, on this connection); PostgreSQL's through SQLAlchemy's driver level.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from typing import Any

from sqlalchemy import Connection, text
from sqlmodel import Session

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.shapes.contacts import FIELDS
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.imports.contact_import_collapse import Planner, _merged_notes
from pfpp_tui.store.imports.contact_import_model import (
    Existing,
    FileSummary,
    ImportPlan,
    OnConflict,
    fill,
    person_key,
)
from pfpp_tui.store.imports.contact_import_plan import (
    Matcher,
    contact_maps,
    place_maps,
    plan_still_holds,
    renumber_new_rows,
)

STAGE = "pfpp_import_stage"  # a TEMP table: SQLite and PostgreSQL both look there first
_MAP = "pfpp_import_renumber"
IMPORT_CACHE_KIB = -65536  # negative: KiB, per SQLite's convention (64 MiB): the e-mail index
_IN_CHUNK = 500
# seq numbers the records in file order; head is the seq of the group's first record (NULL:
# it is one); fresh is 1 for a group that becomes a new contact.
_STAGED = ("seq", "file_index", *FIELDS, "email_key")  # and person, made when needed
_CONTACT = ", ".join(("id", "version", *FIELDS))


class Sql:
    """Plain statements on the import's connection, ``?`` placeholders on either engine."""

    def __init__(self, conn: Connection, is_sqlite: bool) -> None:
        self.conn = conn
        self.is_sqlite = is_sqlite
        self.raw: Any = conn.connection.driver_connection if is_sqlite else None

    def _begun(self) -> None:
        """PostgreSQL: a transaction that may write TEMP tables, on a read-only database too
        (where every transaction is read-only and forbids CREATE even of a TEMP table)."""
        if not self.conn.in_transaction():
            self.conn.exec_driver_sql("SET TRANSACTION READ WRITE")

    def run(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.is_sqlite:
            return self.raw.execute(sql, params)
        self._begun()
        return self.conn.exec_driver_sql(sql.replace("?", "%s"), tuple(params))

    def many(self, sql: str, rows: Any) -> None:
        if self.is_sqlite:
            self.raw.executemany(sql, rows)
        else:
            rows = list(rows)
            if rows:
                self._begun()
                self.conn.exec_driver_sql(sql.replace("?", "%s"), rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.run(sql, params).fetchall())

    def value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.run(sql, params).fetchone()
        return None if row is None else row[0]

    def begin(self) -> None:
        """A read transaction on the database (the TEMP table written freely inside it)."""
        if self.is_sqlite:
            self.raw.execute("BEGIN")

    def commit(self) -> None:
        if self.is_sqlite:
            if self.raw.in_transaction:
                self.raw.execute("COMMIT")
        else:
            self.conn.commit()

    def rollback(self) -> None:
        if self.is_sqlite:
            if self.raw.in_transaction:
                self.raw.execute("ROLLBACK")
        else:
            self.conn.rollback()


@contextmanager
def import_connection(db: Database) -> Iterator[Connection]:
    """The connection an import stages, plans and writes on; its TEMP tables dropped after."""
    with db.write_engine.connect() as conn:
        sql = Sql(conn, db.is_sqlite)
        if db.is_sqlite:
            # A page cache big enough for the unique e-mail index while it grows. (The WAL is
            # checkpointed as usual, by the import's own commits: held back, it would be done
            # by the next writer's commit instead -- an editor's save would pay for it.)
            sql.run(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
        try:
            yield conn
        finally:
            conn.rollback()
            sql.rollback()
            for table in (STAGE, _MAP):
                sql.run(f"DROP TABLE IF EXISTS {table}")
            sql.commit()


def plan_staged(
    conn: Connection,
    is_sqlite: bool,
    files: Sequence[ParsedFile],
    *,
    on_conflict: OnConflict = OnConflict.MERGE,
    pilot_id: int | None = None,
) -> ImportPlan:
    """Stage every record of ``files`` and work out every change the import makes."""
    sql = Sql(conn, is_sqlite)
    sql.rollback()
    for table in (STAGE, _MAP):
        sql.run(f"DROP TABLE IF EXISTS {table}")
    sql.commit()
    typed = ", ".join(
        f"{name} {'INTEGER' if name.endswith('_id') or name == 'file_index' else 'TEXT'}"
        for name in (*_STAGED[1:], "person")
    )
    sql.run(
        f"CREATE TEMP TABLE {STAGE} (seq INTEGER PRIMARY KEY, {typed}, head INTEGER,"
        " fresh INTEGER NOT NULL DEFAULT 1)"
    )
    sql.commit()
    sql.begin()
    try:
        plan = _plan(sql, files, on_conflict, pilot_id)
    except BaseException:
        sql.rollback()
        raise
    sql.commit()
    return plan


def _plan(
    sql: Sql, files: Sequence[ParsedFile], on_conflict: OnConflict, pilot_id: int | None
) -> ImportPlan:
    stamp = int(sql.value("SELECT coalesce(max(id), 0) FROM change"))
    orgs, teams = place_maps(
        sql.rows("SELECT id, name, short_name FROM organisation"),
        sql.rows("SELECT organisation_id, name, short_name FROM organisation_former_name"),
        sql.rows("SELECT id, organisation_id, name FROM team"),
    )
    summaries = [FileSummary(str(parsed.path)) for parsed in files]
    plan = ImportPlan(summaries, [], stamp=stamp, pilot_id=pilot_id)
    planner = Planner(plan, orgs, teams)
    total = 0
    emailless = False
    staged = [0] * len(files)
    insert = f"INSERT INTO {STAGE} ({', '.join(_STAGED)}) VALUES ({', '.join('?' * len(_STAGED))})"
    for index, parsed in enumerate(files):
        for block in parsed.blocks():
            if block:
                rows, without_email = _rows(planner, index, total + 1, block)
                sql.many(insert, rows)
                emailless = emailless or without_email
                total += len(block)
                staged[index] += len(block)
        plan.errors.extend(parsed.errors)
        summaries[index].refused = len({error.line for error in parsed.errors})
    if not total:
        return plan
    sql.run(f"CREATE INDEX {STAGE}_key ON {STAGE} (email_key)")
    shared = sql.value(
        f"SELECT 1 FROM {STAGE} WHERE email_key IS NOT NULL GROUP BY email_key"
        " HAVING count(*) > 1 LIMIT 1"
    )
    collapsed = emailless or shared is not None
    if collapsed:
        _collapse(sql, summaries, emailless)
    linked: set[int] = set()
    if pilot_id is not None:
        linked = {
            int(row[0])
            for row in sql.rows(
                "SELECT contact_id FROM contact_pilot WHERE pilot_id = ?", [pilot_id]
            )
        }
    matched = _match(sql, plan, on_conflict, linked)
    if collapsed or matched:
        staged = [0] * len(files)
        for index, added in sql.rows(
            f"SELECT file_index, count(*) FROM {STAGE} WHERE fresh = 1 GROUP BY file_index"
        ):
            staged[index] = added
        # A planned organisation or team only a collapsed or matched record names is not made.
        _drop_unused(sql, plan)
    for index, added in enumerate(staged):
        summaries[index].added += added
        plan.staged += added
    return plan


def persons(sql: Sql) -> None:
    """Fill the staged person keys not made yet (they are needed only to match by name)."""
    if sql.is_sqlite:
        sql.raw.create_function("pfpp_person_key", 2, person_key, deterministic=True)
        sql.run(
            f"UPDATE {STAGE} SET person = pfpp_person_key(first_name, last_name)"
            " WHERE person IS NULL"
        )
        return
    missing = sql.rows(f"SELECT first_name, last_name, seq FROM {STAGE} WHERE person IS NULL")
    sql.many(
        f"UPDATE {STAGE} SET person = ? WHERE seq = ?",
        [(person_key(first, last), seq) for first, last, seq in missing],
    )


def _rows(
    planner: Planner, file_index: int, first_seq: int, records: list[ContactRecord]
) -> tuple[Iterator[tuple[Any, ...]], bool]:
    """A block's staged rows (``_STAGED``), organisations and teams resolved, by columns; and
    whether a record in it has no e-mail."""
    (
        _,
        firsts,
        lasts,
        emails,
        extra_emails,
        phones,
        e164s,
        extra_phones,
        org_texts,
        team_texts,
        roles,
        notes_col,
        tags_col,
    ) = zip(*records, strict=True)
    orgs, teams, tags_text = planner.orgs, planner.teams, planner.tags
    for name in dict.fromkeys(org_texts):
        if name not in orgs:
            planner.org(name)
    org_col = list(map(orgs.__getitem__, org_texts))
    pairs = list(zip(org_col, team_texts, strict=True))
    for org, team_text in dict.fromkeys(pairs):
        if (org, team_text) not in teams:
            planner.team(org, team_text)
    for tags in set(tags_col):
        if tags not in tags_text:
            planner.tag_text(tags)
    notes = list(notes_col)
    if any(extra_emails) or any(extra_phones) or any(org is None and t for org, t in pairs):
        for n, record in enumerate(records):
            orphan = record.team if org_col[n] is None and record.team else ""
            if record.extra_emails or record.extra_phones or orphan:
                notes[n] = _merged_notes(record, orphan)
    keys = [email.lower() if email else None for email in emails]
    rows = zip(
        range(first_seq, first_seq + len(records)),
        repeat(file_index),
        firsts,
        lasts,
        emails,
        phones,
        e164s,
        org_col,
        map(teams.__getitem__, pairs),
        roles,
        notes,
        map(tags_text.__getitem__, tags_col),
        keys,
        strict=False,
    )
    return rows, None in keys


_SAME_ORG = (
    "(b.organisation_id = {t}.organisation_id"
    " OR (b.organisation_id IS NULL AND {t}.organisation_id IS NULL))"
)


def _collapse(sql: Sql, summaries: list[FileSummary], emailless: bool) -> None:
    """Records joined to the first record of their group (``head``), groups' values merged.

    A record with an e-mail joins the first record with that e-mail; one without joins the
    first group -- with or without an e-mail -- whose first record has its name and
    organisation.
    """
    sql.run(
        f"UPDATE {STAGE} SET head = (SELECT min(b.seq) FROM {STAGE} b"
        f" WHERE b.email_key = {STAGE}.email_key) WHERE email_key IS NOT NULL"
    )
    sql.run(f"UPDATE {STAGE} SET head = NULL WHERE head = seq")
    if emailless:
        persons(sql)
        sql.run(f"CREATE INDEX {STAGE}_person ON {STAGE} (person)")
        same_org = _SAME_ORG.format(t=STAGE)
        sql.run(
            f"UPDATE {STAGE} SET head = (SELECT min(b.seq) FROM {STAGE} b"
            f" WHERE b.person = {STAGE}.person AND {same_org}"
            " AND (b.email_key IS NULL OR b.head IS NULL))"
            " WHERE email_key IS NULL AND person <> ''"
        )
        sql.run(f"UPDATE {STAGE} SET head = NULL WHERE head = seq")
    sql.run(f"UPDATE {STAGE} SET fresh = 0 WHERE head IS NOT NULL")
    for index, joined in sql.rows(
        f"SELECT file_index, count(*) FROM {STAGE} WHERE head IS NOT NULL GROUP BY file_index"
    ):
        summaries[index].unchanged += joined
    # The groups of several, head first: later records fill the head's empty fields.
    columns = ", ".join(FIELDS)
    merged: list[tuple[Any, ...]] = []
    group: int | None = None
    values: dict[str, Any] = {}
    first: dict[str, Any] = {}
    for row in sql.run(
        f"SELECT coalesce(head, seq) AS g, {columns} FROM {STAGE} WHERE head IS NOT NULL"
        f" OR seq IN (SELECT head FROM {STAGE} WHERE head IS NOT NULL) ORDER BY g, seq"
    ):
        if row[0] != group:
            if group is not None and values != first:
                merged.append(_merged_row(values, group))
            group = row[0]
            values = dict(zip(FIELDS, row[1:], strict=True))
            first = dict(values)
        else:
            fill(values, dict(zip(FIELDS, row[1:], strict=True)), overwrite=False)
    if group is not None and values != first:
        merged.append(_merged_row(values, group))
    sets = ", ".join(f"{name} = ?" for name in (*FIELDS, "person"))
    sql.many(f"UPDATE {STAGE} SET {sets} WHERE seq = ?", merged)


def _merged_row(values: dict[str, Any], seq: int) -> tuple[Any, ...]:
    return (
        *(values[name] for name in FIELDS),
        person_key(values["first_name"], values["last_name"]),
        seq,
    )


_HEADS = 5000  # groups matched per step: the contacts they can be are read for them alone


def _match(sql: Sql, plan: ImportPlan, on_conflict: OnConflict, linked: set[int]) -> int:
    """Every group that can be an existing contact, in file order, ``_HEADS`` at a time,
    through ``contact_import_plan.Matcher``; how many were.

    For each step only the contacts its groups can be are read (as
    ``contact_import_plan._Lookups`` does for a whole file): those with the step's e-mail keys
    (a join on the unique index), and every contact of the organisations where one of its
    groups matches by name -- a group without an e-mail, or a person whom a contact without
    an e-mail there may be. A contact matched and changed by an earlier step is the one
    planned, not read again, so memory is the step's and the plan's updates, never every
    contact's.
    """
    if sql.value("SELECT 1 FROM contact LIMIT 1") is None:
        return 0
    persons(sql)
    claimable: dict[str, set[int | None]] = {}
    for first, last, org in sql.rows(
        "SELECT first_name, last_name, organisation_id FROM contact WHERE email_key IS NULL"
    ):
        claimable.setdefault(person_key(first, last), set()).add(org)
    matcher = Matcher(plan, on_conflict, {}, {}, linked)
    planned: dict[int, Existing] = {}
    columns = ", ".join(("seq", "file_index", *FIELDS, "email_key", "person"))
    contact = ", ".join(f"c.{name}" for name in ("id", "version", *FIELDS))
    org_at = 2 + FIELDS.index("organisation_id")
    matched: list[tuple[int]] = []
    last = 0
    while True:
        heads = sql.rows(
            f"SELECT {columns} FROM {STAGE} WHERE head IS NULL AND seq > ? ORDER BY seq"
            f" LIMIT {_HEADS}",
            [last],
        )
        if not heads:
            break
        low, last = heads[0][0] - 1, heads[-1][0]
        found: dict[int, Any] = {
            row[0]: row
            for row in sql.rows(
                f"SELECT {contact} FROM {STAGE} s JOIN contact c ON c.email_key = s.email_key"
                " WHERE s.seq > ? AND s.seq <= ? AND s.head IS NULL",
                [low, last],
            )
        }
        orgs: set[int | None] = set()
        for row in heads:
            org = row[org_at]
            if row[-2] is None:
                orgs.add(org if org is None or org > 0 else None)
            orgs.update(claimable.get(row[-1], ()))
        wanted = sorted(org for org in orgs if org is not None)
        conditions: list[tuple[str, list[Any]]] = (
            [("organisation_id IS NULL", [])] if None in orgs else []
        )
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            conditions.append((f"organisation_id IN ({', '.join('?' * len(chunk))})", chunk))
        for condition, params in conditions:
            found.update(
                (row[0], row)
                for row in sql.rows(f"SELECT {_CONTACT} FROM contact WHERE {condition}", params)
            )
        if not found:
            continue
        matcher.by_email, matcher.by_name = contact_maps(found.values(), planned)
        by_email, by_name = matcher.by_email, matcher.by_name
        for row in heads:
            key, org = row[-2], row[org_at]
            if not (key and key in by_email) and not (
                by_name and (org is None or org > 0) and (row[-1], org) in by_name
            ):
                continue
            values = dict(zip(FIELDS, row[2:-2], strict=True))
            existing = matcher.match(row[1], values, key)
            if existing is not None:
                matched.append((row[0],))
                if existing.id in matcher.touched:
                    planned[existing.id] = existing
    sql.many(f"UPDATE {STAGE} SET fresh = 0 WHERE seq = ?", matched)
    return len(matched)


def _drop_unused(sql: Sql, plan: ImportPlan) -> None:
    """Planned organisations and teams no new or updated contact uses are not created."""
    if not plan.new_orgs and not plan.new_teams:
        return
    used: dict[str, set[int]] = {}
    for column in ("organisation_id", "team_id"):
        used[column] = {
            int(row[0])
            for row in sql.rows(
                f"SELECT DISTINCT {column} FROM {STAGE} WHERE fresh = 1 AND {column} < 0"
            )
        }
        used[column].update(e.values[column] for e in plan.updates if (e.values[column] or 0) < 0)
    maps = renumber_new_rows(plan, used["organisation_id"], used["team_id"])
    if maps is None:
        return
    sql.run(f"CREATE TEMP TABLE {_MAP} (kind INTEGER, old INTEGER, new INTEGER)")
    for kind, (column, mapping) in enumerate(
        zip(("organisation_id", "team_id"), maps, strict=True)
    ):
        sql.many(f"INSERT INTO {_MAP} VALUES (?, ?, ?)", [(kind, o, n) for o, n in mapping.items()])
        sql.run(
            f"UPDATE {STAGE} SET {column} = (SELECT m.new FROM {_MAP} m WHERE m.kind = ?"
            f" AND m.old = {STAGE}.{column}) WHERE fresh = 1 AND {column} < 0",
            [kind],
        )


def still_holds(session: Session, plan: ImportPlan) -> bool:
    """``contact_import_plan.plan_still_holds`` for a staged plan (inside the write)."""
    return plan_still_holds(session, plan, adds=_adds_none_of)


def _adds_none_of(session: Session, plan: ImportPlan, changed: list[Any]) -> bool:
    """Whether none of the contacts changed since planning now has an e-mail the plan adds,
    or no e-mail and the name of a person the plan adds or updates."""
    names = {person_key(e.values["first_name"], e.values["last_name"]) for e in plan.updates}
    if any(email_key is None for email_key, _, _ in changed):
        persons(Sql(session.connection(), session.get_bind().dialect.name == "sqlite"))
    by_key = text(f"SELECT 1 FROM {STAGE} WHERE fresh = 1 AND email_key = :k")
    by_person = text(f"SELECT 1 FROM {STAGE} WHERE fresh = 1 AND person = :p")
    for email_key, first, last in changed:
        if email_key is not None:
            if session.execute(by_key, {"k": email_key}).first() is not None:
                return False
            continue
        person = person_key(first, last)
        if person in names or session.execute(by_person, {"p": person}).first() is not None:
            return False
    return True
