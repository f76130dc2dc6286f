"""The rules every write path keeps (store.record_rules), on SQLite and PostgreSQL.

A contact's e-mail must be an address and its team one of its organisation's; a phone is kept
as written; an escalated barrier names where it went, a resolved or accepted one says how.
Each refusal names the field, and nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from pfpp_tui.errors import ValidationFailedError
from pfpp_tui.models import Barrier, ChangeSource, Contact
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, get_record, update_record
from pfpp_tui.store.work.triage import TriageDecision, apply_triage

CLI = ChangeSource.CLI


def _add(db: Database, table: str, **values: Any) -> int:
    return create_record(db, table=table, values=values, source=CLI).id


def _contacts(db: Database) -> list[Contact]:
    with db.read() as session:
        return list(session.exec(select(Contact)))


def test_a_bad_email_is_refused_on_create_and_on_edit(any_db: Database) -> None:
    with pytest.raises(ValidationFailedError, match=r"^email: 'not-an-email' is not an e-mail"):
        _add(any_db, "contact", first_name="Ada", email="not-an-email")
    assert _contacts(any_db) == []
    ada = _add(any_db, "contact", first_name="Ada", email="ada@ho.example")
    with pytest.raises(ValidationFailedError, match=r"^email: 'ada@ho' is not an e-mail"):
        update_record(any_db, table="contact", row_id=ada, changes={"email": "ada@ho"}, source=CLI)
    assert get_record(any_db, table="contact", row_id=ada)["email"] == "ada@ho.example"


def test_a_phone_that_does_not_parse_is_kept_as_written(any_db: Database) -> None:
    ada = _add(any_db, "contact", first_name="Ada", phone="abc")
    record = get_record(any_db, table="contact", row_id=ada)
    assert (record["phone"], record["phone_e164"]) == ("abc", None)
    update_record(any_db, table="contact", row_id=ada, changes={"phone": "020 7946 0000"},
                  source=CLI)  # fmt: skip
    assert get_record(any_db, table="contact", row_id=ada)["phone_e164"] == "+442079460000"


def test_a_team_must_belong_to_the_contacts_organisation(any_db: Database) -> None:
    home_office = _add(any_db, "organisation", name="Home Office")
    mhclg = _add(any_db, "organisation", name="MHCLG")
    asb = _add(any_db, "team", name="Anti-social behaviour", organisation_id=home_office)
    places = _add(any_db, "team", name="Levelling up places", organisation_id=mhclg)
    with pytest.raises(
        ValidationFailedError,
        match=r"^team_id: Levelling up places is a team of MHCLG, not of Home Office",
    ):
        _add(any_db, "contact", first_name="Ada", organisation_id=home_office, team_id=places)
    with pytest.raises(ValidationFailedError, match=r"^team_id: .* choose MHCLG as the organ"):
        _add(any_db, "contact", first_name="Ada", team_id=places)
    assert _contacts(any_db) == []
    ada = _add(any_db, "contact", first_name="Ada", organisation_id=home_office, team_id=asb)
    # Moving the contact to another organisation while keeping the old team is refused too.
    with pytest.raises(ValidationFailedError, match=r"^team_id: Anti-social"):
        update_record(any_db, table="contact", row_id=ada, changes={"organisation_id": mhclg},
                      source=CLI)  # fmt: skip
    update_record(any_db, table="contact", row_id=ada,
                  changes={"organisation_id": mhclg, "team_id": places}, source=CLI)  # fmt: skip
    record = get_record(any_db, table="contact", row_id=ada)
    assert (record["organisation_id"], record["team_id"]) == (mhclg, places)


def test_an_escalated_barrier_names_where_it_went(any_db: Database) -> None:
    hmt = _add(any_db, "organisation", name="HM Treasury")
    values = {"title": "Grants are too short", "raised_on": date(2024, 1, 8)}
    with pytest.raises(ValidationFailedError, match=r"^escalated_to_organisation_id: an escalated"):
        _add(any_db, "barrier", **values, status="escalated")
    barrier = _add(any_db, "barrier", **values)
    with pytest.raises(ValidationFailedError, match=r"^escalated_to_organisation_id: "):
        update_record(any_db, table="barrier", row_id=barrier, changes={"status": "escalated"},
                      source=CLI)  # fmt: skip
    update_record(any_db, table="barrier", row_id=barrier, source=CLI,
                  changes={"status": "escalated", "escalated_to_organisation_id": hmt})  # fmt: skip
    # Clearing where it went while it stays escalated is refused as well.
    with pytest.raises(ValidationFailedError, match=r"^escalated_to_organisation_id: "):
        update_record(any_db, table="barrier", row_id=barrier,
                      changes={"escalated_to_organisation_id": None}, source=CLI)  # fmt: skip
    assert (
        get_record(any_db, table="barrier", row_id=barrier)["escalated_to_organisation_id"] == hmt
    )


@pytest.mark.parametrize("status", ["resolved", "accepted"])
def test_a_closed_barrier_says_how(any_db: Database, status: str) -> None:
    values = {"title": "Grants are too short", "raised_on": date(2024, 1, 8)}
    with pytest.raises(ValidationFailedError, match=rf"^resolution: a barrier marked {status}"):
        _add(any_db, "barrier", **values, status=status, resolution="  ")
    barrier = _add(any_db, "barrier", **values)
    with pytest.raises(ValidationFailedError, match=r"^resolution: "):
        update_record(any_db, table="barrier", row_id=barrier, changes={"status": status},
                      source=CLI)  # fmt: skip
    update_record(any_db, table="barrier", row_id=barrier, source=CLI,
                  changes={"status": status, "resolution": "Three-year grants agreed"})  # fmt: skip
    assert get_record(any_db, table="barrier", row_id=barrier)["status"] == status


def test_both_problems_are_named_at_once(any_db: Database) -> None:
    mhclg = _add(any_db, "organisation", name="MHCLG")
    hmt = _add(any_db, "organisation", name="HM Treasury")
    places = _add(any_db, "team", name="Levelling up places", organisation_id=mhclg)
    with pytest.raises(ValidationFailedError) as caught:
        _add(any_db, "contact", first_name="Ada", email="ada", organisation_id=hmt, team_id=places)
    fields = [part.partition(": ")[0] for part in str(caught.value).split("; ")]
    assert fields == ["email", "team_id"]


def test_older_data_does_not_block_an_edit_of_something_else(any_db: Database) -> None:
    # A barrier escalated to nowhere before the rule existed: its title can still be edited,
    # and the rule applies as soon as the edit touches its status fields.
    barrier = _add(any_db, "barrier", title="Old one", raised_on=date(2023, 1, 2))
    with any_db.write(source=CLI) as session:
        session.execute(text("UPDATE barrier SET status = 'escalated' WHERE id = :id"),
                        {"id": barrier})  # fmt: skip
    update_record(any_db, table="barrier", row_id=barrier, changes={"title": "Old one, renamed"},
                  source=CLI)  # fmt: skip
    with pytest.raises(ValidationFailedError, match=r"^resolution: "):
        update_record(any_db, table="barrier", row_id=barrier, changes={"status": "resolved"},
                      source=CLI)  # fmt: skip


def test_triage_keeps_its_words_and_the_same_rule(any_db: Database) -> None:
    barrier = _add(any_db, "barrier", title="Grants are too short", raised_on=date(2024, 1, 8))
    for decision, word in ((TriageDecision(resolve=True), "resolve"),
                           (TriageDecision(accept=True), "accept")):  # fmt: skip
        with pytest.raises(ValidationFailedError, match=rf"^{word}: give a reason"):
            apply_triage(any_db, barrier, decision, source=CLI)
    apply_triage(any_db, barrier, TriageDecision(resolve=True, reason="Fixed"), source=CLI)
    with any_db.read() as session:
        row = session.get(Barrier, barrier)
        assert row is not None and (row.status, row.resolution) == ("resolved", "Fixed")
