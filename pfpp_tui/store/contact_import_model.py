"""Contact import, the shapes: what a plan holds, and the keys records are matched by.

Owns the data passed between planning (``contact_import_plan``, ``contact_import_collapse``) and
writing (``contact_import_write``); no logic beyond the matching keys and the merge rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pfpp_tui.importers.base import RowError

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


def fill(target: dict[str, Any], source: dict[str, Any], *, overwrite: bool) -> None:
    """Merge ``source`` into ``target``: set values fill empty fields (or all, ``overwrite``)."""
    for key, value in source.items():
        if value is None or value == "":
            continue
        if overwrite or target.get(key) in (None, ""):
            target[key] = value
