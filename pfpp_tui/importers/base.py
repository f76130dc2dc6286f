"""The one small interface every contact importer speaks.

An importer is pure: bytes in, ``ParsedFile`` out. It never touches the database; matching
organisations, de-duplicating and writing belong to ``pfpp_tui.store.imports.contact_import``. It
never raises on bad input either: every problem becomes a ``RowError`` naming the physical line
where the offending record starts (the header, or the first line of the file, is line 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

# The largest cell (CSV, XLSX) or property value (vCard) read, in characters: anything larger
# is refused at its line. 128 KiB is also the ``csv`` module's default field limit, which
# ``importers.csv_file`` sets to this value so the two cannot drift apart.
MAX_CELL = 128 * 1024


class ImportFormat(StrEnum):
    AUTO = "auto"
    CSV = "csv"
    XLSX = "xlsx"
    VCARD = "vcard"


class ContactRecord(NamedTuple):
    """One person as read from a foreign file, before any matching against the database.

    A named tuple (immutable, compared by value) rather than a dataclass: a 100,000-row import
    builds one per row, and a tuple can be made in C (``tuple.__new__``) without ``__init__``.
    """

    # Physical line where the record starts in the source (the header is line 1).
    line: int
    first_name: str = ""
    last_name: str = ""
    email: str | None = None
    # Further addresses and numbers the source held; the first/preferred one is primary.
    extra_emails: tuple[str, ...] = ()
    phone: str | None = None
    # ``phone`` normalised to E.164 (GB by default) when it parses; None otherwise.
    phone_e164: str | None = None
    extra_phones: tuple[str, ...] = ()
    organisation: str | None = None
    team: str | None = None
    role: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RowError:
    """A refused record, printed as ``FILE:LINE: field: problem``.

    Line 0 means the file as a whole (a workbook that cannot be opened): ``FILE: problem``.
    """

    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        if self.line == 0:
            return f"{self.file}: {self.problem}"
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


BLOCK = 10_000  # records per block handed to the store (``ParsedFile.blocks``)


@dataclass(slots=True)
class ParsedFile:
    """One file's records and errors: in ``records``, or -- a big file, streamed -- read from
    disk a block at a time by ``source`` each time ``blocks`` is iterated (``errors`` is then
    complete once the blocks are)."""

    path: Path
    format: str
    records: list[ContactRecord] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # The text encoding used (None for XLSX), reported so a user can override it.
    encoding: str | None = None
    source: Callable[[], Iterator[list[ContactRecord]]] | None = None

    def blocks(self) -> Iterator[list[ContactRecord]]:
        """The records a block at a time (a streamed file is read again each time)."""
        if self.source is None:
            for start in range(0, len(self.records), BLOCK):
                yield self.records[start : start + BLOCK]
            return
        self.errors.clear()
        yield from self.source()
