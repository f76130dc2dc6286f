"""The one way to move between screens: ``navigate``, and the moves built on it.

Owns: the guard every move goes through — section keys, the workflow keys, the palette's
"Go to" and its other commands, a link, ``escape`` (``close``) on any screen, quitting. When a
screen the move would close or cover holds unsaved work (``HoldsUnsavedWork``), one question
names it — "Unsaved: a new barrier — y discard · n keep editing · ctrl+s save" — and the move
runs only on ``y`` (after each screen drops its work: a meeting log keeps a draft that ``m``
offers back) or after a ``ctrl+s`` save has succeeded. ``n``/``escape`` keep everything as
it was. Also the moves themselves: ``go_to`` a record, ``show_section``, ``cover`` (push a
screen over the one on show). No data access; screens reach this through ``Workspace``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual.app import App
from textual.screen import Screen

from pfpp_tui.store.listing.browse import SECTIONS
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen, Unsaved
from pfpp_tui.tui.screens.overview import OverviewScreen
from pfpp_tui.tui.screens.section import SectionScreen
from pfpp_tui.tui.screens.unsaved_work import HoldsUnsavedWork, unsaved_work_in, while_open
from pfpp_tui.tui.workspace import Leaving

SECTION_FOR_TABLE = {s.table: key for key, s in SECTIONS.items()}


def navigate(app: App[Any], then: Callable[[], object], *, leaving: Leaving) -> None:
    """Run the move ``then``, asking first if a screen in ``leaving()`` holds unsaved work.

    ``y`` drops the work of every such screen (``discard_unsaved_work``) and moves;
    ``ctrl+s`` saves the one on show and, once it is saved, tries the move again (asking
    about any other screen that still holds work); ``n``/``escape`` do nothing at all.
    """
    if isinstance(app.screen, DiscardChangesScreen):
        return  # already asking: a second move is not an answer
    held = _holding(leaving())
    if not held:
        then()
        return
    shown, first, _ = held[0]

    def answered(choice: Unsaved | None) -> None:
        if choice is Unsaved.DISCARD:
            for _, holder, _ in held:
                holder.discard_unsaved_work()
            then()
        elif choice is Unsaved.SAVE:
            first.save_unsaved_work(lambda: app.call_later(navigate, app, then, leaving=leaving))

    # ctrl+s saves the screen on show only: a screen out of sight would save unseen.
    question = DiscardChangesScreen([words for *_, words in held], can_save=shown is app.screen)
    app.push_screen(question, answered)


def _holding(screens: Sequence[Screen[Any]]) -> list[tuple[Screen[Any], HoldsUnsavedWork, str]]:
    """The screens among ``screens`` that hold work, with the words that name it."""
    held: list[tuple[Screen[Any], HoldsUnsavedWork, str]] = []
    for screen in screens:
        # A screen still mounting holds nothing yet (it compares against its state as mounted).
        if screen.is_mounted and isinstance(screen, HoldsUnsavedWork):
            words = screen.unsaved_work()
            if words:
                held.append((screen, screen, words))
    return held


# --- what a move leaves ----------------------------------------------------------------------


def over_base(app: App[Any]) -> Leaving:
    """Every screen over the current mode's first one (a section or the overview), top first."""
    return lambda: list(reversed(app.screen_stack[1:]))


def on_show(app: App[Any]) -> Leaving:
    """The screen on show: the one a pushed screen covers."""
    return lambda: [app.screen]


def everywhere(app: App[Any]) -> Leaving:
    """Every screen on every mode's stack (quitting)."""
    return lambda: unsaved_work_in(app)


# --- the moves -------------------------------------------------------------------------------


def is_base(screen: Screen[Any]) -> bool:
    return isinstance(screen, (SectionScreen, OverviewScreen))


def back_to_base(app: App[Any]) -> None:
    """Close every screen pushed over the current section or the overview."""
    while len(app.screen_stack) > 1 and not is_base(app.screen):
        app.pop_screen()


def show_section(app: App[Any], mode: str, *, ready: bool) -> None:
    """Close what is over the section on show (guarded), then switch to ``mode``."""

    def move() -> None:
        back_to_base(app)
        if ready and app.current_mode != mode:
            app.switch_mode(mode)

    navigate(app, move, leaving=over_base(app))


def go_to(app: App[Any], table: str, row_id: int, *, ready: bool) -> None:
    """Open a record in its section (a link, the palette, an insight screen): guarded."""
    mode = SECTION_FOR_TABLE.get(table)
    if mode is None or not ready:
        return

    def move() -> None:
        back_to_base(app)
        if app.current_mode != mode:
            app.switch_mode(mode)
        screen = app.screen
        if isinstance(screen, SectionScreen):
            screen.show_record(row_id)

    navigate(app, move, leaving=over_base(app))


def close(app: App[Any], screen: Screen[Any], result: object = None) -> None:
    """A screen's own ``escape``: dismiss ``screen`` with ``result`` (guarded: a screen holding
    work asks first; one holding none closes at once, the same way)."""

    def move() -> None:
        if app.screen is screen:  # not when a save asked for on the way closed it already
            screen.dismiss(result)

    navigate(app, move, leaving=while_open(screen))


def cover(
    app: App[Any],
    make: Callable[[], Screen[Any] | None],
    callback: Callable[[Any], None] | None = None,
) -> None:
    """Push the screen ``make()`` builds over the one on show (guarded).

    The screen on show is read before asking (``make`` may use what it shows). If it held
    work that was then dropped or saved, it closes first: a form left open without its work
    would only confuse.
    """
    below = app.screen
    held = bool(_holding([below]))

    def move() -> None:
        if held and app.screen is below:
            below.dismiss(None)
        screen = make()
        if screen is not None:
            app.push_screen(screen, callback)

    navigate(app, move, leaving=on_show(app))
