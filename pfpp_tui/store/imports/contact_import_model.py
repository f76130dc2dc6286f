"""Contact import, the shapes: what a plan holds, and the keys records are matched by.

Owns the data passed between planning (``contact_import_plan``, ``contact_import_collapse``) and
writing (``contact_import_write``); no logic beyond the matching keys and the merge rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pfpp_tui.importers.base import RowError
from pfpp_tui.models.common import ORGANISATION_KIND_LABELS, OrganisationKind
from pfpp_tui.store.directory.org_kind import guess_kind
from pfpp_tui.words import counted

NEW_NAMES_SHOWN = 10


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
    # One row per new contact: the FIELDS values, then the e-mail key (INSERT_FIELDS) -- as
    # ``contact_import_plan`` plans in memory. A streamed plan (``contact_import_staged``)
    # leaves them in its staging table and counts them in ``staged``.
    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    staged: int = 0
    updates: list[Existing] = field(default_factory=list)
    pilot_id: int | None = None
    links: list[int] = field(default_factory=list)
    # New contacts not published because someone saved the same e-mail while this import ran
    # (theirs is kept).
    overtaken: int = 0

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    @property
    def new_contacts(self) -> int:
        return self.staged or len(self.inserts)

    @property
    def writes(self) -> bool:
        """Whether the import changes anything (it writes only a plan with no refused rows)."""
        return not self.refused and bool(self.new_contacts or self.updates or self.links)

    def new_org_kinds(self) -> list[OrganisationKind]:
        """The kind each new organisation gets, guessed from its name
        (``store.directory.org_kind``)."""
        return [guess_kind(name) for name in self.new_orgs]

    def new_records_lines(self, *, done: bool = False) -> list[str]:
        """What the import creates besides contacts, for the summary (CLI and TUI alike).

        New organisations are named with the kind they get, so a charity filed as a
        department (or one left "not yet classified") is caught before anything is written.
        """
        lines: list[str] = []
        if self.new_orgs:
            shown = [
                f"{name} ({ORGANISATION_KIND_LABELS[kind].lower()})"
                for name, kind in zip(self.new_orgs, self.new_org_kinds(), strict=True)
            ]
            more = len(shown) - NEW_NAMES_SHOWN
            listed = ", ".join(shown[:NEW_NAMES_SHOWN]) + (f", and {more} more" if more > 0 else "")
            count = len(shown)
            new = counted(count, "new organisation")
            lines.append(f"{new} added: {listed}" if done else f"would add {new}: {listed}")
        if self.new_teams:
            count = len(self.new_teams)
            new = counted(count, "new team")
            lines.append(f"{new} added" if done else f"would add {new}")
        if self.overtaken:
            lines.append(
                f"{counted(self.overtaken, 'contact')} not added: someone saved the same "
                "e-mail while this import ran, and theirs was kept"
            )
        return lines


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
