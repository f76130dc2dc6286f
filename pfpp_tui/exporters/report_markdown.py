"""Markdown for the pilot report pack and the weekly digest: a briefing someone can forward.

Owns: headings, wording and table layout of both reports. The data (and what counts as
overdue or stale) comes ready-made from ``store.insight.reports``; this module only renders it. User
text goes through ``markdown_text`` (``md``, ``cell``); pfpp's own markup is ``Markdown``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pfpp_tui.exporters.markdown_text import Markdown, cell, line, md, table_lines
from pfpp_tui.shapes.reports import ActionItem, BarrierItem, Digest, MeetingItem, PilotReport

CATEGORY_TITLES = {
    "structure": "Structure — hard to find the right team or colleague",
    "priorities": "Priorities — national and local priorities misaligned",
    "funding": "Funding — labour-intensive, complex, competitive",
    "data_sharing": "Data-sharing — real and perceived restrictions",
    "culture": "Culture — open, collaborative working is not the norm",
    "other": "Other",
}
RAG_LABELS = {"red": "🔴 Red", "amber": "🟠 Amber", "green": "🟢 Green"}


def _words(value: str) -> str:
    return value.replace("_", " ")


def _money(amount: int) -> str:
    return f"£{amount:,}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    return [*table_lines(headers, rows), ""]


def _none(text: str = "None.") -> list[str]:
    return [f"_{text}_", ""]


def _action_rows(items: Iterable[ActionItem]) -> list[list[str]]:
    return [
        [
            a.owner or "(no owner)",
            a.title,
            a.due_date.isoformat() if a.due_date else "",
            Markdown(f"**overdue {a.days_overdue} d**") if a.overdue else _words(a.status),
            a.pilot,
        ]
        for a in items
    ]


def _barrier_rows(items: Iterable[BarrierItem], *, pilot: bool = True) -> list[list[str]]:
    rows = []
    for b in items:
        escalation = " / ".join(x for x in (b.escalated_to, b.escalated_team) if x)
        if b.escalation_note:
            escalation = f"{escalation}: {b.escalation_note}" if escalation else b.escalation_note
        row = [b.title, b.severity, _words(b.status), f"{b.age_days} d", escalation]
        rows.append([*row, b.pilot] if pilot else row)
    return rows


def _meeting_rows(items: Iterable[MeetingItem]) -> list[list[str]]:
    return [
        [
            f"{m.held_at:%Y-%m-%d %H:%M}",
            _words(m.kind),
            m.title,
            m.pilot or "programme-wide",
            str(m.attendees),
            "\n".join(f"• {d}" for d in m.decisions),
        ]
        for m in items
    ]


def render_pilot_report(report: PilotReport) -> str:
    p = report.pilot
    out = [
        f"# {line(p.name)} — pilot report pack",
        "",
        f"_Prepared {report.today.isoformat()}._",
        "",
    ]
    out += ["## Summary", ""]
    challenge = md(p.local_challenge or "not recorded")
    if p.local_challenge and not p.challenge_published:
        challenge += " _(illustrative: not published)_"
    challenge = Markdown(challenge)
    facts = [
        ("RAG", RAG_LABELS.get(p.rag, p.rag)),
        ("Stage", _words(p.stage)),
        ("Project", p.project_name or "—"),
        ("Lead organisation", p.lead_organisation or "—"),
        ("Local challenge", challenge),
        ("Dates", f"{p.start_date or '?'} to {p.end_date or '?'}"),
        ("Open actions", f"{len(report.open_actions)} ({report.overdue_count} overdue)"),
        ("Open barriers", str(report.open_barrier_count)),
        (
            "Partners",
            f"{sum(len(v) for v in report.partners.values())} people in "
            f"{len(report.partners)} organisations",
        ),
        ("Meetings", str(len(report.meetings))),
        ("Funding mapped", _money(report.funding_total)),
    ]
    out += [f"- **{k}:** {cell(v)}" for k, v in facts]
    if p.notes:
        out += ["", md(p.notes)]
    out += ["", "## Partners and contacts", ""]
    if not report.partners:
        out += _none("No contacts linked to this pilot yet.")
    for organisation, people in report.partners.items():
        out += [f"### {line(organisation)}", ""]
        out += _table(
            ["Name", "Role", "Team", "E-mail", "Pilot role"],
            ([x.name, x.role, x.team, x.email, x.pilot_role] for x in people),
        )
    out += ["## Meeting timeline", ""]
    out += (
        _table(
            ["When", "Kind", "Title", "Pilot", "Attendees", "Decisions"],
            _meeting_rows(report.meetings),
        )
        if report.meetings
        else _none("No meetings recorded.")
    )
    out += ["## Open actions (overdue first, by owner)", ""]
    out += (
        _table(["Owner", "Action", "Due", "Status", "Pilot"], _action_rows(report.open_actions))
        if report.open_actions
        else _none("No open actions.")
    )
    out += ["## Barrier log", ""]
    for category, items in report.barriers.items():
        if category == "other" and not items:
            continue
        out += [f"### {CATEGORY_TITLES.get(category) or line(_words(category))}", ""]
        out += (
            _table(
                ["Barrier", "Severity", "Status", "Age", "Escalated to"],
                _barrier_rows(items, pilot=False),
            )
            if items
            else _none()
        )
    out += ["## Funding flows", ""]
    if report.funding:
        out += _table(
            ["Year", "Source", "Pot", "Amount", "Outcome"],
            (
                [f.financial_year, f.source, f.pot, _money(f.amount_gbp), f.outcome]
                for f in report.funding
            ),
        )
        out += ["### Totals by department", ""]
        out += _table(
            ["Department", "Total"],
            [
                *([d, _money(t)] for d, t in report.funding_by_department),
                [Markdown("**All sources**"), Markdown(f"**{_money(report.funding_total)}**")],
            ],
        )
    else:
        out += _none("No funding flows mapped.")
    return "\n".join(out).rstrip() + "\n"


def render_digest(digest: Digest) -> str:
    d = digest
    out = [
        f"# Weekly digest — {d.today.isoformat()}",
        "",
        f"_{d.counts['overdue']} overdue actions · {d.counts['due_soon']} due in the next "
        f"{d.days} days · {d.counts['new_barriers']} new barriers · "
        f"{d.counts['stale_barriers']} barriers open over 30 days · "
        f"{d.counts['meetings']} meetings held · "
        f"{len(d.agreements_past_review)} agreements past their review date._",
        "",
        "## Overdue actions by owner",
        "",
    ]
    if not d.overdue_by_owner:
        out += _none("Nothing overdue.")
    for owner, actions in d.overdue_by_owner.items():
        out += [f"### {line(owner)} ({len(actions)})", ""]
        out += _table(["Owner", "Action", "Due", "Status", "Pilot"], _action_rows(actions))
    out += [f"## Due in the next {d.days} days", ""]
    out += (
        _table(["Owner", "Action", "Due", "Status", "Pilot"], _action_rows(d.due_soon))
        if d.due_soon
        else _none("Nothing due.")
    )
    barrier_headers = ["Barrier", "Severity", "Status", "Age", "Escalated to", "Pilot"]
    out += ["## New (untriaged) barriers", ""]
    out += (
        _table(barrier_headers, _barrier_rows(d.new_barriers))
        if d.new_barriers
        else _none("No new barriers.")
    )
    out += ["## Barriers open more than 30 days", ""]
    out += (
        _table(barrier_headers, _barrier_rows(d.stale_barriers))
        if d.stale_barriers
        else _none("None.")
    )
    out += ["## Escalations by department", ""]
    if not d.escalations_by_department:
        out += _none("No escalated barriers.")
    for department, items in d.escalations_by_department.items():
        out += [f"### {line(department)} ({len(items)})", ""]
        out += _table(barrier_headers, _barrier_rows(items))
    out += ["## Agreements past their review date", ""]
    out += (
        _table(
            ["Pilot", "Review date", "Days late", "Status", "Version"],
            [
                [
                    a.pilot,
                    a.review_date.isoformat(),
                    str(a.days_late),
                    a.status.replace("_", " "),
                    str(a.version),
                ]
                for a in d.agreements_past_review
            ],
        )
        if d.agreements_past_review
        else _none("Every agreement is within its review date.")
    )
    out += [f"## Meetings held (last {d.days} days)", ""]
    out += (
        _table(
            ["When", "Kind", "Title", "Pilot", "Attendees", "Decisions"],
            _meeting_rows(d.meetings_held),
        )
        if d.meetings_held
        else _none("No meetings held.")
    )
    return "\n".join(out).rstrip() + "\n"
