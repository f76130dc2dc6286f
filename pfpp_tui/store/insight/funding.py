"""Funding flows: who funds what in each place, and how much of it comes in small grants.

Owns: per-pilot flows (source department, pot, amount, financial year, outcome) with the
source's name as it was at the start of that financial year beside today's name, totals by
department and by year, and the count and share of small grants (under ``SMALL_GRANT_GBP``,
the finding of the PfPP spend mapping). Importing flows lives in ``store.imports.funding_import``.
Must not write or format text.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select

from pfpp_tui.shapes.insight import FlowItem, FundingSummary, PilotFunding, Total
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.directory.org_names import OrganisationNames, financial_year_start
from pfpp_tui.store.insight.overview import table

NO_SOURCE = "(no source named)"


def funding_flows(db: Database, *, pilot_id: int | None = None) -> list[FlowItem]:
    f, p = table("funding_flow"), table("pilot")
    stmt = (
        select(
            f.c.id,
            f.c.pilot_id,
            p.c.name,
            f.c.source_organisation_id,
            f.c.pot,
            f.c.amount_gbp,
            f.c.financial_year,
            f.c.outcome,
        )
        .join(p, p.c.id == f.c.pilot_id)
        .order_by(p.c.name, f.c.financial_year, f.c.id)
    )
    if pilot_id is not None:
        stmt = stmt.where(f.c.pilot_id == pilot_id)
    with db.read() as session:
        names = OrganisationNames.load(session)
        rows = session.execute(stmt).all()
    items = []
    for fid, pid, pilot, source_id, pot, amount, year, outcome in rows:
        if source_id is not None:
            then = names.at(int(source_id), financial_year_start(str(year)))
            source, today_name = then.label, then.current_short_name or then.current_name
        else:
            source = today_name = NO_SOURCE
        items.append(
            FlowItem(
                id=int(fid),
                pilot_id=int(pid),
                pilot=str(pilot),
                source_id=source_id,
                source=source,
                source_today=today_name,
                pot=str(pot),
                amount_gbp=int(amount),
                financial_year=str(year),
                outcome=str(outcome),
            )
        )
    return items


def funding_summary(db: Database) -> FundingSummary:
    flows = funding_flows(db)
    per_pilot: dict[tuple[str, int], list[FlowItem]] = defaultdict(list)
    by_dept: dict[str, list[int]] = defaultdict(list)
    by_year: dict[str, list[int]] = defaultdict(list)
    for flow in flows:
        per_pilot[(flow.pilot, flow.pilot_id)].append(flow)
        by_dept[flow.source_today].append(flow.amount_gbp)
        by_year[flow.financial_year].append(flow.amount_gbp)
    small = [f.amount_gbp for f in flows if f.small]
    return FundingSummary(
        pilots=tuple(
            PilotFunding(pid, name, tuple(items)) for (name, pid), items in per_pilot.items()
        ),
        by_department=tuple(
            sorted(
                (Total(k, sum(v), len(v)) for k, v in by_dept.items()),
                key=lambda t: (-t.amount_gbp, t.label),
            )
        ),
        by_year=tuple(Total(k, sum(v), len(v)) for k, v in sorted(by_year.items())),
        total_gbp=sum(f.amount_gbp for f in flows),
        flows=len(flows),
        small_flows=len(small),
        small_gbp=sum(small),
    )


def name_on(db: Database, organisation_id: int, day: date) -> str:
    """``DLUHC (now MHCLG)``: an organisation's label on ``day``, for one-off look-ups."""
    with db.read() as session:
        return OrganisationNames.load(session).at(organisation_id, day).label
