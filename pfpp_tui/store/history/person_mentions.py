"""Where a person is mentioned: the one mention set ``person show`` lists and erasure rewrites.

Owns ``find_mentions`` and the caseless text matching behind it. A mention is a record's free
text holding the person's full name, e-mail or phone in any case ("Åsa Ölund", "ÅSA ÖLUND",
"åsa ölund"), a history row whose values, actor or reason hold one, or an ``@owner`` marker in
a meeting's notes that resolved to the person when the meeting was logged.

The matching is done here in Python, on both engines, never by SQL ``lower()``/``LIKE``:
SQLite folds only ASCII letters and PostgreSQL's ``lower()`` depends on the server's locale,
so the two engines would disagree about what "the same name" is. Text is compared after
Unicode case folding and canonical decomposition (``fold``), so capitals, ``ß``/``ss`` and
precomposed or combining accents all match. Rows are streamed in chunks, so memory stays
bounded on a big database. Read-only: nothing here writes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, String, Table, Text, func, select
from sqlmodel import Session, SQLModel

from pfpp_tui.models import Contact
from pfpp_tui.notes_markers import ItemKind, parse_notes, replace_owner_markers
from pfpp_tui.store.db.changes import decode_changes
from pfpp_tui.store.db.records import TABLES

STREAM_CHUNK = 2000  # rows fetched at a time while scanning a table
MIN_TERM = 4  # shorter strings are not distinctive enough to rewrite in other records


def fold(text: str) -> str:
    """``text`` for caseless comparison: decomposed, case-folded, decomposed again."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())


def _occurrences(folded: str, term: str) -> Iterator[int]:
    """Where ``term`` starts in ``folded``; not where the match ends inside an accented letter."""
    start = folded.find(term)
    while start >= 0:
        end = start + len(term)
        if end >= len(folded) or not unicodedata.combining(folded[end]):
            yield start
        start = folded.find(term, start + 1)


def folded_contains(text: str | None, terms: Sequence[str]) -> bool:
    """True when ``text`` holds one of ``terms`` (already folded), in any case."""
    if not text or not terms:
        return False
    folded = fold(text)
    return any(next(_occurrences(folded, term), None) is not None for term in terms)


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded character its source."""
    parts: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        folded = fold(char)
        parts.append(folded)
        index.extend([position] * len(folded))
    return "".join(parts), index


def replace_terms(text: str, terms: Sequence[str], replacement: str) -> str:
    """``text`` with every caseless occurrence of ``terms`` (folded) replaced by ``replacement``.

    Overlapping matches become one replacement. Should folding one character at a time ever
    disagree with folding the whole text (combining marks in an unusual order), the whole
    value is replaced: a mention is never left behind.
    """
    if not folded_contains(text, terms):
        return text
    folded, index = _fold_with_index(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        for at in _occurrences(folded, term):
            spans.append((index[at], index[at + len(term) - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    pieces: list[str] = []
    last = 0
    for start, end in merged:
        pieces.extend((text[last:start], replacement))
        last = end
    pieces.append(text[last:])
    result = "".join(pieces)
    return replacement if folded_contains(result, terms) else result


def identifying_terms(contact: Contact) -> list[str]:
    """Strings that identify this person in free text: full name, e-mail, phone (folded).

    A lone first or last name is not on the list: "Ada" inside "Adam" or another Ada's notes
    is not this person, and rewriting it would corrupt other records.
    """
    full_name = " ".join(f"{contact.first_name} {contact.last_name}".split())
    candidates = [full_name if " " in full_name else "", contact.email, contact.phone]
    candidates.append(contact.phone_e164)
    terms = {fold(c.strip()) for c in candidates if c and len(c.strip()) >= MIN_TERM}
    return sorted(terms, key=len, reverse=True)


def table_of(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def text_columns(table: str) -> list[Column[Any]]:
    skip = {"email_key", "phone_e164"}
    return [c for c in table_of(table).columns if _is_text(c) and c.name not in skip]


def _is_text(column: Column[Any]) -> bool:
    # SQLModel's AutoString is a TypeDecorator over String, so look through decorators.
    kind = getattr(column.type, "impl", column.type)
    return isinstance(kind, String | Text)


@dataclass
class MentionSet:
    """Everything that names one person outside their own rows, found before anything changes.

    ``text``: ``{"table", "id", "column"}`` per record column to rewrite, in table, column, id
    order. ``markers``: per meeting, the folded ``@tokens`` of its notes that resolved to the
    person. ``history``: ids of the change rows about them (their own contact row's history,
    and rows whose values, actor or reason name them or hold a resolved marker).
    """

    contact_id: int
    terms: list[str]
    text: list[dict[str, Any]] = field(default_factory=list)
    markers: dict[int, frozenset[str]] = field(default_factory=dict)
    history: list[int] = field(default_factory=list)

    def scrub(self, table: str, row_id: int, value: str, replacement: str) -> str:
        """``value`` (a column of ``table`` row ``row_id``) with every mention replaced."""
        value = replace_terms(value, self.terms, replacement)
        tokens = self.markers.get(row_id) if table == "meeting" else None
        if tokens:
            value = replace_owner_markers(value, lambda token: fold(token) in tokens, replacement)
        return value

    def names(self, table: str, row_id: int, value: str | None) -> bool:
        return bool(value) and self.scrub(table, row_id, value or "", "\x00") != value


def find_mentions(session: Session, contact: Contact) -> MentionSet:
    """The mention set of ``contact``: what ``person show`` lists and ``erase`` rewrites."""
    assert contact.id is not None
    return find_mentions_of_many(session, [contact])[contact.id]


def find_mentions_of_many(session: Session, contacts: Sequence[Contact]) -> dict[int, MentionSet]:
    """The mention sets of many people (a purge's archived contacts) in one pass over each
    table and one over the history -- never one pass per person."""
    sets: dict[int, MentionSet] = {}
    for contact in contacts:
        assert contact.id is not None
        sets[contact.id] = MentionSet(contact.id, identifying_terms(contact))
    for contact_id, markers in owner_marker_tokens_of_many(session, list(sets)).items():
        sets[contact_id].markers = markers
    _text_mentions(session, sets)
    for contact_id, ids in _history_mentions(session, sets).items():
        sets[contact_id].history = ids
    return sets


def _stream(session: Session, stmt: Any) -> Iterator[Any]:
    yield from session.execute(stmt.execution_options(yield_per=STREAM_CHUNK))


class _Matcher:
    """Which of many people a text may name: one regular expression over all their folded
    terms says whether any is there at all (most values name nobody); only then is each
    person checked exactly (``MentionSet.names``)."""

    def __init__(self, sets: dict[int, MentionSet]) -> None:
        self.sets = sets
        terms = sorted({t for m in sets.values() for t in m.terms}, key=len, reverse=True)
        fragments = sorted({_json_fragment(t) for t in terms}, key=len, reverse=True)
        self.terms = re.compile("|".join(map(re.escape, terms))) if terms else None
        self.fragments = re.compile("|".join(map(re.escape, fragments))) if fragments else None
        self.marked: dict[int, list[MentionSet]] = {}
        for m in sets.values():
            for meeting_id in m.markers:
                self.marked.setdefault(meeting_id, []).append(m)

    def may_name(self, value: str | None, *, json_text: bool = False) -> bool:
        pattern = self.fragments if json_text else self.terms
        return bool(value) and pattern is not None and pattern.search(fold(value or "")) is not None

    def naming(self, table: str, row_id: int, value: str | None) -> list[MentionSet]:
        """The people whose mention ``value`` (a column of ``table`` row ``row_id``) holds."""
        if not value:
            return []
        if self.may_name(value):
            candidates = list(self.sets.values())
        elif table == "meeting":
            candidates = self.marked.get(row_id, [])
        else:
            return []
        return [m for m in candidates if m.names(table, row_id, value)]


def text_mentions(session: Session, mentions: MentionSet) -> list[dict[str, Any]]:
    """Record columns (other than the person's own contact row) that mention them."""
    _text_mentions(session, {mentions.contact_id: mentions})
    return mentions.text


def _text_mentions(session: Session, sets: dict[int, MentionSet]) -> None:
    """Each set's ``text``: the record columns (not the person's own row) that mention them."""
    wanted = {i: m for i, m in sets.items() if m.terms or m.markers}
    for m in sets.values():
        m.text = []
    if not wanted:
        return
    matcher = _Matcher(wanted)
    for table in TABLES:
        sa_table = table_of(table)
        columns = text_columns(table)
        hits: dict[tuple[int, str], list[int]] = {}
        stmt = select(sa_table.c.id, *columns).order_by(sa_table.c.id)
        for row in _stream(session, stmt):
            row_id = row[0]
            for column, value in zip(columns, row[1:], strict=True):
                for m in matcher.naming(table, row_id, value):
                    if table == "contact" and row_id == m.contact_id:
                        continue
                    hits.setdefault((m.contact_id, column.name), []).append(row_id)
        for m in wanted.values():
            for column in columns:
                m.text.extend(
                    {"table": table, "id": i, "column": column.name}
                    for i in hits.get((m.contact_id, column.name), [])
                )


def history_mentions(session: Session, mentions: MentionSet, *, after: int = 0) -> list[int]:
    """Ids (above ``after``) of the change rows about the person, oldest first."""
    return _history_mentions(session, {mentions.contact_id: mentions}, after=after)[
        mentions.contact_id
    ]


def _history_mentions(
    session: Session, sets: dict[int, MentionSet], *, after: int = 0
) -> dict[int, list[int]]:
    """Per person, the ids (above ``after``) of the change rows about them, oldest first."""
    c = table_of("change").c
    stmt = (
        select(c.id, c.table_name, c.row_id, c.changes, c.actor, c.reason)
        .where(c.id > after)
        .order_by(c.id)
    )
    found: dict[int, list[int]] = {contact_id: [] for contact_id in sets}
    matcher = _Matcher(sets)
    for row in _stream(session, stmt):
        people: set[int] = set()
        if row.table_name == "contact" and row.row_id in sets:
            people.add(int(row.row_id))
        if matcher.may_name(row.actor) or matcher.may_name(row.reason):
            people.update(
                i
                for i, m in sets.items()
                if folded_contains(row.actor, m.terms) or folded_contains(row.reason, m.terms)
            )
        if matcher.may_name(row.changes, json_text=True) or (
            row.table_name == "meeting" and row.row_id in matcher.marked
        ):
            people.update(
                i
                for i, m in sets.items()
                if i not in people and _changes_mention(row.table_name, row.row_id, row.changes, m)
            )
        for contact_id in people:
            found[contact_id].append(int(row.id))
    return found


def _changes_mention(table: str, row_id: int, changes: str, mentions: MentionSet) -> bool:
    # The raw JSON first (cheap); a value is decoded only when a marker may be in it.
    if folded_contains(changes, [_json_fragment(t) for t in mentions.terms]):
        return True
    if table != "meeting" or row_id not in mentions.markers:
        return False
    return any(
        isinstance(v, str) and mentions.names(table, row_id, v)
        for pair in decode_changes(changes).values()
        for v in pair
    )


def _json_fragment(term: str) -> str:
    """How ``term`` appears inside the history's JSON text (quotes and backslashes escaped)."""
    return json.dumps(term, ensure_ascii=False)[1:-1]


def owner_marker_tokens(session: Session, contact_id: int) -> dict[int, frozenset[str]]:
    """Per meeting, the ``@tokens`` in its notes that resolved to this person (folded)."""
    return owner_marker_tokens_of_many(session, [contact_id]).get(contact_id, {})


_ID_CHUNK = 500  # ids per IN (...) list


def owner_marker_tokens_of_many(
    session: Session, contact_ids: Sequence[int]
) -> dict[int, dict[int, frozenset[str]]]:
    """Per person, per meeting, the ``@tokens`` in its notes that resolved to them (folded).

    An action or barrier logged from a meeting's notes was created with the owner its marker
    resolved to, so a person's markers are the tokens on the lines whose item was created
    owned by them (the history's create row), or is owned by them now. Every version of the
    notes the history holds is read, so an edited-away line still counts. One pass over the
    items' creation rows for all the people, not one per person.
    """
    wanted = set(contact_ids)
    owned: dict[int, dict[int, set[tuple[str, str]]]] = {}
    c = table_of("change").c
    ids = sorted(wanted)
    for kind in (ItemKind.ACTION, ItemKind.BARRIER):
        t = table_of(kind.value)
        for start in range(0, len(ids), _ID_CHUNK):
            rows = session.execute(
                select(t.c.owner_id, t.c.meeting_id, t.c.title).where(
                    t.c.owner_id.in_(ids[start : start + _ID_CHUNK]), t.c.meeting_id.is_not(None)
                )
            )
            for owner_id, meeting_id, title in rows:
                mine = owned.setdefault(int(owner_id), {})
                mine.setdefault(int(meeting_id), set()).add((kind.value, title))
        created = select(c.changes).where(
            c.table_name == kind.value,
            c.op == "create",
            c.changes.contains('"owner_id": [null, ', autoescape=True),
            c.changes.contains('"meeting_id": [null, ', autoescape=True),
        )
        for (changes,) in _stream(session, created):
            values = {k: new for k, (_, new) in decode_changes(changes).items()}
            owner = values.get("owner_id")
            if values.get("meeting_id") is not None and owner in wanted:
                mine = owned.setdefault(int(owner), {})
                mine.setdefault(int(values["meeting_id"]), set()).add(
                    (kind.value, str(values.get("title") or ""))
                )
    notes: dict[int, list[str]] = {}
    markers: dict[int, dict[int, frozenset[str]]] = {}
    for contact_id, meetings in owned.items():
        for meeting_id, items in meetings.items():
            if meeting_id not in notes:
                notes[meeting_id] = _notes_versions(session, meeting_id)
            tokens = {
                fold(item.owner_token)
                for text in notes[meeting_id]
                for item in parse_notes(text).items
                if item.owner_token and (item.kind.value, item.title) in items
            }
            if tokens:
                markers.setdefault(contact_id, {})[meeting_id] = frozenset(tokens)
    return markers


def _notes_versions(session: Session, meeting_id: int) -> list[str]:
    meeting, c = table_of("meeting"), table_of("change").c
    versions = [
        notes
        for (notes,) in session.execute(select(meeting.c.notes).where(meeting.c.id == meeting_id))
        if notes
    ]
    stmt = select(c.changes).where(
        c.table_name == "meeting", c.row_id == meeting_id, func.length(c.changes) > 2
    )
    for (changes,) in session.execute(stmt):
        pair = decode_changes(changes).get("notes", (None, None))
        versions.extend(v for v in pair if isinstance(v, str) and v)
    return list(dict.fromkeys(versions))
