"""Agreements past their review date reach the review agenda and the weekly digest (issue 11).

Real SQLite files migrated to head: a pilot's own agenda lists its overdue agreement, an
organisation's agenda lists agreements naming it as a partner, and the digest counts them.
"""

from __future__ import annotations

from datetime import date

from pfpp_tui.models import ChangeSource
from pfpp_tui.shapes.partnership import Agreement, PartnerEntry
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.insight.reports import digest
from pfpp_tui.store.work.agenda import AgendaSection, build_agenda
from pfpp_tui.store.work.partnership import save_agreement

TODAY = date(2026, 3, 2)


def _seed(db: Database) -> dict[str, int]:
    def add(table: str, **values: object) -> int:
        return int(create_record(db, table=table, values=values, source=ChangeSource.SAMPLE).id)

    ids = {
        "council": add("organisation", name="Luton Borough Council", kind="local_authority"),
        "ho": add("organisation", name="Home Office", short_name="HO"),
        "dwp": add("organisation", name="Department for Work and Pensions", short_name="DWP"),
    }
    ids["luton"] = add("pilot", name="Luton")
    ids["hackney"] = add("pilot", name="Hackney")
    for pilot, review, partner in (
        ("luton", date(2026, 2, 1), "ho"),  # a month late
        ("hackney", date(2026, 6, 1), "ho"),  # not due yet
    ):
        agreement = Agreement(
            pilot_id=ids[pilot], pilot=pilot.title(), purpose="Work as one", review_date=review,
            partners=(PartnerEntry(ids["council"], role="lead"), PartnerEntry(ids[partner])),
        )  # fmt: skip
        save_agreement(db, agreement, source=ChangeSource.CLI)
    return ids


def test_pilot_agenda_lists_its_overdue_agreement(db: Database) -> None:
    ids = _seed(db)
    items = build_agenda(db, pilot_id=ids["luton"], today=TODAY).in_section(
        AgendaSection.AGREEMENTS
    )
    assert [(i.table, i.label) for i in items] == [
        ("partnership_agreement", "Luton pre-partnership agreement")
    ]
    assert "review was due 2026-02-01 (29 days ago)" in items[0].detail
    hackney = build_agenda(db, pilot_id=ids["hackney"], today=TODAY)
    assert hackney.in_section(AgendaSection.AGREEMENTS) == ()


def test_organisation_agenda_lists_agreements_naming_it(db: Database) -> None:
    ids = _seed(db)
    ho = build_agenda(db, organisation_id=ids["ho"], today=TODAY)
    assert [i.label for i in ho.in_section(AgendaSection.AGREEMENTS)] == [
        "Luton pre-partnership agreement"
    ]
    dwp = build_agenda(db, organisation_id=ids["dwp"], today=TODAY)
    assert dwp.in_section(AgendaSection.AGREEMENTS) == ()


def test_digest_lists_agreements_past_review(db: Database) -> None:
    _seed(db)
    weekly = digest(db, today=TODAY)
    assert weekly.counts["agreements_past_review"] == 1
    [item] = weekly.agreements_past_review
    assert (item.pilot, item.review_date, item.days_late) == ("Luton", date(2026, 2, 1), 29)
    assert digest(db, today=date(2026, 1, 1)).agreements_past_review == []
