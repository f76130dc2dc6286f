"""Funding flows from a CSV file (a spend mapping, or ``pfpp export funding`` output).

Owns: reading the bytes (encoding detected as for contacts), finding the header, mapping its
columns (``pilot``, ``source_organisation``, ``pot``, ``amount_gbp``, ``financial_year``,
``outcome`` and their everyday aliases; ``id`` and timestamps from an export are ignored), and
checking each row's own shape: whole pounds, a ``2022-23`` style financial year, a pot, no
control or bidi character (as for contacts; the outcome may hold line breaks). Pure: bytes in,
``FundingRow`` values and ``RowError`` problems out, never raising on bad input and never
touching the database (names are matched by ``store.imports.funding_import``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from pfpp_tui.importers.base import RowError
from pfpp_tui.importers.csv_file import sniff_delimiter
from pfpp_tui.importers.text import DecodedText, decode
from pfpp_tui.text_safety import control_character
from pfpp_tui.words import noun_for

REQUIRED = ("pilot", "pot", "amount_gbp", "financial_year")
ALIASES: dict[str, str] = {
    "pilot": "pilot",
    "place": "pilot",
    "pilot_place": "pilot",
    "source_organisation": "source_organisation",
    "source": "source_organisation",
    "source_department": "source_organisation",
    "department": "source_organisation",
    "organisation": "source_organisation",
    "funder": "source_organisation",
    "pot": "pot",
    "fund": "pot",
    "funding_pot": "pot",
    "programme": "pot",
    "grant": "pot",
    "amount_gbp": "amount_gbp",
    "amount": "amount_gbp",
    "amount_£": "amount_gbp",
    "value": "amount_gbp",
    "financial_year": "financial_year",
    "year": "financial_year",
    "fy": "financial_year",
    "outcome": "outcome",
    "target_outcome": "outcome",
    "outcomes": "outcome",
}
_YEAR = re.compile(r"^(\d{4})\s*[-/\u2013]\s*(\d{2}|\d{4})$")
_AMOUNT = re.compile(r"^\d+(?:\.0+)?$")


@dataclass(frozen=True, slots=True)
class FundingRow:
    line: int
    pilot: str
    source_organisation: str  # "" when the file names no source
    pot: str
    amount_gbp: int
    financial_year: str  # normalised: "2022-23"
    outcome: str = ""


@dataclass(slots=True)
class ParsedFunding:
    file: str
    rows: list[FundingRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # (line, pilot, source organisation) of rows refused for their shape: their names are
    # still checked against the database, so one run lists every problem of the file.
    refused_names: list[tuple[int, str, str]] = field(default_factory=list)


def header_key(cell: str) -> str:
    key = re.sub(r"[^\w£]+", "_", cell.strip().lower()).strip("_")
    return ALIASES.get(key, key)


def parse_amount(text: str) -> int | str:
    """Whole pounds (``£12,500`` and ``12500.00`` are fine), else the problem."""
    clean = text.strip().replace("£", "").replace(",", "").replace(" ", "")
    if not clean:
        return "missing"
    if clean.startswith("-"):
        return f"{text.strip()!r} is negative"
    if not _AMOUNT.match(clean):
        if re.match(r"^\d+\.\d+$", clean):
            return f"{text.strip()!r}: whole pounds only (no pence)"
        return f"{text.strip()!r} is not an amount in pounds"
    return int(clean.split(".")[0])


def parse_financial_year(text: str) -> str | None:
    """``2022-23``, ``2022/23``, ``2022-2023`` → ``"2022-23"``; anything else → None."""
    match = _YEAR.match(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), match.group(2)
    expected = first + 1
    if int(second) not in (expected, expected % 100):
        return None
    return f"{first}-{expected % 100:02d}"


def _row(cells: dict[str, str], line: int, file: str) -> FundingRow | list[RowError]:
    errors: list[RowError] = []
    for column in ("pilot", "source_organisation", "pot", "outcome"):
        found = control_character(cells.get(column, ""), multi_line=column == "outcome")
        if found is not None:
            errors.append(RowError(file, line, column, f"contains a control character ({found})"))
    pilot = cells.get("pilot", "").strip()
    pot = " ".join(cells.get("pot", "").split())
    if not pilot:
        errors.append(RowError(file, line, "pilot", "missing"))
    if not pot:
        errors.append(RowError(file, line, "pot", "missing"))
    elif len(pot) > 200:
        errors.append(RowError(file, line, "pot", "longer than 200 characters"))
    amount = parse_amount(cells.get("amount_gbp", ""))
    if isinstance(amount, str):
        errors.append(RowError(file, line, "amount_gbp", amount))
    raw_year = cells.get("financial_year", "").strip()
    year = parse_financial_year(raw_year)
    if year is None:
        problem = "missing" if not raw_year else f"{raw_year!r} is not a year like 2022-23"
        errors.append(RowError(file, line, "financial_year", problem))
    if errors:
        return errors
    assert isinstance(amount, int) and year is not None
    return FundingRow(
        line=line,
        pilot=pilot,
        source_organisation=" ".join(cells.get("source_organisation", "").split()),
        pot=pot,
        amount_gbp=amount,
        financial_year=year,
        outcome=cells.get("outcome", "").strip(),
    )


def parse_funding(data: bytes, file: str) -> ParsedFunding:
    parsed = ParsedFunding(file)
    decoded = decode(data, file)
    if isinstance(decoded, RowError):
        parsed.errors.append(decoded)
        return parsed
    assert isinstance(decoded, DecodedText)
    text = decoded.text
    if not text.strip():
        parsed.errors.append(RowError(file, 1, "file", "empty file"))
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    keys: list[str] | None = None
    header_line = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            parsed.errors.append(RowError(file, start, "row", f"malformed CSV: {exc}"))
            break
        if not "".join(cells).strip():
            continue
        if keys is None:
            keys, header_line = [header_key(c) for c in cells], start
            missing = [k for k in REQUIRED if k not in keys]
            if missing:
                parsed.errors.append(
                    RowError(
                        file,
                        start,
                        "header",
                        f"missing {noun_for(len(missing), 'column')} {', '.join(missing)}",
                    )
                )
                return parsed
            continue
        if len(cells) > len(keys) and "".join(cells[len(keys) :]).strip():
            parsed.errors.append(RowError(file, start, "row", "more cells than header columns"))
            continue
        values = {k: v for k, v in zip(keys, cells, strict=False) if k in ALIASES.values()}
        result = _row(values, start, file)
        if isinstance(result, FundingRow):
            parsed.rows.append(result)
        else:
            parsed.errors.extend(result)
            source = " ".join(values.get("source_organisation", "").split())
            parsed.refused_names.append((start, values.get("pilot", "").strip(), source))
    if keys is None:
        parsed.errors.append(RowError(file, 1, "file", "empty file"))
    elif not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(file, header_line, "file", "a header but no rows"))
    return parsed
