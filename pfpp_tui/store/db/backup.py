"""Backups and restores for both engines: ``pfpp db backup`` and ``pfpp db restore``.

SQLite: the online backup API (``store.db.sqlite``), consistent while others write. PostgreSQL:
``pg_dump --format=custom`` when it is on PATH (the password goes through the environment,
never the command line, so it does not show in ``ps``), else one line explaining how.

A restore never loses the current data: the backup file is checked first (a SQLite file,
``integrity_check`` and ``foreign_key_check`` clean, a schema revision this version knows),
then the current database is copied to ``NAME.before-restore-TIME.bak``, then the backup's
pages are copied in through the backup API (so other connections see the restored data at
their next transaction), and the result is migrated to head like any database on opening.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory

from pfpp_tui.errors import DatabaseLocationError, DatabaseTooNewError, PfppError
from pfpp_tui.exporters.atomic import clean_stale_temp_files
from pfpp_tui.models import ChangeSource
from pfpp_tui.models.written_file import WrittenFile, WrittenFileKind
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db.database import Database, connect_timeout_s
from pfpp_tui.store.db.location import DatabaseLocation
from pfpp_tui.store.db.written_files import RegisterRow, record_written_file, registered_files

PG_DUMP_TIMEOUT_S = 3600


@dataclass(frozen=True, slots=True)
class BackupDone:
    """A backup written: where, whether the register noted it, leftovers cleaned first."""

    path: Path
    registered: bool
    cleaned: list[Path]


def backup_database(db: Database, target: Path) -> BackupDone:
    """Write a consistent copy of ``db`` to ``target`` (a new file, mode 0600), and note it in
    the register of written files (``store.db.written_files``) so an erasure can name it.

    First removes what a killed earlier backup or export left in the target's folder and the
    database's (pfpp's own temporary names only, ``exporters.atomic``).
    """
    target = target.expanduser().absolute()
    cleaned = clean_leftovers(db, target.parent)
    if db.location.path is not None:
        sqlite_corner.backup_to(db.location.path, target)
    else:
        pg_dump_to(db.location, target)
    registered = record_written_file(
        db, target, WrittenFileKind.BACKUP, f"backup of {db.display_name}"
    )
    return BackupDone(target, registered, cleaned)


def clean_leftovers(db: Database, *folders: Path) -> list[Path]:
    """pfpp temporary files whose writer was killed, in ``folders`` and beside the database."""
    places = [*folders]
    if db.location.path is not None:
        places.append(db.location.path.parent)
    removed: list[Path] = []
    for folder in dict.fromkeys(p.absolute() for p in places):
        removed.extend(clean_stale_temp_files(folder))
    return removed


def pg_dump_to(location: DatabaseLocation, target: Path) -> None:
    url = location.url
    how = (
        f"pg_dump --format=custom --file {target} "
        f"'{url.set(drivername='postgresql').render_as_string(hide_password=True)}'"
    )
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DatabaseLocationError(
            f"{location.display_name}: pg_dump is not installed here; install the PostgreSQL "
            f"client (apt-get install postgresql-client) or run on a machine that has it: {how}"
        )
    if target.exists():
        raise DatabaseLocationError(f"{target}: already exists; choose a new backup name")
    if not target.parent.is_dir():
        raise DatabaseLocationError(f"{target}: folder {target.parent} does not exist")
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", url.host),
        ("PGPORT", str(url.port) if url.port else None),
        ("PGUSER", url.username),
        ("PGPASSWORD", url.password),
        ("PGDATABASE", url.database),
        ("PGCONNECT_TIMEOUT", str(connect_timeout_s())),
    ):
        if value:
            env[key] = str(value)
    sqlite_corner.create_private_file(target)
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-password", "--file", str(target)],
            env=env,
            capture_output=True,
            text=True,
            timeout=PG_DUMP_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        target.unlink(missing_ok=True)
        raise DatabaseLocationError(f"{location.display_name}: pg_dump failed ({exc})") from None
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        message = (done.stderr.strip().splitlines() or ["failed"])[0]
        if url.password:
            message = message.replace(str(url.password), "***")
        raise DatabaseLocationError(f"{location.display_name}: pg_dump: {message}")


def backup_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def verify_backup_file(path: Path) -> str:
    """Refuse anything that is not a whole pfpp database this version can open; its revision."""
    from pfpp_tui.store.db.migrate import alembic_config, head_revision

    if not path.is_file():
        raise DatabaseLocationError(f"{path}: no such backup file")
    sqlite_corner.check_sqlite_path(path)
    problems = sqlite_corner.integrity_problems(path)
    if problems:
        raise DatabaseLocationError(f"{path}: damaged backup, not restored ({problems[0]})")
    revision = backup_revision(path)
    if revision is None:
        raise DatabaseLocationError(f"{path}: not a pfpp database (no schema revision)")
    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise DatabaseTooNewError(
            f"{path}: written by a newer pfpp-tui (schema revision {revision}); this version "
            f"knows up to {head_revision()}"
        )
    return revision


def restore_database(db: Database, backup: Path) -> Path:
    """Replace ``db``'s contents with ``backup``; returns where the previous data was kept.

    The register of written files is the database's own, so the restore would put back the
    backup's older one: the caller re-notes ``registered_before`` (read before the restore)
    and the safety copy once the restored database is at this version (``register_again``).
    """
    backup = backup.expanduser().absolute()
    current = db.location.path
    if current is None:
        raise DatabaseLocationError(
            f"{db.display_name}: restore a server database with pg_restore, or load a SQLite "
            f"backup into an empty one with `pfpp --db URL db copy --from {backup}`"
        )
    if backup == current:
        raise DatabaseLocationError(f"{backup}: is the database itself")
    verify_backup_file(backup)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = current.with_name(f"{current.name}.before-restore-{stamp}.bak")
    sqlite_corner.backup_to(current, kept)
    try:
        sqlite_corner.restore_from(backup, current)
    except sqlite3.Error as exc:
        raise PfppError(f"{current}: restore failed ({exc}); your data is in {kept}") from None
    return kept


def register_again(db: Database, earlier: list[RegisterRow], kept: Path) -> None:
    """After a restore: note the files the replaced database knew of, and its safety copy."""
    known = {(row.path, row.kind) for row in registered_files(db)}
    with db.write(source=ChangeSource.SYSTEM) as session:
        for row in earlier:
            if (row.path, row.kind) not in known:
                session.add(
                    WrittenFile(
                        path=row.path,
                        kind=row.kind,
                        about=row.about,
                        written_at=row.written_at,
                        actor=row.actor,
                    )
                )
    record_written_file(db, kept, WrittenFileKind.PRE_RESTORE, f"{db.display_name} before restore")
