"""One guarded way to move: every key and palette command that leaves or covers a screen asks
before it loses work, with the same question, on every screen that holds some.

The moves are read from the app itself — every app binding, the holding screen's own
``escape``, every palette command and a palette "Go to" — so a new one that skips the guard
fails here. Each runs against a new barrier form with a typed title, a review with a decision
taken, an agreement being edited and a meeting log with an attendee and notes. The question
appears ("Unsaved: a new barrier — y discard · n keep editing · ctrl+s save"); ``n`` keeps the
work exactly as it was; ``y`` moves; a meeting log discarded that way is offered back by ``m``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import SIZE, settle  # type: ignore[import-not-found]
from seed import Seeded  # type: ignore[import-not-found]
from sqlmodel import func, select
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.screen import Screen
from textual.widgets import Input, TextArea

from pfpp_tui.models import Barrier, Meeting
from pfpp_tui.store.db.database import Database
from pfpp_tui.tui.app import PfppApp
from pfpp_tui.tui.commands import PfppCommands
from pfpp_tui.tui.screens.agreement import AgreementScreen
from pfpp_tui.tui.screens.dialogs import DiscardChangesScreen
from pfpp_tui.tui.screens.meeting_draft import RestoreDraftScreen
from pfpp_tui.tui.screens.meeting_log import MeetingLogScreen
from pfpp_tui.tui.screens.record_form import RecordFormScreen
from pfpp_tui.tui.screens.review import ReviewScreen

# App bindings that neither leave nor cover a screen's work: ctrl+z undoes a saved change,
# ``?`` shows the keys over it, ctrl+p opens the palette (whose commands are walked below).
NOT_MOVES = {"undo", "help", "command_palette"}
MOVES = {"section", "workflow", "quit"}
# Palette commands that open nothing: colours, saved views (on a section only), Textual's keys
# panel and maximise. Textual's "Screenshot" writes a file and opens nothing: not run here.
STAYS = ("Theme: ", "View: ", "Keys", "Maximize", "Minimize", "Screenshot")
NOTES = "Agreed to pool the grants"


async def _press(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


def _count(db: Database, model: Any) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


@dataclass
class Holder:
    screen: Screen[Any]
    words: str
    intact: Callable[[], bool]


async def _to_luton(pilot: Any) -> None:
    await _press(pilot, "1")
    await _press(pilot, "j")  # Hackney, Luton: the cursor on Luton (the last row)


async def _form(pilot: Any, app: PfppApp) -> Holder:
    await _press(pilot, "6", "n")
    form = app.screen
    assert isinstance(form, RecordFormScreen)
    await _press(pilot, *"Rats in the bins")
    title = form.query_one("#field-title", Input)
    assert title.value == "Rats in the bins"
    return Holder(form, "a new barrier", lambda: title.value == "Rats in the bins")


async def _review(pilot: Any, app: PfppApp) -> Holder:
    await _to_luton(pilot)
    await _press(pilot, "R")
    review = app.screen
    assert isinstance(review, ReviewScreen) and review.agenda is not None
    await _press(pilot, "d")
    taken = list(review.decisions)
    assert len(taken) == 1
    return Holder(review, "1 decision taken in the review of Luton",
                  lambda: review.decisions == taken)  # fmt: skip


async def _agreement(pilot: Any, app: PfppApp) -> Holder:
    await _to_luton(pilot)
    await _press(pilot, "a", "e")
    agreement = app.screen
    assert isinstance(agreement, AgreementScreen) and agreement.editing
    purpose = agreement.query_one("#field-purpose", TextArea)
    await _press(pilot, *"Quicker referrals. ")
    typed = purpose.text
    assert typed.startswith("Quicker referrals. ")
    return Holder(agreement, "edit of the Luton agreement",
                  lambda: agreement.editing and purpose.text == typed)  # fmt: skip


async def _meeting_log(pilot: Any, app: PfppApp) -> Holder:
    await _to_luton(pilot)
    await _press(pilot, "m")
    if isinstance(app.screen, RestoreDraftScreen):  # a log left by the last move: offered back
        assert "Restore the meeting you were logging for Luton?" in str(
            app.screen.query_one("#question").render()
        )
        await _press(pilot, "y")
        log = app.screen
        assert isinstance(log, MeetingLogScreen)
    else:
        log = app.screen
        assert isinstance(log, MeetingLogScreen)
        await _press(pilot, *"patel", "enter", "enter")
        await _press(pilot, *NOTES)
    notes = log.query_one("#notes", TextArea)
    assert [a.contact_id is not None for a in log.attendees] == [True] and notes.text == NOTES
    return Holder(log, "a meeting being logged for Luton",
                  lambda: len(log.attendees) == 1 and notes.text == NOTES)  # fmt: skip


HOLDERS: dict[str, Callable[[Any, PfppApp], Awaitable[Holder]]] = {
    "form": _form,
    "review": _review,
    "agreement": _agreement,
    "meeting log": _meeting_log,
}


@dataclass
class Move:
    name: str
    run: Callable[[Any, PfppApp], Awaitable[None]]
    binding: Binding | None = None

    def reaches(self, screen: Screen[Any]) -> bool:
        """A modal screen keeps the app's keys from the app, but for priority ones and those it
        binds again itself (the record form: the section keys, ``q`` and ``?``)."""
        binding = self.binding
        if binding is None or binding.priority or not screen.is_modal:
            return True
        return any(
            isinstance(own, Binding) and own.key == binding.key
            and own.action == f"app.{binding.action}"
            for cls in type(screen).__mro__
            for own in getattr(cls, "BINDINGS", ())
        )  # fmt: skip


def _binding_moves(app: PfppApp) -> list[Move]:
    """Every app binding that moves; each one pressed, or run where the screen shadows its key."""
    moves: list[Move] = []
    for binding in app.BINDINGS:
        assert isinstance(binding, Binding)
        name = binding.action.partition("(")[0]
        assert name in MOVES | NOT_MOVES, f"{binding.action}: a move or not? say so above"
        if name in MOVES:
            moves.append(Move(f"key {binding.key} ({binding.action})", _key(binding), binding))
    return moves


def _key(binding: Binding) -> Callable[[Any, PfppApp], Awaitable[None]]:
    async def run(pilot: Any, app: PfppApp) -> None:
        screen = app.screen
        screen.set_focus(None)  # a key typed into a text field is a letter, not a move
        own = {
            key.strip()
            for own_binding in type(screen).BINDINGS
            if isinstance(own_binding, Binding)
            for key in own_binding.key.split(",")
        }
        if binding.key in own:  # the review's ``a`` is its own: the app's still goes the same way
            await app.run_action(binding.action)
        else:
            await pilot.press(binding.key)
        await pilot.pause()

    return run


async def _escape(pilot: Any, app: PfppApp) -> None:
    app.screen.set_focus(None)
    await pilot.press("escape")
    await pilot.pause()


async def _palette_go_to(pilot: Any, app: PfppApp) -> None:
    """ctrl+p, "Hackney", enter on its hit "Pilot · Hackney": the palette as a user drives it."""
    await _press(pilot, "ctrl+p")
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await _press(pilot, *"Hackney")
    options = palette.query_one(CommandList)

    def hits() -> list[str]:
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    for _ in range(500):  # the search runs off the event loop: wait for its hit, not a clock
        if any("Pilot · Hackney" in text for text in hits()):
            break
        await pilot.pause()
    options.highlighted = next(i for i, t in enumerate(hits()) if "Pilot · Hackney" in t)
    await _press(pilot, "enter")


def _palette_moves(app: PfppApp) -> list[Move]:
    """Every command the palette offers over the screen on show, run as the palette runs it."""
    provider = PfppCommands(app.screen)
    commands = {title: command for title, command, _ in provider._commands()}
    for system in app.get_system_commands(app.screen):
        commands[system.title] = system.callback
    moves = [Move("palette: Go to Pilot · Hackney", _palette_go_to)]
    for title, command in commands.items():
        if title.startswith(STAYS):
            continue

        async def run(pilot: Any, app: PfppApp, command: Callable[[], Any] = command) -> None:
            result = command()
            if isinstance(result, Awaitable):
                await result
            await pilot.pause()

        moves.append(Move(f"palette: {title}", run))
    return moves


async def _reset(pilot: Any, app: PfppApp) -> None:
    """Back to a section with nothing over it, nothing asked."""
    while len(app.screen_stack) > 1:
        await app.pop_screen()
    await settle(pilot)


# What stays put: the move opens nothing here (R/a/h need a record or a pilot; a form has
# neither), or the screen on show already is what it would open.
STAYS_ON = {
    "form": {"workflow('review')", "workflow('agreement')", "workflow('history')"},
    "review": {"workflow('review')"},
    "agreement": {"workflow('agreement')"},
    "meeting log": {"workflow('meeting_log')", "Workflow: log a meeting"},
}


# ``y`` is walked for one section key (all seven are ``navigation.show_section``), every other
# key and escape, the palette's "Go to", a "New …" and an "Insight:" (every other palette
# command opens its screen through the same ``navigation.cover``).
Y_KINDS = ("palette: New ", "palette: Insight: ")


def _y_walk(moves: list[Move]) -> list[Move]:
    sections = [m for m in moves if "section(" in m.name]  # one move: show_section
    chosen = [m for m in moves if not m.name.startswith("palette: ") or "Go to" in m.name]
    chosen = [m for m in chosen if m not in sections[1:]]
    for kind in Y_KINDS:
        chosen.extend([m for m in moves if m.name.startswith(kind)][:1])
    return [m for m in chosen if "quit" not in m.name.lower()]


async def _asked(pilot: Any, app: PfppApp) -> bool:
    for _ in range(50):  # the question is pushed as the move runs: a few message rounds at most
        if isinstance(app.screen, DiscardChangesScreen):
            return True
        await pilot.pause()
    return False


@pytest.mark.parametrize("kind", list(HOLDERS))
async def test_every_move_asks_before_it_loses_work(
    seeded_path: tuple[Path, Seeded], check_db: Database, kind: str
) -> None:
    barriers, meetings = _count(check_db, Barrier), _count(check_db, Meeting)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder = await HOLDERS[kind](pilot, app)
        moves = [*_binding_moves(app), Move("escape", _escape), *_palette_moves(app)]
        # Every move: asked, and ``n`` keeps the work as it was (one piece of work, kept).
        for move in moves:
            stack = list(app.screen_stack)
            await move.run(pilot, app)
            if any(s in move.name for s in STAYS_ON[kind]) or not move.reaches(holder.screen):
                assert app.screen_stack == stack and holder.intact(), f"{move.name} moved"
                continue
            assert await _asked(pilot, app), f"{move.name}: not asked"
            question = str(app.screen.query_one("#question").render())
            assert question == f"Unsaved: {holder.words} — y discard · n keep editing · ctrl+s save"
            await pilot.press("n")
            await pilot.pause()
            assert app.screen is holder.screen and holder.intact(), f"{move.name}: n lost work"
        # ``y``: the move goes ahead (a discarded meeting log is offered back by ``m``).
        await _reset_keeping(pilot, app)
        first = holder.screen
        for move in _y_walk(moves):
            if any(s in move.name for s in STAYS_ON[kind]) or not move.reaches(first):
                continue  # walked above: it stays put
            holder = await HOLDERS[kind](pilot, app)
            await move.run(pilot, app)
            assert await _asked(pilot, app), f"{move.name}: not asked"
            await _press(pilot, "y")
            await settle(pilot)
            assert not isinstance(app.screen, DiscardChangesScreen)
            if kind == "agreement" and move.name == "escape":
                assert isinstance(holder.screen, AgreementScreen) and not holder.screen.editing
            else:
                assert holder.screen not in app.screen_stack, f"{move.name}: y did not move"
            await _reset(pilot, app)
        # Last, quitting for real: y quits and stores nothing.
        await HOLDERS[kind](pilot, app)
        await _press(pilot, "ctrl+q")
        assert isinstance(app.screen, DiscardChangesScreen)
        await _press(pilot, "y")
        await pilot.pause()
        assert not app.is_running
    assert (_count(check_db, Barrier), _count(check_db, Meeting)) == (barriers, meetings)


async def _reset_keeping(pilot: Any, app: PfppApp) -> None:
    """Drop the work on show quietly, as ``y`` on ``escape`` would, then back to the section."""
    await _escape(pilot, app)
    if isinstance(app.screen, DiscardChangesScreen):
        await _press(pilot, "y")
    await _reset(pilot, app)


async def test_ctrl_s_in_the_question_saves_then_goes(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """A review with a decision, the palette's go-to, ``ctrl+s``: saved, then there."""
    meetings = _count(check_db, Meeting)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder = await _review(pilot, app)
        await _palette_go_to(pilot, app)
        assert await _asked(pilot, app)
        await _press(pilot, "ctrl+s")
        await settle(pilot)
        assert holder.screen not in app.screen_stack
        assert app.current_mode == "pilots"
        assert app.undo_stack and "review meeting with Luton" in app.undo_stack[-1][1]
    assert _count(check_db, Meeting) == meetings + 1  # the review, recorded as a meeting


async def test_ctrl_s_that_cannot_save_keeps_editing_and_does_not_move(
    seeded_path: tuple[Path, Seeded], check_db: Database
) -> None:
    """A form whose save is refused (a date it cannot read) stays, and the move is dropped:
    a later save by the user does not suddenly go somewhere."""
    barriers = _count(check_db, Barrier)
    app = PfppApp(str(seeded_path[0]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        holder = await _form(pilot, app)
        raised = holder.screen.query_one("#field-raised_on", Input)
        raised.value = "the day after never"  # not a date: ctrl+s is refused in place
        mode = app.current_mode
        await _palette_go_to(pilot, app)
        assert await _asked(pilot, app)
        await _press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is holder.screen and app.current_mode == mode
        raised.value = "today"
        await _press(pilot, "ctrl+s")  # saved now, by the user: the refused go-to stays dropped
        await settle(pilot)
        assert holder.screen not in app.screen_stack and app.current_mode == mode
    assert _count(check_db, Barrier) == barriers + 1
