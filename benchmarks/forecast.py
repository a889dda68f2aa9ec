"""NMAE of the three forecasters and the naive baselines, 1/2/4 weeks ahead, over seeds.

Two settings, both on the last 365 days held out (the competition protocol: every origin
of the last year whose target still lies in the file; NMAE over non-zero actuals; mean of
the three horizons; then mean over items):

- per item: one model per item, trained on that item's windows only (the seminar's setup,
  run for 배추 by default);
- pooled: one model trained on the windows of all 21 items together (each item scaled by
  its own training statistics), then scored item by item.

Each model is trained with every seed; the tables show mean ± std over seeds and, as a
separate row, the ensemble that averages the seeds' forecasts.

Run on the synthetic file (default) or the real one:

    .venv/bin/python benchmarks/forecast.py
    PRICE_DATA=../shared/data/train.csv .venv/bin/python benchmarks/forecast.py

It prints the tables and writes the tidy results to data/results/forecast_<data>.csv, which
notebook 08 reads for its multi-seed, all-item table. ``--tune validation`` instead compares
a few settings on the validation period (the half year before the held-out year), and
``--tune "previous year"`` on the full year before it, scored like the test year.
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

import pandas as pd  # noqa: E402

from helpers import forecast, prices  # noqa: E402

RESULTS = ROOT / "data" / "results"


def data_label() -> str:
    """'synthetic' for the shipped file, 'real' when PRICE_DATA points elsewhere."""
    return "real" if os.environ.get(prices.PRICE_DATA_ENV) else "synthetic"


def pooled_arrays(all_windows: dict, split: str) -> prices.WindowArrays:
    return prices.concat_windows(windows.arrays(split) for windows in all_windows.values())


def run_per_item(frame, items, seeds, models, settings) -> pd.DataFrame:
    tables = []
    for item in items:
        windows = prices.PriceWindows(frame, item)
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


def pooled_windows(frame, items, features=None) -> dict:
    features = features or POOLED_FEATURES
    return {item: prices.PriceWindows(frame, item, features=features) for item in items}


def run_pooled(frame, items, seeds, models, settings, features=None) -> pd.DataFrame:
    all_windows = pooled_windows(frame, items, features)
    train = pooled_arrays(all_windows, "train")
    validation = pooled_arrays(all_windows, "validation")
    print(f"  pooled: {len(train)} training windows from {len(items)} items", flush=True)
    results = []
    for name in models:
        for seed in seeds:
            result = forecast.fit(name, train, validation, seed=seed, progress=False, **settings)
            results.append(result)
            print(f"  pooled {name} seed {seed}: {result.seconds:.1f} s", flush=True)
    with_ensembles = results + forecast.seed_ensembles(results)
    tables = [forecast.evaluate(with_ensembles, windows) for windows in all_windows.values()]
    table = pd.concat(tables, ignore_index=True)
    table["train_seconds"] = table["model"].map(_seconds(results))
    return table.assign(training="pooled")


def tune(frame, items, settings_grid, models, period: str = "validation", features=None) -> None:
    """NMAE of a few settings (pooled) before the test year, which is never touched.

    ``period="validation"`` scores the half year before the test year (models trained on
    the rest); ``"previous year"`` drops the test year and scores the full year before it,
    exactly as the test year is scored (models trained and early-stopped on the earlier data).
    """
    if period == "previous year":
        frame = frame.iloc[: -prices.TEST_DAYS]
    split = "test" if period == "previous year" else "validation"
    all_windows = pooled_windows(frame, items, features)
    train = pooled_arrays(all_windows, "train")
    validation = pooled_arrays(all_windows, "validation")
    for name in models:
        for settings in settings_grid:
            result = forecast.fit(name, train, validation, seed=0, progress=False, **settings)
            scores = []
            for windows in all_windows.values():
                arrays = windows.arrays(split)
                predicted = forecast.predict_prices(result.model, windows, arrays)
                by_horizon = forecast.nmae_by_horizon(arrays.actual, predicted, windows.horizons)
                naive = forecast.nmae_by_horizon(
                    arrays.actual, prices.naive_last_price(arrays, 3), windows.horizons
                )
                scores.append((sum(by_horizon.values()) / 3, sum(naive.values()) / 3))
            model_score = sum(s[0] for s in scores) / len(scores)
            naive_score = sum(s[1] for s in scores) / len(scores)
            print(
                f"tune {name} {settings}: {period} NMAE {model_score:.4f} "
                f"(naive {naive_score:.4f}), {result.epochs} epochs, {result.seconds:.0f} s",
                flush=True,
            )


def print_tables(tidy: pd.DataFrame) -> None:
    for training, part in tidy.groupby("training", sort=False):
        for label, subset in (("배추", part[part["item"] == "배추"]), ("all items", part)):
            if subset.empty or (label == "all items" and subset["item"].nunique() == 1):
                continue
            print(f"\n## {training} models, {label} (NMAE, mean ± std over seeds)")
            print(forecast.summary_table(subset).to_string())
        seconds = part.dropna(subset=["train_seconds"]).groupby("model")["train_seconds"].mean()
        print(f"\n## {training}: training seconds per model (mean over runs)")
        print(seconds.round(1).to_string())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--per-item", nargs="*", default=["배추"], help="items with own models")
    parser.add_argument("--no-pooled", action="store_true", help="skip the all-items models")
    parser.add_argument("--models", nargs="*", default=list(forecast.BUILDERS))
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument(
        "--tune",
        choices=("validation", "previous year"),
        help="compare settings on the validation half-year or on the year before the test year",
    )
    parser.add_argument(
        "--extra-features",
        action="store_true",
        help="pooled models also read prices.EXTRA_FEATURES (see the note at POOLED_FEATURES)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=None)
    args = parser.parse_args(argv)

    frame = prices.load_prices()
    label = data_label()
    print(f"data: {frame.attrs['source']} ({label}, {len(frame)} days)", flush=True)
    settings = {"epochs": args.epochs}
    features = POOLED_FEATURES + prices.EXTRA_FEATURES if args.extra_features else None
    if args.tune:
        grid = [
            {**POOLED_SETTINGS, "epochs": args.epochs, "learning_rate": rate, "units": units}
            for rate in (1e-3, 3e-3)
            for units in (32, 64)
        ]
        tune(frame, prices.ITEMS, grid, args.models, period=args.tune, features=features)
        return 0
    start = time.perf_counter()
    seeds = list(range(args.seeds))
    parts = []
    if args.per_item:
        parts.append(run_per_item(frame, args.per_item, seeds, args.models, settings))
    if not args.no_pooled:
        pooled_settings = {**settings, **POOLED_SETTINGS}
        parts.append(run_pooled(frame, prices.ITEMS, seeds, args.models, pooled_settings, features))
    tidy = pd.concat(parts, ignore_index=True)
    tidy.insert(0, "data", label)
    print_tables(tidy)
    suffix = "_extra_features" if args.extra_features else ""
    out = args.out or RESULTS / f"forecast_{label}{suffix}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    tidy.to_csv(out, index=False, float_format="%.6g")
    print(f"\nwrote {out} ({time.perf_counter() - start:.0f} s in all)")
    return 0


# Chosen with --tune on the real file's validation period (Model 1, pooled): learning rate
# 1e-3 scored 0.217 against 0.219 for 3e-3; 64 units gained 0.003 for several times the
# training time, so 32 stay. Per-item models keep forecast.fit's defaults, as in notebook 08.
# Checked again for Model 2 (3-seed ensemble, validation NMAE; naive 0.250): these settings
# 0.211; lookback 14 or 56 days 0.217 / 0.216; batch 64 or 512 0.216 / 0.214; 16 units
# 0.216; 64 units 0.216 (seed 0); unscaled log-ratio targets 0.218. Adding last year's 14- and
# 28-day changes as inputs scored 0.214. Blending with the naive forecast chose weight 1.0.
# Training on the competition's metric itself (forecast.nmae_loss) instead of the MAE of the
# scaled log ratios won both checks made before the test year: validation 0.206 against 0.211
# (every seed better), and 16.1 % against 11.8 % gain on a nested split (the held-out year
# dropped, the validation half-year as test). So the pooled models use it, whatever the test
# year says (there it scored 0.201 against 0.194 for the MAE models, in this session). On the
# full year before the test year (--tune "previous year", added later; Model 1, 2 seeds) it
# also won: 0.194 against 0.205 (validation 0.208 against 0.219).
POOLED_SETTINGS = {"batch_size": 256, "learning_rate": 1e-3, "units": 32, "loss": "nmae"}
# The slower-moving extra inputs (--extra-features, prices.EXTRA_FEATURES: price against its
# 91-day mean and last year's, what the season did next one and two years earlier, volume
# against its year, the market against its month) split the two checks made before the test
# year. On the full year before it (the test year dropped, scored like it; 3-seed ensembles,
# naive 0.220) they helped: Model 1 0.1925 -> 0.1882, Model 2 0.1934 -> 0.1883. On the
# validation half-year (2 seeds, Model 1) they hurt: 0.211 against 0.208. A setting must win
# both checks to be adopted, so the pooled models keep prices.FEATURES. Run on the test year
# anyway (this session), they scored 0.204 (Model 1 ensemble) against 0.2005, and 0.236
# against 0.181 on 배추. One at a time, none of the extras helped on both checks, nor did
# clipping the inputs at ±4 or a learning rate of 3e-4 (validation / previous year 0.208 /
# 0.194, as without).
POOLED_FEATURES = prices.FEATURES


if __name__ == "__main__":
    sys.exit(main())
