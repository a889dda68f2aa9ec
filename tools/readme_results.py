"""Write the README's results section from the benchmark outputs in the results folder.

`make bench` runs this last, so the README always shows the latest measured
figures; tests/test_project.py fails when the README and the files disagree.

    .venv/bin/python tools/readme_results.py          # rewrite README.md
    .venv/bin/python tools/readme_results.py --check  # exit 1 if README.md is stale
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from helpers import experiments, results  # noqa: E402
from helpers.forecasting.trees import TREE_SETTINGS  # noqa: E402

TREE_QUANTILE = TREE_SETTINGS["quantile"]

RESULTS = experiments.RESULTS_DIR
README = experiments.PROJECT_ROOT / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def _mean_std(values: pd.Series, digits: int = 2, percent: bool = False) -> str:
    values = values.dropna()
    if values.empty:
        return results.MISSING
    spread = values.std(ddof=1) if len(values) > 1 else float("nan")  # as in the notebooks
    return results.mean_std_text(
        values.mean(), spread, digits, 100 if percent else 1, " %" if percent else ""
    )


def _markdown(table: pd.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(str(value) for value in row) + " |" for row in table.to_numpy()]
    return "\n".join([header, rule, *rows])


def notebook_times() -> str | None:
    path = experiments.result_path("notebook times")
    if not path.is_file():
        return None
    times = pd.read_csv(path)
    is_floor = times["notebook"] == "floor"
    if times.empty or not is_floor.any():
        return None
    floor = times.loc[is_floor, "seconds"].iloc[0]
    notebooks = times[~is_floor]
    total = notebooks["seconds"].sum()
    rows = [("floor: kernel start, TensorFlow import, `runtime.setup()`", floor, "1.0")]
    rows += [(r.notebook, r.seconds, f"{r.floor_multiple:.1f}") for r in notebooks.itertuples()]
    # The mean of the multiples, each taken (by the benchmark) against the unrounded floor:
    # dividing by the rounded floor above could differ from the benchmark's own total.
    multiple = notebooks["floor_multiple"].mean()
    rows.append(("**total**", round(total, 1), f"{multiple:.2f} per notebook"))
    table = pd.DataFrame(rows, columns=["notebook", "seconds", "× floor"])
    cores = ", ".join(str(c) for c in sorted(times["cores"].unique()))
    return (
        f"Seconds to run each notebook top to bottom on a fresh kernel ({cores} CPU cores), and "
        "the same as a multiple of the floor every notebook pays before its first idea, timed "
        "in the same run (`benchmarks/notebook_times.py`):\n\n" + _markdown(table)
    )


def translation() -> str | None:
    try:
        runs = results.translation_runs(RESULTS)
    except FileNotFoundError:
        return None
    buckets = [b for b in runs["bucket"].unique() if b != "all"] + ["all"]
    rows = []
    for model, group in runs.groupby("model", sort=False):
        row = {"model": model, "seeds": group["seed"].nunique()}
        for bucket in buckets:
            scores = group.loc[group["bucket"] == bucket, "exact_match"]
            row[f"{bucket} tokens" if bucket != "all" else "all"] = _mean_std(scores, 1, True)
        overall = group[group["bucket"] == "all"]
        if "alignment_error_rate" in group:
            row["alignment error rate"] = _mean_std(overall["alignment_error_rate"], 3)
        row["s / epoch"] = _mean_std(overall["seconds_per_epoch"], 1)
        rows.append(row)
    table = pd.DataFrame(rows).fillna("")
    return (
        "Exact match on the toy corpus's test split (greedy decoding) by English source "
        "length, mean ± std over seeds, with the alignment error rate of the attention "
        "(`benchmarks/translation.py`, `benchmarks/attention.py`, `benchmarks/transformer.py`; "
        "seconds per epoch as measured during those runs, which shared the machine):\n\n"
        + _markdown(table)
    )


def forecasting() -> str | None:
    parts = []
    for data in experiments.FORECAST_DATA:
        path = experiments.forecast_path(data)
        if not path.is_file():
            continue
        table = results.forecast_overview(pd.read_csv(path)).reset_index()
        source = (
            "`data/prices_synthetic.csv`" if data == "synthetic" else "the real competition file"
        )
        parts.append(f"On {source}:\n\n" + _markdown(table))
    if not parts:
        return None
    checks = forecast_checks()
    return (
        "NMAE on the last 365 days (mean of the 1, 2 and 4 week horizons; lower is better; "
        "mean ± std over seeds) for 배추 and over all items, with the pooled models' gain "
        "over the naive forecast, from `benchmarks/forecast.py` "
        "(`PRICE_DATA=path/to/train.csv` for the real file). The pooled model knows each "
        "window's item (one-hot inputs) and is refit on the training and validation windows. "
        "The trees are `helpers.forecasting.trees` (gradient-boosted trees on a flat summary of "
        "each "
        f"window, pooled like the networks, fitted to the {TREE_QUANTILE:g} quantile of the "
        "price ratio); "
        "the blend averages the three networks' 3-seed ensembles, in equal shares, "
        "with theirs, at the trees' weight in its row's name:"
        "\n\n" + "\n\n".join(parts) + (f"\n\n{checks}" if checks else "")
    )


def forecast_checks() -> str | None:
    path = experiments.forecast_path("real", kind="checks")
    if not path.is_file():
        return None
    table = results.forecast_checks_table(pd.read_csv(path))
    table = table.reset_index(names="change to the pooled model")
    return (
        "Changes to the pooled model were judged before the test year was scored, on three "
        "earlier periods of the real file (3-seed ensembles of Model 1, of the trees, or a "
        "blend of networks and trees; NMAE over 21 items and, "
        "in brackets, the gain over naive; `benchmarks/forecast.py --checks`). The rule, "
        "every change probed with its scores, and why it was or was not adopted: "
        "`benchmarks/DECISIONS.md`.\n\n" + _markdown(table)
    )


SECTIONS = {"Run time": notebook_times, "Translation": translation, "Forecasting": forecasting}


def render() -> str:
    parts = [START, "", "Regenerate with `make bench` (or `python tools/readme_results.py`).", ""]
    for title, build in SECTIONS.items():
        body = build()
        parts += [f"### {title}", "", body if body else "(not measured yet)", ""]
    return "\n".join([*parts, END])


def updated_readme(text: str) -> str:
    if START not in text or END not in text:
        raise ValueError(f"README.md needs the markers {START} and {END} around the results")
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return before + render() + after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report whether it is stale")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    fresh = updated_readme(text)
    if args.check:
        if fresh != text:
            print("README.md results are stale: run `make bench` or tools/readme_results.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    print("README.md results section rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
