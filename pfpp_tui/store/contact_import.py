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

Speed and safety: ``plan_import`` does all matching in Python against dicts preloaded in one
read transaction; ``apply_plan`` then writes everything -- organisations, teams, contacts,
pilot links and one history row per change (source ``import``, one batch) -- in the single
``Database.write`` transaction. On SQLite the bulk rows go through the DBAPI connection's
``executemany`` with ids assigned under the write lock (BEGIN IMMEDIATE), which is what keeps a
100,000-row import near the raw-sqlite3 floor. If anything was written between planning and
writing (the history high-water mark moved), the plan is redone inside the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlmodel import Session, SQLModel

from pfpp_tui.errors import NotFoundError, PfppError
from pfpp_tui.importers.base import ContactRecord, ParsedFile, RowError
from pfpp_tui.models import (
    Change,
    ChangeSource,
    Contact,
    ContactPilot,
    Organisation,
    OrganisationFormerName,
    Pilot,
    Team,
    utcnow,
)
from pfpp_tui.store.database import Database

# The contact columns an import sets, in the order the bulk INSERT/UPDATE uses.
FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "phone_e164",
    "organisation_id",
    "team_id",
    "role",
    "notes",
    "tags",
)
_encode = json.encoder.encode_basestring
IMPORT_CACHE_KIB = -65536  # negative: KiB, per SQLite's convention (64 MiB)


class OnConflict(StrEnum):
    MERGE = "merge"
    SKIP = "skip"
    REPLACE = "replace"


@dataclass(slots=True)
class FileSummary:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0


@dataclass(slots=True)
class _Existing:
    id: int
    version: int
    values: dict[str, Any]
    original: dict[str, Any]


@dataclass(slots=True)
class ImportPlan:
    """Everything the write will do. Negative ids refer to rows this plan creates."""

    summaries: list[FileSummary]
    errors: list[RowError]
    stamp: int = 0
    new_orgs: list[str] = field(default_factory=list)
    new_teams: list[tuple[int, str]] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[_Existing] = field(default_factory=list)
    pilot_id: int | None = None
    links: list[int] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors)


def name_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _person_key(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".casefold().split())


def _history_mark(session: Session) -> int:
    return int(session.execute(select(func.coalesce(func.max(Change.id), 0))).scalar_one())


class _Lookups:
    """Organisations, teams, contacts and pilot links preloaded into dicts."""

    def __init__(self, session: Session, pilot_id: int | None) -> None:
        self.orgs: dict[str, int] = {}
        former: dict[str, int] = {}
        org_rows = session.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name)  # type: ignore[call-overload]
        )
        for org_id, name, short in org_rows:
            self.orgs.setdefault(name_key(name), org_id)
            if short:
                former.setdefault(name_key(short), org_id)
        old_rows = session.execute(
            select(  # type: ignore[call-overload]
                OrganisationFormerName.organisation_id,
                OrganisationFormerName.name,
                OrganisationFormerName.short_name,
            )
        )
        for org_id, name, short in old_rows:
            former.setdefault(name_key(name), org_id)
            if short:
                former.setdefault(name_key(short), org_id)
        for key, org_id in former.items():
            self.orgs.setdefault(key, org_id)
        self.teams: dict[tuple[int, str], int] = {
            (org_id, name_key(name)): team_id
            for team_id, org_id, name in session.execute(
                select(Team.id, Team.organisation_id, Team.name)  # type: ignore[call-overload]
            )
        }
        columns = [Contact.__table__.c[name] for name in ("id", "version", *FIELDS)]  # type: ignore[attr-defined]
        self.by_email: dict[str, _Existing] = {}
        self.by_name: dict[tuple[str, int | None], _Existing] = {}
        for row in session.execute(select(*columns).order_by(columns[0])):
            values = dict(zip(FIELDS, row[2:], strict=True))
            existing = _Existing(row[0], row[1], values, dict(values))
            if values["email"]:
                self.by_email[values["email"].strip().lower()] = existing
            person = _person_key(values["first_name"], values["last_name"])
            self.by_name.setdefault((person, values["organisation_id"]), existing)
        self.linked: set[int] = set()
        if pilot_id is not None:
            self.linked = set(
                session.execute(
                    select(ContactPilot.contact_id).where(ContactPilot.pilot_id == pilot_id)  # type: ignore[call-overload]
                ).scalars()
            )


def find_pilot(session: Session, name: str) -> int:
    """The id of the pilot called ``name`` (case-insensitive); NotFoundError names the choices."""
    rows = list(session.execute(select(Pilot.id, Pilot.name)))  # type: ignore[call-overload]
    for pilot_id, pilot_name in rows:
        if name_key(pilot_name) == name_key(name):
            return int(pilot_id)
    choices = ", ".join(sorted(str(n) for _, n in rows)) or "none yet"
    raise NotFoundError(f"no pilot named {name!r} (pilots: {choices})")


def _merged_notes(record: ContactRecord, team_without_org: str) -> str:
    parts = [record.notes] if record.notes else []
    if record.extra_emails:
        parts.append("Other e-mails: " + ", ".join(record.extra_emails))
    if record.extra_phones:
        parts.append("Other phones: " + ", ".join(record.extra_phones))
    if team_without_org:
        parts.append("Team: " + team_without_org)
    return "\n".join(parts)


def _fill(target: dict[str, Any], source: dict[str, Any], *, overwrite: bool) -> None:
    for key, value in source.items():
        if value in (None, ""):
            continue
        if overwrite or target.get(key) in (None, ""):
            target[key] = value


def plan_import(
    session: Session,
    files: Sequence[ParsedFile],
    *,
    on_conflict: OnConflict = OnConflict.MERGE,
    pilot_id: int | None = None,
) -> ImportPlan:
    """Work out every change an import makes, reading but never writing."""
    summaries = [FileSummary(str(parsed.path)) for parsed in files]
    errors = [error for parsed in files for error in parsed.errors]
    for summary, parsed in zip(summaries, files, strict=True):
        summary.refused = len({error.line for error in parsed.errors})
    plan = ImportPlan(summaries, errors, stamp=_history_mark(session), pilot_id=pilot_id)
    lookups = _Lookups(session, pilot_id)
    new_org_refs: dict[str, int] = {}
    new_team_refs: dict[tuple[int, str], int] = {}

    def org_ref(text: str) -> int:
        key = name_key(text)
        found = lookups.orgs.get(key) or new_org_refs.get(key)
        if found is None:
            plan.new_orgs.append(text)
            found = new_org_refs[key] = -len(plan.new_orgs)
        return found

    def team_ref(org: int, text: str) -> int:
        key = (org, name_key(text))
        found = lookups.teams.get(key) or new_team_refs.get(key)
        if found is None:
            plan.new_teams.append((org, text))
            found = new_team_refs[key] = -len(plan.new_teams)
        return found

    # Collapse the import's own duplicates: by e-mail, else by name + organisation.
    groups: dict[object, tuple[int, dict[str, Any]]] = {}
    by_person: dict[tuple[str, int | None], tuple[int, dict[str, Any]]] = {}
    order: list[tuple[int, dict[str, Any]]] = []
    org_cache: dict[str, int] = {}
    team_cache: dict[tuple[int, str], int] = {}
    # Name-only matching inside the import is needed only when some record has no e-mail.
    index_people = any(r.email is None for parsed in files for r in parsed.records)
    for index, parsed in enumerate(files):
        for record in parsed.records:
            org_text = record.organisation
            org = None
            if org_text:
                org = org_cache.get(org_text)
                if org is None:
                    org = org_cache[org_text] = org_ref(org_text)
            team_text = record.team
            team = None
            if team_text and org is not None:
                team = team_cache.get((org, team_text))
                if team is None:
                    team = team_cache[(org, team_text)] = team_ref(org, team_text)
            notes = record.notes
            if record.extra_emails or record.extra_phones or (team_text and org is None):
                notes = _merged_notes(record, team_text if org is None and team_text else "")
            values: dict[str, Any] = {
                "first_name": record.first_name,
                "last_name": record.last_name,
                "email": record.email,
                "phone": record.phone,
                "phone_e164": record.phone_e164,
                "organisation_id": org,
                "team_id": team,
                "role": record.role,
                "notes": notes,
                "tags": ", ".join(record.tags) if record.tags else "",
            }
            email = record.email
            key: object = email.lower() if email else None
            group = groups.get(key) if email else None
            person: tuple[str, int | None] | None = None
            if index_people:
                person = (_person_key(record.first_name, record.last_name), org)
                if not person[0]:
                    person = None
                elif group is None and not email:
                    group = by_person.get(person)
            if group is not None:
                _fill(group[1], values, overwrite=False)
                summaries[index].unchanged += 1
                continue
            group = (index, values)
            if email:
                groups[key] = group
            if person is not None:
                by_person.setdefault(person, group)
            order.append(group)

    touched: dict[int, _Existing] = {}
    for index, values in order:
        summary = summaries[index]
        email = values["email"]
        existing = lookups.by_email.get(email.lower()) if email else None
        org = values["organisation_id"]
        if existing is None and (org is None or org > 0):
            who = _person_key(values["first_name"], values["last_name"])
            candidate = lookups.by_name.get((who, org)) if who else None
            if candidate is not None and (not email or not candidate.values["email"]):
                existing = candidate
        changed = False
        if existing is None:
            plan.inserts.append(values)
            contact_ref = -len(plan.inserts)
            summary.added += 1
        else:
            contact_ref = existing.id
            before = dict(existing.values)
            if on_conflict is not OnConflict.SKIP:
                _fill(existing.values, values, overwrite=on_conflict is OnConflict.REPLACE)
            changed = existing.values != before
            if changed and existing.id not in touched:
                touched[existing.id] = existing
                plan.updates.append(existing)
            if email and existing.values["email"] and not before["email"]:
                lookups.by_email[email.lower()] = existing
        linked = False
        if pilot_id is not None and contact_ref not in lookups.linked:
            lookups.linked.add(contact_ref)
            plan.links.append(contact_ref)
            linked = True
        if existing is not None:
            if changed or linked:
                summary.updated += 1
            else:
                summary.unchanged += 1
    _drop_unused_new_rows(plan)
    return plan


HISTORY_COLUMNS = (
    "table_name",
    "row_id",
    "op",
    "changes",
    "at",
    "actor",
    "source",
    "reason",
    "batch",
)
# The "create" history of a block of new contacts, as _contact_create_json would write it
# (set fields only, sorted keys; json_patch drops the nulls), built by SQLite in one statement.
_SQLITE_CONTACT_HISTORY = (
    f"INSERT INTO change ({', '.join(HISTORY_COLUMNS)}) "
    "SELECT 'contact', id, 'create', json_patch('{}', json_object("
    + ", ".join(
        f"'{key}', CASE WHEN {key} IS NULL OR {key} = '' THEN NULL ELSE json_array(NULL, {key}) END"
        for key in sorted((*FIELDS, "email_key"))
    )
    + ")), ?, ?, ?, ?, ? FROM contact WHERE id BETWEEN ? AND ? ORDER BY id"
)


def _drop_unused_new_rows(plan: ImportPlan) -> None:
    """Forget planned organisations and teams that no written contact ends up using.

    A record can name a new organisation and still change nothing (merge into a contact whose
    organisation is already set); creating the organisation anyway would leave an orphan.
    """
    rows = plan.inserts + [existing.values for existing in plan.updates]
    used_teams = sorted({-v["team_id"] for v in rows if (v["team_id"] or 0) < 0})
    used_orgs = {-v["organisation_id"] for v in rows if (v["organisation_id"] or 0) < 0}
    used_orgs.update(-plan.new_teams[n - 1][0] for n in used_teams if plan.new_teams[n - 1][0] < 0)
    org_map = {-old: -new for new, old in enumerate(sorted(used_orgs), start=1)}
    team_map = {-old: -new for new, old in enumerate(used_teams, start=1)}
    plan.new_orgs = [plan.new_orgs[n - 1] for n in sorted(used_orgs)]
    plan.new_teams = [
        (org_map.get(org, org), name) for org, name in (plan.new_teams[n - 1] for n in used_teams)
    ]
    for values in rows:
        values["organisation_id"] = org_map.get(
            values["organisation_id"], values["organisation_id"]
        )
        values["team_id"] = team_map.get(values["team_id"], values["team_id"])


def _create_json(values: dict[str, Any], email_key: str | None) -> str:
    """``{"field": [null, value]}`` for the set fields, sorted, as ``record_changes`` writes."""
    items = [(k, v) for k, v in values.items() if v not in (None, "")]
    if email_key:
        items.append(("email_key", email_key))
    items.sort()
    parts = [f"{_encode(k)}: [null, {v if isinstance(v, int) else _encode(v)}]" for k, v in items]
    return "{" + ", ".join(parts) + "}"


_CONTACT_JSON_KEYS = tuple(sorted((*FIELDS, "email_key")))
_CONTACT_JSON_PREFIXES = tuple(f'"{key}": [null, ' for key in _CONTACT_JSON_KEYS)
_contact_json_values = itemgetter(*_CONTACT_JSON_KEYS)
_contact_row_values = itemgetter(*FIELDS, "email_key")


def _contact_create_json(values: dict[str, Any]) -> str:
    """``_create_json`` for a new contact (``values`` holds ``email_key``): the hot path."""
    parts = [
        prefix + (str(value) if type(value) is int else _encode(value)) + "]"
        for prefix, value in zip(_CONTACT_JSON_PREFIXES, _contact_json_values(values), strict=True)
        if value is not None and value != ""
    ]
    return "{" + ", ".join(parts) + "}"


def _update_json(existing: _Existing) -> str:
    changes = {
        k: [existing.original[k], v]
        for k, v in existing.values.items()
        if v != existing.original[k]
    }
    return json.dumps(changes, ensure_ascii=False, sort_keys=True)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _insert_rows(
    session: Session, is_sqlite: bool, table: Table, columns: Sequence[str], rows: list[list[Any]]
) -> list[int]:
    """Insert ``rows`` and return their ids, in order."""
    if not rows:
        return []
    if is_sqlite:
        raw = session.connection().connection.driver_connection
        assert raw is not None
        (top,) = raw.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}").fetchone()
        ids = list(range(top + 1, top + 1 + len(rows)))
        for row, row_id in zip(rows, ids, strict=True):
            row.append(row_id)
        names = ", ".join((*columns, "id"))
        marks = ", ".join("?" * (len(columns) + 1))
        raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
        return ids
    stmt = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    result = session.execute(stmt, [dict(zip(columns, row, strict=False)) for row in rows])
    return [int(row_id) for row_id in result.scalars()]


def _update_rows(
    session: Session,
    is_sqlite: bool,
    updates: list[_Existing],
    stamp: Any,
    org_ids: list[int],
    team_ids: list[int],
) -> None:
    """UPDATE every changed contact, guarded by its version; StaleEditError if one moved."""
    rows: list[list[Any]] = []
    for existing in updates:
        values = existing.values
        for column, ids in (("organisation_id", org_ids), ("team_id", team_ids)):
            ref = values[column]
            if ref is not None and ref < 0:
                values[column] = ids[-ref - 1]
        email = values["email"]
        key = email.strip().lower() if email else None
        rows.append([*(values[f] for f in FIELDS), key, stamp, existing.id, existing.version])
    sets = ", ".join(f"{name} = ?" for name in (*FIELDS, "email_key", "updated_at"))
    sql = f"UPDATE contact SET {sets}, version = version + 1 WHERE id = ? AND version = ?"
    if is_sqlite:
        raw = session.connection().connection.driver_connection
        assert raw is not None
        count = raw.executemany(sql, rows).rowcount
    else:
        names = (*FIELDS, "email_key", "updated_at", "id", "version")
        stmt = text(sql.replace("?", "{}").format(*(f":{n}" for n in names)))
        count = sum(
            session.execute(stmt, dict(zip(names, row, strict=True))).rowcount  # type: ignore[attr-defined]
            for row in rows
        )
    if count != len(updates):
        raise PfppError("contacts changed while importing; nothing was written, run it again")


def apply_plan(session: Session, plan: ImportPlan, *, is_sqlite: bool) -> None:
    """Write the plan inside the caller's ``Database.write`` session (one transaction)."""
    now = utcnow()
    stamp: Any = now
    if is_sqlite:
        # Raw DBAPI rows skip SQLAlchemy's type processing: store exactly what it would.
        dialect = session.get_bind().dialect
        column_type = _table("change").c["at"].type
        process = column_type.dialect_impl(dialect).bind_processor(dialect)
        stamp = process(now) if process is not None else now
        # A bigger page cache for this one transaction: 100k random e-mail keys otherwise
        # thrash the default 2 MB cache while the unique index is built.
        raw = session.connection().connection.driver_connection
        assert raw is not None
        raw.execute(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    info = session.info
    context = (
        info["pfpp_actor"],
        ChangeSource(info["pfpp_source"]).value,
        info.get("pfpp_reason", ""),
        info.get("pfpp_batch"),
    )
    history: list[list[Any]] = []

    def created(table: str, ids: list[int], changes: list[str]) -> None:
        history.extend(
            [table, row_id, "create", text, stamp, *context]
            for row_id, text in zip(ids, changes, strict=True)
        )

    org_rows = [[name, "central_department", "", stamp, stamp, 1] for name in plan.new_orgs]
    org_ids = _insert_rows(
        session,
        is_sqlite,
        _table("organisation"),
        ("name", "kind", "notes", "created_at", "updated_at", "version"),
        org_rows,
    )
    created("organisation", org_ids, [_create_json({"name": n}, None) for n in plan.new_orgs])

    def real(ref: int | None, ids: list[int]) -> int | None:
        return ids[-ref - 1] if ref is not None and ref < 0 else ref

    team_rows = [[real(org, org_ids), name, "", stamp, stamp, 1] for org, name in plan.new_teams]
    team_ids = _insert_rows(
        session,
        is_sqlite,
        _table("team"),
        ("organisation_id", "name", "remit", "created_at", "updated_at", "version"),
        team_rows,
    )
    created(
        "team",
        team_ids,
        [
            _create_json({"name": n, "organisation_id": row[0]}, None)
            for (_, n), row in zip(plan.new_teams, team_rows, strict=True)
        ],
    )

    def flush() -> None:
        _insert_rows(session, is_sqlite, _table("change"), HISTORY_COLUMNS, history)
        history.clear()

    contact_rows: list[list[Any]] = []
    contact_changes: list[str] = []
    for values in plan.inserts:
        values["organisation_id"] = real(values["organisation_id"], org_ids)
        values["team_id"] = real(values["team_id"], team_ids)
        email = values["email"]
        key = email.lower() if email else None
        values["email_key"] = key
        contact_rows.append([*_contact_row_values(values), False, stamp, stamp, 1])
        if not is_sqlite:
            contact_changes.append(_contact_create_json(values))
    contact_ids = _insert_rows(
        session,
        is_sqlite,
        _table("contact"),
        (*FIELDS, "email_key", "archived", "created_at", "updated_at", "version"),
        contact_rows,
    )
    if is_sqlite and contact_ids:
        # SQLite builds the creation history itself (in C), in id order after what came before.
        flush()
        raw = session.connection().connection.driver_connection
        assert raw is not None
        raw.execute(_SQLITE_CONTACT_HISTORY, (stamp, *context, contact_ids[0], contact_ids[-1]))
    else:
        created("contact", contact_ids, contact_changes)

    if plan.updates:
        _update_rows(session, is_sqlite, plan.updates, stamp, org_ids, team_ids)
        history.extend(
            ["contact", existing.id, "update", _update_json(existing), stamp, *context]
            for existing in plan.updates
        )

    if plan.pilot_id is not None and plan.links:
        link_rows = [
            [real(ref, contact_ids), plan.pilot_id, "partner", stamp, stamp, 1]
            for ref in plan.links
        ]
        link_ids = _insert_rows(
            session,
            is_sqlite,
            _table("contact_pilot"),
            ("contact_id", "pilot_id", "role", "created_at", "updated_at", "version"),
            link_rows,
        )
        created(
            "contact_pilot",
            link_ids,
            [
                _create_json({"contact_id": row[0], "pilot_id": row[1], "role": "partner"}, None)
                for row in link_rows
            ],
        )

    flush()


def import_contacts(
    db: Database,
    files: Sequence[ParsedFile],
    *,
    on_conflict: OnConflict = OnConflict.MERGE,
    pilot: str | None = None,
    dry_run: bool = False,
    on_phase: Callable[[str], None] | None = None,
) -> ImportPlan:
    """Plan the import and, unless refused or a dry run, write it in one transaction.

    ``on_phase`` is told "Matching" and "Writing" as the import reaches them (for a progress
    display; it must not touch the database).
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
    with db.write(source=ChangeSource.IMPORT) as session:
        if _history_mark(session) != plan.stamp:
            plan = plan_import(session, files, on_conflict=on_conflict, pilot_id=pilot_id)
        apply_plan(session, plan, is_sqlite=db.is_sqlite)
    return plan


__all__ = [
    "FileSummary",
    "ImportPlan",
    "OnConflict",
    "apply_plan",
    "find_pilot",
    "import_contacts",
    "plan_import",
]
