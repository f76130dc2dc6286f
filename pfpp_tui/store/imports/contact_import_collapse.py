"""Contact import, collapsing: the import's own duplicates made one, names resolved to ids.

Owns the first half of planning: every record becomes a group (one person), records with the
same e-mail -- or, without one, the same name in the same organisation -- collapse into the
first one's group, and organisation and team names are resolved to existing or planned ids,
each name once. ``collapse_distinct`` is the column-wise fast path for the usual bulk file
(every record has an e-mail, no two share one); ``collapse`` is the general loop. A property
test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pfpp_tui.importers.base import ContactRecord, ParsedFile
from pfpp_tui.store.imports.contact_import_model import (
    FileSummary,
    ImportPlan,
    fill,
    name_key,
    person_key,
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


# One group per person in the import: [file index, values, e-mail key].
Group = tuple[int, dict[str, Any], str | None]


class Planner:
    """Resolves organisation and team names to ids (existing or planned), each name once."""

    def __init__(
        self, plan: ImportPlan, orgs: dict[str, int], teams: dict[tuple[int, str], int]
    ) -> None:
        self.plan = plan
        self.known_orgs = orgs
        self.known_teams = teams
        self.new_orgs: dict[str, int] = {}
        self.new_teams: dict[tuple[int, str], int] = {}
        self.orgs: dict[str | None, int | None] = {None: None, "": None}
        self.teams: dict[tuple[int | None, str | None], int | None] = {}
        self.tags: dict[tuple[str, ...], str] = {(): ""}

    def org(self, text: str) -> int:
        key = name_key(text)
        found = self.known_orgs.get(key) or self.new_orgs.get(key)
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
            found = self.known_teams.get(key) or self.new_teams.get(key)
            if found is None:
                self.plan.new_teams.append((org, text))
                found = self.new_teams[key] = -len(self.plan.new_teams)
        self.teams[(org, text)] = found
        return found

    def tag_text(self, tags: tuple[str, ...]) -> str:
        text = self.tags[tags] = ", ".join(tags)
        return text


def collapse(
    files: Sequence[ParsedFile], planner: Planner, summaries: list[FileSummary]
) -> list[Group]:
    """The import's own duplicates collapsed: by e-mail, else by name + organisation."""
    groups: dict[str, Group] = {}
    by_person: dict[tuple[str, int | None], Group] = {}
    order: list[Group] = []
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


def collapse_distinct(
    files: Sequence[ParsedFile], planner: Planner
) -> tuple[list[int], list[tuple[Any, ...]]] | None:
    """``collapse`` by columns when there is nothing to collapse; None when there may be.

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
