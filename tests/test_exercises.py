"""Every exercise of the series: its solution passes its checker, its blank answer invites.

Each exercise notebook holds three cells in a row: the answers (``...`` placeholders the
learner replaces), the check (calls into ``helpers.teaching.exercises``, tagged
``hide-on-slides``) and a collapsed ``<details>`` solution. The test runs the notebook's own
cells, with the state they are judged against rebuilt from the committed results and weights.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import pathlib
import re

import numpy as np
import pandas as pd
import pytest

from helpers import experiments, results
from helpers.forecasting import forecast
from helpers.translation import attention_study, corpus, models, text

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXERCISE_NOTEBOOKS = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]


def _notebook(number: str) -> list[dict]:
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell) -> str:
    return "".join(cell["source"])


def exercise_cells(cells) -> tuple[str, str, str]:
    """(answers, check, solution code) of a notebook; fails unless there is exactly one check."""
    checks = [
        i
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and "exercises.check_" in _source(cell)
    ]
    assert len(checks) == 1, f"expected one exercise check cell, found cells {checks}"
    (i,) = checks
    answers, check, solution = cells[i - 1], cells[i], cells[i + 1]
    assert "hide-on-slides" in check["metadata"].get("tags", []), "tag the check hide-on-slides"
    assert answers["cell_type"] == "code", "the answers cell comes right before the check"
    text_ = _source(solution)
    assert solution["cell_type"] == "markdown" and text_.startswith("<details>"), (
        "a collapsed <details> solution comes right after the check"
    )
    assert solution["metadata"]["slideshow"]["slide_type"] == "skip", "solutions are not slides"
    code = re.search(r"```python\n(.*?)```", text_, re.S)
    assert code, "the solution holds its answers in a ```python block"
    return _source(answers), _source(check), code.group(1)


def run_check(check: str, namespace: dict) -> list[str]:
    """The lines a check cell shows: what it prints, and its last expression's value."""
    tree = ast.parse(check)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tree, "<check>", "exec"), namespace)
        value = (
            eval(compile(ast.Expression(last.value), "<check>", "eval"), namespace)
            if last
            else None
        )
    lines = printed.getvalue().splitlines() + ([value] if isinstance(value, str) else [])
    assert lines, "the check cell shows nothing"
    return lines


def answer_names(answers: str) -> list[str]:
    """The names the answers cell binds to ``...``, the learner's answers."""
    names = []
    for node in ast.parse(answers).body:
        if isinstance(node, ast.Assign) and "..." in ast.unparse(node.value):
            for target in node.targets:
                names += [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]
    assert names, "the answers cell binds no name to ... (the learner's placeholders)"
    return names


def _exec_cells_defining(cells, names, namespace):
    """Run the notebook's own cells that define ``names`` (plain NumPy cells)."""
    for cell in cells:
        source = _source(cell)
        if cell["cell_type"] == "code" and any(
            re.search(rf"^(def )?{name}\b", source, re.M) for name in names
        ):
            exec(source, namespace)


@pytest.fixture(scope="module")
def vocabularies():
    splits = corpus.load_splits()
    return splits, *text.build_vocabularies(splits["train"])


def _seq2seq_runs():
    return pd.read_csv(experiments.experiment("seq2seq_in_order").runs_path)


def context(number: str, cells, vocabularies) -> dict:
    """The notebook state each exercise is judged against, rebuilt as the notebook builds it."""
    namespace = {"np": np}
    splits, source_vocab, target_vocab = vocabularies
    if number == "01":
        import keras

        layer = keras.layers.LSTM(1)
        layer(np.zeros((1, 5, 3), "float32"))  # the marker model's layer: 3 inputs, 1 unit
        namespace["lstm_layer"] = layer
    elif number == "03":
        runs = _seq2seq_runs()
        seed0 = runs[
            (runs["order"] == "in order") & (runs["seed"] == 0) & (runs["bucket"] != "all")
        ]
        namespace["buckets"] = seed0.set_index("bucket").rename(
            columns={"exact_match": "exact match"}
        )
        namespace["UNITS"] = experiments.RNN_SIZES["units"]
    elif number == "04":
        namespace["splits"] = splits  # the cell that defines alignment_lags also finds `love`
        _exec_cells_defining(cells, ["alignment_lags"], namespace)
        runs = _seq2seq_runs()
        by_bucket = runs[runs["bucket"] != "all"].groupby(["order", "bucket"])["exact_match"]
        namespace["means"], namespace["spreads"] = by_bucket.mean(), by_bucket.std()
    elif number == "05":
        _exec_cells_defining(cells, ["softmax", "keys", "query", "hidden_states"], namespace)
    elif number == "06":
        model = models.load("attention_luong_dot", source_vocab, target_vocab)
        pair = next(
            p for p in splits["test"] if p.english == "she likes a big dog at home every day"
        )
        namespace["pair"] = pair
        namespace["weights"] = attention_study.sentence_attention(
            model, pair, source_vocab, target_vocab
        )
    elif number == "07":
        bahdanau = experiments.experiment("attention_bahdanau")
        namespace["decoder"] = models.load(bahdanau, source_vocab, target_vocab).decoder
        plain = _seq2seq_runs()
        plain = plain[plain["order"] == "in order"].assign(model="no attention")
        runs = pd.concat([plain, pd.read_csv(bahdanau.runs_path)], ignore_index=True)
        labels, means, _ = attention_study.bucket_scores(
            runs, groups=["no attention", "Luong (dot)", "Bahdanau"]
        )
        namespace["labels"], namespace["means"] = labels, means
    elif number == "08":
        runs = pd.read_csv(experiments.experiment("real_luong").runs_path)
        runs["beam_width"] = runs["beam_width"].astype("Int64")
        words = runs[(runs["tokenisation"] == "words") & (runs["bucket"] == "all")]
        namespace["runs"], namespace["reference"] = runs, "난 널 사랑해"
        namespace["overall"] = words.set_index(["model", "beam_width"])
    elif number == "09":
        from helpers import metrics
        from helpers.forecasting import price_schema
        from helpers.forecasting.windows import PriceWindows, trailing_mean

        market = price_schema.load_prices()  # the file the committed notebook ran on
        windows = PriceWindows(market, "배추", horizons=(7, 14, 28), lookback=28)
        namespace |= {"market": market, "metrics": metrics, "PriceWindows": PriceWindows}
        namespace |= {"test": windows.arrays("test"), "trailing_mean": trailing_mean}
        namespace["item_price"] = market[price_schema.price_column("배추")]
        namespace["baseline_table"] = forecast.evaluate([], windows)
    elif number == "10":
        namespace |= {"experiments": experiments, "forecast": forecast, "results": results}
        _exec_cells_defining(cells, ["SHOWN"], namespace)  # BLEND and pooled_gains
        namespace["real_runs"] = pd.read_csv(experiments.forecast_path("real"))
        namespace["real_gains"] = namespace["pooled_gains"](namespace["real_runs"])
    return namespace


@pytest.mark.parametrize("number", EXERCISE_NOTEBOOKS)
def test_solutions_pass_and_blank_answers_do_not(number, vocabularies):
    cells = _notebook(number)
    answers, check, solution = exercise_cells(cells)
    namespace = context(number, cells, vocabularies)
    exec(answers, namespace)
    blank = run_check(check, namespace)
    assert all(line.startswith("Your turn") for line in blank), blank
    for name in answer_names(answers):
        namespace[name] = None  # a wrong answer of the wrong kind: a hint, not a traceback
    wrong = run_check(check, namespace)
    assert all(line.startswith("Not yet") for line in wrong), wrong
    exec(solution, namespace)
    solved = run_check(check, namespace)
    assert all(line.startswith("Right") for line in solved), solved
    assert len(solved) == len(blank)


@pytest.mark.parametrize(
    "answer, verdict",
    [
        ("널 사랑해", "Right"),
        ("난 널 사랑해", "Not yet"),
        ("난 널 싫어해", "Not yet"),
        ("love", "Not yet"),
    ],
)
def test_paraphrase_check_wants_another_credited_korean_sentence(answer, verdict):
    from helpers.teaching import exercises

    assert exercises.check_paraphrase(answer, "난 널 사랑해").startswith(verdict)
