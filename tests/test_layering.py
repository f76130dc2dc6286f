"""Dependencies point one way: nothing outside ``pfpp_tui/tui`` imports Textual.

Checked twice: statically (every import statement in the package) and dynamically (importing
every non-TUI module, and running a non-TUI command, leaves ``textual`` out of ``sys.modules``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pfpp_tui"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _non_tui_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tui" not in p.relative_to(PACKAGE).parts[:1]]


def test_no_module_outside_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _non_tui_modules()
        for name in _imported_modules(path)
        if name == "textual" or name.startswith(("textual.", "textual_"))
    ]
    assert offenders == []


def test_importing_every_non_tui_module_leaves_textual_unloaded() -> None:
    modules = sorted(
        "pfpp_tui." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in _non_tui_modules()
        if p.name not in ("__main__.py",)
    )
    modules = [m.removesuffix(".__init__") for m in modules]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_non_tui_command_does_not_load_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pfpp_tui.cli.main import app\n"
        "try:\n"
        f"    app(['--db', {str(tmp_path / 'x.db')!r}, 'db', 'check'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    from pfpp_tui.store.db.database import open_database

    path = tmp_path / "x.db"
    open_database(path).dispose()
    code = (
        "import sys\n"
        "from pfpp_tui.store.db.database import open_database\n"
        f"open_database({str(path)!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# What every command would pay for at start-up if a command module imported it at the top
# (``pfpp`` imports them all to build its command tree): each is imported by the commands that
# use it, when they run. ``pfpp import contacts``'s start-up is part of its benchmark.
NOT_AT_START_UP = [
    "openpyxl",  # xlsx export and import
    "rapidfuzz",  # fuzzy matching (notes markers, the TUI's pickers)
    "phonenumbers",  # phone normalisation when a record is written
    "charset_normalizer",  # import's encoding detection
    "rich.progress",  # long CLI work only
    "vobject",  # vCard import and export
    "psycopg",  # PostgreSQL, when the database is on a server
    "pfpp_tui.exporters.registry",
    "pfpp_tui.store.listing.query",
    "pfpp_tui.store.listing.export_rows",
    "pfpp_tui.store.insight.reports",
    "pfpp_tui.store.db.records",
]


NOT_AT_TUI_START_UP = [
    "openpyxl",  # xlsx export (the palette lists the formats; only an export writes one)
    "phonenumbers",  # phone normalisation when a record is saved
    "charset_normalizer",  # the import dialog's encoding detection
    "alembic",  # only when the database needs migrating
    "vobject",  # vCard import and export
    "psycopg",  # PostgreSQL, when the database is on a server
    # The first frame needs no ORM (issue 19: tests/tui/test_first_frame.py runs it): the app
    # module loads none of it; it loads after the first frame, with the database.
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "pfpp_tui.models",
    "pfpp_tui.store.db.database",
    # Workflow screens and the import/export machinery load when first opened (issue 19): the
    # first frame shows a section or the overview and needs none of them.
    "pfpp_tui.tui.screens.agreement",
    "pfpp_tui.tui.screens.coverage",
    "pfpp_tui.tui.screens.import_flow",
    "pfpp_tui.tui.screens.meeting_log",
    "pfpp_tui.tui.screens.patterns",
    "pfpp_tui.tui.screens.review",
    "pfpp_tui.tui.screens.triage",
    "pfpp_tui.tui.transfer",
    "pfpp_tui.store.work.agenda",
    "pfpp_tui.store.imports.contact_import",
]


@pytest.mark.parametrize(
    ("entry", "not_loaded"),
    [("pfpp_tui.cli.main", NOT_AT_START_UP), ("pfpp_tui.tui.app", NOT_AT_TUI_START_UP)],
    ids=["pfpp", "tui"],
)
def test_start_up_leaves_out_what_only_some_work_needs(entry: str, not_loaded: list[str]) -> None:
    code = (
        "import sys\n"
        f"import {entry}\n"
        f"print(sorted(m for m in {not_loaded!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ``pfpp --version`` and ``--help`` touch no database: building the command tree must not load
# the ORM, the models, pydantic, Alembic, a database driver or Textual (issue 19: they were ~4x a
# minimal Typer app's start, almost all of it SQLAlchemy and SQLModel loaded by ``cli.common``).
NOT_FOR_VERSION_OR_HELP = [
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "alembic",
    "psycopg",
    "sqlite3",
    "textual",
    "pfpp_tui.models",
    "pfpp_tui.store.db.database",
]


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_load_no_database_code(flag: str) -> None:
    code = (
        "import sys\n"
        "from pfpp_tui.cli.main import app\n"
        "try:\n"
        f"    app([{flag!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {NOT_FOR_VERSION_OR_HELP!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_import_linter_contracts_hold() -> None:
    """The floors and "no cycles" (pyproject.toml), also when only the tests are run.

    ``scripts/check`` runs ``lint-imports`` too; this puts the same verdict in front of anyone
    who runs this file after moving an import.
    """
    pytest.importorskip("importlinter", reason="import-linter is in the test extra")
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports_command\n"
        "sys.exit(lint_imports_command())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=PACKAGE.parent,
    )
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout[-3000:] + result.stderr
    assert result.returncode == 0
