"""notebooks/series.toml is the one list of notebooks; tools/notebook_rules.py reads it."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebook_rules  # noqa: E402

ROWS = notebook_rules.series()


def test_the_manifest_names_every_notebook_of_both_editions_in_order():
    files = [row["file"] for row in ROWS]
    assert [row["number"] for row in ROWS] == [f"{n:02d}" for n in range(len(ROWS))]
    assert all(row["file"].startswith(row["number"] + "_") for row in ROWS)
    for folder in (notebook_rules.NOTEBOOKS, notebook_rules.KOREAN):
        on_disk = sorted(path.stem for path in folder.glob("[0-9][0-9]_*.ipynb"))
        assert on_disk == files, f"{folder}: notebooks and series.toml rows differ"


def test_readme_tables_and_the_maps_in_00_say_what_the_manifest_says():
    assert notebook_rules.table_problems(ROWS) == []


def test_a_changed_idea_is_found_in_readme_and_both_maps():
    changed = [dict(row) for row in ROWS]
    changed[3]["idea_en"] = changed[3]["idea_ko"] = "something else"
    found = notebook_rules.table_problems(changed)
    assert len(found) == 3 and "README.md" in found[0] and "ko/00_overview" in found[2]


def test_write_tables_renders_readme_and_both_maps_from_the_manifest(tmp_path, monkeypatch):
    """A new or changed row needs no hand edit of a table: --write-tables writes all four,
    and the Korean map stays stamped as translated."""
    import shutil

    (tmp_path / "ko").mkdir()
    overview = f"{ROWS[0]['file']}.ipynb"
    shutil.copy(notebook_rules.README, tmp_path / "README.md")
    shutil.copy(notebook_rules.NOTEBOOKS / overview, tmp_path / overview)
    shutil.copy(notebook_rules.KOREAN / overview, tmp_path / "ko" / overview)
    monkeypatch.setattr(notebook_rules, "ROOT", tmp_path)
    monkeypatch.setattr(notebook_rules, "README", tmp_path / "README.md")
    monkeypatch.setattr(notebook_rules, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(notebook_rules, "KOREAN", tmp_path / "ko")
    monkeypatch.setattr(notebook_rules, "EDITIONS", (("en", tmp_path), ("ko", tmp_path / "ko")))
    changed = [dict(row) for row in ROWS]
    changed[3]["idea_en"] = changed[3]["idea_ko"] = "something else"
    assert len(notebook_rules.table_problems(changed)) == 3
    notebook_rules.write_tables(changed)
    assert notebook_rules.table_problems(changed) == []
    english = json.loads((tmp_path / overview).read_text(encoding="utf-8"))
    korean = json.loads((tmp_path / "ko" / overview).read_text(encoding="utf-8"))
    assert notebook_rules.twin_problems(english, korean) == []


def test_one_command_lists_every_problem_of_one_notebook(tmp_path):
    path = notebook_rules.NOTEBOOKS / f"{ROWS[3]['file']}.ipynb"
    command = [sys.executable, str(ROOT / "tools" / "notebook_rules.py"), str(path)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"{path.name}: fine"
    stray = tmp_path / "12_stray.ipynb"
    stray.write_text(json.dumps({"cells": []}), encoding="utf-8")
    assert "has no row" in notebook_rules.problems(stray)[0]


def test_long_cells_and_a_broken_exercise_layout_are_named():
    cells = [
        {"cell_type": "code", "source": ["x = 1\n"] * 16, "metadata": {}},
        {"cell_type": "code", "source": ["exercises.check_x(x)"], "metadata": {}},
    ]
    assert notebook_rules.long_cells(cells) == ["cell 0: 16 lines of code, at most 15"]
    found = notebook_rules.exercise_problems(cells)
    assert "tag the check hide-on-slides" in found[0] and "<details> solution" in found[1]


def test_cell_names_keep_comprehension_and_function_names_inside():
    code = "p = [q for q in x if q > y]\ndef f(a):\n    b = a\n    return b + z\n"
    code += "for i, j in w:\n    s = i\n"
    defined, used = notebook_rules.cell_names(code)
    assert defined == {"p", "f", "i", "j", "s"}
    assert used - defined == {"x", "y", "z", "w"}


def test_state_cells_pick_what_a_later_cell_reads_and_what_that_reads():
    cells = [
        {"cell_type": "code", "source": "a = 1"},
        {"cell_type": "code", "source": "unused = 2"},
        {"cell_type": "markdown", "source": "b = a"},
        {"cell_type": "code", "source": "b = a + 1"},
        {"cell_type": "code", "source": "c = b"},
    ]
    assert notebook_rules.state_cells(cells, 5, {"c"}) == [0, 3, 4]
    assert notebook_rules.state_cells(cells, 4, {"c"}) == []  # only cells above the 5th


def test_prose_hangul_and_numbers_have_one_definition_each():
    markdown = "약 97 %를 맞춥니다 (`0.5` is code, $x_1$ math, [link](https://a.b/1.2))."
    assert "0.5" not in notebook_rules.prose(markdown) and "1.2" not in notebook_rules.prose(
        markdown
    )
    assert notebook_rules.number_strings("4,599 pairs, 0.968") == {"4599", "0.968"}
    assert notebook_rules.hangul_share("한국어 text") == 3 / 7
