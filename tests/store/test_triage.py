"""Barrier triage in the store: the queue, context, every decision, history and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from pfpp_tui.errors import NotFoundError, StaleEditError, ValidationFailedError
from pfpp_tui.models import Action, Barrier, BarrierCategory, Change, ChangeSource, Severity
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import row_values, update_record
from pfpp_tui.store.work.triage import (
    TriageDecision,
    apply_triage,
    barrier_context,
    triage_queue,
    undo_triage,
)
from tests.workflow_seed import TODAY, World, seed_world

SRC = ChangeSource.CLI


def _barriers(w: World) -> World:
    w.add(
        "old",
        "barrier",
        pilot_id=w["luton"],
        title="No single contact for street culture",
        category="structure",
        raised_on=TODAY - timedelta(days=40),
    )
    w.add(
        "mid",
        "barrier",
        pilot_id=w["luton"],
        title="Grants are small and competitive",
        category="funding",
        raised_on=TODAY - timedelta(days=10),
    )
    w.add(
        "new",
        "barrier",
        pilot_id=w["luton"],
        title="GP data cannot be shared",
        category="other",
        raised_on=TODAY,
    )
    w.add(
        "elsewhere",
        "barrier",
        pilot_id=w["hastings"],
        title="Nobody is the single contact for private rented homes",
        category="structure",
        raised_on=TODAY - timedelta(days=5),
        status="triaged",
    )
    w.add("act", "action", title="Find the right team", barrier_id=w["old"], owner_id=w["ada"])
    return w


def _status(db: Database, barrier_id: int) -> dict[str, object]:
    with db.read() as s:
        b = s.get(Barrier, barrier_id)
        assert b is not None
        return row_values(b)


def _reasons(db: Database, barrier_id: int) -> list[str]:
    with db.read() as s:
        rows = s.exec(
            select(Change.reason)
            .where(col(Change.table_name) == "barrier", col(Change.row_id) == barrier_id)
            .where(col(Change.op) == "update")
            .order_by(col(Change.id))
        ).all()
    return list(rows)


def test_queue_is_new_barriers_oldest_first_skipping_snoozed(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    assert [q.id for q in triage_queue(any_db)] == [w["old"], w["mid"], w["new"]]
    apply_triage(
        any_db, w["mid"], TriageDecision(snooze_until=TODAY + timedelta(days=3)), source=SRC
    )
    assert [q.id for q in triage_queue(any_db)] == [w["old"], w["new"]]
    later = triage_queue(any_db, today=TODAY + timedelta(days=3))
    assert [q.id for q in later] == [w["old"], w["mid"], w["new"]]


def test_context_shows_pilot_actions_and_similar_barriers_elsewhere(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    ctx = barrier_context(any_db, w["old"])
    assert ctx.pilot == "Luton"
    assert [a.title for a in ctx.actions] == ["Find the right team"]
    assert [s.id for s in ctx.similar] == [w["elsewhere"]]
    assert ctx.similar[0].pilot == "Hastings"
    with pytest.raises(NotFoundError):
        barrier_context(any_db, 9999)


def test_category_severity_owner_and_triaged_go_to_history(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    out = apply_triage(
        any_db,
        w["new"],
        TriageDecision(
            category=BarrierCategory.DATA_SHARING,
            severity=Severity.HIGH,
            owner_id=w["ada"],
            mark_triaged=True,
        ),
        source=SRC,
    )
    row = _status(any_db, w["new"])
    assert (row["category"], row["severity"], row["status"]) == ("data_sharing", "high", "triaged")
    assert row["owner_id"] == w["ada"]
    assert out.before["status"] == "new"
    assert _reasons(any_db, w["new"]) == [
        f"triage: category data_sharing, severity high, owner contact {w['ada']}, triaged"
    ]


def test_escalate_to_an_organisation_or_team(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    apply_triage(
        any_db, w["mid"], TriageDecision(escalate_team_id=w["heat"], reason="pool it"), source=SRC
    )
    row = _status(any_db, w["mid"])
    assert row["status"] == "escalated"
    assert row["escalated_to_organisation_id"] == w["desnz"]
    assert row["escalation_note"] == "pool it"
    assert _reasons(any_db, w["mid"]) == ["pool it"]
    with pytest.raises(ValidationFailedError, match="not in that organisation"):
        apply_triage(
            any_db,
            w["new"],
            TriageDecision(escalate_organisation_id=w["ho"], escalate_team_id=w["heat"]),
            source=SRC,
        )


def test_snooze_in_the_past_or_today_is_refused(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    for day in (TODAY, TODAY - timedelta(days=1)):
        with pytest.raises(ValidationFailedError, match="snooze"):
            apply_triage(any_db, w["new"], TriageDecision(snooze_until=day), source=SRC)
    assert _status(any_db, w["new"])["snoozed_until"] is None


def test_duplicate_moves_actions_and_undo_moves_them_back(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    with pytest.raises(ValidationFailedError, match="itself"):
        apply_triage(any_db, w["old"], TriageDecision(duplicate_of_id=w["old"]), source=SRC)
    out = apply_triage(
        any_db,
        w["old"],
        TriageDecision(duplicate_of_id=w["elsewhere"], reason="same gap"),
        source=SRC,
    )
    row = _status(any_db, w["old"])
    assert row["duplicate_of_id"] == w["elsewhere"] and row["status"] == "resolved"
    with any_db.read() as s:
        assert s.get(Action, w["act"]).barrier_id == w["elsewhere"]  # type: ignore[union-attr]
    # a cycle back to the first barrier is refused
    with pytest.raises(ValidationFailedError, match="already a duplicate"):
        apply_triage(any_db, w["elsewhere"], TriageDecision(duplicate_of_id=w["old"]), source=SRC)
    undo_triage(any_db, out, source=SRC)
    row = _status(any_db, w["old"])
    assert row["duplicate_of_id"] is None and row["status"] == "new"
    with any_db.read() as s:
        assert s.get(Action, w["act"]).barrier_id == w["old"]  # type: ignore[union-attr]


def test_resolve_and_accept_need_a_reason_and_only_one_status(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    with pytest.raises(ValidationFailedError, match="reason"):
        apply_triage(any_db, w["new"], TriageDecision(resolve=True), source=SRC)
    with pytest.raises(ValidationFailedError, match="choose one"):
        apply_triage(
            any_db, w["new"], TriageDecision(resolve=True, accept=True, reason="x"), source=SRC
        )
    apply_triage(
        any_db, w["new"], TriageDecision(accept=True, reason="work around via ICB"), source=SRC
    )
    row = _status(any_db, w["new"])
    assert (row["status"], row["resolution"]) == ("accepted", "work around via ICB")


def test_undo_refuses_when_someone_changed_the_barrier_since(any_db: Database) -> None:
    w = _barriers(seed_world(any_db))
    out = apply_triage(any_db, w["new"], TriageDecision(severity=Severity.LOW), source=SRC)
    update_record(any_db, table="barrier", row_id=w["new"], changes={"detail": "more"}, source=SRC)
    with pytest.raises(StaleEditError):
        undo_triage(any_db, out, source=SRC)
    assert _status(any_db, w["new"])["severity"] == "low"
