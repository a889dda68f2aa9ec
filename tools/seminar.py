"""Build the seminar talk (`make seminar`) from its own source: presenter/seminar.{ko,en}.md.

Each file is the talk in one language, the same slides in the same order in both::

    ---
    id: gates                 (a slug, the same in both files)
    section: LSTM 복습         (one of SECTIONS, in Korean in both files)
    figure: lstm_gates        (optional: a name from tools/talk_figures.py, placed by the build)
    layout: title             (optional: title or closing; a figure's shape places it otherwise)
    sources: forecast_synthetic, nb09  (optional: where the slide's numbers come from, see
                              source_names; the tests hold each quoted number to these)
    ---
    ## 세 개의 게이트           (the body, Markdown: a heading first, at most 4 bullets,
    - 망각 게이트: ...            $$ math $$, at most one code block of at most 10 lines)

    Note:
    [그림을 가리키며] 세 게이트는 ...   (the speaker notes, to the end of the slide)

This module checks both files (refusing a malformed one with a message that names the slide),
draws the figures the slides name (from committed results) and writes one offline reveal.js
deck per language: build/seminar/index.html (Korean, the talk's language) and
build/seminar/en/index.html. Beside each, handout.html and notes.html lay the slides out as
pages to print, and where Chromium is installed they are printed to seminar.pdf (one page per
slide) and seminar-notes.pdf (each slide, then its notes).
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import html
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import jinja2
from markdown_it import MarkdownIt

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import render  # noqa: E402
import talk_figures  # noqa: E402

ROOT = render.ROOT
PRESENTER = ROOT / "presenter"
SOURCES = {"ko": PRESENTER / "seminar.ko.md", "en": PRESENTER / "seminar.en.md"}
OUT = ROOT / "build" / "seminar"
TITLES = {"ko": "9월 16일 세미나: LSTM에서 Transformer까지", "en": "LSTM to Transformer: a seminar"}
# The talk's sections in order; `section:` is written in Korean in both files.
SECTIONS = [
    "목차",
    "LSTM 복습",
    "Many to One과 Many to Many",
    "번역에서의 두 가지 문제",
    "Seq2Seq 논문",
    "코드 구현",
    "고정된 크기의 문맥 벡터",
    "어텐션의 개념",
    "루옹 어텐션",
    "바다나우 어텐션",
    "배추 가격 예측",
    "Transformer로",
    "마무리",
]
LAYOUTS = ("title", "figure-right", "figure-below", "closing")
MAX_SLIDES = 32
MAX_CODE_SLIDES = 2
MAX_CODE_LINES = 10
MAX_BULLETS = 4
SLIDE_ID = re.compile(r"[a-z][a-z0-9_]*")
FRONT_KEYS = ("id", "section", "figure", "layout", "sources")
RESULTS = ROOT / "data" / "results"
NOTEBOOKS = ROOT / "notebooks"
NOTE_LINE = re.compile(r"^Note:[ \t]*", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~)[^\n]*\n(.*?)^\1[ \t]*$", re.MULTILINE | re.DOTALL)
# Display math first, so its $$ are not read as two empty inline formulas.
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.DOTALL)


class TalkError(ValueError):
    """A talk file breaks the format; the message names the file and the slide."""


@dataclasses.dataclass
class Slide:
    id: str
    section: str
    body: str  # Markdown
    notes: str  # Markdown
    figure: str | None = None
    layout: str | None = None
    sources: tuple[str, ...] = ()  # results tables, notebooks' outputs, the seminar's text
    line: int = 0  # where the slide's front matter starts in its file

    @property
    def code_blocks(self) -> list[str]:
        return [match.group(2) for match in FENCE.finditer(self.body)]


def source_names() -> list[str]:
    """What a slide's ``sources:`` may name: a results table (the stem of a CSV in
    data/results), a committed notebook's outputs ('nb09': notebooks/09_*.ipynb, the English
    edition) or 'seminar' (the text of the talk as given)."""
    tables = [path.stem for path in sorted(RESULTS.glob("*.csv"))]
    notebooks = [f"nb{path.name[:2]}" for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))]
    return tables + notebooks + ["seminar"]


def _where(source: str, index: int, line: int, slide_id: str | None) -> str:
    name = f"id {slide_id!r}" if slide_id else "no id"
    return f"{source}, slide {index} ({name}, line {line})"


def _front_matter(block: str, where: str) -> dict:
    fields = {}
    for raw in block.strip().splitlines():
        key, colon, value = raw.partition(":")
        key = key.strip()
        if not colon or key not in FRONT_KEYS:
            raise TalkError(
                f"{where}: front-matter line {raw!r} is not one of 'key: value' with key in "
                f"{FRONT_KEYS}."
            )
        fields[key] = value.strip()
    return fields


def parse(text: str, source: str = "talk") -> list[Slide]:
    """The slides of a talk file's ``text``; TalkError names the slide that breaks the format."""
    parts = re.split(r"^---[ \t]*$\n?", text, flags=re.MULTILINE)
    if parts[0].strip():
        raise TalkError(f"{source}: text before the first '---' line; a file starts with '---'.")
    if len(parts) < 3 or len(parts) % 2 == 0:
        raise TalkError(
            f"{source}: expected slides of the form '---', front matter, '---', body; "
            "found an unmatched '---' line (a slide body may not contain a line '---')."
        )
    slides = []
    line = 1
    for index, (front, body) in enumerate(zip(parts[1::2], parts[2::2], strict=True), 1):
        fields = _front_matter(front, _where(source, index, line, None))
        where = _where(source, index, line, fields.get("id"))
        if "id" not in fields or not fields["id"]:
            raise TalkError(f"{where}: no 'id:' in its front matter; every slide needs one.")
        if not SLIDE_ID.fullmatch(fields["id"]):
            raise TalkError(f"{where}: id must be lower-case letters, digits and '_'.")
        if "section" not in fields:
            raise TalkError(f"{where}: no 'section:'; name one of {SECTIONS}.")
        pieces = NOTE_LINE.split(body, maxsplit=1)
        notes = pieces[1].strip() if len(pieces) == 2 else ""
        slides.append(
            Slide(
                id=fields["id"],
                section=fields["section"],
                body=pieces[0].strip(),
                notes=notes,
                figure=fields.get("figure") or None,
                layout=fields.get("layout") or None,
                sources=tuple(
                    name.strip() for name in fields.get("sources", "").split(",") if name.strip()
                ),
                line=line,
            )
        )
        line += front.count("\n") + body.count("\n") + 2
    return slides


def check(slides: list[Slide], source: str = "talk") -> None:
    """Raise TalkError unless ``slides`` follow the talk's order and the format's limits."""
    if len(slides) > MAX_SLIDES:
        raise TalkError(
            f"{source} has {len(slides)} slides; the talk may have at most {MAX_SLIDES}: merge "
            "slides or move detail into the notes."
        )
    reached, seen, code_slides = 0, set(), []
    for index, slide in enumerate(slides, 1):
        where = _where(source, index, slide.line, slide.id)
        if slide.id in seen:
            raise TalkError(f"{where}: the id {slide.id!r} is used twice; ids are unique.")
        seen.add(slide.id)
        if slide.section not in SECTIONS:
            raise TalkError(
                f"{where}: unknown section {slide.section!r}; sections are {SECTIONS} "
                "(written in Korean in both files)."
            )
        position = SECTIONS.index(slide.section)
        if position < reached:
            raise TalkError(
                f"{where}: section {slide.section!r} comes after a slide of the later section "
                f"{SECTIONS[reached]!r}; order the slides as the talk's sections: {SECTIONS}."
            )
        reached = position
        if slide.figure and slide.figure not in talk_figures.FIGURES:
            raise TalkError(
                f"{where}: unknown figure {slide.figure!r}; tools/talk_figures.py draws "
                f"{sorted(talk_figures.FIGURES)}."
            )
        unknown = [name for name in slide.sources if name not in source_names()]
        if unknown:
            raise TalkError(
                f"{where}: unknown source {unknown[0]!r}; name results tables, notebooks' "
                f"outputs or the seminar's text, separated by commas: {source_names()}."
            )
        if slide.layout and slide.layout not in LAYOUTS:
            raise TalkError(f"{where}: unknown layout {slide.layout!r}; use one of {LAYOUTS}.")
        if slide.layout and slide.layout.startswith("figure-"):
            drawn = talk_figures.FIGURES[slide.figure].place if slide.figure else None
            if slide.layout != f"figure-{drawn}":
                raise TalkError(
                    f"{where}: layout {slide.layout!r} does not fit "
                    + (
                        f"figure {slide.figure!r}, drawn to stand {drawn} the text"
                        if drawn
                        else "a slide without a figure"
                    )
                    + "; leave the layout out (a figure's shape places it)."
                )
        if not re.match(r"#{1,3} \S", slide.body):
            raise TalkError(f"{where}: the body does not open with a heading ('## title').")
        if not slide.notes:
            raise TalkError(f"{where}: no speaker notes; add a line 'Note:' and what to say.")
        bullets = re.findall(r"^[-*+] ", FENCE.sub("", slide.body), re.MULTILINE)
        if len(bullets) > MAX_BULLETS:
            raise TalkError(
                f"{where}: {len(bullets)} bullets; a slide shows at most {MAX_BULLETS}."
            )
        for code in slide.code_blocks:
            lines = len(code.rstrip("\n").splitlines())
            if lines > MAX_CODE_LINES:
                raise TalkError(
                    f"{where}: a code block of {lines} lines; show at most {MAX_CODE_LINES}, the "
                    "lines that matter."
                )
        if len(slide.code_blocks) > 1:
            raise TalkError(f"{where}: {len(slide.code_blocks)} code blocks; a slide shows one.")
        if slide.code_blocks:
            code_slides.append(slide.id)
    if len(code_slides) > MAX_CODE_SLIDES:
        raise TalkError(
            f"{source}: code on {len(code_slides)} slides {code_slides}; at most "
            f"{MAX_CODE_SLIDES} slides show code."
        )
    missing = [name for name in SECTIONS if name not in {slide.section for slide in slides}]
    if missing:
        raise TalkError(f"{source} has no slide for the talk's sections {missing}.")


def check_pair(korean: list[Slide], english: list[Slide]) -> None:
    """Raise TalkError unless both languages have the same slides: ids, sections, figures,
    sources."""
    for field in ("id", "section", "figure", "sources"):
        ko = [getattr(slide, field) for slide in korean]
        en = [getattr(slide, field) for slide in english]
        if ko != en:
            at = next(
                (i for i, (a, b) in enumerate(zip(ko, en, strict=False)) if a != b),
                min(len(ko), len(en)),
            )
            raise TalkError(
                f"the two talk files differ at slide {at + 1}: {field} "
                f"{ko[at] if at < len(ko) else None!r} in Korean, "
                f"{en[at] if at < len(en) else None!r} in English; both have the same slides."
            )


def load(language: str, path: pathlib.Path | None = None) -> list[Slide]:
    """The checked slides of the talk in ``language`` ('ko' or 'en')."""
    path = path or SOURCES[language]
    if not path.is_file():
        raise TalkError(f"{path} is missing: the talk in {language!r} is written there.")
    source = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    slides = parse(path.read_text(encoding="utf-8"), source)
    check(slides, source)
    return slides


def load_both(sources: dict | None = None) -> dict[str, list[Slide]]:
    """{language: slides} for both talk files, checked against each other."""
    sources = sources or SOURCES
    talk = {language: load(language, sources[language]) for language in ("ko", "en")}
    check_pair(talk["ko"], talk["en"])
    return talk


_MARKDOWN = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
# Notes keep the writer's line breaks: one spoken sentence or cue a line.
_NOTES_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")


def markdown_html(text: str, notes: bool = False) -> str:
    """HTML of a slide's (or, with ``notes``, a note's) Markdown, its $math$ left for MathJax."""
    formulas = []

    def keep(match):
        formulas.append(match.group(0))
        return f"MATH{len(formulas) - 1}END"

    rendered = (_NOTES_MARKDOWN if notes else _MARKDOWN).render(MATH.sub(keep, text))
    return re.sub(
        r"MATH(\d+)END", lambda m: html.escape(_drawable(formulas[int(m.group(1))])), rendered
    )


def _drawable(formula: str) -> str:
    """``formula`` as the offline MathJax draws it: its PreviewHTML output has no \\boxed
    (the box vanished), but draws a \\bbox border."""
    return formula.replace("\\boxed{", "\\bbox[4px,border:3px solid #d62728]{")


def slide_layout(slide: Slide) -> str:
    """The slide's CSS layout: as written, or by the shape its figure is drawn in."""
    if slide.layout in ("title", "closing"):
        return slide.layout
    if slide.figure:
        return "figure-" + talk_figures.FIGURES[slide.figure].place
    return slide.layout or "text"


def _image(path: pathlib.Path) -> dict:
    width, height = talk_figures.pixel_size(path)
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"src": f"data:image/png;base64,{data}", "width": width, "height": height}


def render_page(
    slides: list[Slide], language: str, figures: dict[str, pathlib.Path], mode: str = "deck"
) -> str:
    """The deck's HTML: one <section> per slide, notes as <aside class="notes">. ``mode``
    "handout" lays the slides out as pages to print, one a page, without reveal.js; "notes"
    adds a page of each slide's notes after it."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(render.TEMPLATES), autoescape=False
    )
    shown = []
    for slide in slides:
        body = markdown_html(slide.body)
        # figure-right: the heading spans the slide, the rest stands in a column by the figure
        heading, _, rest = body.partition("\n")
        shown.append(
            {
                "id": slide.id,
                "layout": slide_layout(slide),
                "body": body,
                "heading": heading,
                "rest": rest,
                "notes": markdown_html(slide.notes, notes=True),
                "figure": _image(figures[slide.figure]) if slide.figure else None,
                "code": bool(slide.code_blocks),
            }
        )
    page = environment.get_template("talk.html.j2").render(
        slides=shown,
        language=language,
        title=TITLES[language],
        mathjax=f"assets/mathjax/MathJax.js?config={render.MATHJAX_CONFIG}",
        mode=mode,
    )
    return render.embed_hangul_font(page)


def build(
    out_dir: pathlib.Path = OUT,
    language: str = "ko",
    talk: dict | None = None,
    figures_dir: pathlib.Path | None = None,
) -> pathlib.Path:
    """Write the ``language`` deck to ``out_dir/index.html`` with its assets; return the page."""
    talk = talk or load_both()
    slides = talk[language]
    names = sorted({slide.figure for slide in slides if slide.figure})
    figures_dir = figures_dir or ROOT / "build" / "talk_figures"
    figures = talk_figures.draw(names, language, figures_dir / language)
    out_dir.mkdir(parents=True, exist_ok=True)
    render.copy_assets(out_dir, with_reveal=True)
    page = out_dir / "index.html"
    page.write_text(render_page(slides, language, figures), encoding="utf-8")
    for mode in HANDOUTS:  # the pages the PDFs are printed from
        handout = out_dir / f"{mode}.html"
        handout.write_text(render_page(slides, language, figures, mode), encoding="utf-8")
    return page


BROWSERS = ("chromium", "chromium-browser", "google-chrome")
# {mode: the PDF printed from out_dir/<mode>.html}: the slides, and the slides with their notes
HANDOUTS = {"handout": "seminar.pdf", "notes": "seminar-notes.pdf"}


def browser() -> str | None:
    """The Chromium found on PATH, or None."""
    return next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)


def write_pdf(handout: pathlib.Path, pdf: pathlib.Path, chromium: str) -> None:
    """Print the ``handout`` page (see :func:`render_page`) to ``pdf`` with headless Chromium."""
    with tempfile.TemporaryDirectory() as profile:
        command = render.headless_chromium(
            chromium,
            profile,
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",  # MathJax typesets before the page is printed
            f"--print-to-pdf={pdf}",
            handout.as_uri(),
        )
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if result.returncode or not pdf.is_file():
        raise RuntimeError(f"Chromium could not print {handout}: {result.stderr[-600:]}")


def pdf_pages(pdf: pathlib.Path) -> int:
    """How many pages ``pdf`` has (Chromium writes one /Type /Page object per page)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    args = parser.parse_args(argv)
    try:
        talk = load_both()
    except TalkError as error:
        print(f"make seminar: {error}", file=sys.stderr)
        return 1
    chromium = None if args.no_pdf else browser()
    for language, out in [("ko", args.out), ("en", args.out / "en")]:
        page = build(out, language, talk)
        shown = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
        print(f"wrote {shown} ({len(talk[language])} slides, {language})")
        if chromium:
            for mode, name in HANDOUTS.items():
                write_pdf(out / f"{mode}.html", out / name, chromium)
                print(f"wrote {shown.parent / name} ({pdf_pages(out / name)} pages)")
    if not chromium and not args.no_pdf:
        print(
            "make seminar: no Chromium on PATH (looked for chromium, chromium-browser, "
            "google-chrome), so no PDF handout; install one, or open the deck and print it "
            "from a browser with ?print-pdf after index.html."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
