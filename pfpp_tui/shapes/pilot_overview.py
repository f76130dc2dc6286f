"""One pilot's row on the overview (section ``0``): plain data, no ORM.

``store.insight.overview`` computes it with SQLAlchemy Core; ``store.listing.first_rows`` with
plain ``sqlite3`` for the first frame, before SQLAlchemy loads (issue 19). Both must agree: a
test holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PilotOverview:
    pilot_id: int
    name: str
    rag: str
    stage: str
    open_actions: int
    overdue_actions: int
    # Every severity key, in order low → critical.
    open_barriers: dict[str, int]
    last_meeting: date | None
    days_since_meeting: int | None
    # The four partnership variables' latest total (4 to 20); None when never assessed.
    partnership_total: int | None = None

    @property
    def open_barrier_total(self) -> int:
        return sum(self.open_barriers.values())
