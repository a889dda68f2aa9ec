"""Every exercise of the series: its solution passes its checker, its blank answer invites.

Each exercise notebook (``exercises = true`` in notebooks/series.toml) holds three cells in a
row: the answers (``...`` placeholders the learner replaces), the check (calls into
``helpers.teaching.exercises``, tagged ``hide-on-slides``) and a collapsed ``<details>``
solution (tools/notebook_rules.py checks that layout). The test rebuilds the state the check
is judged in by running the notebook's own cells that make the names it reads, and those
they read in turn (``notebook_rules.state_cells``), from the committed results and weights.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import pathlib
import re
import sys

import matplotlib.pyplot as plt
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebook_rules  # noqa: E402

EXERCISE_NOTEBOOKS = [row for row in notebook_rules.series() if row["exercises"]]


def _source(cell) -> str:
    return "".join(cell["source"])


def exercise_cells(cells) -> tuple[int, str, str, str]:
    """(index of the check, answers, check, solution code); fails on a layout problem."""
    problems = notebook_rules.exercise_problems(cells)
    assert not problems, problems
    (i,) = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and "exercises.check_" in _source(cell)
    ]
    code = re.search(r"```python\n(.*?)```", _source(cells[i + 1]), re.S)
    return i, _source(cells[i - 1]), _source(cells[i]), code.group(1)


def run_check(check: str, namespace: dict) -> list[str]:
    """The lines a check cell shows: what it prints, and its last expression's value."""
    tree = ast.parse(check)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tree, "<check>", "exec"), namespace)
        value = (
            eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)
            if last
            else None
        )
    lines = printed.getvalue().splitlines() + ([value] if isinstance(value, str) else [])
    assert lines, "the check cell shows nothing"
    return lines


def answer_names(answers: str) -> list[str]:
    """The names the answers cell binds to ``...``, the learner's answers."""
    names = []
    for node in ast.parse(answers).body:
        if isinstance(node, ast.Assign) and "..." in ast.unparse(node.value):
            for target in node.targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    assert names, "the answers cell binds no name to ... (the learner's placeholders)"
    return names


def context(cells, check_index: int, *exercise_code: str) -> dict:
    """The notebook state the exercise is judged in: the notebook's own cells that build the
    names the answers, check and solution read, run in order from the notebook's folder."""
    defined, used = notebook_rules.cell_names("\n".join(exercise_code))
    namespace: dict = {}
    folder = os.getcwd()
    os.chdir(notebook_rules.NOTEBOOKS)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            setup = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code")
            state = notebook_rules.state_cells(cells, check_index - 1, used - defined)
            for index in sorted({setup, *state}):  # the setup cell seeds every run
                exec(compile(_source(cells[index]), f"<cell {index}>", "exec"), namespace)
    finally:
        os.chdir(folder)
        plt.close("all")
    return namespace


@pytest.mark.parametrize("row", EXERCISE_NOTEBOOKS, ids=lambda row: row["number"])
def test_solutions_pass_and_blank_answers_do_not(row):
    path = notebook_rules.NOTEBOOKS / f"{row['file']}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    index, answers, check, solution = exercise_cells(cells)
    namespace = context(cells, index, answers, check, solution)
    exec(answers, namespace)
    blank = run_check(check, namespace)
    assert all(line.startswith("Your turn") for line in blank), blank
    for name in answer_names(answers):
        namespace[name] = None  # a wrong answer of the wrong kind: a hint, not a traceback
    wrong = run_check(check, namespace)
    assert all(line.startswith("Not yet") for line in wrong), wrong
    exec(solution, namespace)
    solved = run_check(check, namespace)
    assert all(line.startswith("Right") for line in solved), solved
    assert len(solved) == len(blank)


@pytest.mark.parametrize(
    "answer, verdict",
    [
        ("널 사랑해", "Right"),
        ("난 널 사랑해", "Not yet"),
        ("난 널 싫어해", "Not yet"),
        ("love", "Not yet"),
    ],
)
def test_paraphrase_check_wants_another_credited_korean_sentence(answer, verdict):
    from helpers.teaching import exercises

    assert exercises.check_paraphrase(answer, "난 널 사랑해").startswith(verdict)
