"""helpers.results: the benchmark tables, the tidy NMAE tables and their "mean ± std" text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import results


def _write(path, rows):
    pd.DataFrame(rows).to_csv(path, index=False)


@pytest.fixture()
def results_dir(tmp_path):
    _write(
        tmp_path / "seq2seq_runs.csv",
        [
            {"order": "in order", "seed": s, "bucket": b, "exact_match": v}
            for s, offset in ((0, 0.0), (1, 0.2))
            for b, v in (("all", 0.5), ("2–8", 0.6 + offset), ("25–30", 0.0 + offset))
        ],
    )
    _write(
        tmp_path / "transformer_runs.csv",
        [
            {"model": "transformer", "seed": 0, "bucket": b, "exact_match": 0.9}
            for b in ("2–8", "25–30")
        ],
    )
    _write(tmp_path / "forecast_runs.csv", [{"model": "lstm", "horizon": 7, "nmae": 0.2}])
    return tmp_path


def test_all_translation_tables_become_one_with_model_names(results_dir):
    runs = results.translation_runs(results_dir)
    assert set(runs["model"]) == {"Seq2Seq, in order", "transformer"}
    assert "nmae" not in runs.columns or runs["nmae"].isna().all()


def test_mean_and_spread_over_seeds_per_bucket(results_dir):
    labels, means, stds = results.bucket_scores(results.translation_runs(results_dir))
    assert labels == ["2–8", "25–30"]
    np.testing.assert_allclose(means["Seq2Seq, in order"], [0.7, 0.1])
    np.testing.assert_allclose(stds["Seq2Seq, in order"], [np.sqrt(0.02), np.sqrt(0.02)])  # ddof=1
    np.testing.assert_allclose(stds["transformer"], [0.0, 0.0])


def test_bucket_scores_take_any_group_column_and_score():
    runs = pd.DataFrame(
        {
            "order": ["in", "in", "in", "in"],
            "seed": [0, 0, 1, 1],
            "bucket": ["2–8", "all", "2–8", "all"],
            "alignment_error_rate": [0.1, 0.2, 0.3, 0.4],
        }
    )
    labels, means, _ = results.bucket_scores(runs, "order", column="alignment_error_rate")
    assert labels == ["2–8"]
    np.testing.assert_allclose(means["in"], [0.2])
    with pytest.raises(ValueError, match="lacks columns \\['exact_match'\\]"):
        results.bucket_scores(runs, "order")


def test_missing_results_name_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match="make bench"):
        results.translation_runs(tmp_path)


def test_unknown_model_is_named(results_dir):
    with pytest.raises(ValueError, match="no runs of"):
        results.bucket_scores(results.translation_runs(results_dir), groups=["Bahdanau"])


def test_forecast_checks_table_shows_nmae_gain_and_naive_in_file_order():
    checks = pd.DataFrame(
        [
            ("half-year", "base", 0.20, 0.25),
            ("half-year", "+ x", 0.19, 0.25),
            ("year", "base", 0.18, 0.20),
            ("year", "+ x", 0.17, 0.20),
            ("year", "+ refit", 0.16, 0.20),
        ],
        columns=["period", "candidate", "nmae", "naive_nmae"],
    )
    table = results.forecast_checks_table(checks)
    assert list(table.columns) == ["half-year", "year"]
    assert list(table.index) == ["base", "+ x", "+ refit", "naive (last price)"]
    assert table.loc["+ x", "half-year"] == "0.1900 (24.0 %)"
    assert table.loc["+ refit", "year"] == "0.1600 (20.0 %)"
    assert table.loc["+ refit", "half-year"] == results.MISSING  # not scored there
    assert table.loc["naive (last price)", "half-year"] == "0.2500"
    with pytest.raises(ValueError, match="naive_nmae"):
        results.forecast_checks_table(checks.drop(columns=["naive_nmae"]))


def test_percent_text_rounds_without_a_negative_zero():
    assert results.percent_text(0.0512) == "5.1 %"
    assert results.percent_text(-0.802) == "-80.2 %"
    assert results.percent_text(-0.0004) == "0.0 %"  # not "-0.0 %"
    assert results.percent_text(-0.004, digits=0) == "0 %"
    assert results.percent_text(0.164, digits=0) == "16 %"
    assert results.percent_text(np.nan) == results.MISSING


def test_mean_std_text_formats_one_cell():
    assert results.mean_std_text(0.9966, 0.0012, 1, 100, " %") == "99.7 ± 0.1 %"
    assert results.mean_std_text(0.25, np.nan, 3) == "0.250"  # one seed: no spread
    assert results.mean_std_text(np.nan, 0.1, 3) == results.MISSING


def test_summary_table_reports_mean_and_spread_over_seeds():
    tidy = pd.DataFrame(
        {
            "item": "배추",
            "model": ["naive"] * 3 + ["m"] * 6,
            "seed": [np.nan] * 3 + [0, 0, 0, 1, 1, 1],
            "horizon_days": [7, 14, 28] * 3,
            "nmae": [0.1, 0.2, 0.3, 0.1, 0.1, 0.1, 0.3, 0.3, 0.3],
        }
    )
    table = results.summary_table(tidy)
    assert list(table.index) == ["naive", "m"]
    assert table.loc["naive", "7 days"] == "0.100"
    assert table.loc["naive", "mean"] == "0.200"
    assert table.loc["m", "7 days"] == "0.200 ± 0.141"


def test_gain_over_the_naive_forecast():
    tidy = pd.DataFrame(
        {
            "model": ["naive (last price)"] * 2 + ["good"] * 2 + ["bad"] * 2,
            "nmae": [0.2, 0.2, 0.15, 0.15, 0.25, 0.25],
        }
    )
    gains = results.gain_over(tidy)
    assert gains.to_dict() == pytest.approx({"good": 0.25, "bad": -0.25})
    with pytest.raises(ValueError, match="no 'x' rows"):
        results.gain_over(tidy, reference="x")


def _forecast_runs():
    rows = []

    def add(training, item, model, seed, by_horizon):
        for horizon, nmae in zip((7, 14), by_horizon, strict=True):
            rows.append((training, item, model, seed, horizon, nmae))

    add("per item", "배추", "naive (last price)", np.nan, (0.2, 0.4))
    add("per item", "배추", "lstm", 0, (0.1, 0.3))
    add("per item", "배추", "lstm", 1, (0.2, 0.4))
    for item, naive, lstm_by_seed, trees in (
        ("배추", (0.2, 0.4), (0.1, 0.2), 0.15),
        ("무", (0.5, 0.7), (0.3, 0.4), 0.45),
    ):
        add("pooled", item, "naive (last price)", np.nan, naive)
        for seed, nmae in enumerate(lstm_by_seed):
            add("pooled", item, "lstm", seed, (nmae, nmae))
        add("pooled", item, "trees", 0, (trees, trees))
    return pd.DataFrame(rows, columns=list(results.FORECAST_COLUMNS))


def test_forecast_overview_averages_horizons_then_items_per_scope():
    table = results.forecast_overview(_forecast_runs())
    assert list(table.columns) == [
        "배추, trained per item",
        "배추, pooled model",
        "2 items, pooled model",
        "vs naive, 2 items",
    ]
    assert list(table.index) == ["naive (last price)", "lstm", "trees"]  # file order
    assert list(table.loc["naive (last price)"]) == ["0.300", "0.300", "0.450", results.MISSING]
    # seeds 0 and 1: 0.2 and 0.3 per item; 0.1 and 0.2 pooled on 배추; 0.2 and 0.3 over both
    assert list(table.loc["lstm"]) == ["0.250 ± 0.071", "0.150 ± 0.071", "0.250 ± 0.071", "44 %"]
    assert list(table.loc["trees"]) == [results.MISSING, "0.150", "0.300", "33 %"]


def test_forecast_overview_explains_bad_input():
    runs = _forecast_runs()
    with pytest.raises(ValueError, match="horizon_days"):
        results.forecast_overview(runs.drop(columns=["horizon_days"]))
    with pytest.raises(ValueError, match="naive"):
        results.forecast_overview(runs[runs["model"] != "naive (last price)"])
    with pytest.raises(ValueError, match="양파"):
        results.forecast_overview(runs, item="양파")


def test_forecast_overview_keeps_a_scope_that_was_not_run():
    runs = _forecast_runs()
    table = results.forecast_overview(runs[runs["training"] == "pooled"])
    assert (table["배추, trained per item"] == results.MISSING).all()
    assert table.loc["lstm", "2 items, pooled model"] == "0.250 ± 0.071"


def test_run_rows_put_all_first_and_name_columns_as_the_runs_files_do():
    scores = pd.DataFrame(
        {"sentences": [2, 3, 5], "exact match": [0.5, 1 / 3, 0.4], "token accuracy": [1, 1, 1]},
        index=pd.Index(["2–8", "9–16", "all"], name="source tokens"),
    )
    rows = results.run_rows(scores, model="m", seed=0)
    assert [row["bucket"] for row in rows] == ["all", "2–8", "9–16"]
    assert rows[2] == {
        "model": "m",
        "seed": 0,
        "bucket": "9–16",
        "sentences": 3,
        "exact_match": 0.3333,
        "token_accuracy": 1.0,
    }
    with pytest.raises(ValueError, match="needs an 'all' row"):
        results.run_rows(scores.drop("all"))


def _two_seed_table():
    rows = [("naive (last price)", None, 7, 0.20), ("naive (last price)", None, 14, 0.40)]
    rows += [("m", 0, 7, 0.10), ("m", 0, 14, 0.30), ("m", 1, 7, 0.14), ("m", 1, 14, 0.50)]
    return pd.DataFrame(rows, columns=["model", "seed", "horizon_days", "nmae"]).assign(item="a")


def test_gain_table_takes_each_seed_against_naive_at_its_horizon():
    gains = results.gain_table(_two_seed_table())
    assert list(gains.index) == ["m"]
    assert list(gains.columns) == list(gains.attrs["std"].columns) == ["7 days", "14 days"]
    # seed 0 gains 0.5 and 0.25, seed 1 gains 0.3 and -0.25
    np.testing.assert_allclose(gains.loc["m"], [0.4, 0.0], atol=1e-12)
    spread = [np.std([0.5, 0.3], ddof=1), np.std([0.25, -0.25], ddof=1)]
    np.testing.assert_allclose(gains.attrs["std"].loc["m"], spread)
    with pytest.raises(ValueError, match="no 'naive"):
        results.gain_table(_two_seed_table().query("model == 'm'"))


def test_checks_gain_is_one_minus_the_ratio_to_naive():
    checks = pd.DataFrame(
        {"period": ["p", "p"], "candidate": ["a", "b"], "nmae": [0.15, 0.3]}
    ).assign(naive_nmae=0.2)
    np.testing.assert_allclose(results.checks_gain(checks).loc["p"], [0.25, -0.5])


def test_input_study_gains_average_the_networks_seed_by_seed_per_period():
    rows = []
    for period, naive in (("earlier", 0.2), ("later", 0.4)):
        for inputs in ("few", "many"):  # naive is repeated in every input set, as written
            rows.append((period, inputs, "naive (last price)", None, 7, naive))
        rows += [
            (period, "few", "m1", 0, 7, 0.1),
            (period, "few", "m2", 0, 7, 0.3),  # seed 0 of the two networks: 0.2 on average
            (period, "few", "m1", 1, 7, 0.1),
            (period, "few", "m2", 1, 7, 0.1),
            (period, "few", "m1, 2-seed ensemble", None, 7, 9.9),  # left out
            *([(period, "many", "m1", 0, 7, 0.5)] if period == "later" else []),
        ]
    study = pd.DataFrame(
        rows, columns=["period", "inputs", "model", "seed", "horizon_days", "nmae"]
    )
    gains = results.input_study_gains(study.assign(item="배추"))
    assert list(gains.index) == [("earlier", "few"), ("later", "few"), ("later", "many")]
    # earlier: seed 0 gains 1 - 0.2 / 0.2 = 0, seed 1 1 - 0.1 / 0.2 = 0.5
    np.testing.assert_allclose(gains.loc[("earlier", "few"), "7 days"], 0.25)
    np.testing.assert_allclose(gains.loc["later", "7 days"], [0.625, -0.25])
    np.testing.assert_allclose(
        gains.attrs["std"].loc[("earlier", "few"), "7 days"], np.std([0, 0.5], ddof=1)
    )
    with pytest.raises(ValueError, match="--inputs"):
        results.input_study_gains(study.drop(columns=["inputs"]))
    with pytest.raises(ValueError, match="no 'naive .* 'later'"):
        results.input_study_gains(study.drop(index=study.index[study["period"] == "later"][:2]))
