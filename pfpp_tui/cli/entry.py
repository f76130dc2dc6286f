"""The ``pfpp`` console script: the app at once for ``pfpp`` and ``pfpp --db X``; every other
command line through the Typer command tree (``cli.main``), as before.

Building the command tree — Typer, Click and the eleven command modules — took ~0.1 s before
anything happened, and opening the app needs none of it (issue 19: the first frame). Only the
two command lines that open the app on a database are taken here, word for word; ``--help``,
a command, an option spelled any other way or missing its value go to ``cli.main.run``, which
says and does exactly what it did.
"""

from __future__ import annotations

import sys


def app_location(argv: list[str]) -> tuple[bool, str | None]:
    """(True, the ``--db`` value or None) when ``argv`` only opens the app; else (False, None)."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        return True, argv[0][len("--db=") :]
    return False, None


def run() -> None:
    """Console-script entry point."""
    opens_app, location = app_location(sys.argv[1:])
    if not opens_app:
        from pfpp_tui.cli.main import run as run_command

        run_command()
        return
    from pfpp_tui.errors import PfppError
    from pfpp_tui.process_exit import leave

    try:
        from pfpp_tui.tui.app import run_app

        code = run_app(location)
    except PfppError as exc:  # as ``cli.common.PfppGroup`` says it: one line, exit 1
        print(f"pfpp: {exc}", file=sys.stderr)
        code = 1
    leave(code)
