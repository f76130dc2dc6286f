"""Attendee look-up: only confident matches are taken; anything looser is shown, never chosen."""

from __future__ import annotations

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.attendee_lookup import lookup_attendees, split_people
from tests.workflow_seed import seed_world


def test_split_people_reads_lists_invites_and_new_people() -> None:
    assert split_people("ben; cara, eve\nada.okafor@ho.example") == [
        ("ben", None),
        ("cara", None),
        ("eve", None),
        ("ada.okafor@ho.example", "ada.okafor@ho.example"),
    ]
    outlook = 'Jane Doe <jane@x.gov.uk>; "Roe, Bob" <bob@y.gov.uk>, Doe, Jo <jo@x.gov.uk>'
    assert split_people(outlook) == [
        ("Jane Doe <jane@x.gov.uk>", "jane@x.gov.uk"),
        ("Roe, Bob <bob@y.gov.uk>", "bob@y.gov.uk"),
        ("Doe, Jo <jo@x.gov.uk>", "jo@x.gov.uk"),
    ]
    assert split_people("a@x.example b@y.example") == [
        ("a@x.example", "a@x.example"),
        ("b@y.example", "b@y.example"),
    ]
    new = "+Tess Newcomer, tess@luton.example, Luton Borough Council"
    assert split_people(f"{new}; ben") == [(new, None), ("ben", None)]


def test_only_exact_or_unique_prefix_matches_are_confident(any_db: Database) -> None:
    w = seed_world(any_db)

    def matched(text: str) -> int | None:
        (entry,) = lookup_attendees(any_db, text).entries
        return entry.match.id if entry.match else None

    assert matched("okaf") == w["ada"]  # the only surname starting so
    assert matched("Cara Jones") == w["cara"]  # exact name
    assert matched("jones cara") == w["cara"]  # surname first
    assert matched("BEN.SHAH@luton.example") == w["ben"]  # exact e-mail, any case
    assert matched("ben.sh") == w["ben"]  # e-mail prefix
    assert matched("shah") is None  # Ben and Bea Shah: the user must choose
    (fuzzy,) = lookup_attendees(any_db, "Cara Jonse").entries
    assert fuzzy.match is None and fuzzy.problem and "no exact match" in fuzzy.problem
    assert w["cara"] in {n.id for n in fuzzy.suggestions}  # offered, not taken
    assert matched("100%_") is None  # LIKE wildcards are text, not patterns


def test_a_pasted_list_resolves_exact_people_and_keeps_the_rest(any_db: Database) -> None:
    w = seed_world(any_db)
    text = "Ben Shah <ben.shah@luton.example>; Jane Doe <jane@x.gov.uk>\nCarla Jonse, eve"
    lookup = lookup_attendees(any_db, text)
    assert [e.match.id if e.match else None for e in lookup.entries] == [
        w["ben"], None, None, w["eve"],
    ]  # fmt: skip
    assert lookup.leftover_text() == "Jane Doe <jane@x.gov.uk>; Carla Jonse"
    jane = lookup.entries[1]
    assert jane.problem == "no contact has the e-mail jane@x.gov.uk"


def test_plus_reads_a_new_person_or_says_what_is_wrong(any_db: Database) -> None:
    w = seed_world(any_db)
    (entry,) = lookup_attendees(
        any_db, "+Tess Newcomer, tess@luton.example, Luton Borough Council"
    ).entries
    assert entry.new_person is not None
    assert (entry.new_person.first_name, entry.new_person.last_name) == ("Tess", "Newcomer")
    assert entry.new_person.organisation_id == w["lbc"]
    (bad_org,) = lookup_attendees(any_db, "+Fay Khan, fay@vcs.example, Narnia").entries
    assert bad_org.new_person is None and "Narnia" in (bad_org.problem or "")
    (taken,) = lookup_attendees(any_db, "+Benjamin Shah, ben.shah@luton.example").entries
    assert taken.new_person is None and "already Ben Shah" in (taken.problem or "")
    (no_name,) = lookup_attendees(any_db, "+").entries
    assert no_name.problem and "name" in no_name.problem
