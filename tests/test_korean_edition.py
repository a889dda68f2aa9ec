"""The Korean edition (notebooks/ko/) stays in step with the English notebooks (issue 18)."""

from __future__ import annotations

import copy
import sys

import nbformat
import pytest
from conftest import PROJECT_ROOT, learner_edits

sys.path.insert(0, str(PROJECT_ROOT / "tools"))
import korean_edition  # noqa: E402

ENGLISH = korean_edition.english_notebooks()
# A new notebook whose Korean twin is not written yet would be named here.
NOT_YET_TRANSLATED: set[str] = set()


def _pair(path):
    return nbformat.read(path, as_version=4), nbformat.read(
        korean_edition.twin_path(path), as_version=4
    )


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_the_korean_twin_is_in_step(path):
    twin = korean_edition.twin_path(path)
    if path.name in NOT_YET_TRANSLATED:
        assert not twin.exists(), f"{twin.name} exists: take it off NOT_YET_TRANSLATED"
        pytest.skip(f"{path.name} has no Korean twin yet")
    assert twin.is_file(), f"no Korean twin at {twin}; write one (tools/korean_edition.py)"
    found = korean_edition.problems(*_pair(path))
    assert not found, f"{twin.name}:\n" + "\n".join(found) + learner_edits(path, twin)


@pytest.fixture(scope="module")
def pair():
    translated = [p for p in ENGLISH if p.name not in NOT_YET_TRANSLATED]
    if not translated:
        pytest.skip("no Korean twin yet")
    return _pair(translated[0])


def _first(notebook, kind, has_outputs=False):
    return next(
        c
        for c in notebook.cells
        if c["cell_type"] == kind and (not has_outputs or c.get("outputs"))
    )


def test_a_changed_english_code_cell_is_caught(pair):
    english, korean = copy.deepcopy(pair)
    _first(english, "code")["source"] += "\nprint('changed')"
    assert any("code cell source" in p for p in korean_edition.problems(english, korean))


def test_a_changed_english_output_is_caught(pair):
    english, korean = copy.deepcopy(pair)
    _first(english, "code", has_outputs=True)["outputs"] = []
    assert any("code cell outputs" in p for p in korean_edition.problems(english, korean))


def test_a_changed_english_number_is_caught(pair):
    english, korean = copy.deepcopy(pair)
    cell = _first(english, "markdown")
    cell["source"] += " 12345.6"
    found = korean_edition.problems(english, korean)
    assert any("English changed" in p and cell["id"] in p for p in found)
    assert any("12345.6" in p for p in found)


def test_an_untranslated_cell_is_caught(pair):
    english, korean = copy.deepcopy(pair)
    cell = _first(korean, "markdown")
    cell["source"] = "An English sentence left untranslated, with no Korean in it at all."
    assert any("Hangul" in p for p in korean_edition.problems(english, korean))


def test_sync_copies_code_and_keeps_the_korean_prose(pair):
    english, korean = copy.deepcopy(pair)
    code = _first(english, "code")
    code["source"] += "\n# changed"
    twin, todo = korean_edition.sync(english, korean)
    assert _first(twin, "code")["source"] == code["source"]
    assert _first(twin, "markdown")["source"] == _first(korean, "markdown")["source"]
    assert todo == [] and korean_edition.problems(english, twin) == []
    english.cells[0]["source"] += " 7"  # the English of one markdown cell changes
    _, todo = korean_edition.sync(english, twin)
    assert todo == [f"cell 0 ({english.cells[0]['id']})"]


def test_stamp_refuses_an_untranslated_cell(pair):
    english, korean = copy.deepcopy(pair)
    cell = _first(korean, "markdown")
    cell["source"] = "Still English."
    with pytest.raises(ValueError, match="not translated"):
        korean_edition.stamp(english, korean, [cell["id"]])


def test_hangul_share_ignores_code_math_and_links():
    prose = "망각 게이트(forget gate)는 무엇을 버릴지 정합니다: `keras.layers.LSTM`"
    prose += " $W_f x_t$ [01](01_lstm_gates.ipynb)"
    assert korean_edition.hangul_share(prose) > korean_edition.MIN_HANGUL_SHARE
    english = "The forget gate (망각 게이트) decides what the cell drops."
    assert korean_edition.hangul_share(english) < korean_edition.MIN_HANGUL_SHARE
    assert korean_edition.numbers("4,599개와 0.5, 그리고 12 %") == {"4599", "0.5", "12"}


def test_the_readme_table_says_which_notebooks_have_a_korean_twin():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 한국어 안내", 1)[1].split("\n## ", 1)[0]
    for path in ENGLISH:
        stem = path.stem
        if path.name in NOT_YET_TRANSLATED:
            assert f"`{stem}` (영어판만)" in section, f"README: mark {stem} as English only"
        else:
            assert f"`ko/{stem}`" in section, f"README: point {stem}'s row at ko/{stem}"


def glossary(markdown: str) -> set[tuple[str, str]]:
    """The (English, 한국어) pairs of the glossary tables in ``markdown``, either column order."""
    pairs, columns = set(), None
    for line in markdown.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|"):
            columns = None
        elif "English" in cells and "한국어" in cells:
            columns = cells.index("English"), cells.index("한국어")
        elif columns and not set("".join(cells)) <= set("-: "):
            pairs.add((cells[columns[0]], cells[columns[1]]))
    return pairs


def test_glossary_reads_both_column_orders():
    english = "| English | 한국어 | # |\n|---|---|---|\n| forget gate | 망각 게이트 | 01 |"
    korean = "| 한국어 | English |\n|---|---|\n| 망각 게이트 | forget gate |\n\nprose | not a row"
    assert glossary(english) == glossary(korean) == {("forget gate", "망각 게이트")}


def test_the_glossary_is_the_same_in_the_readme_and_both_editions_of_00():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = glossary(readme.split("## Glossary", 1)[1])
    for path in (ENGLISH[0], korean_edition.twin_path(ENGLISH[0])):
        cells = nbformat.read(path, as_version=4).cells
        in_notebook = set().union(*(glossary(c.source) for c in cells if c.cell_type == "markdown"))
        assert in_notebook == in_readme, (
            f"{path.name}: glossary differs from the README's; only in the notebook: "
            f"{sorted(in_notebook - in_readme)}; only in the README: "
            f"{sorted(in_readme - in_notebook)}"
        )
