"""Where each flat ``pfpp_tui/store/X.py`` module went when the store became packages (issue 18).

Owns the old -> new module mapping and the two mechanical steps that use it:

- ``python scripts/store_moves.py --move`` performs the ``git mv``s (run once, by the move itself);
- ``python scripts/store_moves.py [PATH ...]`` (default: the repository's own trees) rewrites every
  old path to the new one: ``from pfpp_tui.store.X import``, ``import pfpp_tui.store.X``,
  ``from pfpp_tui.store import X`` (the local name is kept, with ``as`` when the module was
  renamed), relative imports inside ``pfpp_tui/store``, dotted strings (``monkeypatch`` targets,
  ``importlib`` names, ``sys.modules`` lists), ````store.X```` in docstrings and
  ``pfpp_tui/store/X.py`` file paths. Then it sorts the imports of the files it changed
  (``ruff check --select I --fix``) and formats them, so the gates stay clean.

Rewriting is idempotent: run it again after every rebase, new imports of old paths are fixed and
new paths are left alone. Two packages share a name with an old module (``history``, ``insight``):
``pfpp_tui.store.history`` followed by one of that package's modules is a new path, anything else
(``from pfpp_tui.store.history import history_entries``) an old one.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE_LENGTH = 100  # pyproject.toml's ruff line-length

# old module name -> new dotted name below ``pfpp_tui.store``
MOVES: dict[str, str] = {
    # db: the database itself — engine and sessions, SQLite/PostgreSQL corners, migrations,
    # location, locks, backups, copies, checks, the files pfpp wrote.
    "database": "db.database",
    "sqlite": "db.sqlite",
    "migrate": "db.migrate",
    "schema_version": "db.schema_version",
    "location": "db.location",
    "lock_wait": "db.lock_wait",
    "backup": "db.backup",
    "copy": "db.copy",
    "check": "db.check",
    "written_files": "db.written_files",
    "query_search": "db.search_index",
    # directory: people and organisations, and finding them by name.
    "person": "directory.person",
    "org_names": "directory.org_names",
    "org_kind": "directory.org_kind",
    "normalise": "directory.normalise",
    "workflow_lookup": "directory.workflow_lookup",
    # work: the records the programme keeps and the workflows that write them.
    "records": "work.records",
    "record_rules": "work.record_rules",
    "meeting_log": "work.meeting_log",
    "attendee_lookup": "work.attendee_lookup",
    "agenda": "work.agenda",
    "triage": "work.triage",
    "partnership": "work.partnership",
    # history: the change history and what is built on it.
    "history": "history.changes",
    "undo": "history.undo",
    "erasure": "history.erasure",
    "retention": "history.retention",
    "person_removed": "history.person_removed",
    "person_mentions": "history.person_mentions",
    "agreement_history": "history.agreement_history",
    # insight: numbers and views across the programme.
    "insight": "insight.overview",
    "coverage": "insight.coverage",
    "patterns": "insight.patterns",
    "funding": "insight.funding",
    "reports": "insight.reports",
    "partnership_health": "insight.partnership_health",
    "principle_tags": "insight.principle_tags",
    # imports: bulk imports against the database (parsing is ``pfpp_tui.importers``).
    "contact_import": "imports.contact_import",
    "contact_import_collapse": "imports.contact_import_collapse",
    "contact_import_model": "imports.contact_import_model",
    "contact_import_plan": "imports.contact_import_plan",
    "contact_import_stage": "imports.contact_import_stage",
    "contact_import_write": "imports.contact_import_write",
    "funding_import": "imports.funding_import",
    "assessment_import": "imports.assessment_import",
    "bulk_import": "imports.bulk_import",
    # listing: lists of records — the filter language, browse pages, detail links, export rows.
    "query": "listing.query",
    "query_parse": "listing.query_parse",
    "browse": "listing.browse",
    "browse_links": "listing.browse_links",
    "export_rows": "listing.export_rows",
}

# Modules moved again after the packages landed (dotted prefix -> new dotted name), applied after
# ``MOVES``: issue 18.4 put the pure rules below the importers, exporters and store.
LATER: dict[str, str] = {
    "pfpp_tui.store.directory.normalise": "pfpp_tui.rules",
    "pfpp_tui.store.listing.pilot_overview": "pfpp_tui.shapes.pilot_overview",
    "pfpp_tui.store.directory.person": "pfpp_tui.store.history.person",
    # the one write path (every row with its rules, version and history row) is db's floor
    "pfpp_tui.store.work.records": "pfpp_tui.store.db.records",
    "pfpp_tui.store.work.record_rules": "pfpp_tui.store.db.record_rules",
    "pfpp_tui.store.history.changes": "pfpp_tui.store.db.changes",
}

PACKAGES = sorted({new.split(".")[0] for new in MOVES.values()})
# the modules of each new package, to tell ``store.history.undo`` (new) from ``store.history`` (old)
SUBMODULES: dict[str, set[str]] = {
    pkg: {new.split(".")[1] for new in MOVES.values() if new.startswith(pkg + ".")}
    for pkg in PACKAGES
}
for _new in LATER.values():  # a module moved again into a store package is a new path too
    _parts = _new.split(".")
    if _parts[:2] == ["pfpp_tui", "store"] and _parts[2] in SUBMODULES:
        SUBMODULES[_parts[2]].add(_parts[3])

KEEP = {Path(__file__).resolve(), ROOT / "tests" / "test_store_moves.py"}
DEFAULT_TREES = ["pfpp_tui", "tests", "benchmarks", "scripts", "migrations", "docs", "README.md"]
DEFAULT_FILES = ["alembic.ini"]  # not pyproject.toml: its contracts name the packages themselves
SUFFIXES = {".py", ".md", ".ini", ".toml", ".cfg", ".txt", ".tcss", ".yml", ".yaml"}

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_FROM_STORE = re.compile(
    r"^(?P<indent>[ \t]*)from pfpp_tui\.store import (?P<names>\([^)]*\)|[^\n]*)$", re.M
)
_FROM_STORE_INLINE = re.compile(
    rf"(?<![\w.])from pfpp_tui\.store import (?P<name>{_NAME})(?: as (?P<local>{_NAME}))?(?![\w.,])"
)
_FROM_STORE_MODULE = re.compile(
    rf"(?P<head>(?<![\w.])from pfpp_tui\.store\.)(?P<mod>{_NAME})(?P<rest>(?:\.{_NAME})*)"
    r"(?P<mid> import )(?P<names>\([^)]*\)|[^\n]*)$",
    re.M,
)
_DOTTED = re.compile(
    rf"(?P<head>(?<![\w.])pfpp_tui\.store\.)(?P<mod>{_NAME})(?P<rest>(?:\.{_NAME})*)"
    r"(?![\w.])(?! import )"  # ``from pfpp_tui.store.X import`` is the rule above's
)
_DOC = re.compile(rf"(?P<head>(?<=`)store\.)(?P<mod>{_NAME})(?P<rest>(?:\.{_NAME})*)")
_FILE = re.compile(rf"(?P<head>pfpp_tui/store/)(?P<mod>{_NAME})(?P<ext>\.py|/)")
_RELATIVE = re.compile(
    rf"^(?P<indent>[ \t]*)from (?P<dots>\.+)(?P<mod>(?:{_NAME})(?:\.{_NAME})*)? import ", re.M
)


def _is_new(mod: str, rest: str) -> bool:
    """``mod`` + ``rest`` (``.a.b``) already names a new path, not an old module's."""
    if mod not in MOVES:
        return True  # a package name, or a module this script does not know
    parts = rest.split(".")[1:]
    return mod in SUBMODULES and bool(parts) and parts[0] in SUBMODULES[mod]


def _new_dotted(mod: str, rest: str) -> str:
    return mod + rest if _is_new(mod, rest) else MOVES[mod] + rest


def _imported_names(names: str) -> list[str]:
    inner = names.strip().removeprefix("(").removesuffix(")")
    inner = re.sub(r"#[^\n]*", "", inner)
    return [n.split()[0] for n in (p.strip() for p in inner.split(",")) if n]


def _rewrite_from_store(match: re.Match[str]) -> str:
    """``from pfpp_tui.store import a, b as c`` -> one line per package, local names kept."""
    indent, names = match["indent"], match["names"]
    inner = re.sub(r"#[^\n]*", "", names.strip().removeprefix("(").removesuffix(")"))
    aliases = [p.strip() for p in inner.split(",") if p.strip()]
    kept: list[str] = []
    lines: list[str] = []
    for alias in aliases:
        parts = alias.split()
        name, local = parts[0], parts[-1] if len(parts) == 3 else parts[0]
        if name not in MOVES:
            kept.append(alias)
            continue
        package, module = MOVES[name].rsplit(".", 1)
        as_part = f" as {local}" if local != module else ""
        lines.append(f"{indent}from pfpp_tui.store.{package} import {module}{as_part}")
    if not lines:
        return match.group(0)
    if kept:
        lines.insert(0, f"{indent}from pfpp_tui.store import {', '.join(kept)}")
    return "\n".join(lines)


def _rewrite_from_store_inline(match: re.Match[str]) -> str:
    """``from pfpp_tui.store import X`` inside a string or a comment: one name, one line."""
    name, local = match["name"], match["local"] or match["name"]
    if name not in MOVES:
        return match.group(0)
    package, module = MOVES[name].rsplit(".", 1)
    as_part = f" as {local}" if local != module else ""
    return f"from pfpp_tui.store.{package} import {module}{as_part}"


def _rewrite_from_store_module(match: re.Match[str]) -> str:
    mod, rest = match["mod"], match["rest"]
    if mod not in MOVES:
        return match.group(0)
    if not rest and mod in SUBMODULES:
        # ``from pfpp_tui.store.history import undo`` is new; ``... import history_entries`` old
        names = _imported_names(match["names"])
        if names and all(n in SUBMODULES[mod] for n in names):
            return match.group(0)
        return f"{match['head']}{MOVES[mod]}{match['mid']}{match['names']}"
    return f"{match['head']}{_new_dotted(mod, rest)}{match['mid']}{match['names']}"


def _rewrite_dotted(match: re.Match[str]) -> str:
    mod, rest = match["mod"], match["rest"]
    if mod not in MOVES:
        return match.group(0)
    return match["head"] + _new_dotted(mod, rest)


def _rewrite_file(match: re.Match[str]) -> str:
    mod, ext = match["mod"], match["ext"]
    if ext != ".py" or mod not in MOVES:
        return match.group(0)
    return match["head"] + MOVES[mod].replace(".", "/") + ext


def _absolute_relative(text: str, path: Path) -> str:
    """Relative imports inside ``pfpp_tui/store`` become absolute, so the dotted rules apply."""
    try:
        parts = path.resolve().relative_to(ROOT).with_suffix("").parts
    except ValueError:
        return text
    if parts[:2] != ("pfpp_tui", "store"):
        return text
    package = list(parts[:-1])

    def absolute(match: re.Match[str]) -> str:
        up = len(match["dots"]) - 1
        base = package[: len(package) - up] if up else package
        target = ".".join(base + ([match["mod"]] if match["mod"] else []))
        return f"{match['indent']}from {target} import "

    return _RELATIVE.sub(absolute, text)


def rewrite_text(text: str, path: Path | None = None) -> str:
    if path is not None and path.suffix == ".py":
        text = _absolute_relative(text, path)
    text = _FROM_STORE.sub(_rewrite_from_store, text)
    text = _FROM_STORE_INLINE.sub(_rewrite_from_store_inline, text)
    text = _FROM_STORE_MODULE.sub(_rewrite_from_store_module, text)
    # the lines just handled contain ``pfpp_tui.store.<new>`` and pass the dotted rule unchanged
    text = _DOTTED.sub(_rewrite_dotted, text)
    text = _DOC.sub(_rewrite_dotted, text)
    text = _FILE.sub(_rewrite_file, text)
    for old, new in LATER.items():
        parent, last = old.rsplit(".", 1)
        new_parent, new_last = new.rsplit(".", 1)

        def from_parent(
            match: re.Match[str], new_parent: str = new_parent, new_last: str = new_last
        ) -> str:
            local = match[1] or match[0].split(" import ")[1].split()[0]
            as_part = f" as {local}" if local != new_last else ""
            return f"from {new_parent} import {new_last}{as_part}"

        text = re.sub(
            rf"(?<![\w.])from {re.escape(parent)} import {last}(?: as (\w+))?(?![\w.,])",
            from_parent,
            text,
        )
        text = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w])", new, text)
        short, path = old.removeprefix("pfpp_tui."), old.replace(".", "/") + ".py"
        text = re.sub(rf"(?<=`){re.escape(short)}(?![\w])", new.removeprefix("pfpp_tui."), text)
        text = text.replace(path, new.replace(".", "/") + ".py")
    return text


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in SUFFIXES
                and not {".venv", ".git", "__pycache__", "node_modules"} & set(p.parts)
                and "egg-info" not in str(p)
            )
        elif path.is_file():
            found.append(path)
    return found


def rewrite(paths: list[Path]) -> list[Path]:
    changed: list[Path] = []
    for path in _files(paths):
        if path.resolve() in KEEP:
            continue  # the mapping and its test name the old modules on purpose
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite_text(text, path)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def _prose_lines(text: str) -> set[int]:
    """0-based numbers of the lines that are comments or inside a docstring."""
    lines = {i for i, line in enumerate(text.splitlines()) if line.lstrip().startswith("#")}
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return lines
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                lines.update(range(value.lineno - 1, (value.end_lineno or value.lineno)))
    return lines


def rewrap(text: str, limit: int = LINE_LENGTH) -> str:
    """Carry the words of over-long comment and docstring lines over to the next line.

    A longer path can push a line of prose past the limit; its last words move to the start of
    the next line of the same paragraph (or a new line), and so on down the paragraph.
    """
    prose = _prose_lines(text)
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if len(line) <= limit or i not in prose:
            i += 1
            continue
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        marker = "# " if stripped.startswith("# ") else ""
        words = stripped[len(marker) :].split(" ")
        head = indent + marker + words[0]
        cut = 1
        while cut < len(words) and len(head + " " + words[cut]) <= limit:
            head += " " + words[cut]
            cut += 1
        rest = " ".join(words[cut:])
        if not rest:
            i += 1
            continue
        hanging = indent + ("  " if stripped[len(marker) :].startswith("- ") else "")
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        nxt_body = nxt[len(hanging + marker) :]
        continues = (
            i + 1 in prose
            and nxt.startswith(hanging + marker)
            and nxt_body.strip()
            and not nxt_body.startswith((" ", "- ", '"""', "#"))
            and '"""' not in rest
        )
        lines[i] = head
        if continues:
            lines[i + 1] = hanging + marker + rest + " " + nxt_body
        else:
            lines.insert(i + 1, hanging + marker + rest)
            prose = {n + 1 if n > i else n for n in prose} | {i + 1}
        i += 1
    return "\n".join(lines)


def tidy(changed: list[Path]) -> None:
    """Sort the imports of the Python files the rewrite changed, format them, rewrap prose."""
    python = [p for p in changed if p.suffix == ".py"]
    for path in python:
        text = path.read_text(encoding="utf-8")
        new = rewrap(text)
        if new != text:
            path.write_text(new, encoding="utf-8")
    ruff = shutil.which("ruff")
    if not python or ruff is None:
        return
    names = [str(p) for p in python]
    subprocess.run([ruff, "check", "--select", "I", "--fix", "--quiet", *names], check=False)
    subprocess.run([ruff, "format", "--quiet", *names], check=False)


def move() -> None:
    """``git mv`` every module into its package (each package gets an ``__init__.py``)."""
    store = ROOT / "pfpp_tui" / "store"
    for old, new in MOVES.items():
        source = store / f"{old}.py"
        target = store / (new.replace(".", "/") + ".py")
        if not source.exists():
            continue
        target.parent.mkdir(exist_ok=True)
        subprocess.run(["git", "mv", str(source), str(target)], check=True, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or trees to rewrite")
    parser.add_argument("--move", action="store_true", help="git mv the modules first")
    parser.add_argument("--no-tidy", action="store_true", help="skip ruff on changed files")
    args = parser.parse_args(argv)
    if args.move:
        move()
    paths = args.paths or [ROOT / p for p in DEFAULT_TREES + DEFAULT_FILES if (ROOT / p).exists()]
    changed = rewrite(paths)
    if not args.no_tidy:
        tidy(changed)
    for path in changed:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
