"""The project's own promises: one dependency list, offline pages, notebook conventions."""

from __future__ import annotations

import json
import pathlib
import re
import sys
import tomllib

import pytest
import yaml
from conftest import learner_edits

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _requirement_name(requirement: str) -> str:
    name = re.split(r"[\s<>=!~;\[]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def _pyproject_names() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {_requirement_name(r) for r in requirements}


def test_environment_yml_names_nothing_pyproject_lacks():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    known = _pyproject_names()
    strays = []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            for pip_line in entry.get("pip", []):
                if not pip_line.startswith("-e ."):
                    strays.append(_requirement_name(pip_line))
        elif _requirement_name(entry.split("=")[0]) not in {"python", "pip"}:
            strays.append(_requirement_name(entry.split("=")[0]))
    strays = [name for name in strays if name not in known]
    assert not strays, f"environment.yml names packages pyproject.toml does not: {strays}"


def test_environment_yml_installs_the_project_with_dev_extra():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "-e .[dev]" in text


def test_readme_shows_the_two_commands_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make lab" in first_block and "make test" in first_block


def test_ci_calls_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_python_check_rejects_old_python(tmp_path):
    import subprocess

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=' in pyproject  # the one home of the minimum
    (tmp_path / "tools").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        re.sub(r'requires-python = ">=[\d.]+"', 'requires-python = ">=9.0"', pyproject),
        encoding="utf-8",
    )
    fake = tmp_path / "tools" / "check_python.py"
    fake.write_text((ROOT / "tools" / "check_python.py").read_text(encoding="utf-8"), "utf-8")
    result = subprocess.run([sys.executable, str(fake)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "9.0 or newer is needed" in result.stderr and "python9.0" in result.stderr
    ok = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_python.py")], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_follows_the_conventions(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    code_cells = [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    missing_slides = [i for i, c in enumerate(cells) if "slideshow" not in c.get("metadata", {})]
    assert not missing_slides, f"cells without slide metadata: {missing_slides}"
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")
    assert "runtime.setup(" in "".join(code_cells[0]["source"]), "first code cell must set up"
    counts = [c["execution_count"] for c in code_cells]
    assert counts == list(range(1, len(counts) + 1)), (
        "outputs must come from one clean run (`make execute`)" + learner_edits(path)
    )
    for index, cell in enumerate(code_cells):
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {index} has an error output"
            assert output.get("name") != "stderr", f"code cell {index} wrote to stderr"
    assert "widgets" not in notebook["metadata"], "widget state is not committed (static PNGs)"
    number = int(path.name[:2])
    if number:  # 00 is the overview; every other title starts with its own number
        assert "".join(cells[0]["source"]).startswith(f"# {number:02d} "), "title's number"
    if path != NOTEBOOKS[-1]:
        last = "".join(cells[-1]["source"])
        assert f"]({number + 1:02d}_" in last, "the last cell links to the next notebook"


def test_ruff_is_clean():
    import shutil
    import subprocess

    venv_bin = str(pathlib.Path(sys.executable).parent)
    ruff = shutil.which("ruff", path=venv_bin) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    paths = ["helpers", "tests", "benchmarks", "tools", "notebooks"]
    result = subprocess.run([ruff, "check", *paths], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_readme_results_match_the_benchmark_files():
    sys.path.insert(0, str(ROOT / "tools"))
    import readme_results

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_results.updated_readme(readme) == readme, (
        "README.md results are stale: run `make bench` or `python tools/readme_results.py`"
    )


# A notebook whose long cells are not fixed yet would be named here, with the issue.
SHORT_CELL_EXCEPTIONS: set[str] = set()
MAX_CODE_LINES = 15


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if p.name not in SHORT_CELL_EXCEPTIONS], ids=lambda p: p.name
)
def test_code_cells_are_short(path):
    """DESIGN.md: code cells of about 15 lines at most; longer code belongs in helpers/."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = {
        index: length
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and (length := sum(bool(line.strip()) for line in "".join(cell["source"]).splitlines()))
        > MAX_CODE_LINES
    }
    assert not long, (
        f"cells {long} (index: non-empty lines) have more than {MAX_CODE_LINES} lines; "
        "move the long part into helpers/ with a test, or split the cell"
    )


MAX_PROSE_WORDS = 150  # one slide's worth; tables, code and display math are not prose


def prose_words(markdown: str) -> int:
    prose = re.sub(r"```.*?```|\$\$.*?\$\$", " ", markdown, flags=re.S)
    return sum(
        len(line.split()) for line in prose.splitlines() if not line.lstrip().startswith("|")
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_markdown_cell_is_a_wall_of_text(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    long = {
        cell["id"]: words
        for cell in cells
        if cell["cell_type"] == "markdown"
        and (words := prose_words("".join(cell["source"]))) > MAX_PROSE_WORDS
    }
    assert not long, (
        f"markdown cells over {MAX_PROSE_WORDS} words (id: words); split or cut: {long}"
    )


def test_prose_words_leave_out_tables_code_and_math():
    assert prose_words("one two\n| a | b |\n```python\nx = 1\n```\n$$y$$ three") == 3
