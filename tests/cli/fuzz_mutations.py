"""Mutations of the sample import files for ``test_fuzz_import.py``.

Each mutation takes the bytes of a sample file and a seeded ``random.Random`` and returns new
bytes. ``MUST_REFUSE`` lists the mutations whose result can never be a valid contact file, so
the import must refuse them (exit 1, ``FILE:LINE`` errors, nothing written); every other
mutation may still leave a valid file (a truncation at a line end, a stray quote inside a
notes cell...), so for those a clean import (exit 0) is also right -- but never a traceback and
never a partial write.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Mutation = Callable[[bytes, random.Random], bytes]

TEN_MB = 10 * 1024 * 1024


def _pos(data: bytes, rng: random.Random) -> int:
    return rng.randrange(len(data) + 1)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, max(2, len(data)))]


def stray_quote(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 3)):
        at = _pos(out, rng)
        out = out[:at] + b'"' + out[at:]
    return out


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        at = _pos(out, rng)
        out = out[:at] + b"\x00" * rng.randint(1, 3) + out[at:]
    return out


def invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    junk = rng.choice([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xf0\x28\x8c\xbc", b"\xed\xa0\x80"])
    at = _pos(data, rng)
    return data[:at] + junk + data[at:]


def huge_cell(data: bytes, rng: random.Random) -> bytes:
    """A 10 MB cell in the second line (the first record), or a 10 MB vCard NOTE."""
    filler = rng.choice([b"x", b"ab ", b"\xc3\xa9"]) * (TEN_MB // 2)
    filler = (filler * 3)[:TEN_MB]
    if data.lstrip().upper().startswith(b"BEGIN:VCARD"):
        return data.replace(b"END:VCARD", b"NOTE:" + filler + b"\r\nEND:VCARD", 1)
    lines = data.split(b"\n")
    if len(lines) < 2:
        return data + b"\n" + filler
    sep = b";" if lines[0].count(b";") > lines[0].count(b",") else b","
    cells = lines[1].split(sep)
    cells[rng.randrange(len(cells))] = filler
    lines[1] = sep.join(cells)
    return b"\n".join(lines)


def many_columns(data: bytes, rng: random.Random) -> bytes:
    """10,000 columns: the header and the first record each get 10,000 more cells."""
    lines = data.split(b"\n")
    if data.lstrip().upper().startswith(b"BEGIN:VCARD"):
        extra = b"".join(b"X-FIELD-%d:%d\r\n" % (i, i) for i in range(10_000))
        return data.replace(b"END:VCARD", extra + b"END:VCARD", 1)
    sep = b";" if lines[0].count(b";") > lines[0].count(b",") else b","
    lines[0] = lines[0].rstrip(b"\r") + sep + sep.join(b"Extra %d" % i for i in range(10_000))
    if len(lines) > 1:
        lines[1] = lines[1].rstrip(b"\r") + sep + sep.join(b"%d" % i for i in range(10_000))
    return b"\n".join(lines)


def binary_junk(data: bytes, rng: random.Random) -> bytes:
    """Random bytes: a whole file of them, or a block over part of the file."""
    junk = rng.randbytes(rng.randint(64, 4096))
    if rng.random() < 0.5:
        return junk
    at = _pos(data, rng)
    return data[:at] + junk + data[at + len(junk) :]


def duplicate_header(data: bytes, rng: random.Random) -> bytes:
    """A header cell repeated (as a further column), the first record given a value for it."""
    if data.lstrip().upper().startswith(b"BEGIN:VCARD"):
        return data.replace(b"FN:", b"FN:Twice\r\nFN:", 1)
    lines = data.split(b"\n")
    sep = b";" if lines[0].count(b";") > lines[0].count(b",") else b","
    header = lines[0].rstrip(b"\r").split(sep)
    lines[0] = sep.join([*header, rng.choice(header)])
    if len(lines) > 1:
        lines[1] = lines[1].rstrip(b"\r") + sep + b"duplicate@example.org"
    return b"\n".join(lines)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _compose(*steps: Mutation) -> Mutation:
    def run(data: bytes, rng: random.Random) -> bytes:
        for step in steps:
            data = step(data, rng)
        return data

    return run


MUTATIONS: dict[str, Mutation] = {
    "truncate": truncate,
    "stray_quote": stray_quote,
    "nul_bytes": nul_bytes,
    "invalid_utf8": invalid_utf8,
    "huge_cell": huge_cell,
    "many_columns": many_columns,
    "binary_junk": binary_junk,
    "duplicate_header": duplicate_header,
    "flip_bytes": flip_bytes,
    "quote_and_truncate": _compose(stray_quote, truncate),
    "nul_and_invalid_utf8": _compose(nul_bytes, invalid_utf8),
}

# Heavy mutations (10 MB, 10,000 columns): a few per run, not hundreds.
HEAVY = frozenset({"huge_cell", "many_columns"})
