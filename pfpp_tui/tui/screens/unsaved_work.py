"""Unsaved work across the app: how a screen says it holds some, and the question before quitting.

Owns: ``HoldsUnsavedWork`` — the one hook a screen implements, ``unsaved_work()``, returning a
few words naming what closing it now would lose (``"edit of barrier 89"``) or None —, reading
those descriptions from every mode's screen stack (``unsaved_work_in``), and the modal that
names them before the app quits (``QuitWithUnsavedWorkScreen``: ``n``/``escape`` go back, the
default; ``y`` quits anyway). The app learns nothing else about a screen's internals; no data
access here.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from rich.markup import escape
from textual.app import App

from pfpp_tui.tui.screens.dialogs import ConfirmScreen


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen that can hold typed or chosen work not yet saved."""

    def unsaved_work(self) -> str | None:
        """What closing the screen now would lose, in a few words; None when nothing would be."""
        ...


def unsaved_work_in(app: App[Any]) -> list[str]:
    """Every description of unsaved work on any mode's screen stack, the screen on show first.

    A screen still mounting is skipped: nothing can have been typed into it yet (and the
    state it compares against is taken as it mounts).
    """
    modes = dict.fromkeys((app.current_mode, App.DEFAULT_MODE, app.DEFAULT_MODE, *app.MODES))
    found: list[str] = []
    for mode in modes:
        try:
            stack = app.get_screen_stack(mode)
        except KeyError:  # a mode never shown has no stack yet
            continue
        for screen in reversed(stack):
            if screen.is_mounted and isinstance(screen, HoldsUnsavedWork):
                described = screen.unsaved_work()
                if described:
                    found.append(described)
    return found


class QuitWithUnsavedWorkScreen(ConfirmScreen):
    """Quitting would lose ``work``: ``n``/``escape`` (focused) go back, ``y`` quits anyway."""

    def __init__(self, work: list[str]) -> None:
        self.work = list(work)
        question = (
            "Quit and lose work that is not saved?\n\n"
            f"Unsaved: {', '.join(self.work)}\n\n"
            "Go back to save it (ctrl+s on its screen), or quit anyway."
        )
        super().__init__(escape(question), "Quit anyway", no="Go back")
