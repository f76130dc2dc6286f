"""``scripts/store_moves.py`` rewrites old store paths to the packages, and only those, once.

Other branches run it after rebasing onto the move; a rewrite that touched a new path, or did
something different the second time, would break their imports silently.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("store_moves", ROOT / "scripts/store_moves.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["store_moves"] = module
    spec.loader.exec_module(module)
    return module


OLD = '''\
from pfpp_tui.store import sqlite as sqlite_corner
from pfpp_tui.store import history, database
    from pfpp_tui.store.history import history_entries
from pfpp_tui.store.insight import (
    OPEN_ACTIONS,
)
import pfpp_tui.store.query_parse
"from pfpp_tui.store import sqlite\\n"
"from pfpp_tui.store.database import open_database\\n"
monkeypatch.setattr("pfpp_tui.store.history.record_change", f)
NOT_AT_START_UP = ["pfpp_tui.store.records", "pfpp_tui.store.history"]
"""Writes go through ``store.records``; see pfpp_tui/store/migrate.py."""
'''

NEW = '''\
from pfpp_tui.store.db import sqlite as sqlite_corner
from pfpp_tui.store.db import changes as history
from pfpp_tui.store.db import database
    from pfpp_tui.store.db.changes import history_entries
from pfpp_tui.store.insight.overview import (
    OPEN_ACTIONS,
)
import pfpp_tui.store.listing.query_parse
"from pfpp_tui.store.db import sqlite\\n"
"from pfpp_tui.store.db.database import open_database\\n"
monkeypatch.setattr("pfpp_tui.store.db.changes.record_change", f)
NOT_AT_START_UP = ["pfpp_tui.store.db.records", "pfpp_tui.store.db.changes"]
"""Writes go through ``store.db.records``; see pfpp_tui/store/db/migrate.py."""
'''


def test_old_paths_become_new_ones_and_new_ones_stay() -> None:
    rewrite_text = _script().rewrite_text
    assert rewrite_text(OLD) == NEW
    assert rewrite_text(NEW) == NEW
    # a package that shares an old module's name: its own modules are new paths
    new_style = "from pfpp_tui.store.history import undo, erasure\n"
    assert rewrite_text(new_style) == new_style
    # moved again after the packages landed; into a package named like an old module too
    moved_again = "from pfpp_tui.store.history.person import person_report\n"
    assert rewrite_text(moved_again) == moved_again
    assert rewrite_text("from pfpp_tui.store.normalise import email_key\n") == (
        "from pfpp_tui.rules import email_key\n"
    )


def test_every_module_is_where_the_mapping_says() -> None:
    script = _script()
    store = ROOT / "pfpp_tui" / "store"
    assert sorted(p.name for p in store.glob("*.py")) == ["__init__.py"]
    moved_again = {name.removeprefix("pfpp_tui.store.") for name in script.LATER}
    missing = [
        new
        for new in script.MOVES.values()
        if new not in moved_again and not (store / f"{new.replace('.', '/')}.py").is_file()
    ]
    assert missing == []
    later = [
        new for new in script.LATER.values() if not (ROOT / f"{new.replace('.', '/')}.py").is_file()
    ]
    assert later == []
    packages = {p.parent.name for p in store.glob("*/*.py")}
    assert all((store / package / "__init__.py").is_file() for package in packages)


def test_a_long_docstring_line_is_carried_over_to_the_next() -> None:
    rewrap = _script().rewrap
    text = '"""' + "word " * 19 + "``store.history.changes`` end\nof it.\n" + '"""\n'
    wrapped = rewrap(text)
    assert all(len(line) <= 100 for line in wrapped.splitlines())
    assert wrapped.split() == text.split()
