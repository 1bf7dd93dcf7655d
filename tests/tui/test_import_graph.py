"""The modules of ``comp_tracker.tui`` import one another without a cycle.

Every import counts: at the top of a module, inside a function (the app imports its screens and
forms when first shown, to open quickly) and under ``TYPE_CHECKING``. Screens and modals reach
the application through :func:`comp_tracker.tui.tracker.tracker_of`, never by importing
``comp_tracker.tui.app``; this test is what keeps it so.
"""

from __future__ import annotations

import ast
from pathlib import Path

import comp_tracker.tui

ROOT = Path(comp_tracker.tui.__file__).parent


def _module_name(path: Path) -> str:
    parts = ("comp_tracker", "tui", *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in ROOT.rglob("*.py")}


def _imports(module: str) -> set[str]:
    """The modules of the UI that ``module`` imports, wherever in it."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            # "from .modals import payment" imports the module modals.payment.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != module)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _cycle() -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(GRAPH[module]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_graph_is_read():
    """The walk sees the imports it must see (else an empty graph would pass)."""
    assert "comp_tracker.tui.screens.agreement" in GRAPH["comp_tracker.tui.app"]
    assert "comp_tracker.tui.modals.payment" in GRAPH["comp_tracker.tui.screens.agreement"]
    assert "comp_tracker.tui.tracker" in GRAPH["comp_tracker.tui.screens.base"]
    assert len(MODULES) > 25


def test_no_import_cycle_in_the_ui():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_only_the_entry_points_import_the_app():
    """Screens, modals, widgets and the palette see the app as a Tracker."""
    importers = {module for module, imported in GRAPH.items() if "comp_tracker.tui.app" in imported}
    assert importers <= {"comp_tracker.tui"}
