"""The same barrier, met in several places: what triage's "similar barriers" and the patterns
report exist to find.

Added last, from a generator of its own, so every row the rest of the sample makes keeps its id
and values. Each problem is raised by three pilots in words of their own.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session

from pfpp_tui.models import Barrier, BarrierCategory, BarrierStatus, Severity
from pfpp_tui.sample.anchor import SAMPLE_ANCHOR, at, row_id, weekday
from pfpp_tui.sample.directory import Directory

# (category, [(pilot key, title, detail), ...]) — one shared problem per entry.
SHARED_PROBLEMS: tuple[tuple[BarrierCategory, tuple[tuple[str, str, str], ...]], ...] = (
    (
        BarrierCategory.STRUCTURE,
        (
            (
                "luton",
                "No named Home Office contact for street drinking and ASB",
                "Partners cannot find who owns anti-social behaviour policy for town centres.",
            ),
            (
                "durham",
                "No named Home Office contact for anti-social behaviour in Horden",
                "Police and council have been passed between three Home Office teams.",
            ),
            (
                "sunderland",
                "No named Home Office contact for night-time ASB",
                "The BID and police want one policy contact for the night-time economy.",
            ),
        ),
    ),
    (
        BarrierCategory.DATA_SHARING,
        (
            (
                "bradford",
                "DWP cannot share Universal Credit data with the hub",
                "Hub workers re-ask residents for what DWP already holds.",
            ),
            (
                "birmingham",
                "DWP cannot share Universal Credit data with careers advisers",
                "Advisers cannot see which young people are claiming.",
            ),
            (
                "wakefield",
                "DWP will not share Universal Credit data with the council",
                "The debt helpline cannot target households on Universal Credit.",
            ),
        ),
    ),
    (
        BarrierCategory.FUNDING,
        (
            (
                "cornwall",
                "Three separate DfE bids for the same skills outreach",
                "Each pot needs its own bid, monitoring return and evaluation.",
            ),
            (
                "newcastle",
                "Three separate DfE bids for youth skills outreach",
                "Small pots with different deadlines for the same young people.",
            ),
            (
                "birmingham",
                "Separate DfE bids for the same NEET outreach",
                "Schools, the council and the VCS each bid to a different DfE pot.",
            ),
        ),
    ),
)


def add_shared_barriers(session: Session, d: Directory) -> None:
    """Nine open barriers: three problems, each raised in three places in the last weeks."""
    rng = random.Random(20231108)
    for category, places in SHARED_PROBLEMS:
        for key, title, detail in places:
            raised = weekday(SAMPLE_ANCHOR - timedelta(days=rng.randint(3, 40)))
            status = BarrierStatus.NEW if rng.random() < 0.7 else BarrierStatus.TRIAGED
            session.add(
                Barrier(
                    pilot_id=row_id(d.pilots[key]),
                    category=category,
                    title=title,
                    detail=detail,
                    severity=rng.choice([Severity.MEDIUM, Severity.HIGH]),
                    status=status,
                    owner_id=row_id(d.leads[key]),
                    raised_on=raised,
                    created_at=at(raised, 11),
                    updated_at=at(raised, 11),
                )
            )
    session.flush()
