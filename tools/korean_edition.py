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
import hashlib
import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KOREAN = NOTEBOOKS / "ko"
# Of the letters in a markdown cell's prose (code, math, links and tags left out), at least this
# share must be Hangul: Korean prose with English terms beside it passes, an untranslated or
# half-translated cell does not.
MIN_HANGUL_SHARE = 0.4
_NOT_PROSE = re.compile(
    r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]+>|https?://\S+", re.S
)
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def english_notebooks() -> list[pathlib.Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def twin_path(english: pathlib.Path) -> pathlib.Path:
    return KOREAN / english.name


def english_hash(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def hangul_share(markdown: str) -> float:
    """Share of Hangul among the letters of ``markdown``'s prose (1.0 when it has no letters)."""
    prose = _NOT_PROSE.sub(" ", markdown)
    hangul = sum("가" <= ch <= "힣" for ch in prose)
    latin = sum(ch.isascii() and ch.isalpha() for ch in prose)
    return 1.0 if hangul + latin == 0 else hangul / (hangul + latin)


def numbers(markdown: str) -> set[str]:
    """The numbers a markdown cell states, commas dropped ("4,599" -> "4599")."""
    return {match.replace(",", "") for match in _NUMBER.findall(markdown)}


def _stamp(cell) -> str | None:
    return cell.get("metadata", {}).get("translation", {}).get("english")


def _code_view(cell) -> dict:
    """What must be identical between the editions for a code cell."""
    return {key: cell.get(key) for key in ("source", "outputs", "execution_count", "metadata")}


def problems(english, korean) -> list[str]:
    """Every way ``korean`` is out of step with ``english`` (two NotebookNodes), as sentences."""
    found = []
    english_ids = [(c["id"], c["cell_type"]) for c in english.cells]
    korean_ids = [(c["id"], c["cell_type"]) for c in korean.cells]
    if english_ids != korean_ids:
        return [
            "the cells differ in ids, types or order from the English notebook; run "
            "`python tools/korean_edition.py sync`"
        ]
    for index, (en, ko) in enumerate(zip(english.cells, korean.cells, strict=True)):
        where = f"cell {index} ({en['id']})"
        if en["cell_type"] == "code":
            for key, value in _code_view(en).items():
                if _code_view(ko)[key] != value:
                    found.append(f"{where}: code cell {key} differs from the English; run sync")
            continue
        if _stamp(ko) != english_hash(en["source"]):
            found.append(
                f"{where}: the English changed since it was translated (or it never was); "
                "translate it again and run stamp"
            )
        share = hangul_share(ko["source"])
        if share < MIN_HANGUL_SHARE:
            found.append(f"{where}: only {share:.0%} of its letters are Hangul; translate it")
        missing = numbers(en["source"]) - numbers(ko["source"])
        if missing:
            found.append(f"{where}: numbers of the English missing here: {sorted(missing)}")
    return found


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
        if _stamp(cell) != english_hash(english.cells[index]["source"]):
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
