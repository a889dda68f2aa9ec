"""Notebook 08 without the Tatoeba file, every learner's case: Run All keeps what the prose cites.

The committed 08 was executed with the corpus. Run here with ``PARALLEL_DATA`` unset (the
notebook reads no other copy), each cell that needs the file must show the same outputs from
the committed results, followed by a line saying so; every other cell prints exactly what is
committed.
"""

from __future__ import annotations

import pathlib
import sys

import nbformat
import pytest

from helpers.translation import real_corpus

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import execute_notebooks  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "08_real_sentences.ipynb"
NOTE = "(from the committed run; set CORPUS_FILE or PARALLEL_DATA to recompute)\n"
# The cells that read the corpus: the split, the subword cuts, seen against unseen chrF.
CORPUS_CELLS = {"5c5be494", "7e5a5b94", "3b6a3648"}


def printed(cell) -> str:
    """What a code cell shows as text: its streams and the plain text of its results."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        elif "text/plain" in output.get("data", {}):
            parts.append(output["data"]["text/plain"])
    return "\n".join(parts)


def has_figure(cell) -> bool:
    return any("image/png" in output.get("data", {}) for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def runs():
    """(committed, run without the corpus) code cells of 08, by id."""
    committed = nbformat.read(NOTEBOOK, as_version=4)
    offline = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(real_corpus.PARALLEL_DATA_ENV, raising=False)
        execute_notebooks.run(offline, NOTEBOOK.parent)
    execute_notebooks.merge_streams(offline)

    def code(notebook):
        return {cell.id: cell for cell in notebook.cells if cell.cell_type == "code"}

    return code(committed), code(offline)


def test_corpus_cells_show_the_committed_outputs_and_say_so(runs):
    committed, offline = runs
    for cell_id in sorted(CORPUS_CELLS):
        shown = printed(offline[cell_id])
        assert shown.endswith(NOTE), f"cell {cell_id} does not say it shows the committed run"
        # the committed notebook was run with the corpus (a run without it would carry the note)
        assert shown.removesuffix(NOTE) == printed(committed[cell_id]).removesuffix(NOTE), cell_id
    assert "{'train': 4599, 'validation': 580, 'test': 570} pairs" in printed(offline["5c5be494"])
    assert "나는 학교에 갑니다 -> ['▁나', '는', '▁학교에', '▁', '갑', '니다']" in printed(
        offline["7e5a5b94"]
    )


def test_every_other_cell_shows_what_is_committed(runs):
    committed, offline = runs
    assert committed.keys() == offline.keys()
    for cell_id, cell in committed.items():
        if cell_id not in CORPUS_CELLS:
            assert printed(offline[cell_id]) == printed(cell), f"cell {cell_id} changed"
        assert has_figure(offline[cell_id]) == has_figure(cell), f"cell {cell_id}'s figure"
