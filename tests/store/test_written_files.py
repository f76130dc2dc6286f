"""The register of files pfpp wrote, on both engines: noted, listed while they exist, and
scrubbed of an erased person's name (an export's description may hold a filter naming them)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pfpp_tui.models import ChangeSource
from pfpp_tui.models.written_file import WrittenFileKind
from pfpp_tui.store.db.database import Database
from pfpp_tui.store.db.records import create_record
from pfpp_tui.store.db.written_files import known_copies, record_written_file, registered_files
from pfpp_tui.store.history.erasure import erase_person


def test_register_lists_existing_files_written_since_a_time(
    any_db: Database, tmp_path: Path
) -> None:
    gone, kept = tmp_path / "gone.csv", tmp_path / "kept.json"
    kept.write_text("{}")
    assert record_written_file(any_db, gone, WrittenFileKind.EXPORT, "contacts as csv")
    assert record_written_file(any_db, kept, WrittenFileKind.EXPORT, "contacts as json")
    assert [r.kind for r in registered_files(any_db)] == ["export", "export"]
    (copy,) = known_copies(any_db)
    assert (copy.path, copy.about) == (kept, "contacts as json")
    assert known_copies(any_db, since=copy.written_at + timedelta(seconds=1)) == []


def test_erasure_scrubs_the_register_and_names_the_copies(any_db: Database, tmp_path: Path) -> None:
    create_record(
        any_db,
        table="contact",
        values={"first_name": "Åsa", "last_name": "Ölund", "email": "ao@kommun.example"},
        source=ChangeSource.CLI,
    )
    export = tmp_path / "asa.csv"
    export.write_text("Åsa Ölund")
    record_written_file(any_db, export, WrittenFileKind.EXPORT, "filter 'ÅSA ÖLUND'")
    report = erase_person(any_db, "ao@kommun.example")
    assert [c.path for c in report.copies] == [export]
    assert [r.about for r in registered_files(any_db)] == ["filter '[erased person]'"]
