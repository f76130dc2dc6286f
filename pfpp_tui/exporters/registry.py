"""Every export format by name: what it can carry and which module writes it.

Owns: the table the CLI (and later the TUI palette) reads to validate ``--format`` against an
entity and to find the writer. Adding a format means one module and one line here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from pfpp_tui.exporters import csv_format, ical, json_format, markdown, vcard
from pfpp_tui.exporters.base import ExportFormat, FormatSpec
from pfpp_tui.shapes.table import Entity, ExportTable


def _write_xlsx(tables: Sequence[ExportTable], out: BinaryIO, raw: bool = False) -> None:
    """The XLSX writer, imported when an XLSX export runs: openpyxl takes ~80 ms to import,
    which the TUI (whose palette reads this table) would otherwise pay at every start."""
    from pfpp_tui.exporters import xlsx

    xlsx.write(tables, out, raw)


FORMATS: dict[ExportFormat, FormatSpec] = {
    ExportFormat.CSV: FormatSpec(
        ExportFormat.CSV, ".csv", csv_format.write, one_table_per_file=True
    ),
    ExportFormat.XLSX: FormatSpec(ExportFormat.XLSX, ".xlsx", _write_xlsx, needs_file=True),
    ExportFormat.JSON: FormatSpec(ExportFormat.JSON, ".json", json_format.write),
    ExportFormat.MD: FormatSpec(ExportFormat.MD, ".md", markdown.write),
    ExportFormat.VCF: FormatSpec(
        ExportFormat.VCF, ".vcf", vcard.write, entities=frozenset({Entity.CONTACTS})
    ),
    ExportFormat.ICS: FormatSpec(ExportFormat.ICS, ".ics", ical.write, entities=ical.ICS_ENTITIES),
}
