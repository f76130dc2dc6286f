"""Meeting notes with light markers, read into a preview of what logging them will create.

Owns: the marker syntax and the owner-resolution rules. Pure functions over text and plain
values — no database, no Textual — so the meeting-log screen (live preview), the
``pfpp log meeting`` CLI and the store's ``log_meeting`` all read notes the same way.

Markers, one per line (leading spaces and a ``-``/``*`` bullet are allowed):

- ``- [ ] Send the DSA @okafor due:fri`` → an action (``[x]`` → already done). ``@token`` names
  the owner, ``due:TEXT`` the due date in any form ``pfpp_tui.dates`` understands.
- ``! No single contact in the Home Office #structure`` → a barrier raised in the meeting;
  ``#structure #priorities #funding #data #culture`` pick the category (default ``other``).
- ``= Agreed to pool the two grants`` → a decision recorded on the meeting.

Anything else is plain notes. Parsing never raises: a bad due date or an empty item becomes a
*problem* in the preview. Owners are resolved in a second step (``resolve_owners``) against
candidate people; an unknown or ambiguous owner is flagged as a problem, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz

from pfpp_tui.dates import DateParseError, parse_date
from pfpp_tui.models import BarrierCategory

TITLE_MAX = 300

CATEGORY_TAGS: dict[str, BarrierCategory] = {
    "structure": BarrierCategory.STRUCTURE,
    "priorities": BarrierCategory.PRIORITIES,
    "priority": BarrierCategory.PRIORITIES,
    "funding": BarrierCategory.FUNDING,
    "data": BarrierCategory.DATA_SHARING,
    "datasharing": BarrierCategory.DATA_SHARING,
    "data-sharing": BarrierCategory.DATA_SHARING,
    "data_sharing": BarrierCategory.DATA_SHARING,
    "culture": BarrierCategory.CULTURE,
    "other": BarrierCategory.OTHER,
}

_BULLET = r"^\s*(?:[-*+]\s*)?"
_ACTION = re.compile(_BULLET + r"\[( |x|X)?\]\s*(.*)$")
_BARRIER = re.compile(_BULLET + r"!\s*(.*)$")
_DECISION = re.compile(_BULLET + r"=(?!=)\s*(.*)$")
# An owner is "@token" at the start of a word, so "ada@ho.example" in prose is not one.
_OWNER = re.compile(r"(?<!\S)@([^\s@]+(?:@[^\s@]+)?)")
_DUE = re.compile(r"(?<!\S)due:(\S*)", re.IGNORECASE)
_TAG = re.compile(r"(?<!\S)#([A-Za-z_\-]+)")
_TRAILING = ".,;:!?)]}'\""

# Fuzzy owner matching: a score at least this high counts as a match, and the best match
# must beat the next person by this margin, or the owner is ambiguous.
FUZZY_CUTOFF = 86.0
FUZZY_MARGIN = 6.0


class ItemKind(StrEnum):
    ACTION = "action"
    BARRIER = "barrier"
    DECISION = "decision"


@dataclass(frozen=True, slots=True)
class NoteItem:
    """One marked line: an action, a barrier or a decision, with what was read from it."""

    kind: ItemKind
    line: int  # 1-based line number in the notes
    title: str
    detail: str = ""  # the full text when the title had to be shortened
    owner_token: str | None = None
    due: date | None = None
    done: bool = False
    category: BarrierCategory = BarrierCategory.OTHER
    problems: tuple[str, ...] = ()


class OwnerStatus(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OwnerCandidate:
    """A person an ``@token`` may name; ``preferred`` ones (attendees) are tried first."""

    contact_id: int
    first_name: str
    last_name: str
    email: str | None = None
    preferred: bool = False

    @property
    def label(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or (self.email or f"contact {self.contact_id}")

    def match_keys(self) -> tuple[str, ...]:
        first, last = self.first_name.lower().strip(), self.last_name.lower().strip()
        email = (self.email or "").lower().strip()
        keys = {first, last, f"{first}.{last}", f"{first}{last}", f"{first[:1]}{last}", email}
        keys.add(email.split("@", 1)[0])
        return tuple(sorted(k for k in keys if k and k != "."))


@dataclass(frozen=True, slots=True)
class OwnerMatch:
    token: str
    status: OwnerStatus
    contact_id: int | None = None
    label: str = ""
    alternatives: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.status is OwnerStatus.RESOLVED:
            return self.label
        if self.status is OwnerStatus.AMBIGUOUS:
            return f"@{self.token} is ambiguous ({', '.join(self.alternatives)})"
        return f"@{self.token} matches nobody"


@dataclass(frozen=True, slots=True)
class NotesPreview:
    """What the notes will create, and every reason they cannot be saved yet."""

    items: tuple[NoteItem, ...] = ()
    owners: Mapping[str, OwnerMatch] = field(default_factory=dict)

    @property
    def actions(self) -> tuple[NoteItem, ...]:
        return tuple(i for i in self.items if i.kind is ItemKind.ACTION)

    @property
    def barriers(self) -> tuple[NoteItem, ...]:
        return tuple(i for i in self.items if i.kind is ItemKind.BARRIER)

    @property
    def decisions(self) -> tuple[NoteItem, ...]:
        return tuple(i for i in self.items if i.kind is ItemKind.DECISION)

    def owner_tokens(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.owner_token for i in self.items if i.owner_token))

    def owner_of(self, item: NoteItem) -> OwnerMatch | None:
        if item.owner_token is None:
            return None
        return self.owners.get(item.owner_token.lower())

    def owner_id(self, item: NoteItem) -> int | None:
        match = self.owner_of(item)
        return match.contact_id if match and match.status is OwnerStatus.RESOLVED else None

    @property
    def problems(self) -> tuple[str, ...]:
        """Every blocking problem, each naming its line; empty means the notes can be saved."""
        found: list[str] = []
        for item in self.items:
            found.extend(f"line {item.line}: {p}" for p in item.problems)
            if item.owner_token is not None:
                match = self.owner_of(item)
                if match is None:
                    found.append(f"line {item.line}: owner @{item.owner_token} not checked yet")
                elif match.status is not OwnerStatus.RESOLVED:
                    found.append(f"line {item.line}: {match.describe()}")
        return tuple(found)

    def describe(self, item: NoteItem) -> str:
        """One line for ``item``: what it is, its text, and its resolved owner and due date."""
        match = self.owner_of(item)
        owner = match.label if match is not None and match.status is OwnerStatus.RESOLVED else ""
        if item.kind is ItemKind.ACTION:
            parts = [f"{'done' if item.done else 'action'}: {item.title}"]
            if owner:
                parts.append(f"owner {owner}")
            if item.due is not None:
                parts.append(f"due {item.due.isoformat()}")
            return " · ".join(parts)
        if item.kind is ItemKind.BARRIER:
            text = f"barrier [{item.category.value}]: {item.title}"
            return text + (f" · owner {owner}" if owner else "")
        return f"decision: {item.title}"

    def summary_lines(self) -> list[str]:
        """The preview as plain lines: what the screen and the CLI show before saving."""
        lines = [self.describe(item) for item in self.items]
        lines.extend(f"! {problem}" for problem in self.problems)
        return lines


def _clean_token(raw: str) -> str:
    return raw.rstrip(_TRAILING)


def _shorten(text: str) -> tuple[str, str]:
    if len(text) <= TITLE_MAX:
        return text, ""
    return text[: TITLE_MAX - 1].rstrip() + "…", text


def _parse_due(raw: str, today: date) -> tuple[date | None, str | None]:
    text = _clean_token(raw).replace("_", " ")
    if not text:
        return None, "due: needs a date (e.g. due:fri, due:+2w, due:2026-12-01)"
    try:
        return parse_date(text, today=today), None
    except (DateParseError, ValueError, OverflowError):
        return None, f"due:{text} is not a date I understand"


def _action(number: int, mark: str | None, body: str, today: date) -> NoteItem:
    problems: list[str] = []
    owners = [_clean_token(m) for m in _OWNER.findall(body)]
    owners = [o for o in owners if o]
    if len(owners) > 1:
        problems.append(f"more than one owner ({', '.join('@' + o for o in owners)})")
    due: date | None = None
    dues = _DUE.findall(body)
    if len(dues) > 1:
        problems.append("more than one due: date")
    if dues:
        due, problem = _parse_due(dues[0], today)
        if problem:
            problems.append(problem)
    text = " ".join(_DUE.sub(" ", _OWNER.sub(" ", body)).split())
    if not text:
        problems.append("action has no text")
    title, detail = _shorten(text)
    return NoteItem(
        kind=ItemKind.ACTION,
        line=number,
        title=title,
        detail=detail,
        owner_token=owners[0] if owners else None,
        due=due,
        done=(mark or "").lower() == "x",
        problems=tuple(problems),
    )


def _barrier(number: int, body: str) -> NoteItem:
    problems: list[str] = []
    category = BarrierCategory.OTHER
    found: list[BarrierCategory] = []

    def take(match: re.Match[str]) -> str:
        tag = match.group(1).lower().strip("-_")
        if tag in CATEGORY_TAGS:
            found.append(CATEGORY_TAGS[tag])
            return " "
        return match.group(0)

    text = _TAG.sub(take, body)
    if found:
        category = found[0]
        if len(set(found)) > 1:
            problems.append("more than one category tag")
    owners = [o for o in (_clean_token(m) for m in _OWNER.findall(text)) if o]
    if len(owners) > 1:
        problems.append(f"more than one owner ({', '.join('@' + o for o in owners)})")
    text = " ".join(_OWNER.sub(" ", text).split())
    if not text:
        problems.append("barrier has no text")
    title, detail = _shorten(text)
    return NoteItem(
        kind=ItemKind.BARRIER,
        line=number,
        title=title,
        detail=detail,
        owner_token=owners[0] if owners else None,
        category=category,
        problems=tuple(problems),
    )


def _decision(number: int, body: str) -> NoteItem:
    text = " ".join(body.split())
    title, detail = _shorten(text)
    return NoteItem(
        kind=ItemKind.DECISION,
        line=number,
        title=title,
        detail=detail,
        problems=() if text else ("decision has no text",),
    )


def parse_notes(text: str, *, today: date | None = None) -> NotesPreview:
    """Read every marked line of ``text``; due dates count from ``today`` (the meeting day)."""
    day0 = today or date.today()
    items: list[NoteItem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _ACTION.match(line):
            items.append(_action(number, match.group(1), match.group(2), day0))
        elif match := _BARRIER.match(line):
            items.append(_barrier(number, match.group(1)))
        elif match := _DECISION.match(line):
            items.append(_decision(number, match.group(1)))
    return NotesPreview(items=tuple(items))


def _match_in(token: str, people: Sequence[OwnerCandidate]) -> list[tuple[float, OwnerCandidate]]:
    exact = [p for p in people if token in p.match_keys()]
    if exact:
        return [(100.0, p) for p in exact]
    scored = []
    for person in people:
        best = max((fuzz.ratio(token, key) for key in person.match_keys()), default=0.0)
        if best >= FUZZY_CUTOFF:
            scored.append((best, person))
    scored.sort(key=lambda pair: (-pair[0], pair[1].label))
    return scored


def match_owner(token: str, candidates: Iterable[OwnerCandidate]) -> OwnerMatch:
    """Who ``@token`` names: attendees first, then everyone; a tie is ambiguous, never a guess."""
    wanted = token.lower().strip()
    people = list({p.contact_id: p for p in candidates}.values())
    for pool in ([p for p in people if p.preferred], people):
        scored = _match_in(wanted, pool)
        if not scored:
            continue
        best = scored[0][0]
        close = [p for score, p in scored if best - score < FUZZY_MARGIN]
        if len(close) == 1:
            person = close[0]
            return OwnerMatch(token, OwnerStatus.RESOLVED, person.contact_id, person.label)
        names = tuple(sorted(p.label for p in close))[:4]
        return OwnerMatch(token, OwnerStatus.AMBIGUOUS, alternatives=names)
    return OwnerMatch(token, OwnerStatus.UNKNOWN)


def resolve_owners(preview: NotesPreview, candidates: Iterable[OwnerCandidate]) -> NotesPreview:
    """``preview`` with every ``@token`` matched against ``candidates`` (keys lower-cased)."""
    people = list(candidates)
    owners = {token.lower(): match_owner(token, people) for token in preview.owner_tokens()}
    return replace(preview, owners=owners)


def replace_owner_markers(text: str, is_theirs: Callable[[str], bool], replacement: str) -> str:
    """``text`` with each owner marker ``@token`` on an action or barrier line replaced when
    ``is_theirs(token)``; trailing punctuation after the token stays. Erasure uses it to take
    out the markers that resolved to an erased person, and nothing else."""

    def swap(match: re.Match[str]) -> str:
        token = _clean_token(match.group(1))
        if not token or not is_theirs(token):
            return match.group(0)
        return replacement + match.group(1)[len(token) :]

    lines = text.split("\n")
    for number, line in enumerate(lines):
        if _ACTION.match(line) or _BARRIER.match(line):
            lines[number] = _OWNER.sub(swap, line)
    return "\n".join(lines)
