"""The register of files pfpp wrote (``written_file``): what erasure names, scrubs or deletes.

Owns ``record_written_file`` (called after a backup, a restore's safety copy or an export is
written), ``known_copies`` (the registered files that still exist, plus the automatic
``NAME.before-*.bak`` copies beside a SQLite database, found by their name, since the
pre-migration copy is taken before the register can be written), and ``delete_copy``, which
removes the file and its register row. Scrubbing a copy (erasure or purge inside it) is
``store.history.erasure.scrub_copy``: this module stays below the history it would reach into.

Registering is best effort: a file that was written is never reported as a failure because the
database could not note it (read-only, locked); the caller says so in one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

from pfpp_tui.errors import PfppError
from pfpp_tui.models import ChangeSource
from pfpp_tui.models.written_file import WrittenFile, WrittenFileKind
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database

_REGISTER = SQLModel.metadata.tables["written_file"]


@dataclass(frozen=True, slots=True)
class WrittenCopy:
    """A file pfpp wrote that still exists; ``id`` is None for a copy found by its name."""

    path: Path
    kind: str
    about: str
    written_at: datetime
    id: int | None = None

    def describe(self) -> str:
        what = f"{self.kind}, {self.about}" if self.about else self.kind
        return f"{self.path} ({what}, {self.written_at:%Y-%m-%d %H:%M} UTC)"

    @property
    def is_database(self) -> bool:
        """A SQLite file: a copy pfpp can open and scrub (an export or a pg_dump cannot be)."""
        try:
            with self.path.open("rb") as stream:
                return stream.read(len(sqlite_corner.SQLITE_HEADER)) == sqlite_corner.SQLITE_HEADER
        except OSError:
            return False


def record_written_file(db: Database, path: Path, kind: WrittenFileKind, about: str = "") -> bool:
    """Note that pfpp wrote ``path``; False when the database could not be written to."""
    try:
        with db.write(source=ChangeSource.SYSTEM) as session:
            session.add(
                WrittenFile(
                    path=str(path.expanduser().absolute()),
                    kind=kind.value,
                    about=about,
                    actor=session.info["pfpp_actor"],
                )
            )
    except (SQLAlchemyError, PfppError, OSError):
        return False
    return True


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One register row as plain values."""

    id: int
    path: str
    kind: str
    about: str
    written_at: datetime
    actor: str


def registered_files(db: Database) -> list[RegisterRow]:
    """Every register row, oldest first (whether or not the file still exists)."""
    r = _REGISTER.c
    stmt = select(r.id, r.path, r.kind, r.about, r.written_at, r.actor).order_by(r.id)
    with db.read() as session:
        return [RegisterRow(*row) for row in session.execute(stmt)]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def known_copies(db: Database, *, since: datetime | None = None) -> list[WrittenCopy]:
    """Files pfpp wrote from this database that still exist, written at or after ``since``."""
    found: dict[str, WrittenCopy] = {}
    for row in registered_files(db):
        path = Path(row.path)
        if not path.is_file():
            continue
        copy = WrittenCopy(path, row.kind, row.about, _aware(row.written_at), row.id)
        found[os.path.realpath(path)] = copy  # the latest note of a path wins
    for path in _copies_beside(db):
        key = os.path.realpath(path)
        if key not in found:
            when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            found[key] = WrittenCopy(path, _kind_by_name(path), "", when)
    if db.location.path is not None:
        # A backup in use as this database (pfpp --db BACKUP) lists itself: never a copy.
        found.pop(os.path.realpath(db.location.path), None)
    copies = sorted(found.values(), key=lambda c: (c.written_at, str(c.path)))
    if since is not None:
        start = _aware(since)
        copies = [c for c in copies if c.written_at >= start]
    return copies


def _copies_beside(db: Database) -> list[Path]:
    """The automatic safety copies beside a SQLite database: ``NAME.before-*.bak``."""
    path = db.location.path
    if path is None:
        return []
    return sorted(p for p in path.parent.glob(f"{path.name}.before-*.bak") if p.is_file())


def _kind_by_name(path: Path) -> str:
    if ".before-restore-" in path.name:
        return WrittenFileKind.PRE_RESTORE.value
    return WrittenFileKind.PRE_MIGRATION.value


def delete_copy(db: Database, copy: WrittenCopy) -> None:
    """Remove the file and forget it (its register rows go too).

    The file goes inside the register's transaction, last: a database that cannot be written
    (locked, read-only, full) leaves both as they were, never a file deleted behind a refusal.
    """
    with db.write(source=ChangeSource.SYSTEM) as session:
        rows = session.execute(select(_REGISTER.c.id, _REGISTER.c.path)).all()
        gone = [row_id for row_id, path in rows if _same_file(Path(path), copy.path)]
        if gone:
            session.execute(delete(_REGISTER).where(_REGISTER.c.id.in_(gone)))
        copy.path.unlink(missing_ok=True)


def scrub_register(session: Session, rewrite: Callable[[str], str]) -> int:
    """Rewrite the register's ``about`` texts (a filter may name a person); rows changed."""
    changed = 0
    for row_id, about in session.execute(select(_REGISTER.c.id, _REGISTER.c.about)).all():
        new = rewrite(about or "")
        if new != (about or ""):
            session.execute(update(_REGISTER).where(_REGISTER.c.id == row_id).values(about=new))
            changed += 1
    return changed
