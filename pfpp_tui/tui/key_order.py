"""Keys in the order they were typed, each landing where focus is when its turn comes.

Owns: ``KeysInOrderApp`` (the app's one key path), ``keys_wait_for`` (the work of a screen
that the next key waits for: a triage decision being written) and ``settled``.

Textual hands a key to the focused widget's queue and goes on with the next key at once; a key
the widget does not take itself (enter in an Input, an app key such as ``m``) comes back to the
app behind every key typed after it, and a screen pushed by a key is not mounted (nor focused)
when the next keys arrive. In a burst — a terminal delivering keys faster than the app answers,
a paste, ``tmux send-keys`` — keys then landed in the field focus was leaving, in the screen
underneath, or nowhere. ``KeysInOrderApp`` takes the typed keys one at a time instead: the next
key goes out only once the one before it has been dealt with (the widget, its containers and
the screen have handled it, and the app too if it came back), once a screen it opened has
mounted and set its focus, and once the work the screen names in ``KEYS_WAIT_FOR`` is done.
Nothing is dropped; a key waits at most ``SETTLE_LIMIT_S`` for each widget or screen and
``WORKER_LIMIT_S`` for a screen's work. ``PfppApp`` (and the tests' host app) is one; since
every key goes through it, a priority binding that acts on a field (a form's, the review's or
the agreement's ``ctrl+s``) sees every key typed before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import deque
from collections.abc import Coroutine
from typing import Any

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerError, WorkerState

SETTLE_LIMIT_S = 2.0
# A screen's work a key waits for (a write waiting on another program's lock): past this the
# keys go on, and the screen deals with them as it does with any key typed while it works.
WORKER_LIMIT_S = 60.0
# Keys that act as they arrive, ahead of any kept: quitting.
KEYS_AT_ONCE = frozenset({"ctrl+q", "ctrl+c"})


async def settled(widget: MessagePump | None) -> None:
    """Return once ``widget`` has handled every message (the keys typed into it) posted so far.

    A screen's priority binding (enter, tab) runs as the key reaches the app, while the keys
    before it may still wait in the focused field's queue: awaiting this first, it acts on the
    field as typed up to that key, and the keys after it wait in the app's queue meanwhile.
    """
    if widget is None:
        return
    done = asyncio.Event()
    if widget.call_later(done.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), SETTLE_LIMIT_S)


def keys_wait_for(screen: Screen[Any]) -> tuple[str, ...]:
    """The worker groups whose work the next key typed on ``screen`` waits for.

    A screen names them in ``KEYS_WAIT_FOR``: triage its decision being written and the next
    barrier loading (a key decides on the barrier it shows), review and the agreement their
    first load (``d`` or ``e`` typed as the screen opens acts on what it loads); the command
    palette its search.
    """
    if isinstance(screen, CommandPalette):
        # Textual's palette: enter typed before its search answered closed it, doing nothing
        # ("ctrl+p Durham ⏎" in one burst).
        return (CommandPalette._GATHER_COMMANDS_GROUP,)
    groups: tuple[str, ...] = getattr(screen, "KEYS_WAIT_FOR", ())
    return groups


Typed = events.Key | events.Paste


def typed_ahead_enter() -> events.Key:
    """Enter typed before the app took the terminal over, as it is meant.

    Keys typed while the app starts (``pfpp`` ⏎ then straight on; seconds on a busy machine)
    reach a terminal still in its line mode, which turns Enter into a newline: ``ctrl+j``. In
    ``tmux send-keys`` "t 1 l Enter" right after the start, every Enter was lost that way.
    pfpp binds nothing to ``ctrl+j``.
    """
    return events.Key("enter", "\r")


class KeysInOrderApp(App[None]):
    """An app whose typed keys (and pastes) are handed on one at a time, in order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._typed: deque[Typed] = deque()
        self._key_out = False  # a key (or a screen's readiness) is being waited on
        # The screen last seen ready on top (mounted, its focus set, its callbacks run): a
        # screen newly pushed, or shown again when one over it closed, is waited on first.
        self._ready_top: weakref.ref[Screen[Any]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._delivered = asyncio.Event()
        self._delivered.set()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and event.key in KEYS_AT_ONCE:
            await super().on_event(event)  # quitting never waits behind the keys before it
            return
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if isinstance(event, events.Key) and event.key == "ctrl+j":
                event = typed_ahead_enter()
            self._typed.append(event)
            self._delivered.clear()
            await self.deliver_keys()
            return
        await super().on_event(event)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """Quitting: the keys typed after the one that quits go nowhere."""
        self._typed.clear()
        self._delivered.set()
        super().exit(*args, **kwargs)

    async def keys_delivered(self) -> None:
        """Wait until every key typed so far has been handed on and dealt with (tests)."""
        await self._delivered.wait()

    async def deliver_keys(self) -> None:
        """Hand on the kept keys, in order, for as long as the screen on show takes them."""
        while self._typed and not self._key_out:
            if not self._screen_stack:  # nothing to type into yet: Textual's own path
                await super().on_event(self._typed.popleft())
                continue
            screen = self.screen
            if self._ready_top is None or self._ready_top() is not screen:
                self._wait(self._screen_ready(screen))
                return
            groups = keys_wait_for(screen)
            busy = [w for w in self.workers if w.node is screen and w.group in groups]
            busy = [w for w in busy if not w.is_finished]
            if busy:
                self._wait(self._worker_done(screen, busy[0]))
                return
            event = self._typed.popleft()
            target: Widget = self.focused or screen
            chain: list[MessagePump] = [target]
            chain += [node for node in target.ancestors if node is not self]
            self._key_out = True
            await super().on_event(event)
            self._wait(self._dealt_with(chain))
        if not self._typed and not self._key_out:
            self._delivered.set()

    async def _dealt_with(self, chain: list[MessagePump]) -> None:
        """The key has gone through the focused widget and each container up to the screen.

        A key none of them took is then back in the app's queue (bubbled), ahead of the
        delivery of the next key, so the app's own bindings act on it in its turn.
        """
        for node in chain:
            await settled(node)
        # A key that came back: the app's bindings act on it (enter in an Input: submit),
        # then the field and its screen handle what that posted (the prompt closes).
        await settled(self)
        for node in chain:
            await settled(node)

    async def _worker_done(self, screen: Screen[Any], worker: Worker[Any]) -> None:
        """``worker`` is done and ``screen`` has handled what it posted (its answer)."""
        if worker.state is WorkerState.PENDING:
            await settled(self)  # it starts on the app's loop
        with contextlib.suppress(WorkerError, TimeoutError):  # failed: the screen says so
            await asyncio.wait_for(worker.wait(), WORKER_LIMIT_S)
        await settled(screen)

    async def _screen_ready(self, screen: Screen[Any]) -> None:
        """``screen`` has mounted and handled what it was sent (its focus set)."""
        if not screen.is_mounted:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(screen._mounted_event.wait(), SETTLE_LIMIT_S)
        await settled(screen)
        self._ready_top = weakref.ref(screen)

    async def _next_key(self) -> None:
        self._key_out = False
        await self.deliver_keys()

    def _wait(self, job: Coroutine[Any, Any, None]) -> None:
        """Hold the next key until ``job`` is done, then deliver it (whatever ``job`` raised).

        Through the app's queue: a focus change asked for meanwhile (``Widget.focus`` goes
        through ``app.call_later``), or a key that bubbled back, comes first.
        """
        self._key_out = True

        async def then_next() -> None:
            try:
                await job
            finally:
                self.call_later(self._next_key)

        task = asyncio.create_task(then_next())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
