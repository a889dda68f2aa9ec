"""Every decimal and percentage in a notebook's prose is one its outputs (or code) show.

Seeds are fixed, so the prose may quote what the cells print, rounded ("about 97 %" for
96.8 %). A number counts as shown when some number in the notebook's outputs or code rounds
to it at the prose's precision; a percentage also matches a printed fraction (0.968). Numbers
that come from elsewhere are cited in notebooks/series.toml with their source; which
notebooks are checked is its ``prose_numbers`` column. The rule itself is
tools/notebook_rules.py's.
"""

from __future__ import annotations

import json
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebook_rules  # noqa: E402

CHECKED = [row for row in notebook_rules.series() if row["prose_numbers"]]


@pytest.mark.parametrize("row", CHECKED, ids=lambda row: row["number"])
def test_every_number_in_the_prose_is_shown(row):
    path = notebook_rules.NOTEBOOKS / f"{row['file']}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    missing = notebook_rules.unsupported_numbers(cells, row.get("cited", {}))
    assert not missing, (
        f"notebook {row['number']} quotes numbers no output shows: {missing}; print the number "
        "in a cell, fix the prose, or cite its source in notebooks/series.toml"
    )


def test_the_check_finds_a_number_no_output_shows():
    cells = [
        {
            "cell_type": "code",
            "source": ["x = 1"],
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["exact match 96.8%\n"]}
            ],
        },
        {
            "cell_type": "markdown",
            "source": ["About 97 % exact, 0.968 as a fraction, but 42.5 % here, `1.5` is code."],
        },
    ]
    found = [value for _, value, _, _ in notebook_rules.prose_numbers(cells)]
    assert found == [97.0, 0.968, 42.5]
    assert notebook_rules.unsupported_numbers(cells, {}) == ["cell 1: 42.5 %"]
    assert notebook_rules.unsupported_numbers(cells, {"42.5": "a paper"}) == []
