"""Text for the insight reports: the coverage matrix, barrier patterns and funding flows.

Owns: wording, legends and table layout of ``pfpp report coverage`` (Markdown matrix, or CSV
with one row per pilot and organisation), ``pfpp report patterns`` and ``pfpp report funding``.
The numbers (and what counts as stale, similar or small) come ready-made from
``store.insight.coverage``, ``store.insight.patterns`` and ``store.insight.funding``; this module
only renders them. User text in the Markdown goes through ``markdown_text``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pfpp_tui.exporters.markdown_text import line, table_lines
from pfpp_tui.shapes.insight import (
    SMALL_GRANT_GBP,
    STALE_AFTER_DAYS,
    BarrierGroup,
    CoverageCell,
    CoverageMatrix,
    FundingSummary,
    Staleness,
)
from pfpp_tui.words import counted

STALENESS_MARK = {Staleness.NEVER: "never", Staleness.STALE: "stale", Staleness.RECENT: "ok"}


def money(amount: int) -> str:
    return f"£{amount:,}"


def coverage_cell_text(cell: CoverageCell) -> str:
    """``12d · 2a · 1b`` (days since the last meeting together, open actions, open barriers)."""
    parts = ["never" if cell.days_since is None else f"{cell.days_since}d"]
    if cell.staleness is Staleness.STALE:
        parts[0] += " !"
    if cell.open_actions:
        parts.append(f"{cell.open_actions}a")
    if cell.open_barriers:
        parts.append(f"{cell.open_barriers}b")
    return " · ".join(parts)


def render_coverage_markdown(matrix: CoverageMatrix) -> str:
    label = line(matrix.organisation_label)
    what = f"the teams of {label}" if matrix.organisation_id else "departments"
    lines = [
        f"# Coverage: pilots by {what}",
        "",
        f"As of {matrix.today.isoformat()}. Each cell: days since the last meeting together "
        f"(`never` if none; `!` when more than {STALE_AFTER_DAYS} days), then open actions "
        "owned there (`a`) and open barriers escalated there (`b`).",
        "",
    ]
    headers = ["Pilot", *(c.label for c in matrix.columns)]
    rows = [
        [name, *(coverage_cell_text(matrix.cell(pid, c.id)) for c in matrix.columns)]
        for pid, name in matrix.pilots
    ]
    lines += table_lines(headers, rows)
    counts = {s: 0 for s in Staleness}
    for pid, _ in matrix.pilots:
        for column in matrix.columns:
            counts[matrix.cell(pid, column.id).staleness] += 1
    lines += [
        "",
        f"{counts[Staleness.RECENT]} recent, {counts[Staleness.STALE]} stale (> "
        f"{STALE_AFTER_DAYS} days), {counts[Staleness.NEVER]} never met.",
    ]
    if not matrix.organisation_id:
        lines.append("")
        lines.append(
            "Columns: " + "; ".join(f"{line(c.label)} = {line(c.name)}" for c in matrix.columns)
        )
    return "\n".join(lines) + "\n"


COVERAGE_CSV_COLUMNS = (
    "pilot",
    "column",
    "name",
    "last_meeting",
    "days_since",
    "staleness",
    "open_actions",
    "open_barriers",
)


def render_coverage_csv(matrix: CoverageMatrix) -> str:
    """One row per pilot and organisation (or team): easy to pivot in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COVERAGE_CSV_COLUMNS)
    for pid, pilot in matrix.pilots:
        for column in matrix.columns:
            c = matrix.cell(pid, column.id)
            writer.writerow(
                [
                    pilot,
                    column.label,
                    column.name,
                    c.last_meeting.isoformat() if c.last_meeting else "",
                    "" if c.days_since is None else c.days_since,
                    c.staleness.value,
                    c.open_actions,
                    c.open_barriers,
                ]
            )
    return out.getvalue()


def render_patterns(groups: Sequence[BarrierGroup]) -> str:
    lines = ["# Same barrier, many places", ""]
    if not groups:
        lines.append("No open barriers look alike across two places or more.")
        return "\n".join(lines) + "\n"
    lines.append(
        f"{counted(len(groups), 'group')} of open barriers with the same category, a department in "
        "common and similar words, most places first."
    )
    for number, group in enumerate(groups, start=1):
        dept = group.department or "no department yet"
        lines += [
            "",
            f"## {number}. {line(group.title)}",
            "",
            f"{group.places} places · {len(group.barriers)} barriers · "
            f"{group.category.replace('_', ' ')} · {line(dept)} · worst: {group.worst_severity}",
            "",
        ]
        rows = [
            [
                f"#{b.id}",
                b.pilot,
                b.title,
                b.status,
                b.severity,
                b.raised_on.isoformat(),
                b.escalated_to,
            ]
            for b in group.barriers
        ]
        lines += table_lines(
            ["Barrier", "Pilot", "Title", "Status", "Severity", "Raised", "Escalated to"], rows
        )
    return "\n".join(lines) + "\n"


def render_funding(summary: FundingSummary) -> str:
    lines = ["# Funding flows", ""]
    if not summary.flows:
        lines.append("No funding flows recorded.")
        return "\n".join(lines) + "\n"
    lines += [
        f"{summary.flows} flows, {money(summary.total_gbp)} in total. Small grants (under "
        f"{money(SMALL_GRANT_GBP)}): {summary.small_flows} of {summary.flows} flows "
        f"({summary.small_share:.0%}), {money(summary.small_gbp)} "
        f"({summary.small_value_share:.0%} of the money).",
        "",
        "## By department",
        "",
    ]
    lines += table_lines(
        ["Department", "Flows", "Amount"],
        [[t.label, str(t.flows), money(t.amount_gbp)] for t in summary.by_department],
    )
    lines += ["", "## By financial year", ""]
    lines += table_lines(
        ["Year", "Flows", "Amount"],
        [[t.label, str(t.flows), money(t.amount_gbp)] for t in summary.by_year],
    )
    for pilot in summary.pilots:
        lines += ["", f"## {line(pilot.pilot)} — {money(pilot.total)}", ""]
        lines += table_lines(
            ["Year", "Source (as named then)", "Pot", "Amount", "Outcome"],
            [
                [
                    f.financial_year,
                    f.source,
                    f.pot,
                    money(f.amount_gbp) + (" (small)" if f.small else ""),
                    f.outcome,
                ]
                for f in pilot.flows
            ],
        )
    return "\n".join(lines) + "\n"
