"""Fixtures every test package shares: real database files, migrated to head.

``db`` is a fresh SQLite file in ``tmp_path`` opened through ``open_database`` (so every test
exercises the migrations); ``sample_copy`` is a private copy of the committed sample.db.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pfpp_tui.store.database import Database, open_database

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DB = REPO_ROOT / "sample.db"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real database, config or data folder from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PFPP_CONFIG", str(home / "config" / "pfpp-tui" / "config.toml"))
    monkeypatch.setenv("PFPP_USER", "tester")
    monkeypatch.delenv("PFPP_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the committed sample.db (tests may change it freely)."""
    if not SAMPLE_DB.exists():
        pytest.fail("sample.db is missing: run `pfpp sample sample.db --force`")
    target = tmp_path / "sample-copy.db"
    shutil.copyfile(SAMPLE_DB, target)
    target.chmod(0o600)
    return target


@pytest.fixture
def sample_db(sample_copy: Path) -> Iterator[Database]:
    database = open_database(sample_copy)
    yield database
    database.dispose()
