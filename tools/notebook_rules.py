"""The series' one list of notebooks (notebooks/series.toml) and the rules each one meets.

One definition each of what the checks share: a number in prose (:data:`NUMBER`), prose
(:func:`prose`: markdown without code, math, link targets and tags) and Hangul
(:data:`HANGUL`). tools/korean_edition.py and the tests use these.

    python tools/notebook_rules.py notebooks/03_seq2seq.ipynb   # every problem of one notebook
    python tools/notebook_rules.py                               # every problem of the series
    python tools/notebook_rules.py --write-tables   # README tables and 00's maps from the rows
"""

from __future__ import annotations

import argparse
import ast
import builtins
import hashlib
import json
import pathlib
import re
import sys
import tomllib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
KOREAN = NOTEBOOKS / "ko"
EDITIONS = (("en", NOTEBOOKS), ("ko", KOREAN))
MANIFEST = NOTEBOOKS / "series.toml"
README = ROOT / "README.md"
ROW_KEYS = {"number", "file", "title_en", "title_ko", "idea_en", "idea_ko", "exercises"}
ROW_KEYS |= {"prose_numbers"}

# A number as prose writes it: 12, 4,599, 0.968, 97 % (the percent sign kept apart).
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%)?")
HANGUL = re.compile("[가-힣]")
NOT_PROSE = re.compile(
    r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]+>|https?://\S+", re.S
)
# Of the letters of a Korean cell's prose, at least this share must be Hangul: Korean prose with
# English terms beside it passes, an untranslated or half-translated cell does not.
MIN_HANGUL_SHARE = 0.4
MAX_CODE_LINES = 15


def series(path: pathlib.Path = MANIFEST) -> list[dict]:
    """The manifest's rows, in order, each checked for its keys."""
    with open(path, "rb") as handle:
        rows = tomllib.load(handle)["notebook"]
    for row in rows:
        missing = ROW_KEYS - set(row)
        if missing:
            raise ValueError(f"{path}: the row of {row.get('file')} lacks {sorted(missing)}")
    return rows


def row_of(notebook: pathlib.Path, rows: list[dict] | None = None) -> dict | None:
    """The manifest row of ``notebook`` (either edition), or None."""
    found = [row for row in rows or series() if row["file"] == notebook.stem]
    return found[0] if found else None


def prose(markdown: str) -> str:
    """What a reader reads as prose: code, math, link targets, tags and addresses left out."""
    return NOT_PROSE.sub(" ", markdown)


def numbers(text: str):
    """(value, decimals, is a percentage) for every number written in ``text``."""
    for match in NUMBER.finditer(text):
        whole, fraction = match.group(1).replace(",", ""), match.group(2) or ""
        yield float(whole + fraction), max(len(fraction) - 1, 0), bool(match.group(3))


def number_strings(text: str) -> set[str]:
    """The numbers ``text`` states as written, commas dropped ("4,599" -> "4599")."""
    return {m.group(1).replace(",", "") + (m.group(2) or "") for m in NUMBER.finditer(text)}


def hangul_share(markdown: str) -> float:
    """Share of Hangul among the letters of ``markdown``'s prose (1.0 when it has no letters)."""
    text = prose(markdown)
    hangul = len(HANGUL.findall(text))
    latin = sum(ch.isascii() and ch.isalpha() for ch in text)
    return 1.0 if hangul + latin == 0 else hangul / (hangul + latin)


def source(cell) -> str:
    return "".join(cell["source"])


def printed(cell, html: bool = True) -> str:
    """The text a code cell's committed outputs show: what it printed and displayed (a styled
    table exists only as HTML; ``html=False`` for text meant to be parsed line by line)."""
    kinds = ("text/plain", "text/html") if html else ("text/plain",)
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append("".join(output["text"]))
        for kind in kinds:
            parts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def prose_numbers(cells):
    """(cell index, value, decimals, is a percentage) of the decimals and percentages in prose;
    exercises and their solutions are not prose."""
    for index, cell in enumerate(cells):
        text = source(cell)
        if cell["cell_type"] != "markdown" or text.startswith(("## Exercises", "<details>")):
            continue
        for value, decimals, percent in numbers(prose(text)):
            if decimals or percent:
                yield index, value, decimals, percent


def shown_values(cells) -> set[float]:
    """Every number the code cells print or contain; fractions also as percentages and back."""
    shown = set()
    for cell in cells:
        if cell["cell_type"] == "code":
            for value, _, percent in numbers(printed(cell) + "\n" + source(cell)):
                shown |= {value, value / 100 if percent else value * 100}
    return shown


def unsupported_numbers(cells, cited: dict) -> list[str]:
    """The prose numbers no output or code shows (rounded to the prose's precision) and no
    citation of the manifest explains, as "cell N: value"."""
    shown = shown_values(cells)
    cited_values = {float(value) for value in cited}
    missing = []
    for index, value, decimals, percent in prose_numbers(cells):
        tolerance = 0.5 * 10**-decimals + 1e-9
        if value in cited_values or any(abs(seen - value) <= tolerance for seen in shown):
            continue
        missing.append(f"cell {index}: {value:g}{' %' if percent else ''}")
    return missing


def english_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def stamp_of(cell) -> str | None:
    return cell.get("metadata", {}).get("translation", {}).get("english")


def _code_view(cell) -> dict:
    """What must be identical between the editions for a code cell."""
    return {key: cell.get(key) for key in ("source", "outputs", "execution_count", "metadata")}


def twin_problems(english, korean) -> list[str]:
    """Every way the Korean twin ``korean`` is out of step with ``english`` (notebook dicts)."""
    found = []
    english_ids = [(c["id"], c["cell_type"]) for c in english["cells"]]
    korean_ids = [(c["id"], c["cell_type"]) for c in korean["cells"]]
    if english_ids != korean_ids:
        return [
            "the cells differ in ids, types or order from the English notebook; run "
            "`python tools/korean_edition.py sync`"
        ]
    for index, (en, ko) in enumerate(zip(english["cells"], korean["cells"], strict=True)):
        where = f"cell {index} ({en['id']})"
        if en["cell_type"] == "code":
            for key, value in _code_view(en).items():
                if _code_view(ko)[key] != value:
                    found.append(f"{where}: code cell {key} differs from the English; run sync")
            continue
        if stamp_of(ko) != english_hash(source(en)):
            found.append(
                f"{where}: the English changed since it was translated (or it never was); "
                "translate it again and run stamp"
            )
        share = hangul_share(source(ko))
        if share < MIN_HANGUL_SHARE:
            found.append(f"{where}: only {share:.0%} of its letters are Hangul; translate it")
        missing = number_strings(source(en)) - number_strings(source(ko))
        if missing:
            found.append(f"{where}: numbers of the English missing here: {sorted(missing)}")
    return found


def exercise_problems(cells) -> list[str]:
    """The exercise layout: answers (code), check (tagged hide-on-slides), <details> solution."""
    checks = [
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and "exercises.check_" in source(c)
    ]
    if len(checks) != 1:
        return [f"expected one exercise check cell, found cells {checks}"]
    (i,) = checks
    found = []
    if i == 0 or cells[i - 1]["cell_type"] != "code":
        found.append("the answers cell (code) comes right before the check")
    if "hide-on-slides" not in cells[i]["metadata"].get("tags", []):
        found.append(f"cell {i}: tag the check hide-on-slides")
    solution = cells[i + 1] if i + 1 < len(cells) else {"cell_type": "", "source": ""}
    if solution["cell_type"] != "markdown" or not source(solution).startswith("<details>"):
        found.append("a collapsed <details> solution comes right after the check")
    elif solution["metadata"].get("slideshow", {}).get("slide_type") != "skip":
        found.append(f"cell {i + 1}: solutions are not slides (slide_type skip)")
    elif not re.search(r"```python\n(.*?)```", source(solution), re.S):
        found.append(f"cell {i + 1}: the solution holds its answers in a ```python block")
    return found


def long_cells(cells) -> list[str]:
    return [
        f"cell {index}: {lines} lines of code, at most {MAX_CODE_LINES}"
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and (lines := len([line for line in source(cell).splitlines() if line.strip()]))
        > MAX_CODE_LINES
    ]


_SCOPES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.ClassDef,
)


def cell_names(code: str) -> tuple[set[str], set[str]]:
    """(names a code cell binds at its top level, names it reads from outside itself);
    names bound inside a function, lambda or comprehension stay inside it."""
    defined, used = set(), set()

    def local_names(node) -> set[str]:
        bound = set()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            bound |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            bound |= {a.arg for a in (args.vararg, args.kwarg) if a}
        for child in ast.walk(node):
            if (
                isinstance(child, ast.comprehension)
                or isinstance(child, ast.Name)
                and isinstance(child.ctx, ast.Store)
            ):
                targets = child.target if isinstance(child, ast.comprehension) else child
                bound |= {n.id for n in ast.walk(targets) if isinstance(n, ast.Name)}
        return bound

    def visit(node, bound: frozenset):
        if isinstance(node, _SCOPES) and not isinstance(node, ast.ClassDef):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not bound:
                defined.add(node.name)
            inner = bound | local_names(node)
            for child in ast.iter_child_nodes(node):
                visit(child, frozenset(inner))
            return
        if isinstance(node, ast.ClassDef) and not bound:
            defined.add(node.name)
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                if not bound:
                    defined.add(node.id)
            elif node.id not in bound:
                used.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and not bound:
            defined.update((a.asname or a.name).split(".")[0] for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child, bound)

    visit(ast.parse(code), frozenset())
    return defined, used


def state_cells(cells, before: int, wanted) -> list[int]:
    """The code cells above cell ``before`` that build the names ``wanted``, and those they
    read in turn: what to run, in order, to rebuild the state a later cell is judged in."""
    wanted, chosen = set(wanted) - set(dir(builtins)), []
    for index in range(before - 1, -1, -1):
        if cells[index]["cell_type"] != "code":
            continue
        defined, used = cell_names(source(cells[index]))
        if defined & wanted:
            chosen.append(index)
            wanted = (wanted - defined) | (used - defined - set(dir(builtins)))
    return chosen[::-1]


def problems(notebook: pathlib.Path, rows: list[dict] | None = None) -> list[str]:
    """Every problem of one English notebook (and its twin), as sentences."""
    rows = series() if rows is None else rows
    row = row_of(notebook, rows)
    if row is None:
        return [f"{notebook.name} has no row in {MANIFEST.relative_to(ROOT)}; add one"]
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = long_cells(cells)
    if row["exercises"]:
        found += exercise_problems(cells)
    if row["prose_numbers"]:
        found += [
            f"{where} in the prose, but no output shows it (print it, fix the prose, or "
            "cite its source in series.toml)"
            for where in unsupported_numbers(cells, row.get("cited", {}))
        ]
    twin = KOREAN / notebook.name
    if not twin.is_file():
        found.append(f"no Korean twin {twin.relative_to(ROOT)}: korean_edition.py sync --add")
    else:
        english = json.loads(notebook.read_text(encoding="utf-8"))
        korean = json.loads(twin.read_text(encoding="utf-8"))
        found += [f"Korean twin: {problem}" for problem in twin_problems(english, korean)]
    return found


def map_table(rows: list[dict], edition: str = "en") -> str:
    """The map of notebook 00 (``edition`` "en" or "ko"): a linked row per notebook."""
    head = (
        "| # | notebook | the one idea |" if edition == "en" else "| # | 노트북 | 핵심 아이디어 |"
    )
    lines = [head, "|---|---|---|"]
    for row in rows:
        title = row[f"title_{edition}"]
        if not row["file"].startswith("00_"):
            title = f"[{title}]({row['file']}.ipynb)"
        lines.append(f"| {row['number']} | {title} | {row[f'idea_{edition}']} |")
    return "\n".join(lines)


def readme_table(rows: list[dict], edition: str = "en") -> str:
    """README.md's table of the notebooks of one edition."""
    head = "| # | notebook | the one idea |" if edition == "en" else "| # | 노트북 | 핵심 |"
    prefix = "" if edition == "en" else "ko/"
    lines = [head, "|---|---|---|"]
    lines += [
        f"| {row['number']} | `{prefix}{row['file']}` | {row[f'idea_{edition}']} |" for row in rows
    ]
    return "\n".join(lines)


TABLE = re.compile(r"^\| # \|.*\n\|---\|---\|---\|\n(?:\|.*\|\n?)+", re.M)


def tables_in(text: str) -> list[str]:
    """The notebook tables of ``text`` (a README or a markdown cell), in order."""
    return [match.group(0).rstrip("\n") for match in TABLE.finditer(text)]


def table_problems(rows: list[dict]) -> list[str]:
    """Where README.md or the map in 00 (either edition) says other than the manifest."""
    found = []
    readme = tables_in(README.read_text(encoding="utf-8"))
    wanted = [readme_table(rows, "ko"), readme_table(rows, "en")]
    if readme[:2] != wanted:
        found.append("README.md's notebook tables differ from series.toml; run --write-tables")
    overview = next(row for row in rows if row["file"].startswith("00_"))
    for edition, folder in EDITIONS:
        path = folder / f"{overview['file']}.ipynb"
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        maps = [t for c in cells if c["cell_type"] == "markdown" for t in tables_in(source(c))]
        if map_table(rows, edition) not in maps:
            found.append(f"{path.relative_to(ROOT)}: the map differs from series.toml")
    return found


def write_tables(rows: list[dict]) -> None:
    """Rewrite README.md's two notebook tables and the map in 00 (both editions) from the
    manifest. The Korean map cell is re-stamped as translated only if it was in step before:
    a map is the manifest's text, but the cell's prose around it may need translating."""
    text = README.read_text(encoding="utf-8")
    wanted = iter([readme_table(rows, "ko"), readme_table(rows, "en")])
    text = TABLE.sub(lambda match: next(wanted, match.group(0).rstrip("\n")) + "\n", text)
    README.write_text(text, encoding="utf-8")
    overview = next(row for row in rows if row["file"].startswith("00_"))
    paths = {edition: folder / f"{overview['file']}.ipynb" for edition, folder in EDITIONS}
    books = {edition: nbformat.read(path, as_version=4) for edition, path in paths.items()}
    korean = {cell.id: cell for cell in books["ko"].cells}
    for cell in books["en"].cells:
        twin = korean.get(cell.id)
        if cell.cell_type != "markdown" or not TABLE.search(cell.source) or twin is None:
            continue
        in_step = stamp_of(twin) == english_hash(cell.source)
        for edition, target in (("en", cell), ("ko", twin)):
            table = map_table(rows, edition)
            target.source = TABLE.sub(lambda match, t=table: t + "\n", target.source, count=1)
        if in_step:
            twin.metadata.setdefault("translation", {})["english"] = english_hash(cell.source)
    for edition, path in paths.items():
        nbformat.write(books[edition], path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--write-tables", action="store_true")
    args = parser.parse_args(argv)
    rows = series()
    if args.write_tables:
        write_tables(rows)
    paths = args.notebooks or [NOTEBOOKS / f"{row['file']}.ipynb" for row in rows]
    failed = False
    for path in paths:
        found = problems(path.resolve(), rows)
        failed |= bool(found)
        print(f"{path.name}: " + ("fine" if not found else "\n  " + "\n  ".join(found)))
    if not args.notebooks:
        found = table_problems(rows)
        failed |= bool(found)
        print("tables: " + ("fine" if not found else "\n  " + "\n  ".join(found)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
