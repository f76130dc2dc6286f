"""The filter query language's words: parsing a line into a ``Query``, and nothing else.

Split from ``store.listing.query`` (which re-exports every name here) so the parser stays pure: no
SQLAlchemy, no database, no models. That keeps it cheap to import and to property-test, and
lets the TUI validate a filter as it is typed without building SQL. The language itself is
described in ``store.listing.query``'s docstring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pfpp_tui.errors import PfppError
from pfpp_tui.shapes.table import Entity


class QueryError(PfppError):
    """A filter the user typed cannot be understood; the message says why, in one line."""


class Op(StrEnum):
    IS = ":"
    BEFORE = "<"
    AFTER = ">"


@dataclass(frozen=True, slots=True)
class TextTerm:
    """Free text (a word or a quoted phrase) matched against an entity's text columns."""

    text: str
    negated: bool = False

    def __str__(self) -> str:
        return ("-" if self.negated else "") + _quote_text(self.text, negated=self.negated)


@dataclass(frozen=True, slots=True)
class FieldTerm:
    """``field:value`` (or ``due<value`` / ``due>value``); ``field`` is canonical lower case."""

    field: str
    op: Op
    value: str
    negated: bool = False

    def __str__(self) -> str:
        return f"{'-' if self.negated else ''}{self.field}{self.op.value}{_quote_value(self.value)}"


Term = TextTerm | FieldTerm


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter: every term must hold. The empty query matches everything."""

    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __str__(self) -> str:
        """Canonical text that ``parse_query`` turns back into an equal ``Query``."""
        return " ".join(str(term) for term in self.terms)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(t.field for t in self.terms if isinstance(t, FieldTerm))


# --- parsing ---------------------------------------------------------------------------------

KNOWN_FIELDS = frozenset(
    {
        "pilot",
        "org",
        "team",
        "owner",
        "status",
        "category",
        "severity",
        "due",
        "kind",
        "tag",
        "role",
        "stage",
        "rag",
        "year",
        "principle",
    }
)
FIELD_ALIASES = {
    "organisation": "org",
    "organization": "org",
    "place": "pilot",
    "tags": "tag",
    "cat": "category",
    "type": "kind",
}
_FIELD_RE = re.compile(r"([A-Za-z_]+)(:|<|>)")
_DURATION_RE = re.compile(r"(\d{1,5})([dw])", re.IGNORECASE)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DUE_WORDS = frozenset({"overdue", "today", "none"})


def parse_query(text: str) -> Query:
    """Parse a line of query words; raise ``QueryError`` (one clear line) if it is malformed."""
    terms: list[Term] = []
    pos, end = 0, len(text)
    while pos < end:
        if text[pos].isspace():
            pos += 1
            continue
        negated = False
        if text[pos] == "-":
            if pos + 1 >= end or text[pos + 1].isspace():
                raise QueryError("a '-' must be followed by the word to exclude")
            negated = True
            pos += 1
        match = _FIELD_RE.match(text, pos)
        if text[pos] == '"':
            phrase, pos = _read_quoted(text, pos)
            if phrase.strip():
                terms.append(TextTerm(phrase, negated))
        elif match:
            name = match.group(1).lower()
            name = FIELD_ALIASES.get(name, name)
            if name not in KNOWN_FIELDS:
                raise QueryError(
                    f"unknown filter field {match.group(1)!r} "
                    f"(known: {', '.join(sorted(KNOWN_FIELDS))})"
                )
            op = Op(match.group(2))
            pos = match.end()
            if pos < end and text[pos] == '"':
                value, pos = _read_quoted(text, pos)
            else:
                value, pos = _read_bare(text, pos)
            value = value.strip()
            if not value:
                raise QueryError(f"{name}{op.value} needs a value, e.g. {_example(name)}")
            terms.append(_checked_field(FieldTerm(name, op, value, negated)))
        else:
            word, pos = _read_bare(text, pos)
            terms.append(TextTerm(word, negated))
    return Query(tuple(terms))


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    close = text.find('"', pos + 1)
    if close < 0:
        raise QueryError(f"unterminated quote in filter: {text[pos:]}")
    return text[pos + 1 : close], close + 1


def _read_bare(text: str, pos: int) -> tuple[str, int]:
    start = pos
    while pos < len(text) and not text[pos].isspace():
        pos += 1
    return text[start:pos], pos


def _example(name: str) -> str:
    examples = {
        "due": "due<7d or due:overdue",
        "org": 'org:"home office"',
        "principle": "principle:trust",
    }
    return examples.get(name, f"{name}:x")


def _checked_field(term: FieldTerm) -> FieldTerm:
    if term.field != "due":
        if term.op is not Op.IS:
            raise QueryError(f"only due accepts < and > (got {term.field}{term.op.value})")
        return term
    due_spec(term)  # validates
    return term


def due_spec(term: FieldTerm) -> tuple[str, int | date | None]:
    """Decode a due value into ("days", n) / ("date", d) / ("overdue"|"today"|"none", None)."""
    value = term.value.lower()
    if term.op is Op.IS and value in _DUE_WORDS:
        return value, None
    duration = _DURATION_RE.fullmatch(value)
    if duration:
        if term.op is Op.IS:
            raise QueryError(f"use due<{value} or due>{value}, not due:{value}")
        n = int(duration.group(1))
        return "days", n * 7 if duration.group(2) == "w" else n
    if _DATE_RE.fullmatch(value):
        try:
            return "date", date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"due: {term.value!r} is not a real date") from None
    raise QueryError(
        f"due{term.op.value}{term.value} not understood: use due<7d, due>2w, due:overdue, "
        "due:today, due:none or a date like due<2026-01-31"
    )


def _quote_text(text: str, *, negated: bool) -> str:
    # After a negating "-" the next character is read as part of the word, so a leading "-"
    # needs no quotes there. Words holding a '"' are always bare-safe (the parser only puts
    # a '"' in a word that did not start with one), so quoting never has to escape one.
    bare_ok = (
        text
        and not any(ch.isspace() for ch in text)
        and text[0] != '"'
        and (negated or text[0] != "-")
        and not _FIELD_RE.match(text)
    )
    return text if bare_ok else f'"{text}"'


def _quote_value(value: str) -> str:
    bare_ok = value and not any(ch.isspace() for ch in value) and value[0] != '"'
    return value if bare_ok else f'"{value}"'


__all__ = [
    "FIELD_ALIASES",
    "KNOWN_FIELDS",
    "Entity",
    "FieldTerm",
    "Op",
    "Query",
    "QueryError",
    "Term",
    "TextTerm",
    "due_spec",
    "parse_query",
]
