"""The one way to move between screens: ``navigate``.

Owns: every move that leaves or covers a screen (section keys, the workflow keys, the palette's
"Go to", a link, ``escape``, quitting) runs through ``navigate``. No data access.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from pfpp_tui.tui.workspace import Leaving


def navigate(app: App[Any], then: Callable[[], object], *, leaving: Leaving) -> None:
    """Run the move ``then``."""
    then()
