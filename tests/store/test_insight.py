"""Programme insight numbers, checked against plain SQL over sample.db and on both engines."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from pfpp_tui.errors import NotFoundError, ValidationFailedError
from pfpp_tui.models import Barrier, Change, ChangeSource
from pfpp_tui.shapes.insight import SMALL_GRANT_GBP, Staleness, staleness_of
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import update_record
from pfpp_tui.store.directory.org_names import OrganisationNames
from pfpp_tui.store.history.undo import undo_batch
from pfpp_tui.store.insight.coverage import coverage_cell_records, coverage_matrix
from pfpp_tui.store.insight.funding import funding_summary
from pfpp_tui.store.insight.overview import programme_overview
from pfpp_tui.store.insight.patterns import barrier_groups, escalate_group
from tests.workflow_seed import TODAY, World, days_ago, seed_world

AS_OF = date(2023, 11, 10)
OPEN_A = "('open','in_progress','waiting','blocked')"
OPEN_B = "('new','triaged','escalated')"


def sql(db: Database, query: str, **params: object) -> list[Any]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query), params)]


# --- sample.db against direct SQL ------------------------------------------------------------


def test_pilot_rows_match_direct_sql(sample_db: Database) -> None:
    overview = programme_overview(sample_db, today=AS_OF)
    assert len(overview.pilots) == 13
    for row in overview.pilots:
        ((open_n, overdue_n),) = sql(
            sample_db,
            f"SELECT SUM(status IN {OPEN_A}), SUM(status IN {OPEN_A} AND due_date < :d) "
            "FROM action WHERE pilot_id = :p",
            p=row.pilot_id,
            d=AS_OF.isoformat(),
        )
        assert (row.open_actions, row.overdue_actions) == (open_n or 0, overdue_n or 0)
        severities = dict(
            sql(
                sample_db,
                f"SELECT severity, COUNT(*) FROM barrier WHERE pilot_id = :p AND status IN "
                f"{OPEN_B} GROUP BY severity",
                p=row.pilot_id,
            )
        )
        assert {k: v for k, v in row.open_barriers.items() if v} == severities
        ((last,),) = sql(
            sample_db,
            "SELECT MAX(held_at) FROM meeting WHERE pilot_id = :p AND held_at < :end",
            p=row.pilot_id,
            end=(AS_OF + timedelta(days=1)).isoformat(),
        )
        assert isinstance(last, str)
        held = datetime.fromisoformat(last).date()
        assert row.last_meeting == held
        assert row.days_since_meeting == (AS_OF - held).days
    assert sum(r.overdue_actions for r in overview.pilots) > 0


def test_category_matrix_and_monthly_flow_match_direct_sql(sample_db: Database) -> None:
    overview = programme_overview(sample_db, today=AS_OF)
    expected = {
        (p, c): n
        for p, c, n in sql(
            sample_db,
            "SELECT pilot_id, category, COUNT(*) FROM barrier WHERE pilot_id IS NOT NULL "
            "GROUP BY pilot_id, category",
        )
    }
    assert overview.categories.counts == expected
    raised = Counter(
        {
            date.fromisoformat(f"{m}-01"): n
            for m, n in sql(
                sample_db, "SELECT substr(raised_on, 1, 7), COUNT(*) FROM barrier GROUP BY 1"
            )
        }
    )
    # No history in the sample: a closed barrier's day is its updated_at.
    resolved = Counter(
        {
            date.fromisoformat(f"{m}-01"): n
            for m, n in sql(
                sample_db,
                "SELECT substr(updated_at, 1, 7), COUNT(*) FROM barrier "
                "WHERE status IN ('resolved', 'accepted') GROUP BY 1",
            )
        }
    )
    completed = Counter(
        {
            date.fromisoformat(f"{m}-01"): n
            for m, n in sql(
                sample_db,
                "SELECT substr(completed_on, 1, 7), COUNT(*) FROM action "
                "WHERE status = 'done' AND completed_on IS NOT NULL GROUP BY 1",
            )
        }
    )
    months = overview.months
    assert {m.month: m.raised for m in months if m.raised} == dict(raised)
    assert {m.month: m.resolved for m in months if m.resolved} == dict(resolved)
    assert {m.month: m.completed for m in months if m.completed} == dict(completed)
    steps = [(b.month.year * 12 + b.month.month) - (a.month.year * 12 + a.month.month)
             for a, b in itertools.pairwise(months)]  # fmt: skip
    assert set(steps) == {1}  # no gaps


def test_oldest_escalations_match_direct_sql(sample_db: Database) -> None:
    overview = programme_overview(sample_db, today=AS_OF)
    expected = dict(
        sql(
            sample_db,
            "SELECT escalated_to_organisation_id, COUNT(*) FROM barrier "
            "WHERE status = 'escalated' AND escalated_to_organisation_id IS NOT NULL GROUP BY 1",
        )
    )
    assert {d.organisation_id: d.count for d in overview.escalations} == expected
    ages = [d.oldest_age_days for d in overview.escalations]
    assert ages == sorted(ages, reverse=True)
    first = overview.escalations[0]
    ((oldest,),) = sql(
        sample_db,
        "SELECT MIN(raised_on) FROM barrier WHERE status = 'escalated' "
        "AND escalated_to_organisation_id = :o",
        o=first.organisation_id,
    )
    assert first.items[0].raised_on.isoformat() == oldest


def test_coverage_matrix_matches_direct_sql(sample_db: Database) -> None:
    matrix = coverage_matrix(sample_db, today=AS_OF)
    departments = sql(sample_db, "SELECT id FROM organisation WHERE kind = 'central_department'")
    assert {c.id for c in matrix.columns} == {d[0] for d in departments}
    end = (AS_OF + timedelta(days=1)).isoformat()
    met = {
        (p, o): datetime.fromisoformat(str(h)).date()
        for p, o, h in sql(
            sample_db,
            "SELECT m.pilot_id, c.organisation_id, MAX(m.held_at) FROM meeting m "
            "JOIN meeting_attendee ma ON ma.meeting_id = m.id JOIN contact c "
            "ON c.id = ma.contact_id WHERE m.pilot_id IS NOT NULL AND m.held_at < :end "
            "GROUP BY 1, 2",
            end=end,
        )
    }
    acted = dict(
        ((p, o), n)
        for p, o, n in sql(
            sample_db,
            f"SELECT a.pilot_id, c.organisation_id, COUNT(*) FROM action a JOIN contact c "
            f"ON c.id = a.owner_id WHERE a.status IN {OPEN_A} GROUP BY 1, 2",
        )
    )
    blocked = dict(
        ((p, o), n)
        for p, o, n in sql(
            sample_db,
            f"SELECT pilot_id, escalated_to_organisation_id, COUNT(*) FROM barrier "
            f"WHERE status IN {OPEN_B} GROUP BY 1, 2",
        )
    )
    seen: Counter[Staleness] = Counter()
    for pid, _ in matrix.pilots:
        for column in matrix.columns:
            cell = matrix.cell(pid, column.id)
            key = (pid, column.id)
            assert cell.last_meeting == met.get(key)
            assert cell.open_actions == acted.get(key, 0)
            assert cell.open_barriers == blocked.get(key, 0)
            seen[cell.staleness] += 1
    assert all(seen[s] > 0 for s in Staleness)  # the sample shows every colour


def test_coverage_cell_records_and_team_drill_down(sample_db: Database) -> None:
    matrix = coverage_matrix(sample_db, today=AS_OF)
    pid, column = next(
        (pid, c)
        for pid, _ in matrix.pilots
        for c in matrix.columns
        if matrix.cell(pid, c.id).open_actions and matrix.cell(pid, c.id).open_barriers
    )
    cell = matrix.cell(pid, column.id)
    records = coverage_cell_records(sample_db, pilot_id=pid, organisation_id=column.id, today=AS_OF)
    assert len(records.actions) == cell.open_actions
    assert len(records.barriers) == cell.open_barriers
    assert records.meetings[0].held_at.date() == cell.last_meeting
    teams = coverage_matrix(sample_db, today=AS_OF, organisation_id=column.id)
    assert teams.level == "team"
    team_ids = {t[0] for t in sql(sample_db, "SELECT id FROM team WHERE organisation_id = :o",
                                  o=column.id)}  # fmt: skip
    assert {c.id for c in teams.columns} == team_ids
    for pid2, _ in teams.pilots:
        for team in teams.columns:
            tc = teams.cell(pid2, team.id)
            if tc.open_actions:
                recs = coverage_cell_records(sample_db, pilot_id=pid2, team_id=team.id)
                assert len(recs.actions) == tc.open_actions
    with pytest.raises(NotFoundError):
        coverage_matrix(sample_db, organisation_id=99999)


def test_staleness_boundaries() -> None:
    assert staleness_of(None) is Staleness.NEVER
    assert staleness_of(60) is Staleness.RECENT
    assert staleness_of(61) is Staleness.STALE


def test_funding_summary_matches_direct_sql(sample_db: Database) -> None:
    summary = funding_summary(sample_db)
    ((total, count, small_n, small_sum),) = sql(
        sample_db,
        "SELECT SUM(amount_gbp), COUNT(*), SUM(amount_gbp < :s), "
        "SUM(CASE WHEN amount_gbp < :s THEN amount_gbp ELSE 0 END) FROM funding_flow",
        s=SMALL_GRANT_GBP,
    )
    assert (summary.total_gbp, summary.flows) == (total, count)
    assert (summary.small_flows, summary.small_gbp) == (small_n, small_sum)
    assert summary.small_share == pytest.approx(small_n / count)
    by_year = dict(
        (y, (n, s))
        for y, n, s in sql(
            sample_db,
            "SELECT financial_year, COUNT(*), SUM(amount_gbp) FROM funding_flow GROUP BY 1",
        )
    )
    assert {t.label: (t.flows, t.amount_gbp) for t in summary.by_year} == by_year
    assert sum(t.amount_gbp for t in summary.by_department) == total
    for pilot in summary.pilots:
        ((pilot_total,),) = sql(
            sample_db,
            "SELECT SUM(amount_gbp) FROM funding_flow WHERE pilot_id = :p",
            p=pilot.pilot_id,
        )
        assert pilot.total == pilot_total
    # A 2022-23 grant from the levelling-up department shows the name it had then.
    sources = {f.source for p in summary.pilots for f in p.flows if f.financial_year == "2022-23"}
    assert "DLUHC (now MHCLG)" in sources


def test_name_at_a_date(sample_db: Database) -> None:
    ((org_id,),) = sql(sample_db, "SELECT organisation_id FROM organisation_former_name "
                                  "WHERE short_name = 'DLUHC'")  # fmt: skip
    with sample_db.read() as session:
        names = OrganisationNames.load(session)
    assert isinstance(org_id, int)
    assert names.at(org_id, date(2017, 6, 1)).short == "DCLG"
    assert names.at(org_id, date(2018, 1, 8)).short == "MHCLG"  # renamed that day
    assert names.at(org_id, date(2022, 5, 1)).label == "DLUHC (now MHCLG)"
    assert names.at(org_id, date(2024, 7, 8)).renamed is False
    assert names.at(org_id, None).label == "MHCLG"


# --- both engines ----------------------------------------------------------------------------


def _world(db: Database) -> World:
    w = seed_world(db)
    w.add("m_old", "meeting", pilot_id=w["luton"], held_at=days_ago(90), title="Old check-in")
    w.add("m_new", "meeting", pilot_id=w["luton"], held_at=days_ago(5), title="New check-in")
    w.add("m_h", "meeting", pilot_id=w["hastings"], held_at=days_ago(70), title="Hastings")
    w.add("at1", "meeting_attendee", meeting_id=w["m_old"], contact_id=w["ada"])
    w.add("at2", "meeting_attendee", meeting_id=w["m_new"], contact_id=w["ben"])
    w.add("at3", "meeting_attendee", meeting_id=w["m_h"], contact_id=w["bea"])
    w.add("a1", "action", title="Late", pilot_id=w["luton"], owner_id=w["ada"],
          due_date=TODAY - timedelta(days=2))  # fmt: skip
    w.add("a2", "action", title="Fine", pilot_id=w["luton"], owner_id=w["dan"],
          due_date=TODAY + timedelta(days=2), status="waiting")  # fmt: skip
    w.add("a3", "action", title="Done", pilot_id=w["luton"], status="done", completed_on=TODAY)
    for key, pilot, title in (
        ("b1", "luton", "No single Home Office contact for street culture"),
        ("b2", "hastings", "No Home Office contact for street culture"),
        ("b3", "luton", "Grants too small to matter"),
    ):
        w.add(key, "barrier", pilot_id=w[pilot], title=title, category="structure",
              severity="high", raised_on=TODAY - timedelta(days=30))  # fmt: skip
    return w


def test_overview_and_coverage_on_both_engines(any_db: Database) -> None:
    w = _world(any_db)
    overview = programme_overview(any_db, today=TODAY)
    luton = next(p for p in overview.pilots if p.name == "Luton")
    assert (luton.open_actions, luton.overdue_actions) == (2, 1)
    assert luton.open_barriers["high"] == 2 and luton.days_since_meeting == 5
    assert overview.categories.count(w["luton"], "structure") == 2
    update_record(any_db, table="barrier", row_id=w["b3"], changes={"status": "resolved",
                  "resolution": "fixed"}, source=ChangeSource.CLI)  # fmt: skip
    months = programme_overview(any_db, today=TODAY).months
    this_month = next(m for m in months if m.month == date(TODAY.year, TODAY.month, 1))
    assert this_month.resolved == 1 and this_month.completed == 1

    matrix = coverage_matrix(any_db, today=TODAY)
    assert {c.label for c in matrix.columns} == {"HO", "DESNZ"}
    ho = matrix.cell(w["luton"], w["ho"])
    assert (ho.days_since, ho.staleness, ho.open_actions) == (90, Staleness.STALE, 2)
    assert matrix.cell(w["hastings"], w["desnz"]).staleness is Staleness.STALE
    assert matrix.cell(w["hastings"], w["ho"]).staleness is Staleness.NEVER
    records = coverage_cell_records(any_db, pilot_id=w["luton"], organisation_id=w["ho"])
    assert [m.title for m in records.meetings] == ["Old check-in"]
    assert {a.title for a in records.actions} == {"Late", "Fine"}


def test_patterns_group_and_escalate_on_both_engines(any_db: Database) -> None:
    w = _world(any_db)
    groups = barrier_groups(any_db)
    assert len(groups) == 1
    group = groups[0]
    assert set(group.ids) == {w["b1"], w["b2"]} and group.places == 2
    outcome = escalate_group(
        any_db,
        barrier_ids=group.ids,
        organisation_id=w["ho"],
        team_id=w["asb"],
        note="one ask for both places",
        source=ChangeSource.TUI,
    )
    with any_db.read() as session:
        stored = {
            (b.status, b.escalated_to_organisation_id, b.escalated_to_team_id)
            for b in session.exec(select(Barrier).where(col(Barrier.id).in_(group.ids)))
        }
        history = [
            (h.batch, h.reason)
            for h in session.exec(
                select(Change)
                .where(Change.table_name == "barrier", col(Change.row_id).in_(group.ids))
                .where(Change.op == "update")
            )
        ]
    assert stored == {("escalated", w["ho"], w["asb"])}
    assert len(history) == 2
    assert {batch for batch, _ in history} == {outcome.escalation_id}
    assert all(outcome.escalation_id in why and "one ask" in why for _, why in history)
    # Both escalated to the Home Office now: still one group, department named.
    assert barrier_groups(any_db)[0].department == "HO"
    undo_batch(any_db, outcome.escalation_id)
    with any_db.read() as session:
        barrier = session.get(Barrier, w["b1"])
        assert barrier is not None and barrier.status == "new"


def test_escalate_group_is_all_or_nothing(any_db: Database) -> None:
    w = _world(any_db)
    update_record(any_db, table="barrier", row_id=w["b3"], changes={"status": "resolved",
                  "resolution": "x"}, source=ChangeSource.CLI)  # fmt: skip
    with pytest.raises(ValidationFailedError, match="only open barriers"):
        escalate_group(any_db, barrier_ids=[w["b1"], w["b3"]], organisation_id=w["ho"],
                       note="", source=ChangeSource.CLI)  # fmt: skip
    with pytest.raises(ValidationFailedError, match="not in that organisation"):
        escalate_group(any_db, barrier_ids=[w["b1"]], organisation_id=w["ho"],
                       team_id=w["heat"], note="", source=ChangeSource.CLI)  # fmt: skip
    with any_db.read() as session:
        barrier = session.get(Barrier, w["b1"])
        assert barrier is not None and barrier.status == "new"
