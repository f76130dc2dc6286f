"""Unsaved work across the app: how a screen says it holds some, and where such screens are.

Owns: ``HoldsUnsavedWork`` — the one small protocol a screen implements to hold typed or
chosen work not yet saved: name it (``unsaved_work()``: ``"a new barrier"`` or None), drop it
(``discard_unsaved_work()``, ``y`` in the question), save it (``save_unsaved_work(then)``,
``ctrl+s`` in the question) — and ``unsaved_work_in``, every such screen on any mode's stack
(quitting). The question itself and every move that asks it live in ``tui.navigation``; the app
learns nothing else about a screen's internals. No data access here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.screen import Screen

from pfpp_tui.tui.workspace import Leaving


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen that can hold typed or chosen work not yet saved."""

    def unsaved_work(self) -> str | None:
        """What closing the screen now would lose, in a few words; None when nothing would be."""
        ...

    def discard_unsaved_work(self) -> None:
        """Drop the work (``y``): the screen then holds none; the move closes it.

        A meeting log keeps what was typed as a draft, offered back by ``m``.
        """
        ...

    def save_unsaved_work(self, then: Callable[[], object]) -> None:
        """Save the work (``ctrl+s``) and call ``then`` once it is saved — never if it fails."""
        ...


def unsaved_work_in(app: App[Any]) -> list[Screen[Any]]:
    """Every screen on any mode's stack, the current mode's first and top first.

    Which of them hold work is asked by ``tui.navigation`` (a screen still mounting holds none).
    """
    modes = dict.fromkeys((app.current_mode, App.DEFAULT_MODE, app.DEFAULT_MODE, *app.MODES))
    found: list[Screen[Any]] = []
    for mode in modes:
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:  # a mode never shown has no stack yet
            continue
        found.extend(reversed(stack))
    return found


def while_open(screen: Screen[Any]) -> Leaving:
    """``screen`` while it is still on its stack: what its own ``escape`` leaves."""
    return lambda: [screen] if screen in screen.app.screen_stack else []
