"""Contact import, planning: what every imported record means against the database.

Owns matching and de-duplication (the rules are in ``contact_import``'s docstring): organisations,
teams, existing contacts and pilot links are preloaded into dicts in one read transaction, then
every record is matched in Python. Nothing here writes; ``contact_import_write`` carries the plan
out. Negative ids in a plan refer to organisations, teams and contacts it creates.

This is a per-record hot path (100,000 records in a fraction of a second): records are unpacked
as tuples, every repeated organisation, team and tag list is resolved once, and work that only
matters when something can match (name-only matching, existing contacts) is skipped otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from pfpp_tui.importers.base import ContactRecord, ParsedFile, RowError
from pfpp_tui.models import (
    Change,
    Contact,
    ContactPilot,
    Organisation,
    OrganisationFormerName,
    Team,
)

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
INSERT_FIELDS = (*FIELDS, "email_key")
_field_values = itemgetter(*FIELDS)


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
class Existing:
    """A contact already in the database: its values now, and as they were read."""

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
    # One row per new contact: the FIELDS values, then the e-mail key (INSERT_FIELDS).
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[Existing] = field(default_factory=list)
    pilot_id: int | None = None
    links: list[int] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors)


def name_key(text: str) -> str:
    return " ".join(text.casefold().split())


def person_key(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".casefold().split())


def history_mark(session: Session) -> int:
    """The newest history id: if it moves between planning and writing, plan again."""
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
        self.by_email: dict[str, Existing] = {}
        self.by_name: dict[tuple[str, int | None], Existing] = {}
        for row in session.execute(select(*columns).order_by(columns[0])):
            values = dict(zip(FIELDS, row[2:], strict=True))
            existing = Existing(row[0], row[1], values, dict(values))
            if values["email"]:
                self.by_email[values["email"].strip().lower()] = existing
            person = person_key(values["first_name"], values["last_name"])
            self.by_name.setdefault((person, values["organisation_id"]), existing)
        self.linked: set[int] = set()
        if pilot_id is not None:
            self.linked = set(
                session.execute(
                    select(ContactPilot.contact_id).where(ContactPilot.pilot_id == pilot_id)  # type: ignore[call-overload]
                ).scalars()
            )


def _merged_notes(record: ContactRecord, team_without_org: str) -> str:
    parts = [record.notes] if record.notes else []
    if record.extra_emails:
        parts.append("Other e-mails: " + ", ".join(record.extra_emails))
    if record.extra_phones:
        parts.append("Other phones: " + ", ".join(record.extra_phones))
    if team_without_org:
        parts.append("Team: " + team_without_org)
    return "\n".join(parts)


def fill(target: dict[str, Any], source: dict[str, Any], *, overwrite: bool) -> None:
    for key, value in source.items():
        if value is None or value == "":
            continue
        if overwrite or target.get(key) in (None, ""):
            target[key] = value


# One group per person in the import: [file index, values, e-mail key].
_Group = tuple[int, dict[str, Any], str | None]


class _Planner:
    """Resolves organisation and team names to ids (existing or planned), each name once."""

    def __init__(self, plan: ImportPlan, lookups: _Lookups) -> None:
        self.plan = plan
        self.lookups = lookups
        self.new_orgs: dict[str, int] = {}
        self.new_teams: dict[tuple[int, str], int] = {}
        self.orgs: dict[str | None, int | None] = {None: None, "": None}
        self.teams: dict[tuple[int | None, str | None], int | None] = {}
        self.tags: dict[tuple[str, ...], str] = {(): ""}

    def org(self, text: str) -> int:
        key = name_key(text)
        found = self.lookups.orgs.get(key) or self.new_orgs.get(key)
        if found is None:
            self.plan.new_orgs.append(text)
            found = self.new_orgs[key] = -len(self.plan.new_orgs)
        self.orgs[text] = found
        return found

    def team(self, org: int | None, text: str | None) -> int | None:
        if org is None or not text:
            found = None
        else:
            key = (org, name_key(text))
            found = self.lookups.teams.get(key) or self.new_teams.get(key)
            if found is None:
                self.plan.new_teams.append((org, text))
                found = self.new_teams[key] = -len(self.plan.new_teams)
        self.teams[(org, text)] = found
        return found

    def tag_text(self, tags: tuple[str, ...]) -> str:
        text = self.tags[tags] = ", ".join(tags)
        return text


def _collapse(
    files: Sequence[ParsedFile], planner: _Planner, summaries: list[FileSummary]
) -> list[_Group]:
    """The import's own duplicates collapsed: by e-mail, else by name + organisation."""
    groups: dict[str, _Group] = {}
    by_person: dict[tuple[str, int | None], _Group] = {}
    order: list[_Group] = []
    orgs, teams, tags_text = planner.orgs, planner.teams, planner.tags
    # Name-only matching inside the import is needed only when some record has no e-mail.
    index_people = any(r.email is None for parsed in files for r in parsed.records)
    for index, parsed in enumerate(files):
        collapsed = 0
        for record in parsed.records:
            (
                _,
                first,
                last,
                email,
                extra_emails,
                phone,
                e164,
                extra_phones,
                org_text,
                team_text,
                role,
                notes,
                tags,
            ) = record
            org = orgs[org_text] if org_text in orgs else planner.org(org_text)  # type: ignore[arg-type]
            team_key = (org, team_text)
            team = teams[team_key] if team_key in teams else planner.team(org, team_text)
            if extra_emails or extra_phones or (team_text and org is None):
                notes = _merged_notes(record, team_text if org is None and team_text else "")
            values: dict[str, Any] = {
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": phone,
                "phone_e164": e164,
                "organisation_id": org,
                "team_id": team,
                "role": role,
                "notes": notes,
                "tags": tags_text[tags] if tags in tags_text else planner.tag_text(tags),
            }
            key = email.lower() if email else None
            group = groups.get(key) if key else None
            person: tuple[str, int | None] | None = None
            if index_people:
                person = (person_key(first, last), org)
                if not person[0]:
                    person = None
                elif group is None and not email:
                    group = by_person.get(person)
            if group is not None:
                fill(group[1], values, overwrite=False)
                collapsed += 1
                continue
            group = (index, values, key)
            if key:
                groups[key] = group
            if person is not None:
                by_person.setdefault(person, group)
            order.append(group)
        summaries[index].unchanged += collapsed
    return order


def _collapse_distinct(
    files: Sequence[ParsedFile], planner: _Planner
) -> tuple[list[int], list[tuple[Any, ...]]] | None:
    """``_collapse`` by columns when there is nothing to collapse; None when there may be.

    Every record has an e-mail and no two share one (the usual bulk file): each record is then
    its own group, in file order, given as its file's index and its row (``INSERT_FIELDS``).
    Organisations are resolved in order of first appearance, then teams likewise -- the same
    planned ids the record-by-record loop hands out. Rows are zipped from columns, in C.
    """
    records = [record for parsed in files for record in parsed.records]
    if not records:
        return [], []
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
    if not all(emails):
        return None
    keys = [email.lower() for email in emails]
    if len(set(keys)) != len(keys):
        return None
    orgs, teams, tags_text = planner.orgs, planner.teams, planner.tags
    for text in dict.fromkeys(org_texts):
        if text not in orgs:
            planner.org(text)
    org_col = list(map(orgs.__getitem__, org_texts))
    pairs = list(zip(org_col, team_texts, strict=True))
    for org, team_text in dict.fromkeys(pairs):
        if (org, team_text) not in teams:
            planner.team(org, team_text)
    for tags in set(tags_col):
        if tags not in tags_text:
            planner.tag_text(tags)
    notes = list(notes_col)
    orphan_teams = any(org is None and team for org, team in teams)
    if any(extra_emails) or any(extra_phones) or orphan_teams:
        for n, record in enumerate(records):
            orphan = record.team if org_col[n] is None and record.team else ""
            if record.extra_emails or record.extra_phones or orphan:
                notes[n] = _merged_notes(record, orphan)
    file_index = [index for index, parsed in enumerate(files) for _ in parsed.records]
    rows = list(
        zip(
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
            strict=True,
        )
    )
    return file_index, rows


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
    plan = ImportPlan(summaries, errors, stamp=history_mark(session), pilot_id=pilot_id)
    lookups = _Lookups(session, pilot_id)
    planner = _Planner(plan, lookups)
    by_email, by_name, linked = lookups.by_email, lookups.by_name, lookups.linked
    inserts, links = plan.inserts, plan.links
    distinct = _collapse_distinct(files, planner)
    if distinct is not None and not by_email and not by_name:
        # Nothing to collapse, nothing to match: every record is a new contact.
        file_index, rows = distinct
        inserts.extend(rows)
        for index, added in Counter(file_index).items():
            summaries[index].added += added
        if pilot_id is not None:
            links.extend(range(-1, -len(inserts) - 1, -1))  # a new contact is never linked yet
        order: list[_Group] = []
    elif distinct is not None:
        order = [
            (index, dict(zip(FIELDS, row, strict=False)), row[-1])
            for index, row in zip(*distinct, strict=True)
        ]
    else:
        order = _collapse(files, planner, summaries)
    touched: set[int] = set()
    for index, values, key in order:
        existing = by_email.get(key) if key and by_email else None
        org = values["organisation_id"]
        if existing is None and by_name and (org is None or org > 0):
            who = person_key(values["first_name"], values["last_name"])
            candidate = by_name.get((who, org)) if who else None
            if candidate is not None and (not key or not candidate.values["email"]):
                existing = candidate
        if existing is None:
            inserts.append((*_field_values(values), key))
            summaries[index].added += 1
            if pilot_id is not None:
                links.append(-len(inserts))  # a new contact is never linked yet
            continue
        before = dict(existing.values)
        if on_conflict is not OnConflict.SKIP:
            fill(existing.values, values, overwrite=on_conflict is OnConflict.REPLACE)
        changed = existing.values != before
        if changed and existing.id not in touched:
            touched.add(existing.id)
            plan.updates.append(existing)
        if key and existing.values["email"] and not before["email"]:
            by_email[key] = existing
        linked_now = pilot_id is not None and existing.id not in linked
        if linked_now:
            linked.add(existing.id)
            links.append(existing.id)
        if changed or linked_now:
            summaries[index].updated += 1
        else:
            summaries[index].unchanged += 1
    _drop_unused_new_rows(plan)
    return plan


def _drop_unused_new_rows(plan: ImportPlan) -> None:
    """Forget planned organisations and teams that no written contact ends up using.

    A record can name a new organisation and still change nothing (merge into a contact whose
    organisation is already set); creating the organisation anyway would leave an orphan.
    """
    if not plan.new_orgs and not plan.new_teams:
        return
    org_at, team_at = FIELDS.index("organisation_id"), FIELDS.index("team_id")
    updated = [existing.values for existing in plan.updates]
    teams = [row[team_at] for row in plan.inserts] + [v["team_id"] for v in updated]
    orgs = [row[org_at] for row in plan.inserts] + [v["organisation_id"] for v in updated]
    used_teams = sorted({-t for t in teams if t is not None and t < 0})
    used_orgs = {-o for o in orgs if o is not None and o < 0}
    used_orgs.update(-plan.new_teams[n - 1][0] for n in used_teams if plan.new_teams[n - 1][0] < 0)
    if len(used_orgs) == len(plan.new_orgs) and len(used_teams) == len(plan.new_teams):
        return  # every planned row is used: nothing to renumber
    org_map = {-old: -new for new, old in enumerate(sorted(used_orgs), start=1)}
    team_map = {-old: -new for new, old in enumerate(used_teams, start=1)}
    plan.new_orgs = [plan.new_orgs[n - 1] for n in sorted(used_orgs)]
    plan.new_teams = [
        (org_map.get(org, org), name) for org, name in (plan.new_teams[n - 1] for n in used_teams)
    ]
    plan.inserts = [
        (
            *row[:org_at],
            org_map.get(row[org_at], row[org_at]),
            team_map.get(row[team_at], row[team_at]),
            *row[team_at + 1 :],
        )
        for row in plan.inserts
    ]
    for values in updated:
        values["organisation_id"] = org_map.get(
            values["organisation_id"], values["organisation_id"]
        )
        values["team_id"] = team_map.get(values["team_id"], values["team_id"])
