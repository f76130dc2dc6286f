"""Suggestions say what tells alike records apart, and the form's pilot's own come first."""

from __future__ import annotations

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.listing.browse import search_records
from pfpp_tui.store.work.partnership import pilot_id_named


def test_a_person_comes_with_organisation_and_e_mail(sample_db: Database) -> None:
    found = {c.label: c.context for c in search_records(sample_db, "contact", "nowak")}
    assert found["Neil Nowak"] == "DfE · neil.nowak@education.example"
    assert found["Emma Nowak"] == "BLMK ICB · emma.nowak@blmk-icb.example"


def test_a_barrier_comes_with_its_pilot_and_id(sample_db: Database) -> None:
    first = search_records(sample_db, "barrier", "NEET tracking list")[0]
    assert first.context == f"Birmingham · #{first.id}"


def test_the_pilots_people_come_first(sample_db: Database) -> None:
    plain = [c.label for c in search_records(sample_db, "contact", "nowak")]
    pilot = pilot_id_named(sample_db, "Birmingham")
    birmingham = [
        c.label for c in search_records(sample_db, "contact", "nowak", prefer_pilot=pilot)
    ]
    assert plain[0] != "Neil Nowak"  # one of Birmingham's people, not first by name alone
    assert birmingham[0] == "Neil Nowak" and sorted(birmingham) == sorted(plain)
