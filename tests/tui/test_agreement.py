"""Pilot tests: the agreement screen (view, edit, versions, refusals) and the ratings widget.

The screen is pushed on a tiny host App over a copy of sample.db; workers are waited for (never
slept on) before asserting on widgets and on the rows actually stored.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Markdown, OptionList, Static, TextArea

from pfpp_tui.models import Change
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.insight.partnership_health import pilot_ratings
from pfpp_tui.store.work.partnership import get_agreement, pilot_id_named
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.widgets.partnership_ratings import PartnershipRatings, render_ratings
from tests.tui.workflow_app import HostApp, settle

SIZE = (140, 60)
TODAY = date(2023, 11, 8)


def _changes(db: Database) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(Change)).scalar_one())


async def _press(pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _title(app: App[None]) -> str:
    return str(app.screen.query_one("#agreement-title", Static).render())


async def test_view_shows_the_agreement_and_its_versions(sample_db: Database) -> None:
    screen = AgreementScreen(sample_db, pilot_id_named(sample_db, "Luton"), today=TODAY)
    app = HostApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert _title(app) == "Luton — agreement v1 · Under review"
        source = app.screen.query_one("#agreement-markdown", Markdown).source
        assert source.startswith("# Pre-partnership agreement: Luton")
        assert "**overdue by 36 days**" in source
        versions = app.screen.query_one("#agreement-versions", OptionList)
        assert versions.option_count == 1
        await pilot.press("escape")
        await settle(pilot)
    assert app.results == [None]


async def test_edit_saves_a_new_version_and_the_old_one_stays_visible(sample_db: Database) -> None:
    pilot_id = pilot_id_named(sample_db, "Luton")
    screen = AgreementScreen(sample_db, pilot_id, today=TODAY)
    app = HostApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert app.screen.has_class("-editing")
        app.screen.query_one("#field-purpose", TextArea).text = "Fewer people sleeping rough."
        app.screen.query_one("#field-review_date").value = "2024-05-01"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.screen.has_class("-editing")
        assert _title(app) == "Luton — agreement v2 · Under review"
        versions = app.screen.query_one("#agreement-versions", OptionList)
        assert versions.option_count == 2
        versions.focus()
        versions.highlighted = 0
        await pilot.press("j")  # j/k move in the list of versions, as in every list
        assert versions.highlighted == 1
        await settle(pilot)
        assert _title(app) == "Luton — earlier version v1 (today's is v2)"
        source = app.screen.query_one("#agreement-markdown", Markdown).source
        assert "Fewer people sleeping rough." not in source
    saved = get_agreement(sample_db, pilot_id)
    assert (saved.purpose, saved.review_date, saved.version) == (
        "Fewer people sleeping rough.",
        date(2024, 5, 1),
        2,
    )
    assert len(saved.partners) == 6  # the partner lines round-tripped unchanged


async def test_bad_partners_are_refused_and_nothing_is_saved(sample_db: Database) -> None:
    pilot_id = pilot_id_named(sample_db, "Luton")
    before = _changes(sample_db)
    screen = AgreementScreen(sample_db, pilot_id, today=TODAY)
    app = HostApp(screen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        partners = app.screen.query_one("#field-partners", TextArea)
        partners.text = partners.text + "\nNowhere Council | partner"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(app.screen.query_one("#agreement-error", Static).render())
        assert error.startswith("partner line 7: no organisation called 'Nowhere Council'")
        assert app.screen.has_class("-editing")
        first = partners.text.splitlines()[0]
        partners.text = partners.text.replace("\nNowhere Council | partner", "") + "\n" + first
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(app.screen.query_one("#agreement-error", Static).render())
        assert "partner 7: Luton Borough Council is listed twice (also partner 1)" in error
        await pilot.press("escape", "y")  # edited: asks first; y discards the edit
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert not app.screen.has_class("-editing")
    assert _changes(sample_db) == before
    assert get_agreement(sample_db, pilot_id).version == 1


async def test_agreement_form_unchanged_closes_at_once(sample_db: Database) -> None:
    pilot_id = pilot_id_named(sample_db, "Luton")
    app = HostApp(AgreementScreen(sample_db, pilot_id))
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        await _press(pilot, "e")
        assert app.screen.has_class("-editing")
        await _press(pilot, "escape")
        assert isinstance(app.screen, AgreementScreen)
        assert not app.screen.has_class("-editing")
        await _press(pilot, "escape")
    assert app.results == [None]


async def test_agreement_form_escape_asks_n_keeps_y_discards_ctrl_s_saves(
    sample_db: Database,
) -> None:
    pilot_id = pilot_id_named(sample_db, "Luton")
    before = get_agreement(sample_db, pilot_id)
    app = HostApp(AgreementScreen(sample_db, pilot_id))
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        await _press(pilot, "e")
        await _press(pilot, *"Fewer people sleeping rough. ")
        purpose = app.screen.query_one("#field-purpose", TextArea)
        typed = purpose.text
        assert typed == "Fewer people sleeping rough. " + before.purpose
        await _press(pilot, "escape")
        assert isinstance(app.screen, DiscardChangesScreen)
        assert "Unsaved: edit of the Luton agreement — y discard" in str(
            app.screen.query_one("#question").render()
        )
        await _press(pilot, "n")
        assert isinstance(app.screen, AgreementScreen) and app.screen.has_class("-editing")
        assert purpose.text == typed
        await _press(pilot, "escape", "y")
        assert isinstance(app.screen, AgreementScreen)
        assert not app.screen.has_class("-editing")
        assert app.focused is app.screen.query_one("#agreement-view")  # not a hidden field
        assert get_agreement(sample_db, pilot_id).version == before.version
        # again, and this time save from the prompt
        await _press(pilot, "e", *"Fewer people sleeping rough. ")
        await _press(pilot, "escape", "ctrl+s")
        assert isinstance(app.screen, AgreementScreen)
        assert not app.screen.has_class("-editing")
    saved = get_agreement(sample_db, pilot_id)
    assert saved.version == before.version + 1
    assert saved.purpose == "Fewer people sleeping rough. " + before.purpose


class RatingsApp(App[None]):
    def __init__(self, widget: PartnershipRatings) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


async def test_ratings_widget_shows_latest_and_change(sample_db: Database) -> None:
    summary = pilot_ratings(sample_db, pilot_id_named(sample_db, "Luton"))
    assert summary is not None and summary.previous is not None
    widget = PartnershipRatings(summary, id="ratings")
    async with RatingsApp(widget).run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        text = str(widget.render())
        assert "History of cross-sector relationships" in text
        assert f"assessed {summary.latest.assessed_on:%d %b %Y}" in text
        assert summary.change == {"history": 0, "attitudes": 1, "vcs": 0, "capacity": 1}
        assert text.count("▲ +1") == 2 and text.count("= 0") == 2
        widget.summary = None
        await pilot.pause()
        assert str(widget.render()) == "Partnership variables: not assessed yet"
    assert render_ratings(None).plain == "Partnership variables: not assessed yet"
