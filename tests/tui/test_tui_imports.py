"""The TUI's own floors: no import cycle inside ``pfpp_tui.tui``, and only ``app.py`` knows the app.

Read from the source with ``ast`` (every import statement, those under ``TYPE_CHECKING`` and
inside functions included): screens, widgets, workflows and the palette reach the session
through ``tui.workspace``, never through ``PfppApp``, so the app can import them all and none of
them imports it back.
"""

from __future__ import annotations

import ast
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "pfpp_tui" / "tui"


def _module_name(path: Path) -> str:
    parts = path.relative_to(TUI.parent.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names imported from it) for every import statement, made absolute."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((base, [alias.name for alias in node.names]))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in TUI.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, names in _imports(path):
            # ``from pfpp_tui.tui.screens import section`` imports the module ``section``
            candidates = [target, *(f"{target}.{n}" for n in names)]
            graph[name].update(c for c in candidates if c in modules and c != name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the modules along it, or [] when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_the_graph_is_read_from_the_source() -> None:
    graph = _graph()
    assert "pfpp_tui.tui.screens.section" in graph["pfpp_tui.tui.app"]
    assert "pfpp_tui.tui.workspace" in graph["pfpp_tui.tui.screens.section"]


def test_no_import_cycle_inside_tui() -> None:
    assert _cycle(_graph()) == []


def test_a_cycle_would_be_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycle(graph) in (["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"])


def test_only_app_py_imports_or_names_pfpp_app() -> None:
    offenders = []
    for path in TUI.rglob("*.py"):
        if path.name == "app.py" and path.parent == TUI:
            continue
        text = path.read_text(encoding="utf-8")
        imports_app = any(
            target == "pfpp_tui.tui.app" or "PfppApp" in names for target, names in _imports(path)
        )
        if imports_app or 'cast("PfppApp"' in text or "cast(PfppApp" in text:
            offenders.append(str(path.relative_to(TUI)))
    assert offenders == []
