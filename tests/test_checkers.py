"""The checkers accept what their solutions say, at the precision asked, and name slips.

Each solution (both editions) states rounded figures in its comments ("about 0.24, 0.67,
0.09", "about 94"); these tests read them from the notebooks and feed them to the checker,
so a checker stricter than its own solution text fails here. Slips of case and type get a
message that names them, not "position 1 should be ...".
"""

from __future__ import annotations

import json
import pathlib
import re

import numpy as np
import pandas as pd
import pytest

from helpers import experiments, results
from helpers.teaching import exercises

ROOT = pathlib.Path(__file__).resolve().parents[1]
EDITIONS = ["notebooks", "notebooks/ko"]


def solution(edition: str, number: str) -> str:
    """The ```python block of the notebook's <details> solution."""
    (path,) = (ROOT / edition).glob(f"{number}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    (text,) = [
        "".join(c["source"])
        for c in cells
        if c["cell_type"] == "markdown"
        and "".join(c["source"]).startswith("<details>")
        and "```python" in "".join(c["source"])
    ]
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def figures(edition: str, number: str, after: str) -> list[float]:
    """The numbers the solution's comment writes after ``after`` on its line."""
    line = next(line for line in solution(edition, number).splitlines() if after in line)
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", line.split(after, 1)[1])]


@pytest.mark.parametrize("edition", EDITIONS)
def test_06_weights_as_the_solution_rounds_them(edition):
    rounded = figures(edition, "06", "about")
    assert rounded == [0.24, 0.67, 0.09]  # the figures the issue quotes
    assert exercises.check_weights(rounded).startswith("Right")
    assert exercises.check_weights(np.array(rounded)).startswith("Right")
    assert "two decimals" in exercises.check_weights([0.2, 0.7, 0.1])
    assert exercises.check_weights([0.09, 0.67, 0.24]).startswith("Not yet")


@pytest.mark.parametrize("edition", EDITIONS)
def test_01_cell_state_as_the_solution_writes_it(edition):
    (c_t,) = figures(edition, "01", "i·g =")
    assert exercises.check_cell_update(c_t).startswith("Right")
    assert "without quotes" in exercises.check_cell_update(str(c_t))


@pytest.mark.parametrize("edition", EDITIONS)
def test_03_shape_and_bucket_label_as_written(edition):
    units = experiments.RNN_SIZES["units"]
    assert figures(edition, "03", "per LSTM unit:") == [5, units]
    assert exercises.check_context_shape((5, units), units).startswith("Right")
    buckets = pd.DataFrame({"exact match": [0.9, 0.6, 0.4]}, index=["1–8", "9–16", "17–24"])
    assert exercises.check_first_failing_bucket("17-24", buckets).startswith("Right")  # hyphen


@pytest.mark.parametrize("edition", EDITIONS)
def test_07_gap_rounded_to_whole_points(edition):
    (about,) = figures(edition, "07", "about")
    bahdanau = experiments.experiment("attention_bahdanau")
    plain = pd.read_csv(experiments.experiment("seq2seq_in_order").runs_path)
    plain = plain[plain["order"] == "in order"].assign(model="no attention")
    runs = pd.concat([plain, pd.read_csv(bahdanau.runs_path)], ignore_index=True)
    labels, means, _ = results.bucket_scores(runs, groups=["no attention", "Bahdanau"])
    assert exercises.check_gap(about, means, labels).startswith("Right")
    assert exercises.check_gap(about + 2, means, labels).startswith("Not yet")


def test_05_context_to_two_decimals():
    hidden = np.array([[0.4, 0.2, 0.3, 0.1], [0.2, 0.1, 0.5, 0.3], [0.1, 0.4, 0.71, 0.44]])
    hidden = np.vstack([hidden, [0.23, 0.54, 0.11, 0.78]])
    exact = np.array([0.1, 0.1, 0.1, 0.7]) @ hidden
    assert exercises.check_context(np.round(exact, 2), hidden).startswith("Right")
    assert exercises.check_context(np.round(exact, 1), hidden).startswith("Not yet")


def test_08_beam_gain_from_the_tables_one_decimal_figures():
    runs = pd.read_csv(experiments.experiment("real_luong").runs_path)
    runs["beam_width"] = runs["beam_width"].astype("Int64")
    words = runs[(runs["tokenisation"] == "words") & (runs["bucket"] == "all")]
    overall = words.set_index(["model", "beam_width"])
    model = "Bahdanau, real sentences"
    shown = round(overall.loc[(model, 5), "chrF"], 1) - round(overall.loc[(model, 1), "chrF"], 1)
    assert exercises.check_beam_gain(shown, overall).startswith("Right")
    assert exercises.check_beam_gain(shown + 0.3, overall).startswith("Not yet")


def test_10_blend_gain_as_a_rounded_fraction_and_a_percentage_named():
    gains = pd.DataFrame({"28 days": [0.12345]}, index=["blend"])
    assert exercises.check_blend_gain(0.123, gains, "blend").startswith("Right")
    assert "percentage" in exercises.check_blend_gain(12.3, gains, "blend")


@pytest.mark.parametrize("edition", EDITIONS)
def test_11_spread_as_the_solution_writes_it(edition):
    (spread,) = figures(edition, "11", "products:")
    assert exercises.check_spread(spread).startswith("Right")


@pytest.mark.parametrize(
    "check, answer, said",
    [
        (exercises.check_order, "Seq2Seq, Attention, Transformer, BERT", "is one string"),
        (exercises.check_order, ["seq2seq", "attention", "transformer", "bert"], "case"),
        (exercises.check_shift, "Same", "case"),
        (exercises.check_no_weights, "Dot", "case"),
        (exercises.check_state, "S_{t-1}", "case"),
        (exercises.check_state, 1, "is a int"),
        (exercises.check_still_blind, "False", "without quotes"),
        (exercises.check_ends, "1", "without quotes"),
    ],
)
def test_case_and_type_slips_are_named(check, answer, said):
    args = {exercises.check_shift: ([1.0, 2.0],)}.get(check, ())
    verdict = check(answer, *args)
    assert verdict.startswith("Not yet") and said in verdict, verdict


def test_06_likes_with_a_capital_is_named_a_case_slip():
    weights = np.array([[0.9, 0.1], [0.2, 0.8]])
    verdict = exercises.check_strongest("Likes", weights, ["she", "likes"], ["그녀는", "좋아해"])
    assert "'Likes' has the right word but not the same case" in verdict
    assert exercises.check_strongest("likes", weights, ["she", "likes"], ["그녀는", "좋아해"]) == (
        "Right: 좋아해 looks at 'likes' (0.80 of the weight)."
    )
