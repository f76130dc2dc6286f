"""The header alias table: which spreadsheet column means which contact field.

Owns the mapping from foreign column headers (Google Contacts current and older layouts,
Outlook, any hand-made spreadsheet) to ``ContactRecord`` fields, and turning one row of cells
into a record. Used by the CSV and XLSX importers alike; it never reads files itself.

Headers are compared after normalising: lower-cased, "e-mail" read as "email", every run of
punctuation or spaces made one space ("E-mail 1 - Value" -> "email 1 value").

==============  ==========================================================================
field           headers recognised (earlier rows of a field win over later ones)
==============  ==========================================================================
first name      first name, firstname, forename(s), given name(s), first
middle name     middle name(s), additional name -- appended to the first name
last name       last name, lastname, surname, family name, last
full name       full name, name, display name, contact name, contact -- split into first
                and last ("Surname, Forename" or "Forename ... Surname") only when there
                is no first/last name in the row
e-mail          email, email address, mail, email 1 value (Google), email address (Outlook)
                are primary; email N value / email N address (N >= 2), and work/home/other/
                personal/business email are further addresses. A cell may hold several
                addresses separated by " ::: " (Google).
phone           phone, telephone, tel, mobile, cell, phone number, phone 1 value (Google),
                primary/business/work/mobile/home/other phone, phone N value, business
                phone 2 ... -- the first non-empty in this order is primary, the rest are
                kept as further numbers. Fax and pager columns are ignored.
organisation    organisation, organization, organisation/organization name, organization 1
                name (Google older), company, company name, employer; "department" only
                when none of those is present (a UK central department is an organisation)
team            team, team name, unit, directorate, division, section, organization
                department (Google), organization 1 department (Google older); "department"
                when an organisation column is present (Outlook)
role            role, job title, organization title (Google), organization 1 title, position,
                job, occupation; "title" only when none of those is present (in Outlook
                exports "Title" is the honorific, Mr/Ms)
notes           notes, note, comments, comment, description
tags            labels (Google, " ::: "), categories (Outlook, ";"), tags, groups, group
                membership -- Google's system labels "* myContacts" / "* starred" dropped
==============  ==========================================================================

Any other column is ignored.

A column that is read for a field must be the only one with its (normalised) header: two "Last
Name" columns, or two "E-mail 1 - Value" columns, are refused at the header line as ``header:
'Last Name' appears twice`` (``repeated_header``), since silently preferring one of them would
import the other's values nowhere. A repeated header that no field is read from -- two "Notes
(old)" columns, two "Business Fax", a second "Title" beside a "Job Title" -- is ignored like
any other unknown column and may repeat harmlessly. Different aliases of one field ("Last Name"
and "Surname") are not a repeat: the alias order above decides.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from pfpp_tui.importers.base import ContactRecord, RowError
from pfpp_tui.importers.fields import build_record, split_full_name

_SINGLE_ALIASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "first_name": (
        ("first name", "firstname", "forename", "forenames", "given name", "given names"),
        ("first",),
    ),
    "middle_name": (("middle name", "middle names", "additional name"),),
    "last_name": (("last name", "lastname", "surname", "family name"), ("last",)),
    "full_name": (
        ("full name", "name", "display name", "contact name"),
        ("contact",),
    ),
    "organisation": (
        (
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "organization 1 name",
            "organisation 1 name",
            "company",
            "company name",
            "employer",
        ),
    ),
    "team": (
        (
            "team",
            "team name",
            "unit",
            "directorate",
            "division",
            "section",
            "organization department",
            "organisation department",
            "organization 1 department",
            "organisation 1 department",
        ),
    ),
    "role": (
        (
            "role",
            "job title",
            "jobtitle",
            "organization title",
            "organisation title",
            "organization 1 title",
            "organisation 1 title",
            "position",
            "job",
            "occupation",
        ),
        ("title",),
    ),
    "notes": (("notes", "note", "comments", "comment", "description"),),
    "tags": (("labels", "categories", "tags", "tag", "groups", "group membership", "group"),),
}
_DEPARTMENT = ("department", "dept")

_EMAIL = re.compile(
    r"(?:(work|home|other|personal|business|primary|secondary) )?"
    r"(?:email|mail|e mail)(?: (\d+))?(?: (value|address))?"
)
_PHONE = re.compile(
    r"(?:([a-z ]+?) )?(phone|telephone|tel|mobile|cell)(?: (\d+))?(?: (value|number|no))?"
)
_PHONE_RANK = {"": 0, "primary": 0, "business": 1, "work": 1, "mobile": 2, "cell": 2}
_SYSTEM_LABELS = frozenset({"* mycontacts", "* starred", "mycontacts", "starred"})
_PUNCT = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    text = header.strip().lower().replace("e-mail", "email").replace("\ufeff", "")
    return _PUNCT.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Column indexes for each field of one header row."""

    width: int
    first_name: int | None
    middle_name: int | None
    last_name: int | None
    full_name: int | None
    organisation: int | None
    team: int | None
    role: int | None
    notes: int | None
    tags: int | None
    emails: tuple[int, ...]
    phones: tuple[int, ...]

    @property
    def recognised(self) -> bool:
        """A usable header names at least a person or an e-mail column."""
        names = (self.first_name, self.last_name, self.full_name)
        return bool(self.emails) or any(index is not None for index in names)

    def getter(self) -> Callable[[Sequence[str]], tuple[str, ...]]:
        """One C-level call fetching every used cell; a missing column reads index ``width``."""
        missing = self.width
        singles = (
            self.first_name,
            self.middle_name,
            self.last_name,
            self.full_name,
            self.organisation,
            self.team,
            self.role,
            self.notes,
            self.tags,
        )
        indexes = [missing if i is None else i for i in singles]
        fetch: Callable[[Sequence[str]], tuple[str, ...]] = itemgetter(
            *(indexes + list(self.emails) + list(self.phones) + [missing])
        )
        return fetch


def _pick(normalised: list[str], groups: tuple[tuple[str, ...], ...]) -> int | None:
    """The column of the earliest alias present (alias order, not column order, decides)."""
    for group in groups:
        for alias in group:
            if alias in normalised:
                return normalised.index(alias)
    return None


def map_header(headers: Sequence[str]) -> ColumnMap:
    normalised = [normalise_header(header) for header in headers]
    picked = {field: _pick(normalised, groups) for field, groups in _SINGLE_ALIASES.items()}
    department = _pick(normalised, (_DEPARTMENT,))
    if department is not None:
        if picked["organisation"] is None:
            picked["organisation"] = department
        elif picked["team"] is None:
            picked["team"] = department
    emails: list[tuple[int, int, int]] = []
    phones: list[tuple[int, int, int]] = []
    for index, name in enumerate(normalised):
        if (match := _EMAIL.fullmatch(name)) is not None:
            qualifier, number = match.group(1), int(match.group(2) or 1)
            rank = 1 if qualifier and qualifier != "primary" else 0
            emails.append((rank, number, index))
        elif (match := _PHONE.fullmatch(name)) is not None:
            qualifier, number = match.group(1) or "", int(match.group(3) or 1)
            if "fax" in qualifier or "pager" in qualifier:
                continue
            phones.append((_PHONE_RANK.get(qualifier, 3), number, index))
    return ColumnMap(
        width=len(headers),
        emails=tuple(index for _, _, index in sorted(emails)),
        phones=tuple(index for _, _, index in sorted(phones)),
        **picked,
    )


def repeated_header(headers: Sequence[str], columns: ColumnMap) -> str | None:
    """The problem with a header naming a column that ``columns`` reads more than once, if any."""
    normalised = [normalise_header(header) for header in headers]
    counts = Counter(normalised)
    if len(counts) == len(normalised):
        return None
    singles = (
        columns.first_name,
        columns.middle_name,
        columns.last_name,
        columns.full_name,
        columns.organisation,
        columns.team,
        columns.role,
        columns.notes,
        columns.tags,
    )
    read = {index for index in singles if index is not None}
    read.update(columns.emails, columns.phones)
    for index in sorted(read):
        times = counts[normalised[index]]
        if times > 1:
            shown = headers[index].replace("\ufeff", "").strip()
            return f"{shown!r} appears {'twice' if times == 2 else f'{times} times'}"
    return None


def split_tags(value: str) -> list[str]:
    """A tags cell as tags: Google's " ::: ", else ";", else ","; system labels dropped."""
    if value.lower() in _SYSTEM_LABELS:
        return []
    for sep in (" ::: ", ";", ","):
        if sep in value:
            parts = value.split(sep)
            break
    else:
        parts = [value]
    return [tag for part in parts if (tag := part.strip()) and tag.lower() not in _SYSTEM_LABELS]


def _many(values: Sequence[str]) -> list[str]:
    """Non-empty values, a Google " ::: " cell split into its parts."""
    found: list[str] = []
    for value in values:
        if " ::: " in value:
            found.extend(part.strip() for part in value.split(" ::: ") if part.strip())
        elif value:
            found.append(value)
    return found


class RowReader:
    """Turns data rows under one header into records (the per-row hot path of an import)."""

    def __init__(self, columns: ColumnMap, file: str) -> None:
        self.columns = columns
        self.file = file
        self.width = columns.width
        self.get = columns.getter()
        self.emails_end = 9 + len(columns.emails)
        self.phones_end = self.emails_end + len(columns.phones)

    def read(self, cells: list[str], line: int) -> ContactRecord | list[RowError]:
        """One row (the list is extended in place); cells need not be trimmed."""
        width = self.width
        count = len(cells)
        if count > width and any(cell.strip() for cell in cells[width:]):
            return [RowError(self.file, line, "row", f"{count} cells but the header has {width}")]
        if count != width:
            cells = cells[:width] + [""] * (width - count) if count < width else cells[:width]
        cells.append("")
        values = [cell.strip() for cell in self.get(cells)]
        first, middle, last, full, organisation, team, role, notes, tags = values[:9]
        if middle:
            first = f"{first} {middle}" if first else middle
        if not first and not last and full:
            first, last = split_full_name(full)
        emails = values[9 : self.emails_end]
        if len(emails) != 1 or not emails[0] or " ::: " in emails[0]:
            emails = _many(emails)
        phones = values[self.emails_end : self.phones_end]
        if len(phones) != 1 or not phones[0] or " ::: " in phones[0]:
            phones = _many(phones)
        if "\r" in notes:
            notes = notes.replace("\r\n", "\n").replace("\r", "\n")
        return build_record(
            self.file,
            line,
            first,
            last,
            emails,
            phones,
            organisation,
            team,
            role,
            notes,
            split_tags(tags) if tags else (),
        )


def row_to_record(
    columns: ColumnMap, cells: Sequence[str], file: str, line: int
) -> ContactRecord | list[RowError]:
    """Turn one data row into a record (convenience wrapper over ``RowReader``)."""
    return RowReader(columns, file).read(list(cells), line)
