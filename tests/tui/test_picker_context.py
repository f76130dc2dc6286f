"""A form's link picker shows who is who (organisation, e-mail) and the pilot's people first."""

from __future__ import annotations

from pathlib import Path

from conftest import settle  # type: ignore[import-not-found]
from sqlalchemy import text
from textual.widgets import Input, OptionList

from pfpp_tui.store.db.database import Database
from pfpp_tui.store.work.partnership import pilot_id_named
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.workflow_prompts import barrier_search, contact_search
from pfpp_tui.tui.widgets.link_input import LinkInput


async def test_the_owner_picker_names_organisation_and_e_mail_pilot_people_first(
    sample_copy: Path,
) -> None:
    app = PfppApp(str(sample_copy))
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("5", "n")  # a new action
        await settle(pilot)
        assert isinstance(app.screen, RecordFormScreen)
        place = app.screen.query_one("#field-pilot_id", LinkInput)
        place.query_one(Input).focus()
        await pilot.press(*"Birmingham")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert place.chosen_label == "Birmingham"
        owner = app.screen.query_one("#field-owner_id", LinkInput)
        owner.query_one(Input).focus()
        await pilot.press(*"nowak")
        await settle(pilot)
        options = owner.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown[0] == "Neil Nowak  DfE · neil.nowak@education.example"  # Birmingham's
        assert "Emma Nowak  BLMK ICB · emma.nowak@blmk-icb.example" in shown


def test_triage_and_review_pickers_show_context_and_the_pilots_people_first(
    sample_db: Database,
) -> None:
    pilot = pilot_id_named(sample_db, "Birmingham")
    people = [shown for shown, _pick in contact_search(sample_db, prefer_pilot=pilot)("nowak")]
    assert people[0] == "Neil Nowak  DfE · neil.nowak@education.example"
    assert "Emma Nowak  BLMK ICB · emma.nowak@blmk-icb.example" in people
    shown, barrier_id = barrier_search(sample_db, exclude=0)("NEET tracking list")[0]
    assert shown.endswith(f"(Birmingham · #{barrier_id})")


def test_a_person_named_in_full_comes_before_the_pilots_people(sample_db: Database) -> None:
    """Newcastle has a Harpreet Wood; "harpreet patel" typed in full is Harpreet Patel, first
    (enter takes the first: the triage owner picker assigned Harpreet Wood)."""
    from pfpp_tui.store.listing.browse import search_records

    newcastle = pilot_id_named(sample_db, "Newcastle")
    for typed in ("harpreet patel", "Harpreet  Patel", "harpreet.patel@mhclg.example"):
        people = [
            shown for shown, _pick in contact_search(sample_db, prefer_pilot=newcastle)(typed)
        ]
        assert people[0].startswith("Harpreet Patel  MHCLG"), (typed, people)
    form = search_records(sample_db, "contact", "harpreet patel", prefer_pilot=newcastle)
    assert form[0].label == "Harpreet Patel"
    # Only the first name typed: the pilot's own Harpreet first, as before.
    people = [
        shown for shown, _pick in contact_search(sample_db, prefer_pilot=newcastle)("harpreet")
    ]
    assert people[0].startswith("Harpreet Wood")


def test_an_owner_picker_opened_with_nothing_typed_lists_the_pilots_people(
    sample_db: Database,
) -> None:
    """Opened on a Newcastle barrier, the triage owner picker listed Hackney's Ewan Anderson
    first: the first eight people alphabetically, with none of Newcastle's among them."""
    newcastle = pilot_id_named(sample_db, "Newcastle")
    with sample_db.read() as session:
        theirs = {
            int(i)
            for (i,) in session.execute(
                text("SELECT contact_id FROM contact_pilot WHERE pilot_id = :p"), {"p": newcastle}
            )
        }
    first = [pick[0] for _shown, pick in contact_search(sample_db, prefer_pilot=newcastle)("")]
    assert len(theirs) >= 3 and len(first) == 8
    assert set(first[: len(theirs)]) <= theirs  # theirs first, before anyone else
