"""The shape of helpers/: imports point one way, and the module map names every module."""

from __future__ import annotations

import ast
import pathlib
import re

import helpers

PACKAGE = pathlib.Path(helpers.__file__).resolve().parent
ROOT = PACKAGE.parent
SCRIPT_FOLDERS = ("benchmarks", "tools")  # they import helpers and, by path, each other
# the only modules allowed to draw
DRAWING = {"plots", "gate_plots", "forecasting.forecast_plots", "teaching.widgets"}
WINGS = ("translation", "forecasting")
MAX_MODULE_LINES = 500
MAX_FLOORS = 8  # DESIGN.md: helpers, benchmarks and tools together


def helpers_imports(source: str) -> set[str]:
    """What ``source`` imports from helpers, dotted below ``helpers`` and at any depth
    (function bodies included): ``from helpers.translation import corpus`` gives
    ``translation.corpus``, ``from helpers.shapes import whole_number``
    ``shapes.whole_number``.

    An import inside a function still ties the two modules together; counting it keeps a
    lazy import from hiding a cycle.
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "helpers" and len(parts) > 1:
                found.add(".".join(parts[1:]))
    return found


def resolve(imported: set[str], modules) -> set[str]:
    """The modules among ``modules`` that the dotted names in ``imported`` name or lie in."""
    found = set()
    for name in imported:
        parts = name.split(".")
        found |= {".".join(parts[:n]) for n in range(1, len(parts) + 1)} & set(modules)
    return found


def helpers_modules(package: pathlib.Path = PACKAGE) -> dict[str, pathlib.Path]:
    """Dotted name below ``helpers`` (``runtime``, ``translation.corpus``) -> its file."""
    return {
        ".".join(path.relative_to(package).with_suffix("").parts): path
        for path in package.rglob("*.py")
        if path.stem != "__init__"
    }


def import_graph(package: pathlib.Path = PACKAGE) -> dict[str, set[str]]:
    """Module name -> the helpers modules it imports, for every module of the package."""
    modules = helpers_modules(package)
    return {
        name: resolve(helpers_imports(path.read_text(encoding="utf-8")), modules) - {name}
        for name, path in modules.items()
    }


def script_graph(root: pathlib.Path = ROOT) -> dict[str, set[str]]:
    """``benchmarks/x`` or ``tools/y`` -> the helpers modules and sibling scripts it imports."""
    modules = helpers_modules(root / "helpers")
    graph = {}
    for folder in SCRIPT_FOLDERS:
        siblings = {path.stem for path in (root / folder).glob("*.py")}
        for path in sorted((root / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            plain = {
                alias.name if isinstance(node, ast.Import) else node.module
                for node in ast.walk(tree)
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names
                if isinstance(node, ast.Import) or node.module
            }
            graph[f"{folder}/{path.stem}"] = resolve(
                helpers_imports(path.read_text(encoding="utf-8")), modules
            ) | {f"{folder}/{name}" for name in plain & siblings - {path.stem}}
    return graph


def floors(graph: dict[str, set[str]]) -> dict[str, int]:
    """Each node's floor: 1 for a module that imports none of the graph's, else one above the
    highest it imports (the graph must have no cycle)."""
    found: dict[str, int] = {}

    def floor(node: str) -> int:
        if node not in found:
            found[node] = 1 + max((floor(target) for target in graph.get(node, ())), default=0)
        return found[node]

    for node in graph:
        floor(node)
    return found


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
    assert helpers_imports(source) == {"runtime", "text", "plots", "corpus.Pair", "results"}
    modules = {"runtime", "text", "plots", "corpus", "results", "translation.corpus"}
    assert resolve(helpers_imports(source), modules) == modules - {"translation.corpus"}
    wing = "from helpers.translation import corpus\nfrom helpers.translation.text import PAD\n"
    assert resolve(helpers_imports(wing), {"translation.corpus", "translation.text", "text"}) == {
        "translation.corpus",
        "translation.text",
    }


def test_floors_count_the_longest_chain():
    assert floors({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"c"}}) == {
        "a": 3,
        "b": 2,
        "c": 1,
        "d": 2,
    }


def test_helpers_has_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, f"import cycle in helpers/: {' -> '.join(cycle)}"


def test_the_forecasting_wing_never_imports_the_translation_wing():
    crossings = {
        name: sorted(target for target in imports if target.startswith("translation."))
        for name, imports in import_graph().items()
        if name.startswith("forecasting.")
    }
    crossings = {name: targets for name, targets in crossings.items() if targets}
    assert not crossings, (
        f"forecasting modules import translation modules: {crossings}; move the shared fact "
        "into the core (helpers/*.py, e.g. helpers.experiments) and import it from there"
    )


def test_the_core_imports_no_wing_and_the_wings_no_teaching():
    graph = import_graph()
    upward = {
        name: sorted(
            target
            for target in imports
            if "." in target and (("." not in name) or target.startswith("teaching."))
        )
        for name, imports in graph.items()
        if not name.startswith("teaching.")
    }
    upward = {name: targets for name, targets in upward.items() if targets}
    assert not upward, f"imports that point up (core -> wing, wing -> teaching): {upward}"


def test_helpers_benchmarks_and_tools_stand_on_at_most_eight_floors():
    graph = {**import_graph(), **script_graph()}
    assert find_cycle(graph) is None
    found = floors(graph)
    top = max(found.values())
    chain, node = [], max(found, key=found.get)
    while node is not None:
        chain.append(node)
        node = max(graph[node], key=found.get, default=None)
    assert top <= MAX_FLOORS, (
        f"{top} floors, at most {MAX_FLOORS}: the longest chain is {' -> '.join(chain)}; "
        "let a module import a lower one, or move a fact into a leaf"
    )


def test_only_plots_and_widgets_draw():
    offenders = {
        name: sorted(imports & DRAWING)
        for name, imports in import_graph().items()
        if name not in DRAWING and imports & DRAWING
    }
    assert not offenders, (
        f"model and data modules import plotting: {offenders}; move the figure into "
        "helpers.plots or helpers.teaching.widgets and let those import the data module"
    )


def test_no_helpers_module_is_over_the_size_limit():
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split by idea): {too_long}"


def module_map(docstring: str) -> dict[str, str]:
    """The ``helpers/__init__.py`` map: ``module -> one idea``, from its ``name  idea`` rows
    (``translation.corpus`` for a module of a wing)."""
    return dict(re.findall(r"^ {4}([\w.]+) +(.+)$", docstring, flags=re.MULTILINE))


def test_module_map_names_every_module_and_nothing_else():
    listed = set(module_map(helpers.__doc__ or ""))
    present = set(helpers_modules())
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
    for path in sorted(PACKAGE.rglob("*.py")):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        guards = [index for index, node in enumerate(body) if _is_main_guard(node)]
        if guards and guards != [len(body) - 1]:
            misplaced.append(str(path.relative_to(PACKAGE)))
    assert not misplaced, f"code after the `if __name__ == '__main__'` block in {misplaced}"


def test_results_is_a_leaf_that_only_knows_where_the_files_are():
    imports = import_graph()["results"]
    assert imports <= {"experiments"}, (
        f"helpers.results imports {sorted(imports)}; it formats tables and must not depend on "
        "model modules (they would import it back)"
    )
