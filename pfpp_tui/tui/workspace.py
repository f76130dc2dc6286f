"""What a screen may ask of the app it runs in: the ``Workspace`` interface, and how to find it.

Owns: ``Workspace`` — the few things screens, widgets, workflows and the palette need from the
session they run in (the database, remembering a change for ``ctrl+z``, saying data changed,
the meeting logs kept as drafts, going to a record or a section, and the one guarded way to
move, ``navigate``) — and ``workspace(node)``, the one typed way to reach it from any widget or
screen. ``PfppApp`` provides itself; the pilot tests' small host apps provide their own.
Nothing here imports a screen or the app (``MeetingDraft`` is named for the type checker
only): every module of ``tui/`` may import this one, so no cycle can start here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias
from weakref import WeakKeyDictionary

from textual.app import App
from textual.dom import DOMNode
from textual.screen import Screen

from pfpp_tui.config import Settings
from pfpp_tui.store.listing.sections import Page

if TYPE_CHECKING:  # the first frame shows before the ORM loads (issue 19); and a type only:
    # nothing here imports a screen (see above)
    from pfpp_tui.store.db.database import Database
    from pfpp_tui.tui.meeting_drafts import MeetingDraft

MeetingDrafts: TypeAlias = "dict[int | None, MeetingDraft]"
"""The session's unsaved meeting logs by pilot id (None: no pilot chosen yet)."""

Leaving = Callable[[], Sequence[Screen[Any]]]
"""The screens a move would close or cover, worked out when the move is asked (and again after
a save the user asked for, when the stack may have changed)."""


class Workspace(Protocol):
    """The session a screen works in. Screens get it through ``workspace(self)``."""

    @property
    def db(self) -> Database:
        """The open database (raises ``PfppError`` before it is open)."""
        ...

    @property
    def is_open(self) -> bool:
        """Whether the database is open yet (sections show "Loading…" until it is)."""
        ...

    @property
    def change_count(self) -> int:
        """Bumped by every change this session makes; a section shown again reloads if it moved."""
        ...

    @property
    def settings(self) -> Settings:
        """The user's settings (keymap, theme, saved views)."""
        ...

    def save_settings(self) -> None:
        """Write ``settings`` back (a failure is told, never raised)."""
        ...

    def first_window(self, key: str, sort: str, descending: bool) -> Page | Exception | None:
        """The first section's prefetched first window, once, if it is the one asked for."""
        ...

    def remember(self, batch: str, description: str) -> None:
        """A change made in this session, for ``ctrl+z``; also counts as ``changed()``."""
        ...

    def forget(self, batch: str) -> None:
        """A change undone another way (triage's ``u``) leaves the ``ctrl+z`` stack."""
        ...

    def changed(self) -> None:
        """Data changed: sections reload when next shown."""
        ...

    @property
    def meeting_drafts(self) -> MeetingDrafts:
        """Meeting logs closed without saving, kept for the session: ``m`` offers each back
        for its pilot until the app quits (``screens.meeting_draft``)."""
        ...

    def go_to(self, table: str, row_id: int) -> None:
        """Open a record in its section, closing what is over it (guarded: see ``navigate``)."""
        ...

    def show_section(self, mode: str) -> None:
        """Switch to a section (``"pilots"``…) or the overview (guarded: see ``navigate``)."""
        ...

    def close(self, screen: Screen[Any], result: object = None) -> None:
        """A screen's own ``escape``: dismiss it with ``result`` (guarded: see ``navigate``)."""
        ...

    def navigate(self, then: Callable[[], object], *, leaving: Leaving) -> None:
        """Run the move ``then`` — unless a screen in ``leaving()`` holds unsaved work.

        Then one question names the work first: ``y`` discards it and moves, ``n``/``escape``
        keeps editing (nothing lost, no move), ``ctrl+s`` saves and then moves.
        """
        ...


_PROVIDED: WeakKeyDictionary[App[Any], Workspace] = WeakKeyDictionary()


def provide(app: App[Any], workspace: Workspace) -> None:
    """Make ``workspace`` the one the screens of ``app`` find (the app calls this as it starts)."""
    _PROVIDED[app] = workspace


def workspace(node: DOMNode) -> Workspace:
    """The workspace of the app ``node`` runs in."""
    app = node.app
    found = _PROVIDED.get(app)
    if found is None:
        raise LookupError(f"{type(app).__name__} provides no workspace (see tui.workspace)")
    return found
