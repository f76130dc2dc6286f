"""Markdown for partnership health: the agreement ready for sign-off, and the principles report.

Owns the wording and layout of ``pfpp report agreement`` (a document partners can read, mark
up and sign: purpose, partners and their commitments, governance, data sharing, escalation,
review and a sign-off table) and of ``pfpp report principles``. The data comes ready-made from
``store.work.partnership`` / ``store.insight.principle_tags``; this module only renders it and never
reads the clock (``today`` is passed in). User text goes through ``markdown_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pfpp_tui.exporters.markdown_text import Markdown, line, md, table_lines
from pfpp_tui.models.partnership import AGREEMENT_STATUS_LABELS, PRINCIPLE_LABELS, Principle
from pfpp_tui.shapes.partnership import Agreement, PrincipleCounts
from pfpp_tui.words import counted


def long_date(value: date | None) -> str:
    """``8 November 2023`` (strftime's ``%-d`` is not portable)."""
    return f"{value.day} {value:%B %Y}" if value else "not set"


def _section(title: str, text: str, empty: str) -> list[str]:
    body = md(text.strip()) or f"_{empty}_"
    return [f"## {title}", "", body, ""]


def status_line(agreement: Agreement, *, markdown: bool = False) -> str:
    """The status in words; ``markdown`` escapes the user's part for a Markdown document."""
    label = AGREEMENT_STATUS_LABELS[agreement.status]
    if agreement.agreed_on is None:
        return label
    by = line(agreement.agreed_by) if markdown else agreement.agreed_by
    who = f" by {by}" if by else ""
    return f"{label} — agreed{who} on {long_date(agreement.agreed_on)}"


def review_line(agreement: Agreement, today: date) -> str:
    if agreement.review_date is None:
        return "not set"
    text = long_date(agreement.review_date)
    if agreement.review_overdue(today):
        days = (today - agreement.review_date).days
        text += f" — **overdue by {counted(days, 'day')}**"
    return text


def render_agreement(agreement: Agreement, *, today: date) -> str:
    """The agreement as a document ready to circulate for sign-off."""
    lines = [
        f"# Pre-partnership agreement: {line(agreement.pilot)}",
        "",
        f"- **Status:** {status_line(agreement, markdown=True)}",
        f"- **Review date:** {review_line(agreement, today)}",
    ]
    if agreement.id is not None:
        lines.append(f"- **Version:** {agreement.version}")
    lines += ["", *_section("Purpose", agreement.purpose, "Purpose not yet agreed.")]
    lines += ["## Partners and their commitments", ""]
    if agreement.partners:
        rows = [
            [p.organisation, p.role or "—", p.lead_contact or "—", p.commitments or "—"]
            for p in agreement.partners
        ]
        lines += [*table_lines(["Organisation", "Role", "Lead", "Commitments"], rows), ""]
    else:
        lines += ["_No partners listed yet._", ""]
    lines += [
        "## Governance",
        "",
        f"- **Board:** {line(agreement.governance_board or 'not set')}",
        f"- **Chair:** {line(agreement.governance_chair or 'not set')}",
        f"- **Meets:** {line(agreement.meeting_frequency or 'not set')}",
        "",
    ]
    lines += _section(
        "Data sharing", agreement.data_sharing, "No data-sharing arrangements recorded."
    )
    lines += _section(
        "Escalating disagreements", agreement.escalation_route, "No escalation route recorded."
    )
    lines += ["## Sign-off", ""]
    names = [p.organisation for p in agreement.partners] or ["(partner)"]
    lines += [
        *table_lines(["Partner", "Name", "Signature", "Date"], [[n, "", "", ""] for n in names])
    ]
    lines.append("")
    return "\n".join(lines)


def render_principles(counts: PrincipleCounts) -> str:
    """Open barriers by principle and by pilot, with open actions per principle."""
    keys = list(Principle)
    lines = [
        "# The seven principles: open barriers and actions",
        "",
        "Open barriers (new, triaged, escalated) and open actions tagged with each of Localis's "
        "seven principles of public service integration.",
        "",
        "## By principle",
        "",
    ]
    rows = [
        [
            Markdown(f"`{p.value}`"),
            PRINCIPLE_LABELS[p],
            str(counts.barriers[p]),
            str(counts.actions[p]),
        ]
        for p in keys
    ]
    lines += [*table_lines(["Key", "Principle", "Open barriers", "Open actions"], rows), ""]
    lines.append(f"Open barriers with no principle tag: {counts.untagged_barriers}.")
    if counts.unknown:
        found = "; ".join(
            f"{md(repr(value))} on {counted(on_barriers, 'open barrier')} and "
            f"{counted(on_actions, 'open action')}"
            for value, (on_barriers, on_actions) in counts.unknown.items()
        )
        lines += [
            "",
            "Stored tags that are not one of the seven principles, counted nowhere above "
            f"(written by another program?): {found}.",
        ]
    lines += ["", "## Open barriers by pilot", ""]
    if counts.by_pilot:
        headers = ["Pilot", *[p.value for p in keys], "Total"]
        pilot_rows: list[Sequence[str]] = []
        for pilot, per in counts.by_pilot.items():
            values = [str(per[p]) if per[p] else "·" for p in keys]
            pilot_rows.append([pilot, *values, str(sum(per.values()))])
        lines += [*table_lines(headers, pilot_rows), ""]
    else:
        lines += ["_No open barriers are tagged yet._", ""]
    return "\n".join(lines)
