"""User text inside Markdown: the one escaping rule every Markdown writer uses.

Owns the line between text pfpp writes as Markdown (headings, ``**bold**``, code spans: wrapped
in ``Markdown`` by the writer) and text a user typed or imported, which is always escaped with
``md`` (inline) or ``cell`` (a table cell) before it reaches a Markdown document:

- HTML cannot pass: ``<`` and ``>`` become ``&lt;`` ``&gt;``, and an ``&`` that would start a
  character reference (``&lt;``, ``&#60;``) becomes ``&amp;``, so ``<img src=x onerror=...>``
  reads as text in a wiki, a mail client or any renderer that allows raw HTML.
- User text cannot make a link or an image: ``[`` and ``]`` are escaped (no ``[text](url)``,
  no ``![alt](src)``, no reference definitions) and ``<`` is, so no ``<scheme:...>`` autolink.
  The only links a renderer can still find in user text are GFM's bare autolinks, which are
  http(s) (``www.`` included) and e-mail (mailto) only: a ``javascript:`` URL stays text.
- Inline Markdown is kept literal: backslash, backtick, ``*``, ``_``, ``~`` and ``|`` (a table
  column break) are backslash-escaped. Line structure is the user's own (a line starting ``-``
  is a list item) in paragraphs; ``line`` (headings, list items) makes any line break a space
  and ``cell`` makes it ``<br>``, so user text cannot end a heading or a table row early.

Pure string functions; no terminal concern here (that is ``pfpp_tui.text_safety``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_SPECIAL = re.compile(r"[\\`*_~\[\]|<>]|&(?=#?[A-Za-z0-9]+;)")
_REPLACE = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


class Markdown(str):
    """Text pfpp wrote as Markdown itself (never user text): ``md`` and ``cell`` keep it."""

    __slots__ = ()


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _REPLACE.get(char) or "\\" + char


def md(text: str) -> str:
    """``text`` as literal inline Markdown (``Markdown`` values are returned unchanged)."""
    if isinstance(text, Markdown):
        return text
    return _SPECIAL.sub(_escape, text)


_BREAKS = re.compile(r"\r\n?|\n")


def line(text: str) -> str:
    """``text`` escaped for a one-line place (a heading, a list item): line breaks as spaces."""
    return _BREAKS.sub(" ", md(text))


def cell(text: str) -> str:
    """``text`` made safe inside one Markdown table cell: escaped, and on one line."""
    return _BREAKS.sub("<br>", md(text)).strip()


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterable[str]:
    """A GFM pipe table; every header and value goes through ``cell``."""
    yield "| " + " | ".join(cell(h) for h in headers) + " |"
    yield "|" + "|".join("---" for _ in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(cell(value) for value in row) + " |"
