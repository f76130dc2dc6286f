"""Erasure and the copies pfpp wrote: named, scrubbed or deleted on request; leftovers cleaned.

Every backup (any name), pre-restore copy and ``-o`` export pfpp writes is noted in the
database's register (``written_file``). ``pfpp person erase`` ends by naming each that still
exists; ``--copies scrub`` erases the person inside the copies that are pfpp databases (their
bytes are gone from the file afterwards), ``--copies delete`` deletes the files. A temporary
file left by a killed export or backup is removed by the next run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pfpp_tui.cli.main import app
from pfpp_tui.models import ChangeSource
from pfpp_tui.store.db.database import open_database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.db.written_files import registered_files

runner = CliRunner()
EMAIL = "asa.olund@kommun.example"
FORMS = ("Åsa Ölund", "åsa ölund", "ÅSA ÖLUND", "Ölund", "ölund", EMAIL)
REPO = Path(__file__).resolve().parents[2]


def seed(path: Path) -> None:
    db = open_database(path)
    try:
        create_record(
            db,
            table="contact",
            values={"first_name": "Åsa", "last_name": "Ölund", "email": EMAIL},
            source=ChangeSource.CLI,
        )
        create_record(
            db,
            table="contact",
            values={"first_name": "Bo", "last_name": "Berg"},
            source=ChangeSource.CLI,
        )
    finally:
        db.dispose()


def pfpp(live: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(live), *args])
    assert result.exit_code == 0, result.output
    return result.output


def holds_her(path: Path) -> list[str]:
    """The forms of her name or e-mail the file (and any -wal beside it) holds, as UTF-8."""
    found = []
    for candidate in (path, Path(f"{path}-wal")):
        if candidate.exists():
            data = candidate.read_bytes()
            found += [
                form
                for form in FORMS
                if unicodedata.normalize("NFC", form).encode() in data
                or unicodedata.normalize("NFD", form).encode() in data
            ]
    return found


def write_copies(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    live = tmp_path / "live.db"
    seed(live)
    files = {
        "backup": tmp_path / "monday copy.sqlite",  # any name, not only *.bak
        "export": tmp_path / "people.csv",
        "restored-from": tmp_path / "for-restore.db",
    }
    pfpp(live, "db", "backup", str(files["backup"]))
    pfpp(live, "export", "contacts", "--format", "csv", "-o", str(files["export"]))
    pfpp(live, "db", "backup", str(files["restored-from"]))
    output = pfpp(live, "db", "restore", str(files["restored-from"]), "--yes")
    files["pre-restore"] = Path(output.strip().rsplit("previous data kept in ", 1)[1])
    for path in files.values():
        assert holds_her(path), path  # the checks below would prove nothing otherwise
    return live, files


def test_backups_restores_and_exports_are_registered(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    db = open_database(live)
    try:
        rows = {(Path(r.path), r.kind) for r in registered_files(db)}
    finally:
        db.dispose()
    assert (files["backup"], "backup") in rows
    assert (files["export"], "export") in rows
    assert (files["pre-restore"], "pre-restore") in rows
    listed = pfpp(live, "db", "copies")
    for path in files.values():
        assert str(path) in listed


def test_erase_names_every_copy_that_may_still_hold_the_person(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    output = pfpp(live, "person", "erase", EMAIL, "--yes")
    assert "These files written by pfpp may still hold Åsa Ölund:" in output
    for kind, path in files.items():
        assert str(path) in output, kind
    assert "(backup, backup of" in output and "(export, pfpp export" in output
    assert "(pre-restore" in output
    for path in files.values():  # listing changes nothing
        assert holds_her(path), path
    assert holds_her(live) == []


def test_scrub_erases_the_person_from_copies_that_are_databases(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    output = pfpp(live, "person", "erase", EMAIL, "--yes", "--copies", "scrub")
    assert f"{files['backup']}: erased there too" in output
    assert f"{files['export']}: not scrubbed: an export that is not a SQLite database" in output
    for kind in ("backup", "restored-from", "pre-restore"):
        assert holds_her(files[kind]) == [], kind
    assert holds_her(files["export"])  # a CSV cannot be scrubbed: it is named, not touched
    copy = open_database(files["backup"])  # still a whole pfpp database, Bo still in it
    try:
        with copy.read() as session:
            from sqlalchemy import text

            names = session.execute(text("SELECT last_name FROM contact")).scalars().all()
    finally:
        copy.dispose()
    assert names == ["Berg"]
    assert not list(tmp_path.glob("monday copy.sqlite.before-*"))  # no new copy left behind


def test_scrub_works_after_the_fact_by_e_mail(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    pfpp(live, "person", "erase", EMAIL, "--yes")
    output = pfpp(live, "person", "erase", EMAIL, "--copies", "scrub")
    assert "is not in" in output
    assert holds_her(files["backup"]) == []


def test_delete_removes_the_copies(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    output = pfpp(live, "person", "erase", EMAIL, "--yes", "--copies", "delete")
    for path in files.values():
        assert f"{path}: deleted" in output
        assert not path.exists()
    assert "no files written by pfpp are left" in pfpp(live, "db", "copies")


def test_db_copies_delete_removes_every_listed_file(tmp_path: Path) -> None:
    live, files = write_copies(tmp_path)
    pfpp(live, "db", "copies", "--delete", "--yes")
    assert not any(path.exists() for path in files.values())


def _killed(code: str) -> None:
    """Run ``code`` in a fresh interpreter that kills itself with SIGKILL."""
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False)
    assert done.returncode == -signal.SIGKILL


def test_a_killed_export_leaves_a_temp_file_the_next_export_removes(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    seed(live)
    target = tmp_path / "people.csv"
    mine = tmp_path / ".people.csv.mine.part"  # the user's own file with a similar name
    mine.write_text("keep me")
    _killed(
        "import os\n"
        "from pathlib import Path\n"
        "from pfpp_tui.exporters.atomic import atomic_output\n"
        f"with atomic_output(Path({str(target)!r})) as out:\n"
        "    out.write(b'half a file')\n"
        "    out.flush()\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    leftovers = list(tmp_path.glob(".people.csv.pfpp-*.part"))
    assert len(leftovers) == 1 and not target.exists()
    pfpp(live, "export", "contacts", "--format", "csv", "-o", str(target))
    assert not leftovers[0].exists()
    assert target.exists() and mine.read_text() == "keep me"


def test_a_killed_backup_leaves_a_partial_the_next_backup_removes(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    seed(live)
    _killed(
        "import os\n"
        "from pathlib import Path\n"
        "from pfpp_tui.store.db import sqlite\n"
        "os.replace = lambda *a: os.kill(os.getpid(), 9)\n"
        f"sqlite.backup_to(Path({str(live)!r}), Path({str(tmp_path / 'nightly.db')!r}))\n"
    )
    leftovers = list(tmp_path.glob(".nightly.db.pfpp-*.partial"))
    assert len(leftovers) == 1 and holds_her(leftovers[0])
    result = runner.invoke(app, ["--db", str(live), "db", "backup", str(tmp_path / "friday.db")])
    assert result.exit_code == 0, result.output
    assert not leftovers[0].exists()
    assert "left by a backup or export that was killed" in result.output


def test_a_temp_file_of_a_running_writer_is_left_alone(tmp_path: Path) -> None:
    from pfpp_tui.exporters.atomic import clean_stale_temp_files, temp_prefix

    live_one = tmp_path / f"{temp_prefix(tmp_path / 'x.csv')}abcd1234.part"  # this process
    live_one.write_bytes(b"in progress")
    foreign = tmp_path / ".x.csv.pfpp-000000-1-abcd1234.part"  # another machine, fresh
    foreign.write_bytes(b"in progress elsewhere")
    assert clean_stale_temp_files(tmp_path) == []
    day_ago = datetime.now(UTC).timestamp() - 2 * 24 * 3600
    os.utime(foreign, (day_ago, day_ago))
    assert clean_stale_temp_files(tmp_path) == [foreign]
    assert live_one.exists()


def test_purge_scrubs_its_copies_too(tmp_path: Path) -> None:
    """A purge names the copies, and with --copies scrub purges them with the same cut-off."""
    from sqlalchemy import text

    live = tmp_path / "live.db"
    seed(live)
    db = open_database(live)
    try:
        with db.write(source=ChangeSource.CLI) as session:  # Åsa archived, untouched 10 years
            session.execute(
                text("UPDATE contact SET archived = :a, updated_at = :t WHERE email = :e"),
                {"a": True, "t": "2015-01-01", "e": EMAIL},
            )
    finally:
        db.dispose()
    backup = tmp_path / "before purge.db"
    pfpp(live, "db", "backup", str(backup))
    assert holds_her(backup)
    listed = pfpp(live, "purge", "--older-than", "6y", "--yes")
    assert "may still hold what was removed" in listed and str(backup) in listed
    assert holds_her(backup)

    pfpp(live, "db", "restore", str(backup), "--yes")
    output = pfpp(live, "purge", "--older-than", "6y", "--yes", "--copies", "scrub")
    assert f"{backup}: purged there too: 1 archived contacts" in output
    assert holds_her(backup) == []


def test_erase_names_the_automatic_pre_migration_copy(tmp_path: Path) -> None:
    """The copy taken before an upgrade is found by its name beside the database."""
    from pfpp_tui.store.db.migrate import run_downgrade

    live = tmp_path / "live.db"
    seed(live)
    db = open_database(live)
    try:
        run_downgrade(db, "0004")  # as an older pfpp left it
    finally:
        db.dispose()
    open_database(live).dispose()  # this version upgrades it, keeping a copy first
    (kept,) = tmp_path.glob("live.db.before-0004-*.bak")
    output = pfpp(live, "person", "erase", EMAIL, "--yes", "--copies", "scrub")
    assert f"{kept}: erased there too" in output
    assert holds_her(kept) == []


def test_an_export_from_the_app_is_registered(tmp_path: Path) -> None:
    from pfpp_tui.exporters.base import ExportFormat
    from pfpp_tui.shapes.table import Entity
    from pfpp_tui.tui.transfer import export_entity

    live = tmp_path / "live.db"
    seed(live)
    db = open_database(live)
    try:
        export_entity(db, Entity.CONTACTS, ExportFormat.CSV, tmp_path / "people.csv")
        rows = [(Path(r.path).name, r.kind, r.about) for r in registered_files(db)]
    finally:
        db.dispose()
    assert rows == [("people.csv", "export", "people as csv")]


def test_copy_names_reach_the_terminal_escaped(tmp_path: Path) -> None:
    """A file name is user data: an escape sequence in one is shown, never sent raw."""
    live = tmp_path / "live.db"
    seed(live)
    evil = tmp_path / "evil\x1b[2J.db"
    backed_up = pfpp(live, "db", "backup", str(evil))
    copies = pfpp(live, "db", "copies")
    for output in (backed_up, copies, pfpp(live, "person", "erase", EMAIL, "--yes")):
        assert "evil" in output and "\x1b" not in output


def test_a_backup_opened_as_the_database_is_never_its_own_copy(tmp_path: Path) -> None:
    """A backup used as the database (``--db BACKUP``) may be named in its own register,
    copied from the original's: --copies delete must never take the database itself."""
    from pfpp_tui.models.written_file import WrittenFileKind
    from pfpp_tui.store.db.written_files import record_written_file

    backup = tmp_path / "copy.db"
    seed(backup)
    db = open_database(backup)
    try:
        record_written_file(db, backup, WrittenFileKind.BACKUP, "as the original noted it")
    finally:
        db.dispose()
    output = pfpp(backup, "person", "erase", EMAIL, "--yes", "--copies", "delete")
    assert "deleted" not in output
    assert backup.exists() and holds_her(backup) == []


def test_on_postgresql_a_pg_dump_backup_is_named_and_can_be_deleted(
    pg_url: str, tmp_path: Path
) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not on PATH")
    db = open_database(pg_url)
    try:
        create_record(
            db,
            table="contact",
            values={"first_name": "Åsa", "last_name": "Ölund", "email": EMAIL},
            source=ChangeSource.CLI,
        )
    finally:
        db.dispose()
    dump = tmp_path / "server.dump"
    result = runner.invoke(app, ["--db", pg_url, "db", "backup", str(dump)])
    assert result.exit_code == 0, result.output
    scrub = runner.invoke(
        app, ["--db", pg_url, "person", "erase", EMAIL, "--yes", "--copies", "scrub"]
    )
    assert scrub.exit_code == 0, scrub.output
    assert f"{dump}: not scrubbed: a backup that is not a SQLite database" in scrub.output
    delete = runner.invoke(app, ["--db", pg_url, "db", "copies", "--delete", "--yes"])
    assert delete.exit_code == 0, delete.output
    assert not dump.exists()
