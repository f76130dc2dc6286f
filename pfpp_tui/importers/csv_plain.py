"""The fast path for plain CSV: no quote characters, so one record per line, read by columns.

Owns one optimisation, nothing else: most real exports (Google Contacts among them) quote no
cell at all, and for such text CSV is exactly "split on line ends, then on the delimiter". Then
every cell of the file comes out of two C-level ``split`` calls, and each field is cleaned and
checked a column at a time (``map(str.strip, ...)``, one regular-expression pass per column)
instead of a row at a time. A row the column checks are not sure about -- no or several
e-mails, an over-long name, a full name to split, several phones, a blank row -- is handed to
the general ``RowReader`` unchanged, so every record and every error is exactly what
``csv_file``'s general path produces (a property test holds the two paths equal).

``parse_plain_csv`` returns None whenever the text is not plain (a quote, a NUL, a lone CR, a
control character, a tab in a cell, a ragged or over-long line, no header on line 1, no e-mail
column, a field's column named twice in the header...): the caller then uses the general path,
which says what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import partial
from itertools import islice, repeat
from typing import Any, cast

from pfpp_tui.importers.base import MAX_CELL, ContactRecord, RowError
from pfpp_tui.importers.columns import RowReader, map_header, repeated_header, split_tags
from pfpp_tui.importers.fields import (
    MAX_NAME,
    MAX_ORG,
    MAX_PHONE,
    fast_email_match,
    lower_ascii_email_match,
    phone_e164,
)
from pfpp_tui.text_safety import control_character

# ContactRecord from a tuple of its fields, in C (no Python-level __new__ per row).
_new_record = cast(Callable[[Iterable[Any]], ContactRecord], partial(tuple.__new__, ContactRecord))
_PHONE_NOISE = str.maketrans("", "", " -().\u00a0")
# ``fields.uk_national_match`` on every line of a column at once.
_ALL_UK_NATIONAL = re.compile(r"(?:0[1-9][0-9]{9}\n)*0[1-9][0-9]{9}").fullmatch


def _too_long(values: list[str], limit: int) -> Iterable[int]:
    if not values or max(map(len, values)) <= limit:
        return ()
    return [n for n, value in enumerate(values) if len(value) > limit]


def _e164_column(phones: list[str]) -> list[str | None]:
    """``phone_e164`` of every (non-empty) phone; all-UK-national columns in C."""
    compact = "\n".join(phones).translate(_PHONE_NOISE)
    if _ALL_UK_NATIONAL(compact):
        return cast(list[str | None], ("\n" + compact).replace("\n0", "\n+44")[1:].split("\n"))
    return [phone_e164(phone) if phone else None for phone in phones]


def parse_plain_csv(
    text: str, file: str, delimiter: str, *, first_line: int = 2
) -> tuple[list[ContactRecord], list[RowError]] | None:
    """Records and errors exactly as the general CSV path; None when ``text`` is not plain.

    ``first_line`` is the line number of the first data line (the header's is one less in a
    whole file; a streamed block puts the header's line above lines further down the file).
    """
    if '"' in text or "\x00" in text or control_character(text, multi_line=True):
        return None
    if delimiter != "\t" and "\t" in text:
        return None  # a tab inside a cell: the general path refuses it where it matters
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    # Lines only to check the shape (no big copies of the text: a 100,000-row file is 13 MB).
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    count = len(lines) - 1
    if count < 1:
        return None
    header = lines[0].split(delimiter)
    columns = map_header(header)
    width = len(header)
    if width < 2 or not columns.recognised or not columns.emails:
        return None
    if repeated_header(header, columns) is not None:
        return None
    if set(map(str.count, islice(lines, 1, None), repeat(delimiter))) != {width - 1}:
        return None  # ragged rows, blank lines: the general path says what is wrong
    if max(map(len, lines)) > MAX_CELL:
        return None
    del lines
    # Every cell of the file, the header's first; a final line end adds one empty cell.
    flat = text.replace("\n", delimiter).split(delimiter)
    stop = width * (count + 1)
    bad: set[int] = set()

    def cells(index: int) -> list[str]:
        return list(map(str.strip, flat[width + index : stop : width]))

    def column(index: int | None) -> list[str] | None:
        return None if index is None else cells(index)

    empty = [""] * count
    firsts = column(columns.first_name) or empty
    lasts = column(columns.last_name) or empty
    middles = column(columns.middle_name)
    if middles is not None and any(middles):
        firsts = [
            (f"{f} {m}" if f else m) if m else f for f, m in zip(firsts, middles, strict=True)
        ]
    fulls = column(columns.full_name)
    if fulls is not None and any(fulls):
        bad.update(
            n
            for n, (first, last, full) in enumerate(zip(firsts, lasts, fulls, strict=True))
            if full and not first and not last
        )
    organisations = column(columns.organisation) or empty
    teams = column(columns.team) or empty
    for values, limit in ((firsts, MAX_NAME), (lasts, MAX_NAME)):
        bad.update(_too_long(values, limit))
    for values, limit in ((organisations, MAX_ORG), (teams, MAX_ORG)):
        bad.update(_too_long(values, limit))

    emails = cells(columns.emails[0])
    joined = "\n".join(emails)
    if joined.isascii():
        all_valid = all(map(lower_ascii_email_match, joined.lower().split("\n")))
    else:
        all_valid = all(map(fast_email_match, emails))
    if not all_valid:
        bad.update(n for n, email in enumerate(emails) if fast_email_match(email) is None)
    for index in columns.emails[1:]:
        others = cells(index)
        if any(others):
            bad.update(n for n, other in enumerate(others) if other)

    phones = column(columns.phones[0]) if columns.phones else None
    phone_col: Iterable[str | None] = repeat(None)
    e164_col: Iterable[str | None] = repeat(None)
    if phones is not None:
        for index in columns.phones[1:]:
            others = cells(index)
            if any(others):
                bad.update(n for n, other in enumerate(others) if other)
        bad.update(_too_long(phones, MAX_PHONE))
        if " ::: " in "\n".join(phones):
            bad.update(n for n, phone in enumerate(phones) if " ::: " in phone)
        phone_col = [phone or None for phone in phones]
        e164_col = _e164_column(phones)

    tags_cells = column(columns.tags)
    tags_col: Iterable[tuple[str, ...]] = repeat(())
    if tags_cells is not None:
        split = {value: tuple(split_tags(value)) if value else () for value in set(tags_cells)}
        tags_col = map(split.__getitem__, tags_cells)
    records = list(
        map(
            _new_record,
            zip(
                range(first_line, count + first_line),
                firsts,
                lasts,
                emails,
                repeat(()),
                phone_col,
                e164_col,
                repeat(()),
                [value or None for value in organisations],
                [value or None for value in teams],
                column(columns.role) or empty,
                column(columns.notes) or empty,
                tags_col,
            ),
        )
    )
    if not bad:
        return records, []
    rows = {n: flat[(n + 1) * width : (n + 2) * width] for n in bad}
    return _with_general_rows(records, rows, count, RowReader(columns, file), first_line)


def _with_general_rows(
    records: list[ContactRecord],
    rows: dict[int, list[str]],
    count: int,
    reader: RowReader,
    first_line: int,
) -> tuple[list[ContactRecord], list[RowError]] | None:
    """Replace the data rows in ``rows`` (by index) by what the general reader makes of them."""
    merged: list[ContactRecord] = []
    errors: list[RowError] = []
    blank = 0
    start = 0
    for n in sorted(rows):
        merged.extend(records[start:n])
        start = n + 1
        cells = rows[n]
        if not "".join(cells).strip():
            blank += 1
            continue
        result = reader.read(cells, n + first_line)
        if isinstance(result, list):
            errors.extend(result)
        else:
            merged.append(result)
    merged.extend(records[start:])
    if blank == count:
        return None  # only blank rows: "a header but no rows" is the general path's to say
    return merged, errors
