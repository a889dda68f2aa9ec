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
import re
import sys
import tomllib

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from notebook_rules import NUMBER, printed  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NOTES = ROOT / "presenter" / "notes"


def quoted_numbers(text: str) -> list[str]:
    """Figures a note may quote: decimals and percentages (years and sizes are not checked),
    by the one definition of a number in prose (tools/notebook_rules.py)."""
    return [m.group(0) for m in NUMBER.finditer(text) if m.group(2) or m.group(3)]


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


def _main_slides(deck) -> dict[str, list]:
    """{id of each main slide's first cell: its cells up to the next slide or subslide}."""
    slides, current = {}, None
    for cell in deck.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind == "slide":
            current = cell.id
            slides[current] = []
        elif kind == "subslide":
            current = None
        if current:
            slides[current].append(cell)
    return slides


def problems(notebook, notes: dict[str, str]) -> list[str]:
    """Main slides of ``notebook``'s deck without exactly one note, or whose note quotes a
    number (a decimal or a percentage) that the slide does not show; as 'cell id: problem'."""
    found = []
    for slide_id, cells in _main_slides(with_notes(notebook, notes)).items():
        said = [c for c in cells if c.metadata["slideshow"].get("slide_type") == "notes"]
        if len(said) != 1:
            found.append(f"{slide_id}: {len(said)} notes, not one")
            continue
        shown = re.sub(
            r"\s+%", "%", "\n".join(f"{c.source}\n{printed(c)}" for c in cells if c is not said[0])
        )
        found += [
            f"{slide_id}: {number} is not on the slide"
            for number in quoted_numbers(said[0].source)
            if re.sub(r"\s+%", "%", number) not in shown
        ]
    return found
