"""Render notebooks to offline HTML pages or reveal.js decks (`make html`, `make slides`).

Everything a page loads is copied next to it under ``assets/``: MathJax from
the jupyter-server-mathjax package, reveal.js from the copy that
sphinx-revealjs vendors. The Korean glyphs a page uses are embedded in it as a
subset of NanumGothic (from koreanize-matplotlib): browsers refuse fonts from
file:// pages, and the whole font is 4.7 MB.
Committed outputs are rendered as they are; nothing is executed here.

Cells tagged ``hide-on-slides`` (SLIDES_HIDE_TAG) are left out of the decks and kept in the
pages: the setup and imports cells, and the exercises' checking code, which a room need not read.
Cells tagged ``hide-input-on-slides`` (SLIDES_HIDE_INPUT_TAG) show only their outputs on slides.
"""

from __future__ import annotations

import argparse
import base64
import importlib.util
import io
import logging
import pathlib
import re
import shutil
import sys
from importlib import resources

import nbformat
from fontTools import subset
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import speaker_notes  # noqa: E402

# NanumGothic's hinting tables (TSI*) cannot be subset and are dropped; that is fine, say nothing.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "tools" / "templates"
# Configs that jupyter-server-mathjax ships (its static/config/*.js); a name it lacks fails
# silently in the browser and leaves every $...$ as raw text.
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"
# The cell tag that keeps a cell out of every deck (`make slides`, `make seminar`).
SLIDES_HIDE_TAG = "hide-on-slides"
# The cell tag that shows only a cell's outputs in the decks (a figure without its plotting code).
SLIDES_HIDE_INPUT_TAG = "hide-input-on-slides"


def headless_chromium(browser: str, profile, *extra: str) -> list[str]:
    """The command that runs ``browser`` headless and offline with a fresh ``profile`` folder,
    as the browser tests, the lab test and the seminar's PDF run it: no sandbox (CI runs as
    root) and none of the background connections that a closed network refuses."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *extra,
    ]


def _package_dir(package: str, *parts: str) -> pathlib.Path:
    path = pathlib.Path(str(resources.files(package).joinpath(*parts)))
    if not path.is_dir():
        raise FileNotFoundError(
            f"{path} is missing: reinstall the dev tools with `pip install -e .[dev]`."
        )
    return path


def copy_assets(out_dir: pathlib.Path, with_reveal: bool) -> None:
    """Copy MathJax (and reveal.js for decks) into ``out_dir/assets``."""
    assets = out_dir / "assets"
    mathjax = _package_dir("jupyter_server_mathjax", "static")
    configs = MATHJAX_CONFIG.split(",")
    missing = [name for name in configs if not (mathjax / "config" / f"{name}.js").is_file()]
    if missing:
        raise FileNotFoundError(f"MathJax config {missing} is not in {mathjax / 'config'}")
    shutil.copytree(mathjax, assets / "mathjax", dirs_exist_ok=True)
    if with_reveal:
        reveal = _package_dir("sphinx_revealjs", "_static", "revealjs")
        shutil.copytree(reveal, assets / "reveal", dirs_exist_ok=True)


# Hangul jamo, compatibility jamo and syllables
HANGUL_BLOCKS = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))
HANGUL = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in HANGUL_BLOCKS) + "]")
HANGUL_RANGE = ", ".join(f"U+{a:04X}-{b:04X}" for a, b in HANGUL_BLOCKS)  # CSS unicode-range


def hangul_font(characters: str) -> bytes:
    """NanumGothic (from koreanize-matplotlib) cut to ``characters``, as WOFF bytes.

    Browsers cannot use the shipped file itself: its empty TSI3 table fails their font
    sanitiser ("OTS parsing error: TSI3: zero-length table"); the subset drops those tables.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    font_file = pathlib.Path(spec.origin).parent / "fonts" / "NanumGothic.ttf"
    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed; needs nothing beyond fontTools
    font = subset.load_font(str(font_file), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def write_hangul_webfont(path: pathlib.Path) -> pathlib.Path:
    """Write every Hangul glyph of NanumGothic as one WOFF file (`make lab` serves it)."""
    every = "".join(chr(code) for first, last in HANGUL_BLOCKS for code in range(first, last + 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(hangul_font(every))
    return path


def embed_hangul_font(html: str) -> str:
    """Add a @font-face with just the Hangul glyphs ``html`` uses (none if it has none)."""
    characters = sorted(set(HANGUL.findall(html)))
    if not characters:
        return html
    data = base64.b64encode(hangul_font("".join(characters))).decode("ascii")
    face = (
        '<style type="text/css">@font-face { font-family: "NanumGothic"; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); unicode-range: {HANGUL_RANGE}; }}'
        "</style>"
    )
    return html.replace("</head>", face + "\n</head>", 1)


class DropTestMarkers(Preprocessor):
    """Drop nbval's marker comments (``# NBVAL_CHECK_OUTPUT``) from code shown on slides:
    they tell the test runner what to compare, not the room anything."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            cell.source = "\n".join(line for line in lines if not line.startswith("# NBVAL_"))
        return cell, resources


def make_exporter(kind: str):
    """The nbconvert exporter of ``kind`` ('html' or 'slides'), with offline templates."""
    mathjax_url = f"assets/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    if kind == "html":
        exporter = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATES)],
            extra_template_paths=[str(TEMPLATES)],
            template_name="offline_lab",
        )
    elif kind == "slides":
        exporter = SlidesExporter(
            extra_template_basedirs=[str(TEMPLATES)],
            extra_template_paths=[str(TEMPLATES)],
            template_name="offline_reveal",
            reveal_url_prefix="assets/reveal",
            reveal_theme="white",
            # nbconvert runs its TagRemovePreprocessor before the reveal.js slide grouping.
            config=Config(
                {
                    "TagRemovePreprocessor": {
                        "remove_cell_tags": {SLIDES_HIDE_TAG},
                        "remove_input_tags": {SLIDES_HIDE_INPUT_TAG},
                    }
                }
            ),
        )
        exporter.register_preprocessor(DropTestMarkers, enabled=True)
    else:
        raise ValueError(f"unknown render kind {kind!r}; expected 'html' or 'slides'")
    exporter.mathjax_url = mathjax_url
    return exporter


def render(kind: str, notebooks: list[pathlib.Path], out_dir: pathlib.Path) -> list[pathlib.Path]:
    """Render ``notebooks`` into ``out_dir``; return the written pages."""
    if not notebooks:
        raise ValueError("no notebooks to render: pass notebooks/NN_topic.ipynb paths")
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(out_dir, with_reveal=kind == "slides")
    exporter = make_exporter(kind)
    suffix = ".slides.html" if kind == "slides" else ".html"
    pages = []
    for notebook in notebooks:
        page = out_dir / (notebook.stem + suffix)
        node = nbformat.read(notebook, as_version=4)
        if kind == "slides":  # the presenter's notes join the deck, never the learner's page
            node = speaker_notes.with_notes(node, speaker_notes.load(notebook), str(notebook))
        write_page(exporter, node, notebook.stem, page)
        pages.append(page)
    return pages


def write_page(exporter, notebook, name: str, page: pathlib.Path) -> None:
    """Export ``notebook`` (a NotebookNode) with ``exporter`` to ``page``, Hangul font embedded.

    ``name`` becomes the page title. The assets are not copied here (see ``copy_assets``).
    """
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": name}})
    page.write_text(embed_hangul_font(body), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("kind", choices=["html", "slides", "lab-font"])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, default=None)
    args = parser.parse_args(argv)
    if args.kind == "lab-font":  # the Hangul font that `make lab`'s custom.css loads
        out = args.out or ROOT / "build" / "jupyter" / "fonts" / "NanumGothic.woff"
        print(f"wrote {write_hangul_webfont(out)}")
        return 0
    out_dir = args.out or ROOT / "build" / args.kind
    for page in render(args.kind, args.notebooks, out_dir):
        print(f"wrote {page.relative_to(ROOT) if page.is_relative_to(ROOT) else page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
