"""Where the database is: ``--db``, else ``PFPP_DB``, else the user data directory.

A plain path means SQLite; anything with ``://`` is a SQLAlchemy URL. Passwords in URLs are
never shown: ``display_name`` is what every message uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from pfpp_tui.errors import DatabaseLocationError
from pfpp_tui.paths import default_database_path


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    url: URL
    # Set for SQLite files; None for in-memory or server databases.
    path: Path | None

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"


def resolve_location(location: str | Path | None) -> DatabaseLocation:
    raw: str | Path
    if location is not None and str(location) != "":
        raw = location
    elif os.environ.get("PFPP_DB"):
        raw = os.environ["PFPP_DB"]
    else:
        raw = default_database_path()
    text = str(raw)
    if "://" in text:
        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise DatabaseLocationError(f"not a database URL: {_redact(text)}") from exc
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            path = Path(url.database or "").expanduser().absolute()
            return DatabaseLocation(url=url.set(database=str(path)), path=path)
        return DatabaseLocation(url=url, path=None)
    path = Path(text).expanduser().absolute()
    return DatabaseLocation(url=URL.create("sqlite", database=str(path)), path=path)


def _redact(text: str) -> str:
    """Hide a password in a URL that SQLAlchemy could not even parse."""
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else text
    return text
