"""The global workflow keys and insight commands: which screen to open, on what, and after.

Owns: reading what the user is looking at from the screen on top (``LookingAt``), pushing the
meeting log (``m``), barrier triage (``t``), review (``R``), agreement (``a``), history (``h``),
the coverage matrix and barrier patterns (palette) — each through ``navigation.cover``, so a
screen holding work is asked about first — and what happens when they close: the section
underneath reloads so it shows what the workflow changed. ``app.py`` binds the keys and
calls these; the screens do their own loading and saving in workers.

Each workflow screen is imported when it is first opened, not at start-up: together they (and
the store modules behind them: agenda, agreements, coverage…) were a fifth of the app's import
time before its first frame, which shows a section or the overview and needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from pfpp_tui.store.directory.workflow_lookup import Named
from pfpp_tui.tui.looking_at import LookingAt
from pfpp_tui.tui.navigation import cover
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.workspace import workspace

if TYPE_CHECKING:
    pass


def looking_at(screen: Screen[object]) -> LookingAt:
    """The record and pilot on ``screen``; empty when it shows none."""
    if isinstance(screen, (SectionScreen, OverviewScreen)):
        return screen.looking_at()
    # Any other screen that shows a record is a workflow screen, so its module is loaded.
    from pfpp_tui.tui.screens.agreement import AgreementScreen
    from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
    from pfpp_tui.tui.screens.review import ReviewScreen
    from pfpp_tui.tui.screens.triage import BarrierTriageScreen

    if isinstance(screen, AgreementScreen):
        name = screen.agreement.pilot if screen.agreement else f"pilot {screen.pilot_id}"
        agreement_id = screen.agreement.id if screen.agreement else None
        table = "partnership_agreement" if agreement_id is not None else "pilot"
        row_id = agreement_id if agreement_id is not None else screen.pilot_id
        label = f"agreement of {name}" if agreement_id is not None else name
        return LookingAt(table, row_id, label, Named(screen.pilot_id, name))
    if isinstance(screen, ReviewScreen):
        scope = screen.agenda.scope if screen.agenda else ""
        if screen.pilot_id is not None:
            pilot = Named(screen.pilot_id, scope or f"pilot {screen.pilot_id}")
            return LookingAt("pilot", screen.pilot_id, pilot.label, pilot)
        return LookingAt("organisation", screen.organisation_id, scope)
    if isinstance(screen, MeetingLogScreen) and screen.pilot is not None:
        return LookingAt("pilot", screen.pilot.id, screen.pilot.label, screen.pilot)
    if isinstance(screen, BarrierTriageScreen) and screen.context is not None:
        return LookingAt("barrier", screen.context.id, screen.context.title)
    return LookingAt()


def _reload_section(app: App[Any]) -> None:
    section = app.screen
    if isinstance(section, SectionScreen):
        section.reload(keep_cursor=True)


def _after(app: App[Any]) -> Callable[[object], None]:
    return lambda _result: _reload_section(app)


def open_meeting_log(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen

    if isinstance(app.screen, MeetingLogScreen):
        return
    pilot, db = looking_at(app.screen).pilot, workspace(app).db
    cover(app, lambda: MeetingLogScreen(db, pilot=pilot), _after(app))


def open_triage(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.triage import BarrierTriageScreen

    if not isinstance(app.screen, BarrierTriageScreen):
        db = workspace(app).db
        cover(app, lambda: BarrierTriageScreen(db), _after(app))


def open_review(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.review import ReviewScreen

    if isinstance(app.screen, ReviewScreen):
        return
    at, db = looking_at(app.screen), workspace(app).db
    if at.table == "organisation" and at.row_id is not None:
        organisation_id = at.row_id
        cover(app, lambda: ReviewScreen(db, organisation_id=organisation_id), _after(app))
    elif at.pilot is not None:
        pilot_id = at.pilot.id
        cover(app, lambda: ReviewScreen(db, pilot_id=pilot_id), _after(app))
    else:
        app.notify("Review works on a pilot or an organisation: put the cursor on one first.")


def open_agreement(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.agreement import AgreementScreen

    if isinstance(app.screen, AgreementScreen):
        return
    pilot, db = looking_at(app.screen).pilot, workspace(app).db
    if pilot is None:
        app.notify("An agreement belongs to a pilot: put the cursor on a pilot first.")
        return
    cover(app, lambda: AgreementScreen(db, pilot.id), _after(app))


def open_history(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.history import HistoryScreen

    at, db = looking_at(app.screen), workspace(app).db
    if at.table is None or at.row_id is None:
        app.notify("Put the cursor on a record to see its history.")
        return
    table, row_id = at.table, at.row_id
    cover(app, lambda: HistoryScreen(db, table, row_id, at.label))


def open_coverage(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.coverage import CoverageScreen

    db = workspace(app).db
    cover(app, lambda: CoverageScreen(db))


def open_patterns(app: App[Any]) -> None:
    from pfpp_tui.tui.screens.patterns import PatternsScreen

    db = workspace(app).db
    cover(app, lambda: PatternsScreen(db), _after(app))
