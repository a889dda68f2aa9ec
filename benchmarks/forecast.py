"""NMAE of the three forecasters, boosted trees and the naive baselines, 1/2/4 weeks ahead.

Two settings, both on the last 365 days held out (the competition protocol: every origin
of the last year whose target still lies in the file; NMAE over non-zero actuals; mean of
the three horizons; then mean over items):

- per item: one model per item, trained on that item's windows only (the seminar's setup,
  run for 배추 by default);
- pooled: one model trained on the windows of all 21 items together (each item scaled by
  its own training statistics), then scored item by item. The boosted trees
  (helpers.forecasting.trees) are trained this way too, and blended with the three networks
  (TREES_WEIGHT).

Each model is trained with every seed; the tables show mean ± std over seeds and, as a
separate row, the ensemble that averages the seeds' forecasts.

Run on the synthetic file (default) or the real one:

    .venv/bin/python benchmarks/forecast.py
    PRICE_DATA=../shared/data/train.csv .venv/bin/python benchmarks/forecast.py

It prints the tables and writes the tidy results to the results folder (forecast_<data>.csv), which
notebooks 09 and 10 read for their multi-seed, all-item charts. ``--checks`` instead scores
candidate changes to the pooled models (``CANDIDATES``) on three periods before the test year,
which it never touches, and writes forecast_checks_<data>.csv there. ``--inputs`` trains the
per-item 배추 networks with and without the season inputs on the test year and the year
before it (forecast_inputs_<data>.csv): why the per-item setup loses on the real file.
On the shipped file (without ``--out``) the pooled networks of seed 0 are saved for notebook
10's explorer; ``--explorer-weights`` trains only seed 0 of the pooled models and saves those.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

from helpers import runtime  # noqa: E402  (sets TensorFlow's environment first)

runtime.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from helpers import experiments, saved_weights  # noqa: E402
from helpers.forecasting import forecast, price_schema, trees  # noqa: E402
from helpers.forecasting.windows import (  # noqa: E402
    EXTRA_FEATURES,
    FEATURES,
    NAIVE,
    TEST_DAYS,
    PriceWindows,
    WindowArrays,
    concat_windows,
)
from helpers.results import summary_table  # noqa: E402

# Every setting below was chosen by the rule in benchmarks/DECISIONS.md, which holds the
# probes, their scores and why each was or was not adopted.
# The periods before the test year that candidate changes are scored on: how many years
# (TEST_DAYS each) are dropped from the end of the file, and which split is scored then.
CHECK_PERIODS = {
    "validation half-year": (0, "validation"),
    "previous year": (1, "test"),
    "year before that": (2, "test"),
}
POOLED_SETTINGS = {"batch_size": 256, "learning_rate": 1e-3, "units": 32, "loss": "nmae"}
POOLED_WINDOWS = {"item_one_hot": True}
POOLED_REFIT = True
TREES_WEIGHT = experiments.BLEND_TREES_WEIGHT  # the three networks share the rest equally
BLEND_WEIGHTS = {
    **dict.fromkeys(forecast.BUILDERS, (1 - TREES_WEIGHT) / len(forecast.BUILDERS)),
    "trees": TREES_WEIGHT,
}
# --inputs: what the per-item networks make of the season, on 배추 in two years (the
# previous year as CHECK_PERIODS scores it). Measured on the real file: the season makes the
# month ahead in the test year and breaks it in the year before (the notebook 10 chart).
INPUT_PERIODS = {"previous year": CHECK_PERIODS["previous year"][0], "test year": 0}
INPUT_SETS = {
    "price and trading days": ("price", "trading"),
    "+ season": ("price", "trading", "season_sin", "season_cos"),
    "all 7 inputs": FEATURES,
}
MODEL_1, QUARTER_TREES = {"lstm": 1.0}, {"lstm": 0.75, "trees": 0.25}
CANDIDATES = {  # name: (PriceWindows settings, refit, {model: weight in the blend})
    "base (7 features)": ({}, False, MODEL_1),
    "+ extra features": ({"features": FEATURES + EXTRA_FEATURES}, False, MODEL_1),
    "+ item one-hot": ({"item_one_hot": True}, False, MODEL_1),
    "+ refit": ({}, True, MODEL_1),
    "+ item one-hot + refit": ({"item_one_hot": True}, True, MODEL_1),
    "trees alone (item one-hot)": ({"item_one_hot": True}, False, {"trees": 1.0}),
    "+ item one-hot + trees (1/4)": ({"item_one_hot": True}, False, QUARTER_TREES),
    "+ item one-hot + refit + trees (1/4)": ({"item_one_hot": True}, True, QUARTER_TREES),
    "+ item one-hot, 3 networks + trees (1/2)": ({"item_one_hot": True}, False, BLEND_WEIGHTS),
    "+ item one-hot + refit, 3 networks + trees (1/2)": (
        {"item_one_hot": True},
        True,
        BLEND_WEIGHTS,
    ),
}


def data_label() -> str:
    """'synthetic' for the shipped file, 'real' when PRICE_DATA points elsewhere."""
    return "real" if os.environ.get(price_schema.PRICE_DATA_ENV) else "synthetic"


def pooled_arrays(all_windows: dict, split: str) -> WindowArrays:
    return concat_windows(windows.arrays(split) for windows in all_windows.values())


def run_per_item(frame, items, seeds, models, settings, window_settings=None) -> pd.DataFrame:
    tables = []
    for item in items:
        windows = PriceWindows(frame, item, **(window_settings or {}))
        train, validation = windows.arrays("train"), windows.arrays("validation")
        results = []
        for name in models:
            for seed in seeds:
                result = forecast.fit(
                    name, train, validation, seed=seed, progress=False, **settings
                )
                results.append(result)
                print(f"  per item {item} {name} seed {seed}: {result.seconds:.1f} s", flush=True)
        table = forecast.evaluate(results + forecast.seed_ensembles(results), windows)
        table["train_seconds"] = table["model"].map(_seconds(results))
        tables.append(table.assign(training="per item"))
    return pd.concat(tables, ignore_index=True)


def _seconds(results) -> dict:
    frame = pd.DataFrame(
        {
            "model": [forecast.MODEL_NAMES[r.name] for r in results],
            "s": [r.seconds for r in results],
        }
    )
    return frame.groupby("model")["s"].mean().to_dict()


def pooled_windows(frame, items, window_settings=None) -> dict:
    window_settings = POOLED_WINDOWS if window_settings is None else window_settings
    return {item: PriceWindows(frame, item, **window_settings) for item in items}


def fit_pooled(name, train, validation, seed, settings, refit, input_names) -> forecast.FitResult:
    """One pooled model: early stopping on validation, then (``refit``) retrained on both.

    The trees have no early stopping to do; with ``refit`` they train on both splits at once.
    """
    if name == "trees":
        both = concat_windows([train, validation]) if refit else train
        return trees.fit_trees(both, input_names, seed=seed)
    result = forecast.fit(name, train, validation, seed=seed, progress=False, **settings)
    return forecast.refit(result, train, validation) if refit else result


def weighted_blend(fits: dict, weights: dict) -> forecast.SeedEnsemble:
    """The seed ensembles of ``fits`` ({name: [FitResult]}) averaged with ``weights``
    ({name: weight})."""
    members = [forecast.SeedEnsemble([r.model for r in fits[name]]) for name in weights]
    return forecast.SeedEnsemble(members, list(weights.values()))


def blend(results) -> tuple:
    """The three networks' seed ensembles, in equal shares, averaged with the trees', these
    weighing TREES_WEIGHT: ``(experiments.BLEND, NaN, forecaster)`` for forecast.evaluate."""
    fits = {name: [r for r in results if r.name == name] for name in BLEND_WEIGHTS}
    return experiments.BLEND, np.nan, weighted_blend(fits, BLEND_WEIGHTS)


def run_pooled(frame, items, seeds, models, settings, save_weights=False) -> pd.DataFrame:
    """Every model trained on all ``items`` at once, scored item by item; ``save_weights``
    writes the networks of seed 0 where notebook 10's explorer loads them."""
    all_windows = pooled_windows(frame, items)
    input_names = next(iter(all_windows.values())).input_names
    train = pooled_arrays(all_windows, "train")
    validation = pooled_arrays(all_windows, "validation")
    print(f"  pooled: {len(train)} training windows from {len(items)} items", flush=True)
    results = []
    for name in [*models, "trees"]:
        for seed in seeds:
            result = fit_pooled(name, train, validation, seed, settings, POOLED_REFIT, input_names)
            results.append(result)
            print(f"  pooled {name} seed {seed}: {result.seconds:.1f} s", flush=True)
            if save_weights and seed == 0 and name in forecast.BUILDERS:
                saved_weights.save(result.model, experiments.explorer_weights_path(name))
    with_ensembles = results + forecast.seed_ensembles(results)
    left_out = [name for name in forecast.BUILDERS if name not in models]
    if left_out:  # the blend's weights (BLEND_WEIGHTS) are for all three networks
        print(f"  no blend row: it averages all three networks; --models left out {left_out}")
    else:
        with_ensembles.append(blend(results))
    tables = [forecast.evaluate(with_ensembles, windows) for windows in all_windows.values()]
    table = pd.concat(tables, ignore_index=True)
    table["train_seconds"] = table["model"].map(_seconds(results))
    return table.assign(training="pooled")


def run_checks(frame, seeds, settings) -> pd.DataFrame:
    """NMAE of every candidate in CANDIDATES on every CHECK_PERIODS period (the seed
    ensembles of the candidate's models, blended by its weights; mean over the 21 items and
    the horizons), against the naive forecast.

    A refit model has trained on the validation half-year, so it is not scored there.
    """
    rows = []
    for period, (years_dropped, split) in CHECK_PERIODS.items():
        part = frame.iloc[: len(frame) - years_dropped * TEST_DAYS]
        windows_by_settings, fits = {}, {}
        for candidate, (window_settings, refit, weights) in CANDIDATES.items():
            if refit and split == "validation":
                continue
            key = repr(window_settings)
            if key not in windows_by_settings:
                windows_by_settings[key] = pooled_windows(part, price_schema.ITEMS, window_settings)
            all_windows = windows_by_settings[key]
            train = pooled_arrays(all_windows, "train")
            validation = pooled_arrays(all_windows, "validation")
            input_names = next(iter(all_windows.values())).input_names
            for name in weights:
                if (key, refit, name) not in fits:  # candidates share their fits
                    fits[key, refit, name] = [
                        fit_pooled(name, train, validation, seed, settings, refit, input_names)
                        for seed in seeds
                    ]
            forecaster = weighted_blend({n: fits[key, refit, n] for n in weights}, weights)
            tidy = pd.concat(
                [
                    forecast.evaluate([(candidate, np.nan, forecaster)], w, split=split)
                    for w in all_windows.values()
                ]
            )
            means = tidy.groupby("model")["nmae"].mean()
            score, naive = means[candidate], means[NAIVE]
            rows.append((period, candidate, score, naive))
            print(f"  {period}, {candidate}: {score:.4f} (naive {naive:.4f})", flush=True)
    return pd.DataFrame(rows, columns=["period", "candidate", "nmae", "naive_nmae"])


def run_input_sets(frame, seeds, models, settings, item="배추") -> pd.DataFrame:
    """The per-item networks on ``item`` with each of INPUT_SETS, scored on INPUT_PERIODS
    (the test year, and the year before it as the checks score it): what the season inputs
    do to the per-item setup in two different years."""
    tables = []
    for period, years_dropped in INPUT_PERIODS.items():
        part = frame.iloc[: len(frame) - years_dropped * TEST_DAYS]
        for inputs, features in INPUT_SETS.items():
            print(f"  {period}, {inputs}:", flush=True)
            table = run_per_item(part, [item], seeds, models, settings, {"features": features})
            tables.append(table.assign(period=period, inputs=inputs))
    return pd.concat(tables, ignore_index=True)


def print_tables(tidy: pd.DataFrame) -> None:
    for training, part in tidy.groupby("training", sort=False):
        for label, subset in (("배추", part[part["item"] == "배추"]), ("all items", part)):
            if subset.empty or (label == "all items" and subset["item"].nunique() == 1):
                continue
            print(f"\n## {training} models, {label} (NMAE, mean ± std over seeds)")
            print(summary_table(subset).to_string())
        seconds = part.dropna(subset=["train_seconds"]).groupby("model")["train_seconds"].mean()
        print(f"\n## {training}: training seconds per model (mean over runs)")
        print(seconds.round(1).to_string())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--per-item", nargs="*", default=["배추"], help="items with own models")
    parser.add_argument("--no-pooled", action="store_true", help="skip the all-items models")
    parser.add_argument(
        "--models", nargs="*", choices=list(forecast.BUILDERS), default=list(forecast.BUILDERS)
    )
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument(
        "--checks",
        action="store_true",
        help="score the CANDIDATES changes to the pooled models before the test year",
    )
    parser.add_argument(
        "--inputs",
        action="store_true",
        help="per-item 배추 networks with each of INPUT_SETS, on the test year and the one before",
    )
    parser.add_argument(
        "--explorer-weights",
        action="store_true",
        help="train the pooled networks of seed 0 on the shipped file for notebook 10's explorer",
    )
    parser.add_argument("--out", type=pathlib.Path, default=None)
    args = parser.parse_args(argv)

    frame = price_schema.load_prices()
    label = data_label()
    print(f"data: {frame.attrs['source']} ({label}, {len(frame)} days)", flush=True)
    settings = {"epochs": args.epochs}
    start = time.perf_counter()
    seeds = list(range(args.seeds))
    if args.checks:
        checks = run_checks(frame, seeds, {**settings, **POOLED_SETTINGS})
        table = checks.pivot(index="candidate", columns="period", values="nmae")
        print(table.loc[list(CANDIDATES), list(CHECK_PERIODS)].round(4).to_string())
        out = args.out or experiments.forecast_path(label, kind="checks")
        checks.to_csv(out, index=False, float_format="%.6g")
        print(f"\nwrote {out} ({time.perf_counter() - start:.0f} s in all)")
        return 0
    if args.explorer_weights:
        if label != "synthetic":
            parser.error("--explorer-weights trains on the shipped file: unset PRICE_DATA")
        pooled_settings = {**settings, **POOLED_SETTINGS}
        scores = run_pooled(
            frame, price_schema.ITEMS, [0], list(forecast.BUILDERS), pooled_settings, True
        )
        shown = scores[~scores["model"].str.contains("ensemble")]  # one seed: the same rows
        print(shown.groupby("model")["nmae"].mean().round(4).to_string())
        written = experiments.explorer_weights_path("*").name
        print(f"\nwrote {written} for {list(forecast.BUILDERS)}")
        return 0
    if args.inputs:
        study = run_input_sets(frame, seeds, args.models, settings)
        study.insert(0, "data", label)
        ensembles = study[study["model"].str.contains("ensemble|naive")]
        table = ensembles.pivot_table("nmae", ["period", "inputs", "model"], "horizon_days")
        print(table.round(3).to_string())
        out = args.out or experiments.forecast_path(label, kind="inputs")
        study.to_csv(out, index=False, float_format="%.6g")
        print(f"\nwrote {out} ({time.perf_counter() - start:.0f} s in all)")
        return 0
    parts = []
    if args.per_item:
        parts.append(run_per_item(frame, args.per_item, seeds, args.models, settings))
    if not args.no_pooled:
        pooled_settings = {**settings, **POOLED_SETTINGS}
        # The explorer's weights come from the shipped file's own run, not a trial --out run.
        save_weights = label == "synthetic" and args.out is None
        parts.append(
            run_pooled(frame, price_schema.ITEMS, seeds, args.models, pooled_settings, save_weights)
        )
    tidy = pd.concat(parts, ignore_index=True)
    tidy.insert(0, "data", label)
    print_tables(tidy)
    out = args.out or experiments.forecast_path(label)
    out.parent.mkdir(parents=True, exist_ok=True)
    tidy.to_csv(out, index=False, float_format="%.6g")
    print(f"\nwrote {out} ({time.perf_counter() - start:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
