"""`make seminar`: the talk from presenter/seminar.{ko,en}.md, checked as a room would see it."""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import re
import sys

import pandas as pd
import pytest
from test_render import loaded_references

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebook_rules  # noqa: E402
import render  # noqa: E402
import seminar  # noqa: E402
import speaker_notes  # noqa: E402
import talk_figures  # noqa: E402

# The talk as given on 9월 16일: its own worked numbers (0.223, shapes) may be quoted.
SEMINAR_TEXT = ROOT.parent / "shared" / "seminar" / "000_e17e18dd9a31906b.txt"


@pytest.fixture(scope="module")
def talk() -> dict:
    return seminar.load_both()


@pytest.fixture(scope="module")
def decks(tmp_path_factory, talk) -> dict[str, str]:
    """{language: the built page's HTML}; figures come from the build/talk_figures cache."""
    out = tmp_path_factory.mktemp("seminar")
    pages = {
        "ko": seminar.build(out, "ko", talk),
        "en": seminar.build(out / "en", "en", talk),
    }
    return {language: page.read_text(encoding="utf-8") for language, page in pages.items()}


def _sections(page: str) -> list[str]:
    return re.findall(r"<section\b.*?</section>", page, re.DOTALL)


def _slide_text(section: str) -> str:
    """What a slide shows: its HTML without the notes, tags and embedded images."""
    shown = re.sub(r'<aside class="notes">.*?</aside>', "", section, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", shown)


def _notes(section: str) -> str:
    (notes,) = re.findall(r'<aside class="notes">(.*?)</aside>', section, re.DOTALL)
    return re.sub(r"<[^>]+>", " ", notes)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_each_deck_is_a_talk_of_at_most_32_slides_with_notes_on_every_one(decks, talk, language):
    sections = _sections(decks[language])
    assert len(sections) == len(talk[language]) <= seminar.MAX_SLIDES
    assert [re.search(r'id="([^"]+)"', s).group(1) for s in sections] == [
        slide.id for slide in talk[language]
    ]
    assert all(_notes(section).strip() for section in sections), "a slide without notes"
    code = [s for s in sections if "<pre" in s.split("<aside")[0]]
    assert len(code) <= seminar.MAX_CODE_SLIDES
    assert "In [" not in decks[language], "a notebook prompt on a slide"


def test_the_korean_notes_carry_a_talk_of_45_minutes(talk):
    syllables = sum(len(notebook_rules.HANGUL.findall(slide.notes)) for slide in talk["ko"])
    assert syllables >= 8000, f"the Korean notes have {syllables} Hangul syllables"


def test_both_languages_have_the_same_slides_in_the_talks_order(talk):
    for field in ("id", "section", "figure", "layout", "sources"):
        assert [getattr(s, field) for s in talk["ko"]] == [getattr(s, field) for s in talk["en"]]
    covered = list(dict.fromkeys(slide.section for slide in talk["ko"]))
    assert covered == seminar.SECTIONS


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_deck_loads_nothing_from_the_network(decks, language):
    for reference in loaded_references(decks[language]):
        assert reference.startswith(("data:", "assets/")), f"the deck loads {reference}"


# --- every number is one the committed results show ------------------------------------


def _formatted(value: float) -> set[str]:
    """``value`` as prose writes it: 0 to 4 decimals, and as a percentage with 0 to 2."""
    forms = {f"{value:.{d}f}" for d in range(5)}
    for d in range(3):
        forms |= {f"{100 * value:.{d}f}%", f"{100 * value:.{d}f}"}
    return forms


def _with_seed_summaries(results: pd.DataFrame) -> list[pd.DataFrame]:
    """A results table, and where it has seeds, its mean and sd over them (as the talk
    states a result: "0.1287 ± 0.0058 over three seeds")."""
    if "seed" not in results:
        return [results]
    keys = [c for c in results.select_dtypes(exclude="number").columns]
    numbers = results.drop(columns="seed").select_dtypes("number")
    grouped = numbers.groupby([results[k].fillna("") for k in keys])
    return [results, grouped.mean(), grouped.std(ddof=1)]


def _notebook_outputs(number: str) -> str:
    """The text outputs of notebook ``number`` ('09'), English edition."""
    texts = []
    for path in sorted((ROOT / "notebooks").glob(f"{number}_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        texts += [notebook_rules.printed(cell) for cell in cells]
    return "\n".join(texts)


@functools.cache
def source_numbers(name: str) -> frozenset[str]:
    """The numbers a slide's source holds: a results table's values (and seed summaries) as
    prose rounds them, the numbers a notebook's outputs or the seminar's text write."""
    table = ROOT / "data" / "results" / f"{name}.csv"
    if table.is_file():
        allowed = set()
        for frame in _with_seed_summaries(pd.read_csv(table)):
            values = frame.select_dtypes("number").to_numpy().ravel()
            for value in values[pd.notna(values)]:
                allowed |= _formatted(float(value))
        return frozenset(allowed)
    if name == "seminar":
        text = SEMINAR_TEXT.read_text(encoding="utf-8") if SEMINAR_TEXT.is_file() else ""
    else:
        text = _notebook_outputs(name.removeprefix("nb"))
    return frozenset(_plain(n) for n in speaker_notes.quoted_numbers(text))


@pytest.fixture(scope="module")
def allowed_numbers(decks):
    """{language: slide -> the numbers it may quote}: those its own figure writes and those
    of the sources its front matter names, nothing from other slides."""

    def allowed(language, slide) -> set[str]:
        numbers = set().union(*(source_numbers(name) for name in slide.sources))
        if slide.figure:
            figures = seminar.ROOT / "build" / "talk_figures" / language
            numbers |= talk_figures.figure_numbers(figures, slide.figure)
        return numbers

    return {language: functools.partial(allowed, language) for language in ("ko", "en")}


def _plain(number: str) -> str:
    return re.sub(r"\s+%", "%", number)


def unchecked_numbers(slides, allowed) -> list[str]:
    """'id: number' for each decimal or percentage in a slide or its notes not in
    ``allowed(slide)``; thousands separators and 'x %' spacing are read as the plain number."""
    problems = []
    for slide in slides:
        text = re.sub(r"(?<=\d),(?=\d{3})", "", f"{slide.body}\n{slide.notes}")
        numbers = allowed(slide)
        for number in speaker_notes.quoted_numbers(text):
            if _plain(number) not in numbers:
                problems.append(f"{slide.id}: {number}")
    return problems


@pytest.mark.skipif(not SEMINAR_TEXT.is_file(), reason=f"the talk's text is not at {SEMINAR_TEXT}")
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_number_in_the_talk_is_one_the_results_show(talk, allowed_numbers, language):
    problems = unchecked_numbers(talk[language], allowed_numbers[language])
    assert not problems, (
        "numbers on slides or in notes that neither the slide's figure nor the sources its "
        "front matter names ('sources:') show (round as the CSV value is written, name the "
        f"source that holds it, or quote another): {problems}"
    )


def test_a_number_no_result_shows_is_caught(talk, allowed_numbers):
    planted = [seminar.Slide("planted", "목차", "## x", "정확도는 12.34%이고 손실은 3.1416입니다.")]
    allowed = allowed_numbers["ko"]
    assert unchecked_numbers(planted, allowed) == ["planted: 12.34%", "planted: 3.1416"]
    assert unchecked_numbers(talk["ko"][:0], allowed) == []


def test_a_number_from_another_source_than_the_slides_own_is_caught(talk, allowed_numbers):
    """0.1777 is a real result (forecast_real) but not one of the synthetic competition's:
    the slide on who won the synthetic competition may not quote it."""
    assert "0.1777" in source_numbers("forecast_real")
    assert "0.1777" not in source_numbers("forecast_synthetic")
    (who_won,) = [slide for slide in talk["ko"] if slide.id == "who_won"]
    assert who_won.sources == ("forecast_synthetic",)
    wrong = dataclasses.replace(who_won, notes=who_won.notes.replace("0.1317", "0.1777"))
    assert unchecked_numbers([who_won], allowed_numbers["ko"]) == []
    assert unchecked_numbers([wrong], allowed_numbers["ko"]) == ["who_won: 0.1777"]
    quoting_more = dataclasses.replace(wrong, sources=("forecast_synthetic", "forecast_real"))
    assert unchecked_numbers([quoting_more], allowed_numbers["ko"]) == []


# --- what a slide may not show ------------------------------------------------------------

NOT_ON_A_SLIDE = [
    (re.compile(r"\b[\w-]+\.(?:py|ipynb|csv|npz|toml|md|tsv)\b"), "a file name"),
    (re.compile(r"\b(?:data|tools|notebooks|presenter|benchmarks|helpers)/"), "a path"),
    (re.compile(r"\bhelpers\.\w"), "a module name"),
    (re.compile(r"notebook\s*\d", re.IGNORECASE), "a notebook number"),
    (re.compile(r"노트북\s*\d"), "a notebook number"),
    (re.compile(r"아래[의는에]|위의"), "a pointer at what is not on the slide"),
]


def slide_problems(slides) -> list[str]:
    return [
        f"{slide.id}: {what} ({pattern.search(slide.body).group(0)!r})"
        for slide in slides
        for pattern, what in NOT_ON_A_SLIDE
        if pattern.search(slide.body)
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_slide_shows_a_path_a_module_or_a_notebook_number(talk, language):
    assert slide_problems(talk[language]) == []


def test_a_path_on_a_slide_is_caught():
    planted = seminar.Slide("p", "목차", "## 결과\n\n- data/results/seq2seq_runs.csv 참고", "x")
    assert slide_problems([planted]) == [
        "p: a file name ('seq2seq_runs.csv')",
        "p: a path ('data/')",
    ]


# --- the figures' labels: one table, Korean in the Korean deck ---------------------------

# Names the Korean talk writes in Latin letters (../shared/KOREAN.md keeps them as they are).
LATIN_NAMES = {"LSTM", "Seq2Seq", "Transformer", "GPT", "BERT", "Many", "to", "One", "NMAE",
               "CNN", "BiLSTM", "hidden", "state"}  # fmt: skip


def korean_label_problems(table: dict) -> list[str]:
    problems = []
    for key, entry in table.items():
        if not (entry.get("ko") and entry.get("en")):
            problems.append(f"{key}: needs both ko and en")
            continue
        latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", entry["ko"])) - LATIN_NAMES
        if latin and not notebook_rules.HANGUL.search(entry["ko"]):
            problems.append(f"{key}: ko {entry['ko']!r} is not Korean")
    return problems


def test_every_label_has_korean_and_english():
    table = talk_figures.Labels("ko").table
    assert korean_label_problems(table) == []
    assert korean_label_problems({"x": {"ko": "exact match", "en": "exact match"}}) == [
        "x: ko 'exact match' is not Korean"
    ]
    assert korean_label_problems({"y": {"ko": "완전 일치율"}}) == ["y: needs both ko and en"]


FAST_FIGURES = [
    name
    for name, figure in talk_figures.FIGURES.items()
    if not any(path.endswith(".npz") for path in figure.reads)  # these run TensorFlow
]


@pytest.fixture(scope="module")
def korean_figures():
    """{name: the Figure drawn in Korean} for the figures that need no TensorFlow."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    talk_figures.use_style()
    label = talk_figures.Labels("ko")
    figures = {name: talk_figures.FIGURES[name].draw(label) for name in FAST_FIGURES}
    yield figures
    for figure in figures.values():
        plt.close(figure)


def _texts(figure) -> list:
    from matplotlib.text import Text

    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_korean_figures_carry_no_english_label(korean_figures):
    table = talk_figures.Labels("en").table
    english = {e["en"] for e in table.values() if e["en"] != e["ko"] and len(e["en"]) > 3}
    found = {
        f"{name}: {text.get_text()!r}"
        for name, figure in korean_figures.items()
        for text in _texts(figure)
        if any(word in text.get_text() for word in english)
    }
    assert not found


def test_figure_text_is_readable_from_the_back_of_the_room(korean_figures):
    """At the size a figure fills on the slide (100 px an inch), no text under 20 px."""
    small = {
        f"{name}: {text.get_text()!r} {text.get_fontsize() * talk_figures.PX_PER_INCH / 72:.0f} px"
        for name, figure in korean_figures.items()
        for text in _texts(figure)
        if text.get_fontsize() * talk_figures.PX_PER_INCH / 72 < 20
    }
    assert not small


@pytest.mark.parametrize("place", sorted(talk_figures.SIZES))
def test_every_figure_fills_at_least_60_percent_of_the_slide(place):
    width, _ = talk_figures.SIZES[place]
    assert width * talk_figures.PX_PER_INCH >= 0.6 * 1280


def test_drawn_figures_are_shown_at_the_size_they_were_drawn(decks):
    images = re.findall(r'<img src="data:image/png;base64,[^"]+" width="(\d+)"', decks["ko"])
    assert images and all(int(width) >= 0.6 * 1280 for width in images)


# --- a malformed talk file is refused, naming the slide ------------------------------------


def _slide(slide_id, section, body="## 제목\n\n- 항목", figure=None, notes="말할 내용입니다."):
    figure_line = f"figure: {figure}\n" if figure else ""
    return f"---\nid: {slide_id}\nsection: {section}\n{figure_line}---\n{body}\n\nNote:\n{notes}\n"


def _talk(slides=None) -> str:
    slides = slides or [_slide(f"s{i}", section) for i, section in enumerate(seminar.SECTIONS)]
    return "\n".join(slides)


def _refusal(text: str) -> str:
    with pytest.raises(seminar.TalkError) as error:
        seminar.check(seminar.parse(text, "talk.md"), "talk.md")
    return str(error.value)


def test_a_well_formed_talk_passes():
    slides = seminar.parse(_talk(), "talk.md")
    seminar.check(slides, "talk.md")
    assert [s.section for s in slides] == seminar.SECTIONS
    assert slides[1].line == 12  # where its front matter starts, for the messages


def _replaced(index: int, new: str) -> str:
    slides = [_slide(f"s{i}", section) for i, section in enumerate(seminar.SECTIONS)]
    slides[index] = new
    return _talk(slides)


CODE_11 = "## 코드\n\n```python\n" + "x = 1\n" * 11 + "```"
CODE_3 = "## 코드\n\n```python\nx = 1\n```"


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param(
            _replaced(2, "---\nsection: LSTM 복습\n---\n## 제목\n\nNote:\nx\n"),
            "slide 3 (no id, line 23): no 'id:'",
            id="missing id",
        ),
        pytest.param(
            _replaced(2, _slide("s2", "LSTM 리뷰")),
            "slide 3 (id 's2', line 23): unknown section 'LSTM 리뷰'",
            id="unknown section",
        ),
        pytest.param(
            _replaced(2, _slide("s2", "LSTM 복습", figure="pie_chart")),
            "slide 3 (id 's2', line 23): unknown figure 'pie_chart'",
            id="unknown figure",
        ),
        pytest.param(
            _replaced(2, _slide("s2", "마무리")),
            "slide 4 (id 's3', line 34): section '번역에서의 두 가지 문제' comes after a slide "
            "of the later section '마무리'",
            id="out of order",
        ),
        pytest.param(
            _talk([_slide(f"s{i}", "목차") for i in range(33)]),
            "talk.md has 33 slides; the talk may have at most 32",
            id="too many slides",
        ),
        pytest.param(
            _talk(
                [_slide(f"c{i}", "목차", CODE_3) for i in range(3)]
                + [_slide(f"s{i}", section) for i, section in enumerate(seminar.SECTIONS)]
            ),
            "code on 3 slides ['c0', 'c1', 'c2']; at most 2 slides show code",
            id="too many code slides",
        ),
        pytest.param(
            _replaced(5, _slide("s5", "코드 구현", CODE_11)),
            "slide 6 (id 's5', line 56): a code block of 11 lines; show at most 10",
            id="long code",
        ),
        pytest.param(
            _replaced(2, _slide("s2", "LSTM 복습", notes="").replace("Note:\n", "")),
            "slide 3 (id 's2', line 23): no speaker notes",
            id="no notes",
        ),
        pytest.param(
            _replaced(2, _slide("s2", "LSTM 복습", "- 제목 없는 목록")),
            "slide 3 (id 's2', line 23): the body does not open with a heading",
            id="no heading",
        ),
        pytest.param(
            _replaced(
                2,
                _slide("s2", "LSTM 복습", figure="timeline").replace(
                    "figure: timeline", "figure: timeline\nlayout: figure-right"
                ),
            ),
            "slide 3 (id 's2', line 23): layout 'figure-right' does not fit figure 'timeline', "
            "drawn to stand below the text",
            id="layout against the figure",
        ),
        pytest.param(
            _talk([_slide(f"s{i}", section) for i, section in enumerate(seminar.SECTIONS[:-1])]),
            "talk.md has no slide for the talk's sections ['마무리']",
            id="missing section",
        ),
        pytest.param(
            _replaced(1, _slide("s1", "목차", "## 목록\n\n" + "- 항목\n" * 5)),
            "slide 2 (id 's1', line 12): 5 bullets; a slide shows at most 4",
            id="five bullets",
        ),
        pytest.param(
            _replaced(
                2,
                _slide("s2", "LSTM 복습").replace(
                    "---\n##", "sources: seq2seq_runs, nb99\n---\n##"
                ),
            ),
            "slide 3 (id 's2', line 23): unknown source 'nb99'; name results tables",
            id="unknown source",
        ),
    ],
)
def test_a_malformed_talk_file_is_refused_naming_the_slide(text, message):
    assert message in _refusal(text)


def test_talk_files_whose_ids_differ_are_refused():
    korean = seminar.parse(_talk(), "ko")
    english = seminar.parse(_talk().replace("id: s4", "id: four"), "en")
    with pytest.raises(seminar.TalkError, match="differ at slide 5: id 's4' in Korean, 'four'"):
        seminar.check_pair(korean, english)


def test_talk_files_whose_sources_differ_are_refused():
    korean = seminar.parse(_talk().replace("section: 목차", "section: 목차\nsources: nb02"), "ko")
    assert korean[0].sources == ("nb02",)
    with pytest.raises(seminar.TalkError, match=r"slide 1: sources \('nb02',\) in Korean, \(\)"):
        seminar.check_pair(korean, seminar.parse(_talk(), "en"))


def test_a_missing_talk_file_says_where_it_belongs(tmp_path):
    with pytest.raises(seminar.TalkError, match="seminar.en.md is missing"):
        seminar.load("en", tmp_path / "seminar.en.md")


def test_math_reaches_mathjax_untouched():
    html = seminar.markdown_html("$$c_t = f_t \\odot c_{t-1} + i_t * g_t$$ and $a_b$")
    assert "$$c_t = f_t \\odot c_{t-1} + i_t * g_t$$" in html and "$a_b$" in html
    assert "<em>" not in html
    boxed = seminar.markdown_html("$$\\boxed{c_t}$$")
    assert "\\bbox[4px,border:3px solid #d62728]{c_t}" in boxed  # PreviewHTML drops \\boxed


def test_the_deck_embeds_the_hangul_glyphs_it_uses(decks):
    assert "@font-face" in decks["ko"]
    assert render.HANGUL_RANGE in decks["ko"]


def test_without_chromium_make_seminar_says_how_to_get_the_pdf(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(seminar, "browser", lambda: None)
    assert seminar.main(["--out", str(tmp_path)]) == 0
    said = capsys.readouterr().out
    assert "no Chromium on PATH" in said and "no PDF handout" in said
    assert (tmp_path / "index.html").is_file() and (tmp_path / "en" / "index.html").is_file()
    assert not list(tmp_path.glob("**/*.pdf"))
