"""vCard 2.1, 3.0 and 4.0 contact files, read by a tolerant line parser of our own.

Owns turning vCard text into records. ``vobject`` fails on 6 of the 17 real exports in the test
corpus (quoted-printable soft line breaks, iPhone photo blocks, Lotus Notes), so this parser
is written for the mess real clients produce rather than for the RFCs alone:

- ``begin:vcard`` in any case, many cards per file, lines outside cards ignored, a missing
  ``END:VCARD`` at the end of the file tolerated, nested (AGENT) cards skipped;
- LF, CRLF, CR and iPhone's CR CR LF line ends; folded lines (a leading space or tab);
- QUOTED-PRINTABLE with ``=`` soft line breaks (the next physical line joins even if blank),
  decoded with the property's CHARSET (UTF-8 if none, Windows-1252 if that fails, broken
  bytes replaced rather than refused);
- 2.1 bare parameters (``TEL;WORK;PREF``), 3.0 ``TYPE=a,b``, 4.0 ``PREF=1`` and quoted
  parameter values containing ``:`` or ``;``; groups (``item1.EMAIL``);
- escapes ``\\,`` ``\\;`` ``\\:`` ``\\n`` ``\\\\``; structured N / ORG split on unescaped ``;``;
- ``TEL;VALUE=uri:tel:+44-...`` and ``mailto:``; PHOTO, KEY, LOGO, SOUND and any BASE64
  value skipped without decoding.

Meaning: N gives last and first name (FN split when N is missing or empty); the first ORG gives
organisation and team (further units joined with " / "); TITLE, else ROLE, is the role; the
preferred (else first) valid EMAIL and TEL are primary and the rest are kept as extras; fax and
pager numbers are ignored; NOTEs become notes; CATEGORIES become tags. An e-mail that is not
valid does not refuse a card that has another way to identify the person: it is kept in the
notes ("Unusable e-mail: ...") -- real phone exports contain such addresses.

A property we read whose value is over ``base.MAX_CELL`` characters (128 KiB, the CSV cell
limit, measured after quoted-printable decoding) refuses its card at the property's line as
``note: a value is larger than 128 KiB``. Properties we skip (PHOTO and other blobs,
extensions such as X-ABLabel) are not measured: a large photo is normal.
"""

from __future__ import annotations

import quopri
from collections.abc import Iterator
from dataclasses import dataclass, field

from pfpp_tui.importers.base import MAX_CELL, ContactRecord, RowError
from pfpp_tui.importers.fields import build_record, email_problem, split_full_name

_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"})
_BLOBS = frozenset({"PHOTO", "KEY", "LOGO", "SOUND"})
_WANTED = frozenset({"N", "FN", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "NOTE", "CATEGORIES"})
_UNESCAPE = {"n": "\n", "N": "\n"}


@dataclass(slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str


@dataclass(slots=True)
class _Card:
    line: int
    properties: list[_Property] = field(default_factory=list)
    # (line, property name) of each read property over ``MAX_CELL``: the card is refused.
    too_long: list[tuple[int, str]] = field(default_factory=list)


def _physical_lines(text: str) -> list[str]:
    if "\n" in text:
        return [line.rstrip("\r") for line in text.split("\n")]
    return text.split("\r")


def _is_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return "QUOTED-PRINTABLE" in head


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Unfolded content lines with the physical line number each starts on."""
    current: str | None = None
    start = 0
    qp = False
    for number, raw in enumerate(_physical_lines(text), start=1):
        if current is not None and qp and current.endswith("="):
            current = current[:-1] + raw
            continue
        if current is not None and raw[:1] in (" ", "\t"):
            current += raw[1:]
            continue
        if not raw.strip():
            continue
        if current is not None:
            yield start, current
        current, start, qp = raw, number, _is_qp(raw)
    if current is not None:
        yield start, current


def _split_unquoted(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    quoted = False
    begin = 0
    for index, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == sep and not quoted:
            parts.append(text[begin:index])
            begin = index + 1
    parts.append(text[begin:])
    return parts


def parse_property(line: str) -> _Property | None:
    """One content line as name, upper-cased parameters and raw value; None if not one."""
    quoted = False
    colon = -1
    for index, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            colon = index
            break
    if colon <= 0:
        return None
    head = _split_unquoted(line[:colon], ";")
    name = head[0].rsplit(".", 1)[-1].strip().upper()
    params: dict[str, list[str]] = {}
    for param in head[1:]:
        key, eq, value = param.partition("=")
        key = key.strip().upper()
        if not eq:
            key, value = ("ENCODING" if key in _ENCODINGS else "TYPE"), key
        values = [v.strip().strip('"') for v in value.split(",")]
        params.setdefault(key, []).extend(values)
    return _Property(name, params, line[colon + 1 :])


def _decode_qp(value: str, charset: str | None) -> str:
    raw = quopri.decodestring(value.encode("utf-8", errors="replace"))
    if charset is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    else:
        try:
            text = raw.decode(charset, errors="replace")
        except LookupError:
            text = raw.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_escaped(value: str, sep: str) -> list[str]:
    """Split on unescaped ``sep`` and undo backslash escapes in each part."""
    parts: list[str] = []
    current: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            current.append(_UNESCAPE.get(nxt, nxt))
        elif ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _text(prop: _Property) -> str:
    value = prop.value
    encoding = [e.upper() for e in prop.params.get("ENCODING", [])]
    if "QUOTED-PRINTABLE" in encoding:
        charset = prop.params.get("CHARSET", [None])[0]
        value = _decode_qp(value, charset)
    return value.replace("\x00", "")


def _is_pref(prop: _Property) -> bool:
    types = {t.upper() for t in prop.params.get("TYPE", [])}
    return "PREF" in types or "PREF" in prop.params


def split_cards(text: str) -> Iterator[_Card]:
    card: _Card | None = None
    depth = 0
    for number, line in logical_lines(text):
        prop = parse_property(line)
        if prop is None:
            continue
        if prop.name == "BEGIN" and prop.value.strip().upper() == "VCARD":
            depth += 1
            if depth == 1:
                card = _Card(number)
            continue
        if prop.name == "END" and prop.value.strip().upper() == "VCARD":
            depth -= 1
            if depth == 0 and card is not None:
                yield card
                card = None
            depth = max(depth, 0)
            continue
        if card is not None and depth == 1 and prop.name in _WANTED:
            encoding = {e.upper() for e in prop.params.get("ENCODING", [])}
            if prop.name not in _BLOBS and not encoding & {"B", "BASE64"}:
                if len(prop.value) > MAX_CELL and len(_text(prop)) > MAX_CELL:
                    card.too_long.append((number, prop.name))
                else:
                    card.properties.append(prop)
    if card is not None:
        yield card


def _ordered(props: list[_Property]) -> list[_Property]:
    return [p for p in props if _is_pref(p)] + [p for p in props if not _is_pref(p)]


def card_to_record(card: _Card, file: str) -> ContactRecord | list[RowError]:
    by_name: dict[str, list[_Property]] = {}
    for prop in card.properties:
        by_name.setdefault(prop.name, []).append(prop)

    def first_text(name: str) -> str:
        props = by_name.get(name)
        return first_value(props[0]) if props else ""

    first = last = ""
    if "N" in by_name:
        parts = [p.strip() for p in _split_escaped(_text(by_name["N"][0]), ";")] + ["", ""]
        last, first = " ".join(parts[0].split()), " ".join(parts[1].split())
    if not first and not last:
        first, last = split_full_name(first_text("FN"))
    organisation = team = ""
    notes: list[str] = []
    for index, prop in enumerate(by_name.get("ORG", [])):
        units = [u.strip() for u in _split_escaped(_text(prop), ";") if u.strip()]
        if index == 0 and units:
            organisation, team = units[0], " / ".join(units[1:])
        elif units:
            notes.append("Other organisation: " + " / ".join(units))
    valid: list[str] = []
    invalid: list[str] = []
    for prop in _ordered(by_name.get("EMAIL", [])):
        address = first_value(prop)
        if address.lower().startswith("mailto:"):
            address = address[7:].strip()
        if address:
            (invalid if email_problem(address) else valid).append(address)
    phones: list[str] = []
    for prop in _ordered(by_name.get("TEL", [])):
        types = {t.upper() for t in prop.params.get("TYPE", [])}
        if types & {"FAX", "PAGER"}:
            continue
        number = first_value(prop)
        if number.lower().startswith("tel:"):
            number = number[4:]
        if number:
            phones.append(number)
    notes.extend(t for prop in by_name.get("NOTE", []) if (t := first_value(prop)))
    if valid or first or last:
        notes.extend(f"Unusable e-mail: {address}" for address in invalid)
        emails = valid
    else:
        emails = invalid
    tags: list[str] = []
    for prop in by_name.get("CATEGORIES", []):
        tags.extend(t.strip() for t in _split_escaped(_text(prop), ",") if t.strip())
    return build_record(
        file,
        card.line,
        first_name=first,
        last_name=last,
        emails=emails,
        phones=phones,
        organisation=organisation,
        team=team,
        role=first_text("TITLE") or first_text("ROLE"),
        notes="\n\n".join(notes),
        tags=list(dict.fromkeys(tags)),
    )


def first_value(prop: _Property) -> str:
    """The unescaped, trimmed text of a property (an escaped ``;`` kept literal, not split)."""
    return "".join(_split_escaped(_text(prop), "\x00")).strip()


def parse_vcard(text: str, file: str) -> tuple[list[ContactRecord], list[RowError]]:
    records: list[ContactRecord] = []
    errors: list[RowError] = []
    found = False
    for card in split_cards(text):
        found = True
        if card.too_long:
            errors.extend(
                RowError(file, line, name.lower(), f"a value is larger than {MAX_CELL // 1024} KiB")
                for line, name in card.too_long
            )
            continue
        result = card_to_record(card, file)
        if isinstance(result, ContactRecord):
            records.append(result)
        else:
            errors.extend(result)
    if not found:
        problem = "empty file" if not text.strip() else "no vCard (BEGIN:VCARD) found"
        errors.append(RowError(file, 1, "file", problem))
    return records, errors
