"""`make execute` stores what a cell prints as one output, however the kernel flushed it."""

from __future__ import annotations

import pathlib
import sys

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tools"))

import execute_notebooks  # noqa: E402


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
