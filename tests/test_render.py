"""`make html` and `make slides` pages load nothing from the network."""

from __future__ import annotations

import pathlib
import re
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import render  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

# Attributes and CSS that make a browser fetch something (links a reader clicks are fine).
LOADED_REFERENCES = re.compile(
    r"""<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc\s*=\s*["']([^"']+)["']"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']([^"']+)["']"""
    r"""|@import\s+(?:url\()?["']?([^"')\s;]+)"""
    r"""|url\(\s*["']?([^"')]+)["']?\s*\)"""
    r"""|\bimport\s+[\w{}\s,*]*\s+from\s+["']([^"']+)["']""",
    re.IGNORECASE,
)


def loaded_references(html: str) -> list[str]:
    return [next(group for group in match if group) for match in LOADED_REFERENCES.findall(html)]


def test_the_reference_finder_catches_cdn_loads():
    page = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
        'href="//cdn.example/a.css"><style>@import url("https://f.example/f.css");</style>'
        '<a href="https://example.org/paper">paper</a>'
    )
    assert loaded_references(page) == [
        "https://cdn.example/x.js",
        "//cdn.example/a.css",
        "https://f.example/f.css",
    ]


@pytest.mark.parametrize("kind", ["html", "slides"])
def test_rendered_pages_are_offline(kind, tmp_path):
    pages = render.render(kind, NOTEBOOKS, tmp_path)
    assert len(pages) == len(NOTEBOOKS)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for reference in loaded_references(html):
            if reference.startswith("data:"):
                continue
            assert not re.match(r"^(?:[a-z]+:)?//", reference, re.IGNORECASE), (
                f"{page.name} loads {reference} from the network"
            )
            local = (page.parent / reference.split("?")[0].split("#")[0]).resolve()
            assert local.is_file(), f"{page.name} refers to {reference}, which was not copied"
        if render.HANGUL.search(html):
            assert "font/woff;base64," in html, f"{page.name} shows Korean without a font"


def test_hangul_subset_holds_the_page_glyphs():
    import base64
    import io
    import re as regex

    from fontTools.ttLib import TTFont

    html = render.embed_hangul_font("<html><head></head><body>난 널 사랑해</body></html>")
    data = regex.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)
    font = TTFont(io.BytesIO(base64.b64decode(data)))
    covered = set(map(chr, font.getBestCmap()))
    assert set("난널사랑해") <= covered
    assert "가" not in covered  # a subset, not the 4.7 MB font
    assert render.embed_hangul_font("<html><head></head>plain</html>").count("@font-face") == 0


def test_render_rejects_an_empty_list(tmp_path):
    with pytest.raises(ValueError, match="no notebooks"):
        render.render("html", [], tmp_path)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_cell_hidden_on_slides_takes_no_shown_cell_with_it(notebook):
    """A hidden cell that starts a (sub)slide would merge the cells after it into the slide
    before; the first shown cell after it must then start a slide of its own."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    starts = ("slide", "subslide")
    for index, cell in enumerate(cells):
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if render.SLIDES_HIDE_TAG not in cell.metadata.get("tags", []) or kind not in starts:
            continue
        for after in cells[index + 1 :]:
            if render.SLIDES_HIDE_TAG in after.metadata.get("tags", []):
                continue
            after_kind = after.metadata.get("slideshow", {}).get("slide_type", "-")
            assert after_kind in (*starts, "skip") or after_kind == kind, (
                f"{notebook.name}: cell {cell.id} starts a {kind} and is tagged "
                f"{render.SLIDES_HIDE_TAG}; the next shown cell {after.id} would join the "
                f"slide before it. Give {after.id} slide_type {kind!r}."
            )
            break


def test_slides_drop_nbval_markers_and_pages_keep_them(tmp_path):
    import nbformat

    notebook = tmp_path / "marked.ipynb"
    cell = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nshape = (1, 5, 32)")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    (deck,) = render.render("slides", [notebook], tmp_path / "slides")
    (page,) = render.render("html", [notebook], tmp_path / "html")
    assert "NBVAL_CHECK_OUTPUT" not in deck.read_text(encoding="utf-8")
    assert "NBVAL_CHECK_OUTPUT" in page.read_text(encoding="utf-8")
    assert "shape" in deck.read_text(encoding="utf-8")


def test_speaker_notes_are_in_the_deck_and_not_in_the_page(tmp_path, monkeypatch):
    import nbformat
    import speaker_notes

    notebook = tmp_path / "noted.ipynb"
    slide = nbformat.v4.new_markdown_cell("# The map")
    slide.metadata["slideshow"] = {"slide_type": "slide"}
    nbformat.write(nbformat.v4.new_notebook(cells=[slide]), notebook)
    monkeypatch.setattr(speaker_notes, "NOTES", tmp_path / "notes")
    (tmp_path / "notes").mkdir()
    notes = speaker_notes.dump({slide.id: "Point at row 03 first."}, "test notes")
    speaker_notes.notes_path(notebook).write_text(notes, encoding="utf-8")
    (deck,) = render.render("slides", [notebook], tmp_path / "slides")
    (page,) = render.render("html", [notebook], tmp_path / "html")
    assert re.search(r'<aside class="notes">.*Point at row 03', deck.read_text(), re.S)
    assert "Point at row 03" not in page.read_text(encoding="utf-8")
    assert "The map" in page.read_text(encoding="utf-8")
