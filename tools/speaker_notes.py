"""The presenter's speaker notes of the per-notebook decks (`make slides`), kept out of the lessons.

A learner's notebook holds no presenter's cue and no answer key: each notebook's notes live in
``presenter/notes/<notebook>.toml`` (the Korean edition's in ``presenter/notes/ko/``), one
entry per note, keyed by the id of the notebook cell the note follows::

    [notes]
    "3acdfc70" = '''
    Point at the seminar column ...
    '''

At render time (tools/render.py) each note becomes a ``notes`` cell right after its cell, so
reveal.js shows it on S with the slide that cell belongs to.
"""

from __future__ import annotations

import pathlib
import tomllib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NOTES = ROOT / "presenter" / "notes"


class NotesError(ValueError):
    """A notes file that does not fit its notebook."""


def notes_path(notebook: pathlib.Path) -> pathlib.Path:
    """Where the notes of ``notebook`` (an English or Korean notebook) live."""
    notebook = notebook.resolve()
    folder = NOTES / "ko" if notebook.parent.name == "ko" else NOTES
    return folder / f"{notebook.stem}.toml"


def load(notebook: pathlib.Path) -> dict[str, str]:
    """{cell id: note} for ``notebook``; empty when it has no notes file."""
    path = notes_path(notebook)
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        notes = tomllib.load(handle).get("notes", {})
    return {cell_id: text.strip() for cell_id, text in notes.items()}


def with_notes(notebook, notes: dict[str, str], source: str = "the notes file"):
    """A copy of ``notebook`` (a NotebookNode) with each note as a notes cell after its cell."""
    ids = [cell.get("id") for cell in notebook.cells]
    unknown = sorted(set(notes) - set(ids))
    if unknown:
        raise NotesError(
            f"{source} has notes for cells {unknown} that the notebook lacks; key each note "
            "by the id of the cell it follows"
        )
    merged = nbformat.from_dict(notebook)
    cells = []
    for cell in merged.cells:
        cells.append(cell)
        if cell.get("id") in notes:
            note = nbformat.v4.new_markdown_cell(notes[cell["id"]])
            note.metadata["slideshow"] = {"slide_type": "notes"}
            cells.append(note)
    merged.cells = cells
    return merged


def dump(notes: dict[str, str], header: str) -> str:
    """``notes`` as the text of a notes file (TOML literal strings, so LaTeX stays as written)."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()] + ["", "[notes]"]
    for cell_id, text in notes.items():
        if "'''" in text:
            raise NotesError(f"the note after cell {cell_id} contains ''' and cannot be stored")
        lines += [f"\"{cell_id}\" = '''", text.strip(), "'''", ""]
    return "\n".join(lines)
