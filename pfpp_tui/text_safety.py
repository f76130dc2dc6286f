"""Terminal-safe text: the one rule for which characters never reach a terminal raw.

Owns the set of characters that can act on a terminal or disguise what it shows, and how they
are shown instead. The set: C0 controls (U+0000-U+001F) but tab and line feed, DEL (U+007F),
C1 controls (U+0080-U+009F, U+009B being a one-byte CSI) and the bidi embeddings, overrides
and isolates (U+202A-U+202E, U+2066-U+2069), which can make text read backwards.

- ``terminal_safe`` shows each one visibly: C0 and DEL as their Unicode control pictures
  (ESC as ``␛``, CR as ``␍``, DEL as ``␡``), C1 and bidi controls as ``\\u009b``, ``\\u202e``.
  Multi-line text keeps its line feeds (and CRLF pairs) and tabs; ``single_line`` also shows
  those, for a table cell or a one-line label.
- ``json_safe`` escapes them inside JSON text as ``\\u....`` (JSON escapes C0 itself).
- ``control_character`` names the first one in a value (``U+001B``), for importers refusing it.

Every front end uses this module for user text bound for a terminal: CLI output (reports,
exports and ``person show`` to stdout, history), the TUI's table cells, detail pane and record
view. Files written with ``-o`` keep the data as stored (a format's own escaping aside).
Pure: no Textual, no Rich, no I/O.
"""

from __future__ import annotations

import re

_BIDI = "\u202a-\u202e\u2066-\u2069"
# Multi-line text: tab, LF and the CR of a CRLF pair are layout, anything else is not.
_UNSAFE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]|\\r(?!\\n)")
_UNSAFE_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_UNSAFE_JSON = re.compile(f"[\\x7f-\\x9f{_BIDI}]")
# What an importer refuses in a one-line field, and in notes (which may hold tabs and lines).
_CONTROL_ONE_LINE = _UNSAFE_ONE_LINE
_PRINTABLE_BYTES = bytes(range(0x20, 0x7F))
_LAYOUT_BYTES = _PRINTABLE_BYTES + b"\t\n\r"
_LONG = 4096
_CONTROL_NOTES = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]")


def shown(char: str) -> str:
    """How one unsafe character is shown: a control picture, else a ``\\uXXXX`` escape."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\u{code:04x}"


def _shown(match: re.Match[str]) -> str:
    return shown(match.group())


def needs_escaping(text: str) -> bool:
    """True when ``text`` holds a character ``terminal_safe(single_line=True)`` would show."""
    return _UNSAFE_ONE_LINE.search(text) is not None


def terminal_safe(text: str, *, single_line: bool = False) -> str:
    """``text`` with every unsafe character shown visibly (see the module docstring)."""
    pattern = _UNSAFE_ONE_LINE if single_line else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_shown, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and bidi controls escaped as ``\\uXXXX`` (still the same JSON).

    Only valid on text ``json.dumps`` produced: those characters can only occur inside its
    strings, where ``\\uXXXX`` means the same character.
    """
    if _UNSAFE_JSON.search(text) is None:
        return text
    return _UNSAFE_JSON.sub(_json_escape, text)


def control_character(text: str, *, multi_line: bool = False) -> str | None:
    """``U+XXXX`` of the first control or bidi character in ``text``, or None.

    ``multi_line`` allows tab, line feed and carriage return (notes); otherwise any C0
    character counts, tab and line breaks included.
    """
    if len(text) > _LONG:
        # A whole file (the plain-CSV fast path): ``re`` scans ~50 MB/s, but deleting the
        # printable ASCII bytes is C-fast and keeps every other character, in order.
        keep = _LAYOUT_BYTES if multi_line else _PRINTABLE_BYTES
        text = (
            text.encode("utf-8", "surrogatepass")
            .translate(None, keep)
            .decode("utf-8", "surrogatepass")
        )
    found = (_CONTROL_NOTES if multi_line else _CONTROL_ONE_LINE).search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"
