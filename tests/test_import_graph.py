"""The helpers package's import graph: one way only, no cycles, plotting at the top."""

from __future__ import annotations

import ast
import pathlib

HELPERS = pathlib.Path(__file__).resolve().parents[1] / "helpers"
PLOTTING = {"plots", "widgets"}


def _imports() -> dict[str, set[str]]:
    """{module: the helpers modules it imports anywhere, function-level imports included}."""
    graph = {}
    for path in sorted(HELPERS.glob("*.py")):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers."):
                found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("helpers.")}
        graph[path.stem] = found
    return graph


def test_helpers_import_graph_has_no_cycles():
    graph = _imports()
    done, on_path = set(), []

    def visit(module):
        if module in on_path:
            cycle = on_path[on_path.index(module) :] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        on_path.append(module)
        for imported in sorted(graph.get(module, ())):
            visit(imported)
        on_path.pop()
        done.add(module)

    for module in graph:
        visit(module)


def test_results_is_a_leaf():
    assert _imports()["results"] == set(), "helpers.results must import no helpers module"


def test_only_widgets_import_plotting():
    offenders = {
        module: sorted(imported & PLOTTING)
        for module, imported in _imports().items()
        if module not in PLOTTING and imported & PLOTTING
    }
    assert not offenders, f"model and data modules import plots/widgets: {offenders}"
