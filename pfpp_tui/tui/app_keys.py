"""The app's keys that still work over a pop-up form: the section keys, ``q`` and ``?``.

Owns: ``SECTION_BINDINGS``, ``QUIT``, ``HELP``, ``PALETTE`` (declared once, with the ids a
``[keymap]`` remaps; the app binds them as they are) and ``ModalWithAppKeys``, a modal screen
that binds them again for itself. Textual keeps every key of the app from a modal screen but
the priority ones, so over the record form ``1``…``6``, ``0``, ``q`` and ``?`` did nothing at
all while the key bar beneath still offered them. Bound on the form they run the app's own
actions, so they go the one guarded way (``tui.navigation``): the Unsaved question first when
the form holds work. In a text field they are letters, as everywhere. No data access.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

SECTION_BINDINGS = [
    Binding("0", "section('overview')", "Overview", id="section.overview"),
    Binding("1", "section('pilots')", "Pilots", id="section.pilots"),
    Binding("2", "section('contacts')", "People", id="section.people"),
    Binding("3", "section('organisations')", "Orgs", id="section.organisations"),
    Binding("4", "section('meetings')", "Meetings", id="section.meetings"),
    Binding("5", "section('actions')", "Actions", id="section.actions"),
    Binding("6", "section('barriers')", "Barriers", id="section.barriers"),
]
HELP = Binding("question_mark", "help", "Keys", id="app.help")
QUIT = Binding("q", "quit", "Quit", id="app.quit")
# Textual's own ctrl+p binding, the same key, re-declared with an id so a ``[keymap]`` can remap
# it like every other key (``COMMAND_PALETTE_BINDING`` is added without one unless bound here).
PALETTE = Binding(
    App.COMMAND_PALETTE_BINDING,
    "command_palette",
    "Commands",
    show=False,
    priority=True,
    id="app.palette",
    tooltip="Open the command palette",
)


def on_the_app(bindings: list[Binding]) -> list[BindingType]:
    """The same bindings (same keys and ids) running the app's actions from another node."""
    return [replace(b, action=f"app.{b.action}") for b in bindings]


ResultType = TypeVar("ResultType")


class ModalWithAppKeys(ModalScreen[ResultType]):
    """A modal screen on which the section keys, ``q`` and ``?`` work as on any other screen.

    The app lets its section keys run over such a screen (``PfppApp.check_action``); other
    modals (a yes/no question, a picker) keep them off.
    """

    # The palette works over a modal anyway (a priority key: the app's runs first); bound here
    # too so that the form's key bar, which lists the form's bindings, offers it.
    BINDINGS = on_the_app([*SECTION_BINDINGS, QUIT, HELP, PALETTE])
