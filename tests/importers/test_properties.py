"""Property tests: arbitrary and mutated files give a clean error or a clean import.

Never an exception from a parser, and through the store never a partial write: either the
import is refused and the database is exactly as before, or every planned row is there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pfpp_tui.importers.base import ContactRecord, ImportFormat, ParsedFile, RowError
from pfpp_tui.importers.reader import parse_bytes
from pfpp_tui.store.db.database import Database, open_database
from pfpp_tui.store.imports.contact_import import import_contacts

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
SAMPLES = {p.name: p.read_bytes() for p in sorted(DATA.iterdir())}
FORMATS = list(ImportFormat)


def _check(parsed: ParsedFile) -> None:
    # Line 0 is the whole file (a workbook that cannot be opened), only ever alone.
    assert all(isinstance(error, RowError) and error.line >= 0 for error in parsed.errors)
    assert all(error.line >= 1 for error in parsed.errors) or len(parsed.errors) == 1
    assert all(isinstance(record, ContactRecord) and record.line >= 1 for record in parsed.records)
    for record in parsed.records:
        assert record.email or record.first_name or record.last_name


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))])
    for _ in range(draw(st.integers(0, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "delete", "insert", "cut", "dup"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b'"',
                        b"\r",
                        b"\n",
                        b";",
                        b",",
                        b"=",
                        b"\x00",
                        b"\t",
                        b"\xff",
                        b"=\r\n",
                        b"\\",
                        b":",
                    ]
                )
            )
        elif action == "cut":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(FORMATS))
def test_arbitrary_bytes_never_raise(data: bytes, fmt: ImportFormat) -> None:
    _check(parse_bytes(data, "any.bin", format=fmt))


@settings(max_examples=300, deadline=None)
@given(data=mutated(), fmt=st.sampled_from(FORMATS))
def test_mutated_samples_never_raise(data: bytes, fmt: ImportFormat) -> None:
    _check(parse_bytes(data, "mutated", format=fmt))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_text_as_vcard_and_csv_never_raises(text: str) -> None:
    for prefix in ("BEGIN:VCARD\r\n", "Name,Email\n", ""):
        _check(parse_bytes((prefix + text).encode("utf-8"), "text"))


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    path = tmp_path_factory.mktemp("prop") / "prop.db"
    database = open_database(path)
    yield database, path
    database.dispose()


def _counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(
            int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("contact", "organisation", "team", "change")
        )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(mutated(), min_size=1, max_size=3))
def test_mutated_imports_are_all_or_nothing(
    shared_db: tuple[Database, Path], files: list[bytes]
) -> None:
    db, path = shared_db
    parsed = [parse_bytes(data, f"f{n}") for n, data in enumerate(files)]
    before = _counts(path)
    plan = import_contacts(db, parsed)
    after = _counts(path)
    if plan.refused:
        assert after == before
        return
    added = sum(s.added for s in plan.summaries)
    assert after[0] - before[0] == added
    # New contacts' creation is the import's batch record, not a history row each.
    changes = len(plan.new_orgs) + len(plan.new_teams) + len(plan.updates) + len(plan.links)
    assert after[3] - before[3] == changes
    if added:
        with sqlite3.connect(path) as conn:
            (recorded,) = conn.execute(
                "SELECT contacts_added FROM import_batch ORDER BY id DESC LIMIT 1"
            ).fetchone()
        assert recorded == added
