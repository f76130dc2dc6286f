"""Organisation names as they were on a record's date, with today's name beside them.

Owns: relabelling the links of a loaded ``Detail`` so a 2022 barrier escalated to DLUHC reads
``DLUHC (now MHCLG)``, a meeting's attendees show their organisation as it was called on the
day, and a pilot's funding flows name each source department as in that financial year.
Runs in the section's worker thread (it reads); the names come from ``store.directory.org_names``
and ``store.insight.funding`` so the TUI, the reports and the CLI agree.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import load_row, row_values
from pfpp_tui.store.directory.org_names import OrganisationNames
from pfpp_tui.store.insight.funding import funding_flows
from pfpp_tui.store.listing.browse_links import Detail, LinkGroup, LinkItem


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def with_names_then(db: Database, detail: Detail) -> Detail:
    """``detail`` with organisation names as at its date (meetings, barriers, funding flows)."""
    if detail.table == "pilot":
        return _funding_then(db, detail)
    if detail.table not in ("meeting", "barrier"):
        return detail
    day = _day(detail.values.get("held_at") or detail.values.get("raised_on"))
    groups: list[LinkGroup] = []
    with db.read() as session:
        names = OrganisationNames.load(session)
        for group in detail.groups:
            items: list[LinkItem] = []
            for item in group.items:
                org_id: int | None = None
                if item.table == "organisation":
                    org_id = item.id
                elif item.table == "contact" and group.title == "Attendees":
                    org_id = row_values(load_row(session, "contact", item.id))["organisation_id"]
                if org_id is None or org_id not in names:
                    items.append(item)
                    continue
                then = names.at(org_id, day)
                if item.table == "organisation":
                    items.append(replace(item, label=then.full_label))
                else:
                    items.append(replace(item, label=f"{item.label} · {then.label}"))
            groups.append(replace(group, items=tuple(items)))
    return replace(detail, groups=tuple(groups))


def _funding_then(db: Database, detail: Detail) -> Detail:
    if not any(g.title == "Funding" for g in detail.groups):
        return detail
    flows = funding_flows(db, pilot_id=detail.id)
    items = tuple(
        LinkItem("pilot", detail.id, f"{f.financial_year} {f.source}: {f.pot} £{f.amount_gbp:,}")
        for f in flows
    )
    groups = tuple(
        replace(g, items=items[: len(g.items)], total=len(flows)) if g.title == "Funding" else g
        for g in detail.groups
    )
    return replace(detail, groups=groups)
