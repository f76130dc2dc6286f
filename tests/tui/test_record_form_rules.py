"""The record form keeps the store's rules and saves only what it shows.

Each test drives the real app on a seeded SQLite file and asserts on the form's widgets and on
the rows stored: a save that changes nothing writes nothing and leaves ``ctrl+z`` working; a
contact's e-mail is checked, its phone kept as written; its team follows its organisation; an
escalated or resolved barrier must say where or how; a new barrier shows its defaults.
"""

from __future__ import annotations

from pathlib import Path

from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlalchemy import func, text
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from pfpp_tui.models import Action, Barrier, Change, ChangeSource, Contact
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record, get_record
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.widgets.link_input import LinkInput
from pfpp_tui.tui.widgets.record_table import RecordTable


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def _type(pilot: Pilot[None], app: PfppApp, field: str, typed: str) -> None:
    widget = app.screen.query_one(f"#field-{field}")
    target = widget.query_one(Input) if isinstance(widget, LinkInput) else widget
    assert isinstance(target, Input)
    target.focus()
    target.value = ""
    await pilot.press(*typed)
    await settle(pilot)


async def _pick(pilot: Pilot[None], app: PfppApp, field: str, typed: str) -> list[str]:
    """Type into a link field and take the first suggestion; returns the suggestions shown."""
    await _type(pilot, app, field, typed)
    options = app.screen.query_one(f"#field-{field}").query_one(OptionList)
    shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    if shown:
        await _press(pilot, "enter")
    return shown


def _hint(app: PfppApp, field: str) -> str:
    return str(app.screen.query_one(f"#hint-{field}", Static).render())


def _is_error(app: PfppApp, field: str) -> bool:
    return app.screen.query_one(f"#hint-{field}", Static).has_class("-error")


def _notes(app: PfppApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _changes(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(Change)).scalar_one())


async def test_a_save_that_changes_nothing_writes_nothing_and_undo_still_works(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """The reported case: n, create an action, e, ctrl+s unchanged — then ctrl+z."""
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "5", "n")
        await _type(pilot, app, "title", "Book the room")
        await _press(pilot, "ctrl+s")
        with check_db.read() as session:
            found = session.exec(select(Action).where(Action.title == "Book the room")).one()
            created_id, created_version = int(found.id or 0), found.version
        assert len(app.undo_stack) == 1
        assert app.screen.query_one(RecordTable).highlighted_id == created_id
        before = _changes(check_db)

        await _press(pilot, "e")
        assert isinstance(app.screen, RecordFormScreen)
        await _press(pilot, "ctrl+s")  # nothing changed
        assert not isinstance(app.screen, RecordFormScreen)
        assert "No changes to save" in _notes(app)
        assert not any(n.startswith(f"Saved action {created_id}") for n in _notes(app))
        assert len(app.undo_stack) == 1 and app.undo_stack[-1][1].startswith("added action")
        assert _changes(check_db) == before
        assert get_record(check_db, table="action", row_id=created_id).version == created_version

        # Typed differently, the same value: the store finds nothing to write, and says so.
        await _press(pilot, "e")
        await _type(pilot, app, "title", "Book the room ")
        await _press(pilot, "ctrl+s")
        assert not isinstance(app.screen, RecordFormScreen)
        assert _notes(app).count("No changes to save") == 2
        assert len(app.undo_stack) == 1 and _changes(check_db) == before

        await _press(pilot, "ctrl+z")  # undoes the creation, not stuck on an empty save
        with check_db.read() as session:
            assert session.get(Action, created_id) is None
        assert app.undo_stack == []


async def test_an_unchanged_save_of_a_tagged_barrier_writes_nothing(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = _changes(check_db)
        await _press(pilot, "6", "e")
        assert isinstance(app.screen, RecordFormScreen)
        await _type(pilot, app, "title", "Police data cannot be shared with outreach ")
        await _press(pilot, "ctrl+s")
        assert not isinstance(app.screen, RecordFormScreen)
        assert "No changes to save" in _notes(app)
        assert app.undo_stack == [] and _changes(check_db) == before
        barrier = get_record(check_db, table="barrier", row_id=seeded.ids["barrier"])
        assert barrier.version == 1


async def test_contact_email_is_checked_and_a_phone_kept_as_written(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "2", "n")
        await _type(pilot, app, "first_name", "Rosa")
        await _type(pilot, app, "email", "not-an-email")
        assert _is_error(app, "email") and "not an e-mail address" in _hint(app, "email")
        await _type(pilot, app, "phone", "abc")
        assert not _is_error(app, "phone") and "kept as written" in _hint(app, "phone")
        await _press(pilot, "ctrl+s")
        assert isinstance(app.screen, RecordFormScreen)  # refused: the e-mail is marked
        with check_db.read() as session:
            assert session.exec(select(Contact).where(Contact.first_name == "Rosa")).first() is None

        await _type(pilot, app, "email", "rosa@luton.example")
        assert not _is_error(app, "email") and _hint(app, "email") == ""
        await _press(pilot, "ctrl+s")
        assert not isinstance(app.screen, RecordFormScreen)
        with check_db.read() as session:
            rosa = session.exec(select(Contact).where(Contact.first_name == "Rosa")).one()
            stored = (rosa.email, rosa.phone, rosa.phone_e164)
        assert stored == ("rosa@luton.example", "abc", None)


async def test_team_choices_follow_the_organisation(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    mhclg = create_record(check_db, table="organisation", values={"name": "MHCLG"},
                          source=ChangeSource.CLI).id  # fmt: skip
    create_record(check_db, table="team", source=ChangeSource.CLI,
                  values={"name": "Levelling Up Places", "organisation_id": mhclg})  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "2", "n")
        await _type(pilot, app, "first_name", "Rosa")
        await _pick(pilot, app, "organisation_id", "home office")
        # Only the Home Office's teams are offered; MHCLG's is not, however it is typed.
        assert await _pick(pilot, app, "team_id", "levelling") == []
        offered = await _pick(pilot, app, "team_id", "unit")
        assert offered == ["Anti-social Behaviour Unit — HO"]
        team = app.screen.query_one("#field-team_id", LinkInput)
        assert team.chosen_id == seeded.ids["asb_team"]

        # Moving to MHCLG marks the Home Office team; saving is refused, nothing stored.
        assert await _pick(pilot, app, "organisation_id", "MHCLG") == ["MHCLG"]
        assert _is_error(app, "team_id")
        assert "belongs to Home Office (HO), not to the chosen organisation" in _hint(
            app, "team_id"
        )
        await _press(pilot, "ctrl+s")
        assert isinstance(app.screen, RecordFormScreen)
        with check_db.read() as session:
            assert session.exec(select(Contact).where(Contact.first_name == "Rosa")).first() is None

        # MHCLG's own team clears the mark and saves.
        assert await _pick(pilot, app, "team_id", "levelling") == ["Levelling Up Places — MHCLG"]
        assert not _is_error(app, "team_id"), _hint(app, "team_id")
        await _press(pilot, "ctrl+s")
        assert not isinstance(app.screen, RecordFormScreen)
        with check_db.read() as session:
            rosa = session.exec(select(Contact).where(Contact.first_name == "Rosa")).one()
            assert rosa.organisation_id == mhclg and rosa.team_id is not None


async def test_a_team_chosen_first_fills_its_organisation(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    path, seeded = seeded_path
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "2", "n")
        await _type(pilot, app, "first_name", "Rosa")
        await _pick(pilot, app, "team_id", "anti-social")
        org = app.screen.query_one("#field-organisation_id", LinkInput)
        assert org.chosen_id == seeded.ids["home_office"] and org.text == "Home Office (HO)"
        await _press(pilot, "ctrl+s")
        with check_db.read() as session:
            rosa = session.exec(select(Contact).where(Contact.first_name == "Rosa")).one()
            assert (rosa.organisation_id, rosa.team_id) == (
                seeded.ids["home_office"],
                seeded.ids["asb_team"],
            )


async def test_a_stored_mismatch_is_marked_when_the_form_opens(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    # Saved before the rule (the reported Home Office contact with another department's team).
    path, seeded = seeded_path
    with check_db.write(source=ChangeSource.CLI) as session:
        session.execute(text("UPDATE contact SET organisation_id = :org WHERE id = :id"),
                        {"org": seeded.ids["desnz"], "id": seeded.ids["patel"]})  # fmt: skip
    app = PfppApp(str(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "2")
        table = app.screen.query_one(RecordTable)
        while table.highlighted_id != seeded.ids["patel"]:
            await _press(pilot, "j")
        await _press(pilot, "e")
        assert _is_error(app, "team_id")
        assert "Anti-social Behaviour Unit — HO belongs to Home Office" in _hint(app, "team_id")


async def test_barrier_status_rules_and_visible_defaults(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _press(pilot, "6", "n")
        form = app.screen
        assert isinstance(form, RecordFormScreen)
        # What will be saved is shown from the start, and cannot be blanked.
        for field, value, label in (("category", "other", "Other"),
                                    ("severity", "medium", "Medium"),
                                    ("status", "new", "New")):  # fmt: skip
            select_ = form.query_one(f"#field-{field}", Select)
            assert select_.value == value
            assert str(select_.query_one("SelectCurrent #label", Static).render()) == label
            assert Select.BLANK not in [v for _, v in select_._options]
        await _type(pilot, app, "title", "Grant rules differ by department")
        form.query_one("#field-status", Select).value = "escalated"
        await _press(pilot, "ctrl+s")
        assert app.screen is form
        assert _is_error(app, "escalated_to_organisation_id")
        assert "needs the organisation it went to" in _hint(app, "escalated_to_organisation_id")
        assert "fix the marked fields" in str(form.query_one("#form-error", Static).render())

        form.query_one("#field-status", Select).value = "resolved"
        await _press(pilot, "ctrl+s")
        assert app.screen is form
        assert _is_error(app, "resolution") and "needs a resolution" in _hint(app, "resolution")
        with check_db.read() as session:
            assert not list(
                session.exec(select(Barrier).where(col(Barrier.title).contains("Grant")))
            )

        await _type(pilot, app, "resolution", "One rule agreed across departments")
        await _press(pilot, "ctrl+s")
        assert app.screen is not form
        with check_db.read() as session:
            saved = session.exec(select(Barrier).where(col(Barrier.title).contains("Grant"))).one()
            stored = (saved.category, saved.severity, saved.status, saved.resolution)
        assert stored == ("other", "medium", "resolved", "One rule agreed across departments")
