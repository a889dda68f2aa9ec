"""Assemble the seminar deck (`make seminar`): the talk in its order, from cells of the notebooks.

tools/seminar.toml names the talk's sections in order and, for each slide, a notebook, the ids
of the cells to show and the speaker notes. The cells are copied from the committed notebooks
at build time (nothing is kept twice), grouped one slide per entry, and rendered with the same
offline reveal.js exporter as `make slides` into build/seminar/index.html.

Two editions: Korean, the talk's own language and the default (build/seminar/index.html, cells
from the twins in notebooks/ko/), and English (build/seminar/en/index.html). A notebook without
a Korean twin yet lends its English cells to the Korean deck, and the build says which.
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import re
import sys
import tomllib

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import render  # noqa: E402

ROOT = render.ROOT
MANIFEST = ROOT / "tools" / "seminar.toml"
NOTEBOOKS = ROOT / "notebooks"
EDITIONS = {"ko": NOTEBOOKS / "ko", "en": NOTEBOOKS}
MAX_SLIDES = 45  # the limit for a talk of about 19 sections
# Figures a note may quote: decimals and percentages (years and sizes are not checked).
QUOTED_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*%|\d+\.\d+")


class ManifestError(ValueError):
    """The manifest names something that is not there, or breaks the talk's order."""


def load_manifest(path: pathlib.Path = MANIFEST) -> dict:
    """Read the manifest and check its shape and order (see ``check_manifest``)."""
    with path.open("rb") as handle:
        manifest = tomllib.load(handle)
    check_manifest(manifest, path.name)
    return manifest


def _label(index: int, slide: dict, source: str) -> str:
    return f"slide {index} ({slide.get('title', 'untitled')!r}) of {source}"


def check_manifest(manifest: dict, source: str = MANIFEST.name) -> None:
    """Raise ManifestError unless every slide is complete and the slides follow the talk."""
    sections = manifest["talk"]["sections"]
    slides = manifest.get("slide", [])
    if len(slides) > MAX_SLIDES:
        raise ManifestError(
            f"{source} has {len(slides)} slides; the seminar deck may have at most {MAX_SLIDES}: "
            "merge slides or move detail into the notes."
        )
    reached = 0
    for index, slide in enumerate(slides, 1):
        label = _label(index, slide, source)
        for key in ("section", "title", "notebook", "cells", "notes"):
            if not slide.get(key):
                raise ManifestError(f"{label} has no {key!r}; every slide needs one.")
        if slide["section"] not in sections:
            raise ManifestError(
                f"{label} names section {slide['section']!r}, which is not in [talk] sections "
                f"{sections}."
            )
        position = sections.index(slide["section"])
        if position < reached:
            raise ManifestError(
                f"{label} is in section {slide['section']!r}, after a slide of the later "
                f"section {sections[reached]!r}: order the slides as [talk] sections lists them."
            )
        reached = position
        if slide["notebook"] not in manifest["notebooks"]:
            raise ManifestError(
                f"{label} names notebook {slide['notebook']!r}; [notebooks] has "
                f"{sorted(manifest['notebooks'])}."
            )
    missing = [name for name in sections if name not in {slide["section"] for slide in slides}]
    if missing:
        raise ManifestError(f"{source} has no slide for the talk's sections {missing}.")


def edition_paths(manifest: dict, edition: str = "en") -> tuple[dict, list[str]]:
    """({notebook key: path} for ``edition``, the files that fall back to English)."""
    if edition not in EDITIONS:
        raise ManifestError(f"unknown edition {edition!r}; expected one of {sorted(EDITIONS)}")
    paths, english = {}, []
    for key, name in manifest["notebooks"].items():
        path = EDITIONS[edition] / name
        if edition != "en" and not path.is_file() and (NOTEBOOKS / name).is_file():
            path = NOTEBOOKS / name
            english.append(name)
        paths[key] = path
    return paths, english


def _has_heading(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("#")


def assemble(
    manifest: dict,
    notebooks_dir: pathlib.Path = NOTEBOOKS,
    source: str = MANIFEST.name,
    paths=None,
    title_key: str | None = None,
):
    """The deck as one notebook: each slide's cells, then a notes cell (reveal.js notes).

    The first cell of a slide starts it; the others join it (fragments stay fragments), so
    the notebooks' own subslides and skips do not split or hide what the manifest chose.
    With ``title_key`` ("title" for the Korean deck, "title_en" for the English one), a slide
    whose first cell is not a heading opens with that title from the manifest.
    """
    loaded = {}
    cells = []
    for index, slide in enumerate(manifest["slide"], 1):
        label = _label(index, slide, source)
        path = (paths or {}).get(slide["notebook"]) or (
            notebooks_dir / manifest["notebooks"][slide["notebook"]]
        )
        if path not in loaded:
            if not path.is_file():
                raise ManifestError(
                    f"{label}: notebook {slide['notebook']!r} is {path.name}, which is not in "
                    f"{notebooks_dir}; fix its file name under [notebooks] in {source}."
                )
            loaded[path] = nbformat.read(path, as_version=4)
        by_id = {cell.id: cell for cell in loaded[path].cells}
        strays = sorted(set(slide.get("figures_only", [])) - set(slide["cells"]))
        if strays:
            raise ManifestError(f"{label}: figures_only names {strays}, which are not its cells.")
        for position, cell_id in enumerate(slide["cells"]):
            if cell_id not in by_id:
                raise ManifestError(
                    f"{label}: {path.name} has no cell with id {cell_id!r}; copy the id from "
                    "the cell's metadata (JupyterLab: the property inspector, or the .ipynb)."
                )
            cell = copy.deepcopy(by_id[cell_id])
            if render.SLIDES_HIDE_TAG in cell.metadata.get("tags", []):
                raise ManifestError(
                    f"{label}: cell {cell_id!r} of {path.name} is tagged "
                    f"{render.SLIDES_HIDE_TAG!r}, so no deck shows it; choose another cell."
                )
            kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
            if position == 0:
                kind = "slide"
            elif kind != "fragment":
                kind = "-"
            cell.metadata["slideshow"] = {"slide_type": kind}
            if position == 0 and title_key and not _has_heading(cell):
                if not slide.get(title_key):
                    raise ManifestError(
                        f"{label} opens on a cell without a heading; "
                        f"give it a {title_key!r} to show above it."
                    )
                heading = nbformat.v4.new_markdown_cell(f"### {slide[title_key]}")
                heading.metadata["slideshow"] = {"slide_type": "slide"}
                cell.metadata["slideshow"] = {"slide_type": "-"}
                cells.append(heading)
            tags = cell.metadata.setdefault("tags", [])
            if (
                cell_id in slide.get("figures_only", [])
                and render.SLIDES_HIDE_INPUT_TAG not in tags
            ):
                tags.append(render.SLIDES_HIDE_INPUT_TAG)
            cells.append(cell)
        notes = nbformat.v4.new_markdown_cell(slide["notes"].strip())
        notes.metadata["slideshow"] = {"slide_type": "notes"}
        cells.append(notes)
    first = next(iter(loaded.values()))
    return nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(first.metadata))


def _cell_text(cell) -> str:
    """A cell's source and its text outputs, the numbers a slide shows."""
    parts = [cell.source]
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        parts.append("".join(output.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def unshown_numbers(notes: str, cells) -> list[str]:
    """The numbers with a decimal point or a % sign in ``notes`` that none of ``cells`` shows."""
    shown = re.sub(r"\s+%", "%", "\n".join(_cell_text(cell) for cell in cells))
    return [n for n in QUOTED_NUMBER.findall(notes) if re.sub(r"\s+%", "%", n) not in shown]


def unquoted_numbers(manifest: dict, notebooks_dir: pathlib.Path = NOTEBOOKS) -> list[str]:
    """Numbers in a slide's notes that none of the slide's cells shows, as 'slide: number'."""
    problems = []
    for index, slide in enumerate(manifest["slide"], 1):
        notebook = nbformat.read(
            notebooks_dir / manifest["notebooks"][slide["notebook"]], as_version=4
        )
        by_id = {cell.id: cell for cell in notebook.cells}
        for number in unshown_numbers(slide["notes"], [by_id[i] for i in slide["cells"]]):
            problems.append(f"{_label(index, slide, MANIFEST.name)}: {number}")
    return problems


def main_slides(notebook) -> dict[str, list]:
    """{id of each main slide's first cell: its cells up to the next slide or subslide}."""
    slides, current = {}, None
    for cell in notebook.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind == "slide":
            current = cell.id
            slides[current] = []
        elif kind == "subslide":
            current = None
        if current:
            slides[current].append(cell)
    return slides


def notes_problems(notebook) -> list[str]:
    """Main slides of a notebook deck without speaker notes, or whose notes quote a number
    that the slide does not show; as 'cell id: problem'."""
    problems = []
    for slide_id, cells in main_slides(notebook).items():
        notes = [c for c in cells if c.metadata["slideshow"].get("slide_type") == "notes"]
        if len(notes) != 1:
            problems.append(f"{slide_id}: {len(notes)} notes cells, not one")
            continue
        shown = [c for c in cells if c is not notes[0]]
        problems += [
            f"{slide_id}: {n} is not on the slide" for n in unshown_numbers(notes[0].source, shown)
        ]
    return problems


def build(
    out_dir: pathlib.Path, manifest_path: pathlib.Path = MANIFEST, edition: str = "ko"
) -> pathlib.Path:
    """Write the ``edition``'s deck to ``out_dir/index.html`` with its assets; return the page."""
    manifest = load_manifest(manifest_path)
    paths, english = edition_paths(manifest, edition)
    if english:
        print(f"make seminar: no Korean twin of {', '.join(english)} yet; they stay English")
    title_key = "title" if edition == "ko" else "title_en"
    deck = assemble(manifest, source=manifest_path.name, paths=paths, title_key=title_key)
    out_dir.mkdir(parents=True, exist_ok=True)
    render.copy_assets(out_dir, with_reveal=True)
    page = out_dir / "index.html"
    render.write_page(render.make_exporter("slides"), deck, manifest["title"], page)
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--manifest", type=pathlib.Path, default=MANIFEST)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "build" / "seminar")
    args = parser.parse_args(argv)
    slides = len(load_manifest(args.manifest)["slide"])
    for edition, out in [("ko", args.out), ("en", args.out / "en")]:
        try:
            page = build(out, args.manifest, edition)
        except ManifestError as error:
            print(f"make seminar: {error}", file=sys.stderr)
            return 1
        shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
        print(f"wrote {shown} ({slides} slides, {edition})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
