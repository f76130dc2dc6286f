"""How the TUI shows a read-only database: a mark beside each screen's title, one notice.

The store decides (``Database.read_only``) and refuses every write with a ``read-only: …``
line, which screens show like any other refused save; this module only words and marks it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

if TYPE_CHECKING:  # the first frame shows before the ORM loads (issue 19)
    from pfpp_tui.store.db.database import Database

READ_ONLY_MARK = "  [b reverse] read-only [/]"


def read_only_notice(db: Database) -> str:
    """The notification shown once when a read-only database opens."""
    return escape(
        f"read-only: {db.display_name} ({db.read_only_reason}) — browsing, filtering and "
        "export work; changes are off"
    )
