"""`make execute` stores what a cell prints as one output, however the kernel flushed it."""

from __future__ import annotations

import pathlib
import sys

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))

import execute_notebooks  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_back_to_back_prints_of_one_stream_are_merged():
    stream = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [
        stream("stream", name="stdout", text="a\n"),
        stream("stream", name="stdout", text="b\n"),
        stream("display_data", data={"text/plain": "figure"}),
        stream("stream", name="stdout", text="c\n"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("# prose")])
    execute_notebooks.merge_streams(notebook)
    assert [o.get("text") for o in cell.outputs] == ["a\nb\n", None, "c\n"]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BOTH = NOTEBOOKS + sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))


def test_opening_a_notebook_in_the_lab_changes_nothing():
    """The committed kernelspec is the one the lab writes, so a notebook opens clean."""
    expected = execute_notebooks.lab_kernelspec()
    differing = [
        f"{p.parent.name}/{p.name}"
        for p in BOTH
        if nbformat.read(p, as_version=4).metadata.get("kernelspec") != expected
    ]
    assert not differing, f"kernelspec differs from the lab's {expected}: {differing}"


def test_a_learner_run_is_named_as_the_cause_of_a_failing_check(tmp_path):
    """Run a notebook in place as the lab does (outputs saved), then the twin check: it fails
    and names the learner's own run and how to keep or restore it."""
    import shutil
    import subprocess

    import korean_edition
    from conftest import learner_edits

    english, twin = tmp_path / NOTEBOOKS[0].name, tmp_path / "ko" / NOTEBOOKS[0].name
    twin.parent.mkdir()
    shutil.copy(NOTEBOOKS[0], english)
    shutil.copy(ROOT / "notebooks" / "ko" / NOTEBOOKS[0].name, twin)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "committed"]):
        subprocess.run([*git, *args], check=True)
    assert not korean_edition.problems(nbformat.read(english, 4), nbformat.read(twin, 4))
    assert learner_edits(english, twin, root=tmp_path) == ""
    execute_notebooks.execute(english)  # what Run All and the autosave do in the lab
    found = korean_edition.problems(nbformat.read(english, 4), nbformat.read(twin, 4))
    message = learner_edits(english, twin, root=tmp_path)
    assert found and english.name in message and "git checkout" in message
