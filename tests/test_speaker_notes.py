"""The presenter's notes live in presenter/notes/, never in a learner's notebook (issue 39)."""

from __future__ import annotations

import pathlib
import re
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import speaker_notes  # noqa: E402

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BOTH = ENGLISH + sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
# How an answer key starts, in either edition.
PRESENTER_WORDS = re.compile(r"answer key|^answer:|정답:|^답:", re.I | re.M)


def _label(path: pathlib.Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", BOTH, ids=_label)
def test_a_lesson_holds_no_presenter_notes_and_no_answer_key(path):
    for cell in nbformat.read(path, as_version=4).cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        assert kind != "notes", f"{_label(path)} cell {cell.id}: move the note to presenter/notes"
        if cell.cell_type == "markdown" and not cell.source.lstrip().startswith("<details>"):
            found = PRESENTER_WORDS.search(cell.source)
            assert not found, (
                f"{_label(path)} cell {cell.id} says {found.group(0)!r} outside a solution"
            )


@pytest.mark.parametrize("path", BOTH, ids=_label)
def test_every_main_slide_has_one_note_quoting_only_what_it_shows(path):
    found = speaker_notes.problems(nbformat.read(path, as_version=4), speaker_notes.load(path))
    assert not found, (
        f"{_label(path)}: give each main slide one note in {speaker_notes.notes_path(path).name} "
        f"that quotes only numbers the slide shows: {found}"
    )


def test_problems_name_a_slide_without_notes_and_a_number_it_does_not_show():
    cells = [nbformat.v4.new_markdown_cell(text) for text in ("# A", "# B", "x")]
    for cell, kind, cell_id in zip(cells, ["slide", "slide", "-"], "abc", strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
        cell.id = cell_id
    notebook = nbformat.v4.new_notebook(cells=cells)
    assert speaker_notes.problems(notebook, {"a": "shows 0.25"}) == [
        "a: 0.25 is not on the slide",
        "b: 0 notes, not one",
    ]


@pytest.mark.parametrize("path", ENGLISH, ids=_label)
def test_both_editions_note_the_same_cells(path):
    twin = path.parent / "ko" / path.name
    assert speaker_notes.load(path).keys() == speaker_notes.load(twin).keys()


def test_a_note_for_a_missing_cell_is_refused_by_name():
    cell = nbformat.v4.new_markdown_cell("# A slide")
    notebook = nbformat.v4.new_notebook(cells=[cell])
    with pytest.raises(speaker_notes.NotesError, match="cells \\['nope'\\]"):
        speaker_notes.with_notes(notebook, {"nope": "Say hello."}, "demo.toml")


def test_a_note_follows_its_cell_and_survives_a_round_trip(tmp_path):
    first, second = nbformat.v4.new_markdown_cell("# One"), nbformat.v4.new_markdown_cell("# Two")
    notebook = nbformat.v4.new_notebook(cells=[first, second])
    text = speaker_notes.dump({first.id: "Say $h_{t-1}$ aloud."}, "demo")
    path = tmp_path / "demo.toml"
    path.write_text(text, encoding="utf-8")
    import tomllib

    notes = {k: v.strip() for k, v in tomllib.loads(text)["notes"].items()}
    deck = speaker_notes.with_notes(notebook, notes)
    assert [c.source for c in deck.cells] == ["# One", "Say $h_{t-1}$ aloud.", "# Two"]
    assert deck.cells[1].metadata["slideshow"]["slide_type"] == "notes"
    assert len(notebook.cells) == 2, "the notebook itself is left as it was"
