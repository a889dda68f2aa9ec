"""The Korean edition (한국어판, notebooks/ko/): a twin of each English notebook, kept in step.

A twin has the English notebook's cells in the same order with the same ids. Code cells are
copies (source, outputs, metadata), so nbval runs only the English notebooks. Markdown cells
hold Korean prose, each stamped with a hash of the English source it translates (cell
metadata ``translation.english``), so a change to the English names the cells to redo.

    python tools/korean_edition.py sync [--add 01_lstm_gates.ipynb]
        # after `make execute`: copy code and outputs into every twin (--add: start a new
        # twin, its markdown still English), list the markdown cells that need translating
    python tools/korean_edition.py stamp notebooks/ko/01_lstm_gates.ipynb [--cells ID ...]
                                           # after translating: record the English they match
    python tools/korean_edition.py check   # what tests/test_korean_edition.py checks
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import sys

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from notebook_rules import (  # noqa: F401  (problems, numbers: this tool's names for them)
    KOREAN,
    MIN_HANGUL_SHARE,
    NOTEBOOKS,
    english_hash,
    hangul_share,
    series,
    stamp_of,
)
from notebook_rules import number_strings as numbers  # noqa: F401
from notebook_rules import twin_problems as problems


def english_notebooks() -> list[pathlib.Path]:
    """The English notebooks, in the order of notebooks/series.toml."""
    return [NOTEBOOKS / f"{row['file']}.ipynb" for row in series()]


def twin_path(english: pathlib.Path) -> pathlib.Path:
    return KOREAN / english.name


def sync(english, korean=None):
    """(new twin, cells to translate): code from ``english``, Korean prose kept by cell id.

    A markdown cell with no Korean yet gets the English text, unstamped, and is listed.
    """
    previous_cells = korean.cells if korean is not None else []
    kept = {c["id"]: c for c in previous_cells if c["cell_type"] == "markdown"}
    twin = copy.deepcopy(english)
    todo = []
    for index, cell in enumerate(twin.cells):
        if cell["cell_type"] != "markdown":
            continue
        if cell["id"] in kept:
            previous = kept[cell["id"]]
            cell["source"] = previous["source"]
            if "translation" in previous["metadata"]:
                cell["metadata"]["translation"] = previous["metadata"]["translation"]
        if stamp_of(cell) != english_hash(english.cells[index]["source"]):
            todo.append(f"cell {index} ({cell['id']})")
    return twin, todo


def stamp(english, korean, cell_ids=None) -> list[str]:
    """Record, on ``korean``'s markdown cells (all, or ``cell_ids``), the English they translate.

    Refuses a cell that is not yet mostly Hangul. Returns the ids stamped.
    """
    english_source = {c["id"]: c["source"] for c in english.cells}
    stamped = []
    for cell in korean.cells:
        if cell["cell_type"] != "markdown" or (cell_ids and cell["id"] not in cell_ids):
            continue
        if hangul_share(cell["source"]) < MIN_HANGUL_SHARE:
            raise ValueError(f"cell {cell['id']} is not translated yet (too little Hangul)")
        cell["metadata"]["translation"] = {"english": english_hash(english_source[cell["id"]])}
        stamped.append(cell["id"])
    return stamped


def _read(path: pathlib.Path):
    return nbformat.read(path, as_version=4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sync_parser = commands.add_parser("sync")
    sync_parser.add_argument("--add", nargs="+", default=[], metavar="NOTEBOOK")
    stamp_parser = commands.add_parser("stamp")
    stamp_parser.add_argument("twin", type=pathlib.Path)
    stamp_parser.add_argument("--cells", nargs="+")
    commands.add_parser("check")
    args = parser.parse_args(argv)

    if args.command == "stamp":
        english_path = NOTEBOOKS / args.twin.name
        korean = _read(args.twin)
        ids = stamp(_read(english_path), korean, args.cells)
        nbformat.write(korean, args.twin)
        print(f"{args.twin}: stamped {len(ids)} markdown cells")
        return 0
    failed = False
    for english_path in english_notebooks():
        twin = twin_path(english_path)
        if args.command == "sync" and (twin.is_file() or english_path.name in args.add):
            new, todo = sync(_read(english_path), _read(twin) if twin.is_file() else None)
            KOREAN.mkdir(exist_ok=True)
            nbformat.write(new, twin)
            print(f"{twin.name}: {'to translate: ' + ', '.join(todo) if todo else 'in step'}")
        elif args.command == "check" and twin.is_file():
            found = problems(_read(english_path), _read(twin))
            failed |= bool(found)
            print(f"{twin.name}: " + ("in step" if not found else "\n  " + "\n  ".join(found)))
        else:
            print(f"{twin.name}: no Korean twin yet")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
