"""What every command shares: the ``--db`` location, opening it, and error-to-exit-code rules.

Any ``PfppError`` raised inside a command becomes one line on stderr and exit 1 (``PfppGroup``),
so commands never print tracebacks for problems a user caused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from pfpp_tui.errors import PfppError

if TYPE_CHECKING:  # the store (SQLAlchemy, the models) loads when a command opens it
    from pfpp_tui.store.database import Database


class PfppGroup(TyperGroup):
    """Turns user-facing errors into one line and exit 1, wherever in the tree they happen."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PfppError as exc:
            typer.echo(f"pfpp: {exc}", err=True)
            raise typer.Exit(1) from None


def db_location(ctx: typer.Context) -> str | None:
    root = ctx.find_root()
    obj = root.obj if isinstance(root.obj, dict) else {}
    value = obj.get("db")
    return str(value) if value is not None else None


def open_db_from_context(ctx: typer.Context) -> Database:
    """Open (and migrate) the database the user named with ``--db`` / ``PFPP_DB``."""
    from pfpp_tui.store.database import open_database

    return open_database(db_location(ctx))
