"""Leaving the process once a command or the app is done, without tearing the interpreter down.

Owns ``leave(code)``: what Python's own exit does that matters — wait for non-daemon threads
(a write still running in a worker finishes and commits), run the ``atexit`` handlers (they
close the databases still open: ``store.db.database``), flush stdout and stderr — and then
``os._exit``. What it skips is the interpreter's teardown: freeing every module and object one
by one, which with SQLAlchemy, SQLModel, pydantic and Textual loaded took ~300 ms after the
app had already restored the terminal (issue 19: ``ctrl+q`` to the process gone was 2.3x a
minimal Textual app's). Nothing of pfpp relies on that teardown: files are written under
``with`` and renamed whole (``exporters.atomic``), and every write transaction has committed or
rolled back before its worker ends.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

BROKEN_STDOUT = 120  # what Python itself exits with when flushing stdout at exit fails


def exit_code(code: object) -> int:
    """``SystemExit.code`` as a process exit code; a message is printed to stderr (code 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def leave(code: object) -> None:
    """Exit now with ``code`` (a ``SystemExit.code``), after threads, ``atexit`` and flushing."""
    status = exit_code(code)
    # What Py_FinalizeEx does first: wait for non-daemon threads (and run the threading
    # module's own exit hooks, which stop idle thread pools), then the atexit handlers.
    getattr(threading, "_shutdown")()  # noqa: B009 -- private in name only: the exit path's own
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            status = status or BROKEN_STDOUT
    os._exit(status)
