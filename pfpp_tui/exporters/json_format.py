"""JSON export: an array of objects per entity (``export all``: an object of such arrays).

Owns: the JSON shape — column keys as object keys, linked records by name, lists as arrays,
dates as ISO strings, ``null`` for nothing. Streams one object at a time. Non-ASCII text is
written as itself, except DEL, C1 and bidi controls, written ``\\u009b``-style (``json_safe``):
the same JSON, but no file or terminal shows them raw (``json`` escapes C0 already).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import BinaryIO

from pfpp_tui.exporters.base import json_value
from pfpp_tui.shapes.table import ExportTable
from pfpp_tui.text_safety import json_safe


def write(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
    try:
        if len(tables) == 1:
            _write_array(stream, tables[0], indent="")
        else:
            stream.write("{")
            for number, table in enumerate(tables):
                stream.write("," if number else "")
                stream.write(f"\n  {json.dumps(table.entity.value)}: ")
                _write_array(stream, table, indent="  ")
            stream.write("\n}")
        stream.write("\n")
        stream.flush()
    finally:
        stream.detach()


def _write_array(stream: io.TextIOWrapper, table: ExportTable, *, indent: str) -> None:
    keys, kinds = table.keys, [column.kind for column in table.columns]
    stream.write("[")
    first = True
    for row in table.rows:
        record = {k: json_value(v, kind) for k, v, kind in zip(keys, row, kinds, strict=True)}
        stream.write("\n" if first else ",\n")
        stream.write(indent + "  " + json_safe(json.dumps(record, ensure_ascii=False)))
        first = False
    stream.write("]" if first else f"\n{indent}]")
