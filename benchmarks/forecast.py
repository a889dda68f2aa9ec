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

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


# The periods before the test year that candidate changes are scored on: how many years
# (TEST_DAYS each) are dropped from the end of the file, and which split is scored then.
CHECK_PERIODS = {
    "validation half-year": (0, "validation"),
    "previous year": (1, "test"),
    "year before that": (2, "test"),
}


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


# Chosen on the real file's validation period (Model 1, pooled, a small grid): learning rate
# 1e-3 scored 0.217 against 0.219 for 3e-3; 64 units gained 0.003 for several times the
# training time, so 32 stay. Per-item models keep forecast.fit's defaults, as in notebook 09.
# Per-item 배추 on the real file, probed for issue 21 and not adopted (3-seed ensembles, NMAE at
# 7/14/28 days; naive: test year 0.113/0.143/0.201, previous year 0.131/0.154/0.198). These
# defaults early-stop at epoch 1-2: Model 1 test 0.112/0.151/0.252, previous 0.142/0.205/0.287.
# Shrinking toward naive per horizon (weight on the period's validation half-year and the year
# before it) picked 0 for the test year and 1 for the previous one: no gain. A zero-initialised
# output layer and learning rate 1e-3 beat naive on the test year (0.112/0.139/0.196) but not
# the previous year (0.140/0.194/0.271). A ridge on log price history (no intercept, alpha 1)
# beats naive on 5 of 6 (test 0.111/0.141/0.205, previous 0.123/0.150/0.196); networks that
# learn its residual, with the epoch count (1, 2, 4 or 8) chosen the same way, beat naive on the
# test year (all three 0.109/0.138/0.197-0.198, one epoch chosen) and lose the previous year
# (eight epochs chosen: 0.138-0.141/0.192-0.200/0.262-0.273). With one epoch fixed instead,
# the previous year is still lost at 28 days (Model 1/2/3: 0.221/0.245/0.230). Forecasts that
# need no network say why (naive x exp(b * what the same weeks did 1-2 years earlier), b
# fitted on the years before): at 28 days the season helps the test year (b 0.5: 0.191) and
# the year before that (naive 0.369, full seasonal change 0.218) but the previous year ran
# against it (full change 0.399, b 0.8: 0.341); and the NMAE-optimal constant multiple of
# naive fitted on the training years (0.85-0.88 at 28 days) is worse on both years (0.244,
# 0.217). Per-item networks on the competition's metric (loss "nmae"; price and trading days
# alone, or the 7 inputs; learning rate 3e-3 or 1e-3 with batch 256) lost the previous year at
# 28 days in every case (0.235-0.293 against 0.198) and the test year with all but one
# network (Model 1, 7 inputs, 1e-3: 0.115 / 0.141 / 0.194, which loses 7 days).
# Pretrained pooled (21 items, item one-hot, not refit, 2 seeds) and then fine-tuned on 배추
# alone (Adam 3e-4, early stopping on 배추's validation windows, the pretrained weights kept
# when no epoch beat them): the pooled networks' 배추 validation loss is already above naive's,
# and fine-tuning lowered it in 4 of 6 fits for the previous year and none for the test year.
# Previous year 0.157-0.183 / 0.226-0.261 / 0.290-0.311, test year 0.127-0.134 / 0.191-0.202
# / 0.282-0.311: far behind naive at 14 and 28 days in both.
# No setting chosen before a year beat naive on 배추 at every horizon in both years
# (--inputs shows why in notebook 10: the season wins one year and loses the other).
# Checked again for Model 2 (3-seed ensemble, validation NMAE; naive 0.250): these settings
# 0.211; lookback 14 or 56 days 0.217 / 0.216; batch 64 or 512 0.216 / 0.214; 16 units
# 0.216; 64 units 0.216 (seed 0); unscaled log-ratio targets 0.218. Adding last year's 14- and
# 28-day changes as inputs scored 0.214. Blending with the naive forecast chose weight 1.0.
# Training on the competition's metric itself (forecast.nmae_loss) instead of the MAE of the
# scaled log ratios won both checks made before the test year: validation 0.206 against 0.211
# (every seed better), and 16.1 % against 11.8 % gain on a nested split (the held-out year
# dropped, the validation half-year as test). So the pooled models use it, whatever the test
# year says (there it scored 0.201 against 0.194 for the MAE models, in this session). On the
# full year before the test year (the "previous year" check; Model 1, 2 seeds) it
# also won: 0.194 against 0.205 (validation 0.208 against 0.219).
POOLED_SETTINGS = {"batch_size": 256, "learning_rate": 1e-3, "units": 32, "loss": "nmae"}
# Two changes that won the checks before the test year (--checks, Model 1, 3-seed ensembles;
# forecast_checks_real.csv): the item's identity as 21 one-hot inputs, so one
# model can learn how each item behaves; and refitting on training + validation windows for
# the early-stopped epoch count, so the model learns from the months just before the
# forecast period. The rule, fixed before the test year was scored with them: a change is
# adopted when it is better on most of the periods it can be scored on and worse on none by
# more than 0.002 NMAE (single seeds differ by 0.001 to 0.004 on these periods). The one-hot
# lost the year before that by 0.0016 and passed; the seven slower-moving
# windows.EXTRA_FEATURES won both full years (0.1882 / 0.2938 against 0.1925 / 0.3086) but
# lost the validation half-year by 0.0027 and stay out (an earlier session had also run them
# on the test year: 0.204 against 0.2005 for the Model 1 ensemble). Refitting the per-item
# 배추 models was checked too and made them worse on the previous year (Model 1 0.211 ->
# 0.224, Model 2 0.225 -> 0.243; naive 0.161), so per-item models are not refit.
# Not adopted: direct models, one pooled Model 1 per horizon (windows with that horizon
# alone, so last_year_change is that horizon's change a year earlier), issue 21's idea. Not
# refit (2 seeds): gain over naive 18.7 % against 16.8 % on the validation half-year, NMAE
# 0.1888 / 0.3098 against 0.1891 / 0.3112 on the two earlier years. Refit as the pooled
# models are (3 seeds): 0.1874 / 0.3085 against 0.1860 / 0.3061, worse on both, the year
# before that by more than 0.002. The test year was not scored.
POOLED_WINDOWS = {"item_one_hot": True}
POOLED_REFIT = True
# The trees' share when they are averaged with the Model 1 ensemble, chosen on the validation
# half-year (a scratch run before the checks; trees weight 0 / 0.25 / 0.5 / 0.75 / 1 scored
# 0.2065 / 0.2050 / 0.2066 / 0.2114 / 0.2197, naive 0.2500) and then checked on the two
# earlier years with the other CANDIDATES. In the open: the trees were added after a first
# scratch version (31 leaves, other summaries) had been scored on the test year (0.190, as the
# issue's own probe had found 0.188); their settings (trees.TREE_SETTINGS) and this
# weight were then chosen on the validation half-year alone (with the absolute-error trees;
# the weight was kept, not chosen again, when the trees moved to the 0.4 and 0.35 quantiles).
# Probed for issue 21's 20 % bar (pooled, refit, 2-seed ensembles; NMAE on the
# validation half-year / previous year / year before that / test year; naive 0.2500 / 0.2199 /
# 0.3339 / 0.2276). Trees on absolute error 0.2198 / 0.1984 / 0.3020 / 0.1889, blended as here
# 0.2051 / 0.1838 / 0.3021 / 0.1914. Trees on quantile loss 0.4 (a forecast a little below the
# median, as NMAE divides by the actual price) won all three checks (0.2117 / 0.1874 / 0.2912;
# test year 0.1923), so by the rule they were adopted (trees.TREE_SETTINGS; in the
# 3-seed tables the trees' test-year gain went from 16.1 % to 14.6 % on the real file and
# from 16.4 % to 20.3 % on the synthetic one, the blend's from 15.1 % to 14.0 % and from 18.4 %
# to 18.9 %). The 0.35 quantile then passed the rule too (trees, 3-seed checks) and
# moved the real test year's gains again the wrong way: trees 14.6 % -> 12.1 %, blend 14.0 % ->
# 13.3 % (synthetic: trees 20.3 % either way, blend 18.9 % -> 19.1 %). Measured with 0.4, the
# three networks and those trees at half weight
# won them too (0.2038 / 0.1825 / 0.2943; test 0.1920). Shrinking the blend toward naive in
# log space (model share 0-1.25, all items or per item) failed the nested check: chosen on the year
# before that, it scored the previous year 0.1840 (all items) and 0.1923 (per item) against
# 0.1838; on the test year, chosen on both earlier years, it would have scored 0.1879 /
# 0.1881. Choosing per item among these forecasts and naive on both earlier years scored the
# test year 0.1924. The best of everything here, picked with the test year in view, is 18 %
# below naive (0.1863), so the 20 % bar needs something these forecasts do not have.
# Where the gap is: the median of the last 7 (14) trading days' prices is 0.58 (0.56) x naive
# on 건고추's test year and 0.97-1.22 x on the other items; chosen per item among it, naive and
# this blend on the year before that, it scored the previous year 0.1919 against the blend's
# 0.1838 (on the test year, chosen on both earlier years: 0.1908 against 0.1914). The data
# says why: 건고추's daily price is typically 11 % off its trailing week's median on its
# busiest quarter of days and 21 % on its quietest, and of its 337 days more than 30 % off,
# only 117 were still that far off the next day (a thin market's noise, which a median
# filters); 청상추's jumps last (339 of 405 still off the next day: the level moved).
# Trees given robust summaries too (2-seed trees alone, same four periods): the median of the
# last 3, 7, 14 and 28 days against the origin's price scored 0.2113 / 0.1880 / 0.2949 /
# 0.1922, noise levels (mean absolute daily change, over the window and the last week; the
# window's range) 0.2121 / 0.1882 / 0.2947 / 0.1922, against 0.2117 / 0.1874 / 0.2912 /
# 0.1923 without: the trees already forecast 건고추 at 0.30 against naive's 0.51 on the
# test year. With the EXTRA_FEATURES among their inputs: 0.2146 / 0.1880 / 0.2890 / 0.1966.
# Neither passes the rule. Per item, the trees lose to naive on 배추 in three of the four
# periods (test year 0.170 against 0.152) and on 양파 and 마늘 in the test year only.
# Trees on longer windows (lags to 90 days, 56- and 91-day means): lookback 56 scored
# 0.2093 / 0.1880 / 0.2932 / 0.1935, lookback 91 0.2116 / 0.1903 / 0.2928 / 0.1933: better on
# one check at most, so not adopted. Matching naive on every item the trees lose would take
# the test year only to about 17 %: the 20 % bar needs gains these inputs do not hold.
# Then the three networks with the trees at half weight, an earlier probe's blend that had won
# all three checks against Model 1 + trees (1/4) and been set aside for the test year, was
# checked again with the 0.35 trees (3-seed ensembles; validation half-year / previous year /
# year before that). Not refit: 0.2042 / 0.1852 / 0.2964 against 0.2052 / 0.1861 / 0.3035;
# refit, as the pooled models are: 0.2042 / 0.1819 / 0.2936 against 0.2052 / 0.1828 / 0.2998.
# Better on every period in both protocols, so the rule adopts it, before the test year.
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

if __name__ == "__main__":
    sys.exit(main())
