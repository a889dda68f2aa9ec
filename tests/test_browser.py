"""The rendered deck and page work in a real browser (headless Chromium), offline.

Skipped where no Chromium is installed; `.ci/run` installs it so CI runs it.
"""

from __future__ import annotations

import html
import json
import pathlib
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import render  # noqa: E402
import seminar  # noqa: E402

BROWSER = next(
    (
        shutil.which(name)
        for name in ("chromium", "chromium-browser", "google-chrome")
        if shutil.which(name)
    ),
    None,
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium installed")

OVERVIEW = ROOT / "notebooks" / "00_overview.ipynb"


def _chromium(
    url: str, profile: pathlib.Path, *extra: str, size: str = "1280,800"
) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``url`` offline (a window of ``size``); return the run."""
    command = render.headless_chromium(
        BROWSER,
        profile,
        "--enable-logging=stderr",
        "--v=0",
        f"--window-size={size}",
        "--virtual-time-budget=8000",
        *extra,
        url,
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _browser_errors(log: str) -> list[str]:
    """Failed requests and uncaught script errors from Chromium's log."""
    markers = ("net::ERR_", "Failed to load", "Uncaught")
    return [line for line in log.splitlines() if any(marker in line for marker in markers)]


def test_deck_renders_every_slide_offline(tmp_path):
    (deck,) = render.render("slides", [OVERVIEW], tmp_path / "slides")
    cells = json.loads(OVERVIEW.read_text(encoding="utf-8"))["cells"]
    slides = sum(cell["metadata"]["slideshow"]["slide_type"] == "slide" for cell in cells)
    result = _chromium(deck.as_uri(), tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert re.search(r'class="reveal[^"]*\bready\b', dom), "reveal.js did not initialise"
    top_level = re.findall(r'<div class="slides"[^>]*>(.*)</div>', dom, re.DOTALL)
    assert top_level, "no slides container in the deck"
    assert dom.count("<section") >= slides
    assert not _browser_errors(result.stderr), _browser_errors(result.stderr)
    shot = tmp_path / "deck.png"
    _chromium(deck.as_uri() + "#/1", tmp_path / "profile", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


def test_html_page_renders_offline(tmp_path):
    (page,) = render.render("html", [OVERVIEW], tmp_path / "html")
    result = _chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    assert "The map" in result.stdout
    assert "MathJax" in result.stdout
    assert not _browser_errors(result.stderr), _browser_errors(result.stderr)
    shot = tmp_path / "page.png"
    _chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000


def _has_korean_system_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    return bool(subprocess.run([fc_list, ":lang=ko"], capture_output=True, text=True).stdout)


def _one_slide(tmp_path, source: str, code: bool = False) -> pathlib.Path:
    """A notebook of one slide: a markdown cell, or a code cell without outputs."""
    notebook = tmp_path / "one_slide.ipynb"
    new_cell = nbformat.v4.new_code_cell if code else nbformat.v4.new_markdown_cell
    cell = new_cell(source)
    cell.metadata["slideshow"] = {"slide_type": "slide"}
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    return notebook


def _dump_with(page: pathlib.Path, script: str, profile: pathlib.Path, size: str = "1280,800"):
    """Chromium's run on a copy of ``page`` with ``script`` added at the end of its body (the
    copy lies beside the page, so its assets resolve; it is removed afterwards)."""
    probed = page.with_name(page.stem + ".probe.html")
    probed.write_text(
        page.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8"
    )
    try:
        return _chromium(probed.as_uri(), profile, "--dump-dom", size=size)
    finally:
        probed.unlink()


def _probe(page: pathlib.Path, expression: str, profile: pathlib.Path, delay_ms: int = 0) -> str:
    """The value of the JavaScript ``expression`` once ``page`` has loaded (and ``delay_ms``
    more), read back from the page Chromium dumps."""
    script = (
        '<script>window.addEventListener("load", () => setTimeout(() => '
        f'document.body.setAttribute("data-probe", String({expression})), {delay_ms}));</script>'
    )
    dom = _dump_with(page, script, profile).stdout
    return html.unescape(re.search(r'data-probe="([^"]*)"', dom).group(1))


def _style(selector: str, css_property: str) -> str:
    return f'getComputedStyle(document.querySelector("{selector}")).{css_property}'


@pytest.mark.parametrize("kind", ["html", "slides"])
def test_math_is_typeset(tmp_path, kind):
    notebook = _one_slide(tmp_path, "# Gates\n\n$f_t = \\sigma(W_f x_t + U_f h_{t-1} + b_f)$")
    (page,) = render.render(kind, [notebook], tmp_path / kind)
    result = _chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    # PreviewHTML output, which needs no web fonts (browsers refuse them on file:// pages)
    assert 'class="MathJax_PHTML"' in result.stdout, "MathJax left the formula as raw text"
    assert not _browser_errors(result.stderr), _browser_errors(result.stderr)


@pytest.mark.skipif(
    _has_korean_system_font(), reason="a Korean system font draws Hangul without the embed"
)
@pytest.mark.parametrize("kind", ["html", "slides"])
@pytest.mark.parametrize(
    "source, code",
    [pytest.param("# 배추", False, id="heading"), pytest.param('item = "배추"', True, id="code")],
)
def test_hangul_is_drawn_with_the_embedded_font(tmp_path, kind, source, code):
    notebook = _one_slide(tmp_path, source, code)  # the page's only Hangul: a heading, or code
    (page,) = render.render(kind, [notebook], tmp_path / kind)
    without_font = page.with_name("without_font.html")
    html = page.read_text(encoding="utf-8")
    without_font.write_text(re.sub(r"@font-face \{.*?\}", "", html), encoding="utf-8")
    shots = []
    for shown in (page, without_font):
        shots.append(tmp_path / f"{shown.stem}.png")
        _chromium(shown.as_uri(), tmp_path / "profile", f"--screenshot={shots[-1]}")
    # Without the embedded font the word is drawn as empty boxes; with it, as Hangul.
    assert shots[0].read_bytes() != shots[1].read_bytes()


def test_a_slide_taller_than_the_deck_scrolls(tmp_path):
    paragraphs = "\n\n".join(f"paragraph {n}" for n in range(40))
    (deck,) = render.render("slides", [_one_slide(tmp_path, "# Tall\n\n" + paragraphs)], tmp_path)
    current = "Reveal.getCurrentSlide()"
    measured = f"[{current}.scrollHeight, {current}.clientHeight, getComputedStyle({current})"
    measured += ".overflowY]"
    content, visible, overflow = _probe(deck, measured, tmp_path / "profile", 2000).split(",")
    assert int(content) > 720 >= int(visible)  # the deck is 720 px high
    assert overflow == "auto", "the slide's bottom is cut off instead of scrolling"


# How both probes open: once the page has loaded, with a test for an element that scrolls
# inside a slide (a scroll bar within the slide).
PROBE_HEAD = """<script>
window.addEventListener("load", function () {
  function scrolls(element) {
    var style = getComputedStyle(element);
    var open = function (overflow) { return overflow == "auto" || overflow == "scroll"; };
    return (open(style.overflowY) && element.scrollHeight > element.clientHeight) ||
      (open(style.overflowX) && element.scrollWidth > element.clientWidth);
  }
"""

# Walks every slide and subslide with reveal.js's API once MathJax is done, and writes each
# one's content height, and the classes of any element inside it that scrolls (a scroll bar
# within the slide), into the page, so one Chromium run measures a whole deck.
FIT_PROBE = (
    PROBE_HEAD
    + """  function measure() {
    var rows = Reveal.getSlides().map(function (slide) {
      var at = Reveal.getIndices(slide);
      Reveal.slide(at.h, at.v);
      var inner = Array.from(slide.querySelectorAll("*")).filter(scrolls);
      return [at.h, at.v || 0, slide.scrollHeight, inner.map(function (e) {
        return e.className; })];
    });
    var report = document.createElement("pre");
    report.id = "fit-report";
    report.textContent = JSON.stringify({height: Reveal.getConfig().height, slides: rows});
    document.body.appendChild(report);
  }
  function start() {
    if (window.MathJax && MathJax.Hub) { MathJax.Hub.Queue(measure); } else { measure(); }
  }
  if (Reveal.isReady()) { start(); } else { Reveal.on("ready", start); }
});
</script>"""
)


def slide_heights(deck: pathlib.Path, profile: pathlib.Path) -> tuple[int, list[list]]:
    """The deck's slide height and [h, v, content height, classes of the elements that scroll
    inside it] of every slide, at 1280 x 720."""
    result = _dump_with(deck, FIT_PROBE, profile, size="1280,720")
    found = re.search(r'<pre id="fit-report">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, (
        f"{deck.name}: the fit probe wrote no report; Chromium said {result.stderr[-800:]}"
    )
    report = json.loads(html.unescape(found.group(1)))
    return report["height"], report["slides"]


def too_tall(height: int, slides: list) -> list[str]:
    """'#/h/v: N px' for each of ``slides`` (from :func:`slide_heights`) taller than
    ``height``."""
    return [f"#/{h}/{v}: {px} px" for h, v, px, _ in slides if px > height]


def scroll_bars(slides: list) -> list[str]:
    """'#/h/v: classes' for each element that scrolls inside one of ``slides``."""
    return [f"#/{h}/{v}: {name}" for h, v, _, inner in slides for name in inner]


@pytest.fixture(scope="module")
def every_deck(tmp_path_factory) -> dict:
    """The decks of `make slides`, rendered and measured once for this module:
    {'folder/deck.html': (slide height, slides of slide_heights)} (the talk: `talk_decks`)."""
    out = tmp_path_factory.mktemp("decks")
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    korean = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))  # prose runs longer
    decks = [
        *render.render("slides", notebooks, out / "slides"),
        *render.render("slides", korean, out / "ko"),
    ]
    measured = {}
    for deck in decks:
        height, slides = slide_heights(deck, out / "profile")
        assert height == 720, f"{deck.name} is laid out {height} px high, not 1280 x 720"
        assert slides, f"{deck.name}: the probe found no slides"
        measured[f"{deck.parent.name}/{deck.name}"] = height, slides
    return measured


def test_every_slide_of_every_deck_fits_the_screen(every_deck):
    failures = {name: too_tall(*measured) for name, measured in every_deck.items()}
    failures = {name: tall for name, tall in failures.items() if tall}
    assert not failures, (
        "slides taller than 1280 x 720 (open the deck at #/h/v; split the slide with slide "
        f"metadata, or tag setup code hide-on-slides): {failures}"
    )


def test_no_slide_has_a_scroll_bar_inside(every_deck):
    failures = {name: scroll_bars(slides) for name, (_, slides) in every_deck.items()}
    failures = {name: bars for name, bars in failures.items() if bars}
    assert not failures, f"elements that scroll inside a slide: {failures}"


def test_a_planted_scroll_bar_is_caught(tmp_path):
    wide = "| " + " | ".join(f"column {n}" for n in range(60)) + " |\n|" + "---|" * 60
    (deck,) = render.render("slides", [_one_slide(tmp_path, "# Wide\n\n" + wide)], tmp_path)
    (bar,) = scroll_bars(slide_heights(deck, tmp_path / "profile")[1])
    assert bar.startswith("#/0/0: ") and "jp-RenderedMarkdown" in bar


def test_a_planted_too_tall_slide_is_caught(tmp_path):
    notebook = _one_slide(tmp_path, "# Short\n\nfits")
    planted = nbformat.read(notebook, as_version=4)
    tall = nbformat.v4.new_markdown_cell(
        "# Tall\n\n" + "\n\n".join(f"paragraph {n}" for n in range(40))
    )
    tall.metadata["slideshow"] = {"slide_type": "subslide"}
    planted.cells.append(tall)
    nbformat.write(planted, notebook)
    (deck,) = render.render("slides", [notebook], tmp_path / "slides")
    (report,) = too_tall(*slide_heights(deck, tmp_path / "profile"))
    assert report.startswith("#/0/1: ")  # the subslide, not the short slide before it


def test_headings_keep_their_case(tmp_path):
    """The reveal.js theme capitalises headings; a deck about Seq2Seq and LSTM(32) must not."""
    notebook = _one_slide(tmp_path, "# Seq2Seq and LSTM(32)")
    (deck,) = render.render("slides", [notebook], tmp_path / "slides")
    assert _probe(deck, _style(".reveal h1", "textTransform"), tmp_path / "profile") == "none"


@pytest.mark.parametrize("kind", ["html", "slides"])
def test_korean_prose_breaks_lines_between_words(tmp_path, kind):
    notebook = _one_slide(tmp_path, "# 제목\n\n길이가 다르고 어순이 바뀝니다.")
    (page,) = render.render(kind, [notebook], tmp_path / kind)
    word_break = _style(".jp-RenderedMarkdown p", "wordBreak")
    assert _probe(page, word_break, tmp_path / "profile") == "keep-all"


# --- the seminar talk (`make seminar`): read from the back of the room ---------------------

# Walks every slide of a talk deck once MathJax is done and writes, for each, its id, the
# frame's content size, what scrolls inside it, the smallest font of any text, the smallest
# font of its prose (p, li) and the widths of its figures, so one Chromium run measures a deck.
TALK_PROBE = (
    PROBE_HEAD
    + """  function hasText(element) {
    return Array.from(element.childNodes).some(function (node) {
      return node.nodeType == 3 && node.textContent.trim(); });
  }
  function px(element) { return parseFloat(getComputedStyle(element).fontSize); }
  function measure() {
    var rows = Reveal.getSlides().map(function (slide) {
      var at = Reveal.getIndices(slide);
      Reveal.slide(at.h, at.v);
      var frame = slide.querySelector(".frame");
      var shown = Array.from(frame.querySelectorAll("*"));
      var texts = shown.filter(hasText).map(px);
      var prose = shown.filter(function (e) { return e.matches("p, li") && hasText(e); }).map(px);
      return {id: slide.id, height: frame.scrollHeight, width: frame.scrollWidth,
              scrolls: shown.filter(scrolls).map(function (e) { return e.tagName; }),
              smallest: Math.min.apply(null, texts), prose: Math.min.apply(null, prose),
              figures: Array.from(frame.querySelectorAll("img")).map(function (img) {
                return img.offsetWidth; })};
    });
    var report = document.createElement("pre");
    report.id = "talk-report";
    report.textContent = JSON.stringify(rows);
    document.body.appendChild(report);
  }
  function typeset() {  // every formula drawn (MathJax keeps each source in a script tag)
    var formulas = document.querySelectorAll('script[type^="math/tex"]').length;
    return document.querySelectorAll(".MathJax_PHTML").length >= formulas;
  }
  function start() {  // formulas are measured as drawn, not as TeX source
    if (!typeset()) { setTimeout(start, 200); return; }
    // The deck re-typesets a slide on arrival; walking the slides here would catch each
    // formula half redrawn, so measure what the first typeset drew.
    if (window.MathJax) { MathJax.Hub.Rerender = function () {}; }
    measure();
  }
  if (Reveal.isReady()) { start(); } else { Reveal.on("ready", start); }
});
</script>"""
)


def talk_slides(deck: pathlib.Path, profile: pathlib.Path) -> list[dict]:
    """TALK_PROBE's row for every slide of the talk ``deck``, at 1280 x 720."""
    result = _dump_with(deck, TALK_PROBE, profile, size="1280,720")
    found = re.search(r'<pre id="talk-report">(.*?)</pre>', result.stdout, re.DOTALL)
    assert found, f"{deck}: the talk probe wrote no report; Chromium said {result.stderr[-800:]}"
    return json.loads(html.unescape(found.group(1)))


@pytest.fixture(scope="module")
def talk_decks(tmp_path_factory) -> dict:
    """{language: (page, the probe's rows)} for both decks of the talk, each built and
    measured in one Chromium run."""
    out = tmp_path_factory.mktemp("talk")
    talk = seminar.load_both()
    decks = {}
    for language, folder in [("ko", out), ("en", out / "en")]:
        page = seminar.build(folder, language, talk)
        decks[language] = page, talk_slides(page, out / f"profile-{language}")
        assert len(decks[language][1]) == len(talk[language])
    return decks


def room_problems(rows: list[dict]) -> list[str]:
    """What a room could not read, per slide of a talk deck (rows of :func:`talk_slides`)."""
    problems = []
    for row in rows:
        name = row["id"]
        if row["height"] > 720 or row["width"] > 1280:
            problems.append(f"{name}: {row['width']} x {row['height']} px, over 1280 x 720")
        problems += [f"{name}: a {tag} scrolls" for tag in row["scrolls"]]
        # None: no text, or no prose (a title slide has headings only)
        if row["smallest"] is not None and row["smallest"] < 20:
            problems.append(f"{name}: text at {row['smallest']} px, under 20")
        if row["prose"] is not None and row["prose"] < 28:
            problems.append(f"{name}: body text at {row['prose']} px, under 28")
        problems += [f"{name}: a figure {w} px wide, under 60%" for w in row["figures"] if w < 768]
    return problems


@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_talk_slide_reads_from_the_back_of_the_room(talk_decks, language):
    _, rows = talk_decks[language]
    assert room_problems(rows) == []


def test_room_problems_names_each_kind_of_problem():
    row = {"id": "s", "height": 800, "width": 1280, "scrolls": ["PRE"], "smallest": 15,
           "prose": 24, "figures": [1160, 600]}  # fmt: skip
    assert room_problems([row]) == [
        "s: 1280 x 800 px, over 1280 x 720",
        "s: a PRE scrolls",
        "s: text at 15 px, under 20",
        "s: body text at 24 px, under 28",
        "s: a figure 600 px wide, under 60%",
    ]


def test_every_talk_figure_is_on_its_slide(talk_decks):
    talk = seminar.load_both()
    _, rows = talk_decks["ko"]
    figures = [len(row["figures"]) for row in rows]
    assert figures == [int(slide.figure is not None) for slide in talk["ko"]]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_pdf_handout_has_one_page_per_slide(talk_decks, tmp_path, language):
    page, rows = talk_decks[language]
    pdf = tmp_path / "seminar.pdf"
    seminar.write_pdf(page.with_name("handout.html"), pdf, BROWSER)
    assert seminar.pdf_pages(pdf) == len(rows)
