"""Stdout for text that holds user data: every command prints it through here.

Owns applying ``pfpp_tui.text_safety`` to what the CLI prints, so data written before imports
refused escape sequences (or by another tool) cannot clear a screen, write the clipboard or
reverse a line on the user's terminal. ``echo`` prints text, ``write_bytes`` a UTF-8 document
(a report, an export to stdout), ``SafeStdout`` streams one. Files written with ``-o`` do not
come here: they keep the data as stored. Only the standard library and Typer at module level.
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import Any, BinaryIO

import typer

from pfpp_tui.text_safety import terminal_safe


def echo(text: str, *, err: bool = False, single_line: bool = False) -> None:
    """``typer.echo`` of ``text`` shown terminal-safe (``single_line``: line breaks too)."""
    typer.echo(terminal_safe(text, single_line=single_line), err=err)


def write_bytes(data: bytes) -> None:
    """A UTF-8 document to stdout, terminal-safe (multi-line)."""
    stream = SafeStdout(sys.stdout.buffer)
    stream.write(data)
    stream.flush()


class SafeStdout(io.BufferedIOBase):
    """A binary stream over stdout that writes UTF-8 text terminal-safe, chunk by chunk.

    Decoding is incremental (a character split across writes is kept whole) and a chunk ending
    in CR holds it back, so a CRLF split across writes stays a line end, not a shown ``␍``.
    """

    def __init__(self, target: BinaryIO) -> None:
        super().__init__()
        self.target = target
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.pending = ""

    def write(self, data: Any) -> int:
        text = self.pending + self.decoder.decode(bytes(data))
        self.pending = ""
        if text.endswith("\r"):
            text, self.pending = text[:-1], "\r"
        self.target.write(terminal_safe(text).encode("utf-8"))
        return len(data)

    def flush(self) -> None:
        tail = self.pending + self.decoder.decode(b"", final=True)
        self.pending = ""
        if tail:
            self.target.write(terminal_safe(tail).encode("utf-8"))
        self.target.flush()

    def writable(self) -> bool:
        return True
