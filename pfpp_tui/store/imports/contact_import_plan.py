"""Contact import, planning: what every imported record means against the database.

Owns matching against the database (the rules are in ``contact_import``'s docstring):
organisations, teams, existing contacts and pilot links are preloaded into dicts in one read
transaction; the import's own duplicates are collapsed (``contact_import_collapse``); then every
person is matched in Python. Nothing here writes; ``contact_import_write`` carries the plan out.
Negative ids in a plan refer to organisations, teams and contacts it creates.

This is a per-record hot path (100,000 records in a fraction of a second): records are unpacked
as tuples, every repeated organisation, team and tag list is resolved once, and work that only
matters when something can match (name-only matching, existing contacts) is skipped otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from pfpp_tui.importers.base import ParsedFile
from pfpp_tui.models import (
    Change,
    Contact,
    ContactPilot,
    Organisation,
    OrganisationFormerName,
    Team,
)
from pfpp_tui.shapes.contacts import FIELDS
from pfpp_tui.store.imports.contact_import_collapse import (
    Group,
    Planner,
    collapse,
    collapse_distinct,
)
from pfpp_tui.store.imports.contact_import_model import (
    Existing,
    FileSummary,
    ImportPlan,
    OnConflict,
    fill,
    name_key,
    person_key,
)

_field_values = itemgetter(*FIELDS)


def history_mark(session: Session) -> int:
    """The newest history id: if it moves between planning and writing, plan again."""
    return int(session.execute(select(func.coalesce(func.max(Change.id), 0))).scalar_one())


_IN_CHUNK = 500  # values per IN (...) list: well under every engine's parameter limit
# Read every contact when the database holds at most this many per record in the files.
PRELOAD_PER_RECORD = 1
_CONTACT_COLUMNS = ("id", "version", *FIELDS)


def place_maps(
    org_rows: Iterable[Any], former_rows: Iterable[Any], team_rows: Iterable[Any]
) -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """Organisation names (name, short name, former names) and teams, by their matching keys.

    ``org_rows`` are (id, name, short name), ``former_rows`` (organisation id, name, short
    name), ``team_rows`` (id, organisation id, name).
    """
    orgs: dict[str, int] = {}
    former: dict[str, int] = {}
    for org_id, name, short in org_rows:
        orgs.setdefault(name_key(name), org_id)
        if short:
            former.setdefault(name_key(short), org_id)
    for org_id, name, short in former_rows:
        former.setdefault(name_key(name), org_id)
        if short:
            former.setdefault(name_key(short), org_id)
    for key, org_id in former.items():
        orgs.setdefault(key, org_id)
    teams = {(org_id, name_key(name)): team_id for team_id, org_id, name in team_rows}
    return orgs, teams


def contact_maps(
    rows: Iterable[Any], planned: dict[int, Existing] | None = None
) -> tuple[dict[str, Existing], dict[tuple[str, int | None], Existing]]:
    """Contacts read as (id, version, *FIELDS), by e-mail key and by (person, organisation);
    the lowest id wins a person. A contact in ``planned`` (already changed by the plan) is
    that one, found by what it was when read."""
    by_email: dict[str, Existing] = {}
    by_name: dict[tuple[str, int | None], Existing] = {}
    for row in sorted(rows, key=itemgetter(0)):
        values = dict(zip(FIELDS, row[2:], strict=True))
        existing = planned.get(row[0]) if planned else None
        if existing is None:
            existing = Existing(row[0], row[1], values, dict(values))
        if values["email"]:
            by_email[values["email"].strip().lower()] = existing
        person = person_key(values["first_name"], values["last_name"])
        by_name.setdefault((person, values["organisation_id"]), existing)
    return by_email, by_name


class Matcher:
    """Matches the import's people, one group at a time in file order, against the contacts
    read (``contact_maps``): an existing contact is updated in the plan, or linked."""

    def __init__(
        self,
        plan: ImportPlan,
        on_conflict: OnConflict,
        by_email: dict[str, Existing],
        by_name: dict[tuple[str, int | None], Existing],
        linked: set[int],
    ) -> None:
        self.plan = plan
        self.on_conflict = on_conflict
        self.by_email = by_email
        self.by_name = by_name
        self.linked = linked
        self.touched: set[int] = set()

    def match(self, index: int, values: dict[str, Any], key: str | None) -> Existing | None:
        """The existing contact the group is (planned, counted); None when it is new."""
        by_email, by_name = self.by_email, self.by_name
        existing = by_email.get(key) if key and by_email else None
        org = values["organisation_id"]
        if existing is None and by_name and (org is None or org > 0):
            who = person_key(values["first_name"], values["last_name"])
            candidate = by_name.get((who, org)) if who else None
            if candidate is not None and (not key or not candidate.values["email"]):
                existing = candidate
        if existing is None:
            return None
        plan, on_conflict = self.plan, self.on_conflict
        before = dict(existing.values)
        if on_conflict is not OnConflict.SKIP:
            fill(existing.values, values, overwrite=on_conflict is OnConflict.REPLACE)
        changed = existing.values != before
        if changed and existing.id not in self.touched:
            self.touched.add(existing.id)
            plan.updates.append(existing)
        if key and existing.values["email"] and not before["email"]:
            by_email[key] = existing
        linked_now = plan.pilot_id is not None and existing.id not in self.linked
        if linked_now:
            self.linked.add(existing.id)
            plan.links.append(existing.id)
        if changed or linked_now:
            plan.summaries[index].updated += 1
        else:
            plan.summaries[index].unchanged += 1
        return existing


class _Lookups:
    """Organisations, teams, the contacts the files can match, and pilot links, in dicts.

    Contacts are looked up by what the files hold -- their e-mail keys (the unique index), the
    organisations of records that match by name, and contacts without an e-mail that a new
    e-mail may claim -- so the rows read grow with the files, not with the database. When the
    database holds no more contacts than the files have records, reading them all is cheaper
    than looking them up, and reads no more.
    """

    def __init__(self, session: Session, pilot_id: int | None) -> None:
        org_rows = session.execute(
            select(Organisation.id, Organisation.name, Organisation.short_name)  # type: ignore[call-overload]
        )
        old_rows = session.execute(
            select(  # type: ignore[call-overload]
                OrganisationFormerName.organisation_id,
                OrganisationFormerName.name,
                OrganisationFormerName.short_name,
            )
        )
        team_rows = session.execute(
            select(Team.id, Team.organisation_id, Team.name)  # type: ignore[call-overload]
        )
        self.orgs, self.teams = place_maps(org_rows, old_rows, team_rows)
        self.linked: set[int] = set()
        if pilot_id is not None:
            self.linked = set(
                session.execute(
                    select(ContactPilot.contact_id).where(ContactPilot.pilot_id == pilot_id)  # type: ignore[call-overload]
                ).scalars()
            )

    def contacts(
        self, session: Session, files: Sequence[ParsedFile], groups: list[Group] | None
    ) -> tuple[dict[str, Existing], dict[tuple[str, int | None], Existing]]:
        """The contacts the import's groups can be, by e-mail key and by (person, org)."""
        return contact_maps(self._contacts(session, files, groups).values())

    def _contacts(
        self, session: Session, files: Sequence[ParsedFile], groups: list[Group] | None
    ) -> dict[int, Any]:
        """The contacts the import's groups could be: id -> (id, version, *FIELDS).

        ``groups`` are the import's people after collapsing (``collapse``), or None when every
        record is its own group (``collapse_distinct``). They are what is matched, so their
        names -- a group's name can be filled in by a later record -- decide what is read.
        """
        table = Contact.__table__  # type: ignore[attr-defined]
        columns = [table.c[name] for name in _CONTACT_COLUMNS]
        records = [record for parsed in files for record in parsed.records]
        top = session.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        if top <= len(records) * PRELOAD_PER_RECORD:
            return {row[0]: row for row in session.execute(select(*columns))}
        found: dict[int, Any] = {}

        def read(condition: Any) -> list[Any]:
            got = list(session.execute(select(*columns).where(condition)))
            found.update((row[0], row) for row in got)
            return got

        orgs: set[int | None] = set()
        if groups is None:  # every record has an e-mail and is its own group
            keys = sorted({r.email.strip().lower() for r in records if r.email})
            people = {person_key(r.first_name, r.last_name) for r in records}
        else:
            keys = sorted({key for _, _, key in groups if key})
            people = {person_key(v["first_name"], v["last_name"]) for _, v, _ in groups}
            # A planned (negative) organisation has no contacts yet.
            orgs = {
                v["organisation_id"]
                for _, v, key in groups
                if not key and (v["organisation_id"] is None or v["organisation_id"] > 0)
            }
        for start in range(0, len(keys), _IN_CHUNK):
            read(table.c.email_key.in_(keys[start : start + _IN_CHUNK]))
        # Groups without an e-mail match by name within their organisation: read those
        # organisations' contacts. A group with a new e-mail may claim a contact without one
        # (same name and organisation) if no earlier contact there has that name: read the
        # contacts without an e-mail (the unique index holds NULLs), then the organisations
        # where one of them has a group's name.
        for row in read(table.c.email_key.is_(None)):
            if person_key(row[2], row[3]) in people:
                orgs.add(row[7])
        if None in orgs:
            read(table.c.organisation_id.is_(None))
        known = sorted(org for org in orgs if org is not None)
        for start in range(0, len(known), _IN_CHUNK):
            read(table.c.organisation_id.in_(known[start : start + _IN_CHUNK]))
        return found


def plan_still_holds(
    session: Session,
    plan: ImportPlan,
    adds: Callable[[Session, ImportPlan, list[Any]], bool] | None = None,
) -> bool:
    """Whether what was written since planning leaves the plan as it was (inside the write).

    A change to organisations or teams, to a contact the plan updates, to a contact that now
    has an e-mail the plan adds, to a contact without an e-mail with a planned person's name,
    or to pilot links (when linking) can change the plan; anything else cannot.
    """
    changed = list(
        session.execute(
            select(Change.table_name, Change.row_id)  # type: ignore[call-overload]
            .where(col(Change.id) > plan.stamp)
            .distinct()
        )
    )
    tables = {table for table, _ in changed}
    if tables & {"organisation", "team", "organisation_former_name"}:
        return False
    if plan.pilot_id is not None and "contact_pilot" in tables:
        return False
    contact_ids = sorted({row_id for table, row_id in changed if table == "contact"})
    if not contact_ids:
        return True
    if {existing.id for existing in plan.updates} & set(contact_ids):
        return False
    table = Contact.__table__  # type: ignore[attr-defined]
    rows: list[Any] = []
    for start in range(0, len(contact_ids), _IN_CHUNK):
        chunk = contact_ids[start : start + _IN_CHUNK]
        rows.extend(
            session.execute(
                select(table.c.email_key, table.c.first_name, table.c.last_name).where(
                    table.c.id.in_(chunk)
                )
            )
        )
    if adds is not None:  # the new contacts are staged (``contact_import_staged``)
        return adds(session, plan, rows)
    keys = {row[-1] for row in plan.inserts}
    names = {person_key(row[0], row[1]) for row in plan.inserts}
    names.update(person_key(e.values["first_name"], e.values["last_name"]) for e in plan.updates)
    for email_key, first, last in rows:
        if email_key in keys or (email_key is None and person_key(first, last) in names):
            return False
    return True


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
    planner = Planner(plan, lookups.orgs, lookups.teams)
    linked = lookups.linked
    inserts, links = plan.inserts, plan.links
    distinct = collapse_distinct(files, planner)
    # The contacts are read for the collapsed groups: they are what is matched.
    collapsed = collapse(files, planner, summaries) if distinct is None else None
    by_email, by_name = lookups.contacts(session, files, collapsed)
    if distinct is not None and not by_email and not by_name:
        # Nothing to collapse, nothing to match: every record is a new contact.
        file_index, rows = distinct
        inserts.extend(rows)
        for index, added in Counter(file_index).items():
            summaries[index].added += added
        if pilot_id is not None:
            links.extend(range(-1, -len(inserts) - 1, -1))  # a new contact is never linked yet
        order: list[Group] = []
    elif distinct is not None:
        order = [
            (index, dict(zip(FIELDS, row, strict=False)), row[-1])
            for index, row in zip(*distinct, strict=True)
        ]
    else:
        assert collapsed is not None
        order = collapsed
    matcher = Matcher(plan, on_conflict, by_email, by_name, linked)
    for index, values, key in order:
        if matcher.match(index, values, key) is None:
            inserts.append((*_field_values(values), key))
            summaries[index].added += 1
            if pilot_id is not None:
                links.append(-len(inserts))  # a new contact is never linked yet
    _drop_unused_new_rows(plan)
    return plan


def renumber_new_rows(
    plan: ImportPlan, used_orgs: set[int], used_teams: set[int]
) -> tuple[dict[int, int], dict[int, int]] | None:
    """Forget planned organisations and teams no written contact uses (``used_orgs`` and
    ``used_teams`` hold planned ids, negative); the maps from old planned ids to new ones, or
    None when every planned row is used. The organisations of used teams are kept."""
    used_org_n = {-o for o in used_orgs}
    used_team_n = sorted(-t for t in used_teams)
    used_org_n.update(
        -plan.new_teams[n - 1][0] for n in used_team_n if plan.new_teams[n - 1][0] < 0
    )
    if len(used_org_n) == len(plan.new_orgs) and len(used_team_n) == len(plan.new_teams):
        return None  # every planned row is used: nothing to renumber
    org_map = {-old: -new for new, old in enumerate(sorted(used_org_n), start=1)}
    team_map = {-old: -new for new, old in enumerate(used_team_n, start=1)}
    plan.new_orgs = [plan.new_orgs[n - 1] for n in sorted(used_org_n)]
    plan.new_teams = [
        (org_map.get(org, org), name) for org, name in (plan.new_teams[n - 1] for n in used_team_n)
    ]
    for existing in plan.updates:
        values = existing.values
        values["organisation_id"] = org_map.get(
            values["organisation_id"], values["organisation_id"]
        )
        values["team_id"] = team_map.get(values["team_id"], values["team_id"])
    return org_map, team_map


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
    maps = renumber_new_rows(
        plan,
        {o for o in orgs if o is not None and o < 0},
        {t for t in teams if t is not None and t < 0},
    )
    if maps is None:
        return
    org_map, team_map = maps
    plan.inserts = [
        (
            *row[:org_at],
            org_map.get(row[org_at], row[org_at]),
            team_map.get(row[team_at], row[team_at]),
            *row[team_at + 1 :],
        )
        for row in plan.inserts
    ]
