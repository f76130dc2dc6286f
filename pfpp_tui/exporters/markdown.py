"""Markdown export: readable pipe tables for a briefing note, one section per entity.

Owns the layout of ``export --format md``; every value is user text, escaped by
``markdown_text.table_lines`` (the one Markdown escaping rule, shared with every report).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import BinaryIO

from pfpp_tui.exporters.base import plain_text
from pfpp_tui.exporters.markdown_text import cell, table_lines
from pfpp_tui.shapes.table import ExportTable

__all__ = ["cell", "table_lines", "write"]


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
