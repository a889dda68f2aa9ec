"""The shape of helpers/: imports point one way, and the module map names every module."""

from __future__ import annotations

import ast
import pathlib
import re

import helpers

PACKAGE = pathlib.Path(helpers.__file__).resolve().parent
DRAWING = {"plots", "forecast_plots", "widgets"}  # the only modules allowed to draw
MAX_MODULE_LINES = 500


def helpers_imports(source: str) -> set[str]:
    """The helpers modules that ``source`` imports, at any depth (function bodies included).

    An import inside a function still ties the two modules together; counting it keeps a
    lazy import from hiding a cycle.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "helpers":
                names = [f"helpers.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1:
                found.add(parts[1])
    return found


def import_graph(package: pathlib.Path = PACKAGE) -> dict[str, set[str]]:
    """Module name -> the helpers modules it imports, for every module of the package."""
    modules = {path.stem: path for path in package.glob("*.py") if path.stem != "__init__"}
    return {
        name: helpers_imports(path.read_text(encoding="utf-8")) & set(modules) - {name}
        for name, path in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path ``[a, b, ..., a]``, or None when the graph has none."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" once finished

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_find_cycle_reports_a_planted_cycle_and_passes_a_chain():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": set(), "forecast": {"results"}, "results": {"forecast"}}) == [
        "forecast",
        "results",
        "forecast",
    ]


def test_helpers_imports_counts_lazy_and_from_imports():
    source = (
        "from helpers import runtime, text\n"
        "import helpers.plots\n"
        "from helpers.corpus import Pair\n"
        "def f():\n    from helpers import results\n"
    )
    assert helpers_imports(source) == {"runtime", "text", "plots", "corpus", "results"}


def test_helpers_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, f"import cycle in helpers/: {' -> '.join(cycle)}"


def test_only_plots_and_widgets_draw():
    offenders = {
        name: sorted(imports & DRAWING)
        for name, imports in import_graph().items()
        if name not in DRAWING and imports & DRAWING
    }
    assert not offenders, (
        f"model and data modules import plotting: {offenders}; move the figure into "
        "helpers.plots or helpers.widgets and let those import the data module"
    )


def test_no_helpers_module_is_over_the_size_limit():
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.glob("*.py")
    }
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split by idea): {too_long}"


def module_map(docstring: str) -> dict[str, str]:
    """The ``helpers/__init__.py`` map: ``module -> one idea``, from its ``name  idea`` rows."""
    return dict(re.findall(r"^ {4}(\w+) +(.+)$", docstring, flags=re.MULTILINE))


def test_module_map_names_every_module_and_nothing_else():
    listed = set(module_map(helpers.__doc__ or ""))
    present = {path.stem for path in PACKAGE.glob("*.py")} - {"__init__"}
    assert present - listed == set(), (
        f"helpers/__init__.py's module map lacks {sorted(present - listed)}; add a line "
        "'    name    its one idea (imported by ...)' to the map"
    )
    assert listed - present == set(), f"the module map names missing modules {listed - present}"


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def test_a_main_block_is_the_last_statement_of_its_module():
    misplaced = []
    for path in sorted(PACKAGE.glob("*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        guards = [index for index, node in enumerate(body) if _is_main_guard(node)]
        if guards and guards != [len(body) - 1]:
            misplaced.append(path.name)
    assert not misplaced, f"code after the `if __name__ == '__main__'` block in {misplaced}"


def test_results_is_a_leaf_that_only_knows_where_the_files_are():
    imports = import_graph()["results"]
    assert imports <= {"experiments"}, (
        f"helpers.results imports {sorted(imports)}; it formats tables and must not depend on "
        "model modules (they would import it back)"
    )
