"""Keys in the order they were typed: a screen's priority key that waits for the field first.

Owns: ``settled``. Textual resolves a widget's own bindings (enter in an Input, tab) only once
the key has bubbled back to the app, behind the keys that arrived after it; a screen that takes
such a key as a priority binding acts as it arrives, and awaits ``settled`` first so that the
field has handled the keys typed before it.
"""

from __future__ import annotations

import asyncio
import contextlib

from textual.message_pump import MessagePump

SETTLE_LIMIT_S = 2.0


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
