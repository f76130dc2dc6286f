"""An organisation's name as it was on a day, with today's name beside it.

Owns: reading ``organisation`` and ``organisation_former_name`` once and answering "what was
organisation 1 called on 3 March 2022?" for any number of records. ``renamed_on`` is the day an
organisation *stopped* using a former name, so on that day the next name is already in use; a
former name without a date cannot be placed in time and is never chosen. Look-up *by* a former
name (for filters and imports) lives in ``store.directory.workflow_lookup``. Must not write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from pfpp_tui.models import Organisation, OrganisationFormerName


@dataclass(frozen=True, slots=True)
class NameAt:
    """What an organisation was called on a day, and what it is called today."""

    organisation_id: int
    name: str
    short_name: str | None
    current_name: str
    current_short_name: str | None

    @property
    def renamed(self) -> bool:
        return self.name != self.current_name

    @property
    def short(self) -> str:
        """The short name then (else the name then): what a narrow column shows."""
        return self.short_name or self.name

    @property
    def label(self) -> str:
        """``DLUHC (now MHCLG)`` when renamed since, else just the short or full name."""
        if not self.renamed:
            return self.short
        now = self.current_short_name or self.current_name
        if now == self.short:  # DCMS stayed DCMS: only the full names tell them apart
            return self.full_label
        return f"{self.short} (now {now})"

    @property
    def full_label(self) -> str:
        if not self.renamed:
            return self.name
        return f"{self.name} (now {self.current_name})"


@dataclass(frozen=True, slots=True)
class _Former:
    name: str
    short_name: str | None
    renamed_on: date


class OrganisationNames:
    """Every organisation's current and dated former names, loaded in one read."""

    def __init__(
        self,
        current: dict[int, tuple[str, str | None]],
        former: dict[int, list[_Former]],
    ) -> None:
        self._current = current
        # Oldest rename first, so the first one still in use on a day is the name that day.
        self._former = {k: sorted(v, key=lambda f: f.renamed_on) for k, v in former.items()}

    @classmethod
    def load(cls, session: Session) -> OrganisationNames:
        current = {
            int(r.id): (str(r.name), r.short_name)
            for r in session.execute(
                select(Organisation.id, Organisation.name, Organisation.short_name)  # type: ignore[call-overload]
            )
        }
        former: dict[int, list[_Former]] = {}
        stmt = select(
            OrganisationFormerName.organisation_id,  # type: ignore[call-overload]
            OrganisationFormerName.name,
            OrganisationFormerName.short_name,
            OrganisationFormerName.renamed_on,
        )
        for r in session.execute(stmt):
            if r.renamed_on is not None:
                former.setdefault(int(r.organisation_id), []).append(
                    _Former(str(r.name), r.short_name, r.renamed_on)
                )
        return cls(current, former)

    def __contains__(self, organisation_id: object) -> bool:
        return organisation_id in self._current

    def at(self, organisation_id: int, day: date | None) -> NameAt:
        """The name on ``day`` (today's name when ``day`` is None or after every rename)."""
        name, short = self._current[organisation_id]
        then_name, then_short = name, short
        if day is not None:
            for former in self._former.get(organisation_id, ()):
                if day < former.renamed_on:
                    then_name, then_short = former.name, former.short_name
                    break
        return NameAt(organisation_id, then_name, then_short, name, short)

    def current(self, organisation_id: int) -> NameAt:
        return self.at(organisation_id, None)


def financial_year_start(financial_year: str) -> date | None:
    """``"2022-23"`` → 1 April 2022 (the UK government's financial year), else None."""
    head = financial_year.strip()[:4]
    return date(int(head), 4, 1) if head.isdigit() else None
