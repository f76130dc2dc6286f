"""Content lines shared by vCard (RFC 6350) and iCalendar (RFC 5545).

Owns: text escaping (backslash, comma, semicolon, newline) and folding lines longer than 75
octets with CRLF + space, never splitting a UTF-8 character.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

MAX_OCTETS = 75


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one logical line into physical lines of at most 75 octets, CRLF-terminated."""
    encoded = line.encode("utf-8")
    if len(encoded) <= MAX_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # continuation lines start with " "
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def lines(properties: Iterable[tuple[str, str]]) -> str:
    """``NAME:value`` content lines (values already escaped), folded; empty values skipped."""
    return "".join(fold(f"{name}:{value}") for name, value in properties if value != "")


def utc_stamp(value: datetime) -> str:
    """A UTC date-time: ``20261123T060426Z`` (naive values are taken to be UTC already)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y%m%dT%H%M%SZ")


def local_stamp(value: datetime) -> str:
    """A floating (wall-clock) date-time: ``20261121T100000``."""
    return value.strftime("%Y%m%dT%H%M%S")


def day_stamp(value: date) -> str:
    return value.strftime("%Y%m%d")
