"""Markdown export: readable pipe tables for a briefing note, one section per entity.

Owns: escaping cell text for a Markdown table (pipes, line breaks) and the table layout.
Shared with the report pack and digest (``table_lines``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from pfpp_tui.exporters.base import plain_text
from pfpp_tui.store.export_rows import ExportTable


def cell(text: str) -> str:
    """Make text safe inside one Markdown table cell."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r\n", "\n")
        .replace("\n", "<br>")
        .strip()
    )


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterable[str]:
    yield "| " + " | ".join(cell(h) for h in headers) + " |"
    yield "|" + "|".join("---" for _ in headers) + "|"
    for row in rows:
        yield "| " + " | ".join(cell(value) for value in row) + " |"


def write(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        for number, table in enumerate(tables):
            if number:
                stream.write("\n")
            stream.write(f"## {table.title}\n\n")
            kinds = [column.kind for column in table.columns]
            rows = (
                [plain_text(value, kind) for value, kind in zip(row, kinds, strict=True)]
                for row in table.rows
            )
            for line in table_lines([c.title for c in table.columns], rows):
                stream.write(line + "\n")
        stream.flush()
    finally:
        stream.detach()
