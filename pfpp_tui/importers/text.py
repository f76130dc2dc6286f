"""Bytes to text for the text formats (CSV, vCard): encoding detection and binary refusal.

Owns the answer to "what encoding is this file, and is it text at all?". Detection order:
a byte-order mark (UTF-8, UTF-16); UTF-16 without a mark (NULs in every other byte, as Excel's
"Unicode text" may write); strict UTF-8; otherwise ``charset-normalizer``'s best guess, where
any Western single-byte guess is read as Windows-1252 (what Outlook and Excel on Windows write).
A file that is mostly valid UTF-8 with a few broken bytes is refused as undecodable rather than
guessed at. A user-supplied ``--encoding`` is used strictly. Problems come back as a
``RowError`` naming the line of the first bad byte; nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from pfpp_tui.importers.base import RowError

ZIP_MAGIC = b"PK\x03\x04"
# Files people pick by mistake: zip-likes are handled by the caller, these are refused outright.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",  # legacy .xls / .doc (OLE2)
    b"PK\x05\x06",
    b"BZh",
    b"7z\xbc\xaf",
    b"SQLite format 3",
)
_WESTERN = frozenset(
    {"cp1252", "latin_1", "iso8859_15", "iso8859_1", "mac_roman", "cp850", "cp437", "cp1254"}
)
# Not counted as binary: layout, and ESC/BEL, which escape sequences in a text file hold (the
# fields that contain them are then refused by name, ``importers.fields``).
_CONTROL_OK = frozenset("\t\n\r\x0c\x1b\x07")


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """True for known binary formats (not zip, which may be an XLSX workbook)."""
    return data.startswith(_BINARY_MAGIC)


def _line_of_byte(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:2000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.6 and even < half * 0.1:
        return "utf-16-le"
    if even > half * 0.6 and odd < half * 0.1:
        return "utf-16-be"
    return None


def _guess(data: bytes) -> str | None:
    """charset-normalizer's choice, preferring Windows-1252 whenever it is a plausible one.

    Short Western files are ambiguous between many code pages (a Windows-1252 Outlook export
    can score best as cp775); what Windows programs in the UK actually write is Windows-1252.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:1_000_000]))
    names = [codecs.lookup(match.encoding).name.replace("-", "_") for match in matches]
    if not names:
        return None
    if "cp1252" in names or names[0] in _WESTERN:
        return "cp1252"
    return names[0]


def _strict(data: bytes, encoding: str, file: str) -> DecodedText | RowError:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = _line_of_byte(data, exc.start, encoding)
        return RowError(
            file, line, "encoding", f"undecodable bytes at offset {exc.start} (not {encoding})"
        )
    except LookupError:
        return RowError(file, 1, "encoding", f"unknown encoding {encoding!r}")
    return DecodedText(text, encoding)


def decode(data: bytes, file: str, encoding: str | None = None) -> DecodedText | RowError:
    """Decode ``data`` as text, detecting the encoding unless one is given."""
    if encoding is not None:
        result = _strict(data, encoding, file)
        if isinstance(result, DecodedText) and result.text.startswith("\ufeff"):
            result = DecodedText(result.text[1:], result.encoding)
    elif data.startswith(codecs.BOM_UTF8):
        result = _strict(data, "utf-8-sig", file)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        result = _strict(data, "utf-16", file)
    elif (utf16 := _utf16_without_bom(data)) is not None:
        result = _strict(data, utf16, file)
    elif b"\x00" in data:
        return RowError(
            file,
            _line_of_byte(data, data.index(b"\x00"), "latin-1"),
            "file",
            "binary file (NUL bytes), not a contact file",
        )
    else:
        try:
            result = DecodedText(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError as exc:
            if _mostly_utf8(data):
                line = _line_of_byte(data, exc.start, "utf-8")
                return RowError(
                    file, line, "encoding", f"undecodable bytes at offset {exc.start} (not utf-8)"
                )
            guess = _guess(data)
            result = (
                _strict(data, guess, file)
                if guess
                else RowError(
                    file,
                    _line_of_byte(data, exc.start, "utf-8"),
                    "encoding",
                    f"undecodable bytes at offset {exc.start} (encoding not recognised)",
                )
            )
            if isinstance(result, RowError) and guess != "cp1252":
                fallback = _strict(data, "cp1252", file)
                result = fallback if isinstance(fallback, DecodedText) else result
    if isinstance(result, DecodedText) and _mostly_control(result.text):
        return RowError(file, 1, "file", "binary file, not a contact file")
    return result


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes (not a legacy code page): most non-ASCII decodes fine."""
    text = data[:1_000_000].decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - broken
    return good > 0 and good >= broken


def _mostly_control(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ch < " " and ch not in _CONTROL_OK)
    return bad > max(2, len(sample) // 100) or "\x00" in sample
