"""Result tables and their "mean ± std" text: the benchmark files in the results folder and the
tidy NMAE tables of :func:`helpers.forecasting.forecast.evaluate`.

Each ``benchmarks/*.py`` script writes a ``*_runs.csv`` with one row per model,
seed and source-length bucket (``bucket == "all"`` for the whole test split).
Notebooks read them here instead of training every model over every seed live.

A leaf: pure pandas over tables, it imports no model module, so the models, benchmarks,
tools and notebooks can all use it without an import cycle.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd

from helpers.experiments import NAIVE

MISSING = "—"  # a table cell with nothing measured (an en dash would read as a range)
RUN_COLUMNS = ("seed", "bucket", "exact_match")


def mean_std_text(mean, spread, digits: int, scale: float = 1.0, unit: str = "") -> str:
    """One table cell: "99.7 ± 0.1 %" (``mean`` and ``spread`` times ``scale``); just the mean
    when ``spread`` is NaN (a single seed), :data:`MISSING` when ``mean`` is NaN."""
    if pd.isna(mean):
        return MISSING
    text = f"{mean * scale:.{digits}f}"
    if not pd.isna(spread):
        text += f" ± {spread * scale:.{digits}f}"
    return text + unit


def percent_text(share, digits: int = 1) -> str:
    """A share as the prose writes it, "5.1 %"; :data:`MISSING` when NaN, and "0.0 %" for a
    small loss, which the format alone would print as "-0.0 %"."""
    if pd.isna(share):
        return MISSING
    text = f"{share:.{digits}%}".replace("%", " %")
    return text.removeprefix("-") if float(text[:-2]) == 0 else text


def run_rows(scores: pd.DataFrame, **common) -> list[dict]:
    """One benchmark run as rows of a ``*_runs.csv`` file: ``"all"`` first, then each bucket.

    ``scores``: the table of ``metrics.scores_by_length``; ``common``: the columns every
    row of the run shares (model, seed, epochs, ...). Scores are rounded to 4 decimals.
    """
    if "all" not in scores.index:
        raise ValueError("scores needs an 'all' row; pass the table of metrics.scores_by_length")
    order = ["all", *(label for label in scores.index if label != "all")]
    rows = []
    for label in order:
        row = {**common, "bucket": label, "sentences": int(scores.loc[label, "sentences"])}
        for column in scores.columns.drop("sentences"):
            row[column.replace(" ", "_")] = round(float(scores.loc[label, column]), 4)
        rows.append(row)
    return rows


def translation_runs(results_dir: str | pathlib.Path | None = None) -> pd.DataFrame:
    """Every translation benchmark run in ``results_dir``, one ``model`` column for all.

    The no-attention Seq2Seq table names its rows by source ``order``; they
    become ``"Seq2Seq, in order"`` and ``"Seq2Seq, reversed"``. Raises
    FileNotFoundError, naming the command, when no run file exists yet.
    """
    if results_dir is None:
        from helpers.experiments import RESULTS_DIR as results_dir
    results_dir = pathlib.Path(results_dir)
    frames = []
    for path in sorted(results_dir.glob("*_runs.csv")):
        runs = pd.read_csv(path)
        if not set(RUN_COLUMNS) <= set(runs.columns):
            continue  # another kind of table (e.g. forecasting)
        if "model" not in runs.columns:
            if "order" not in runs.columns:
                raise ValueError(f"{path.name} has neither a 'model' nor an 'order' column")
            runs = runs.assign(model="Seq2Seq, " + runs["order"].astype(str))
        frames.append(runs)
    if not frames:
        raise FileNotFoundError(
            f"no translation results in {results_dir}; run `make bench` "
            "(or `python benchmarks/translation.py`) to create them"
        )
    return pd.concat(frames, ignore_index=True)


def bucket_scores(runs: pd.DataFrame, group_column="model", groups=None, column="exact_match"):
    """Mean and sample std (ddof=1, as everywhere in the series) over seeds of ``column`` per
    length bucket, per group, for ``plots.accuracy_by_length``.

    ``runs``: a ``*_runs.csv`` table (one row per group, seed, bucket). Returns
    ``(bucket_labels, means, stds)`` where ``means`` and ``stds`` map each group (``groups``
    in that order, default: all in file order) to one value per bucket, the buckets in the
    order they appear (``"all"`` left out); one seed's std is 0.
    """
    needed = {group_column, "seed", "bucket", column}
    missing = needed - set(runs.columns)
    if missing:
        raise ValueError(
            f"the runs table lacks columns {sorted(missing)}; expected a benchmark's "
            f"*_runs.csv file with columns {sorted(needed)}"
        )
    groups = list(dict.fromkeys(runs[group_column])) if groups is None else list(groups)
    unknown = [group for group in groups if group not in set(runs[group_column])]
    if unknown:
        raise ValueError(
            f"no runs of {unknown}; the results hold {sorted(set(runs[group_column]))}"
        )
    per_bucket = runs[runs["bucket"] != "all"]
    labels = list(dict.fromkeys(per_bucket["bucket"]))
    means, stds = {}, {}
    for group in groups:
        scores = per_bucket[per_bucket[group_column] == group].groupby("bucket")[column]
        means[group] = scores.mean().reindex(labels).to_numpy(dtype=float)
        stds[group] = np.nan_to_num(scores.std(ddof=1).reindex(labels).to_numpy(dtype=float))
    return labels, means, stds


CHECK_COLUMNS = ("period", "candidate", "nmae", "naive_nmae")


def forecast_checks_table(checks: pd.DataFrame) -> pd.DataFrame:
    """The ``benchmarks/forecast.py --checks`` results as a candidate × period table.

    ``checks``: one row per period and candidate (``forecast_checks_<data>.csv``). Each cell
    reads "NMAE (gain over naive)", e.g. "0.1860 (15.4 %)"; :data:`MISSING` where a candidate
    was not scored (a refit model on the half-year it trained on); the naive NMAE is the last
    row.
    Rows and columns keep the file's order.
    """
    missing = sorted(set(CHECK_COLUMNS) - set(checks.columns))
    if missing:
        raise ValueError(
            f"the checks table lacks columns {missing}; expected a forecast_checks_*.csv "
            f"written by benchmarks/forecast.py --checks, with columns {list(CHECK_COLUMNS)}"
        )
    cells = [
        f"{nmae:.4f} ({percent_text(1 - nmae / naive)})"
        for nmae, naive in zip(checks["nmae"], checks["naive_nmae"], strict=True)
    ]
    table = checks.assign(cell=cells).pivot(index="candidate", columns="period", values="cell")
    table = table.loc[checks["candidate"].unique(), checks["period"].unique()]
    naive = checks.groupby("period", sort=False)["naive_nmae"].first()
    table.loc[NAIVE] = [f"{value:.4f}" for value in naive[table.columns]]
    table.columns.name = None
    return table.fillna(MISSING)


def summary_table(tidy: pd.DataFrame) -> pd.DataFrame:
    """Model × horizon table of 'mean ± std' over seeds, with the mean over horizons last.

    ``tidy`` is :func:`helpers.forecasting.forecast.evaluate`'s output, one row per item, model,
    seed and horizon (several items are averaged per seed first).
    """
    per_seed = tidy.fillna({"seed": -1}).groupby(["model", "seed", "horizon_days"])["nmae"].mean()
    per_seed = per_seed.unstack("horizon_days")
    per_seed["mean"] = per_seed.mean(axis=1)
    grouped = per_seed.groupby(level="model", sort=False)
    mean, spread = grouped.mean(), grouped.std()  # no spread (NaN) for one seed or a baseline
    order = list(dict.fromkeys(tidy["model"]))
    cells = [
        [mean_std_text(m, s, 3) for m, s in zip(mean_row, spread_row, strict=True)]
        for mean_row, spread_row in zip(mean.to_numpy(), spread.to_numpy(), strict=True)
    ]
    table = pd.DataFrame(cells, index=mean.index, columns=mean.columns)
    table.columns = [f"{c} days" if c != "mean" else "mean" for c in table.columns]
    return table.loc[order]


def gain_over(tidy: pd.DataFrame, reference: str = NAIVE) -> pd.Series:
    """How much lower each model's NMAE is than ``reference``'s (0.14 = 14 % better).

    Uses the mean over horizons, seeds and items of
    :func:`helpers.forecasting.forecast.evaluate`'s table; a negative value means worse than
    the reference.
    """
    means = tidy.groupby("model", sort=False)["nmae"].mean()
    if reference not in means:
        raise ValueError(f"no {reference!r} rows in the table; it has {list(means.index)}")
    return (1 - means / means[reference]).drop(reference).rename(f"gain over {reference}")


FORECAST_COLUMNS = ("training", "item", "model", "seed", "horizon_days", "nmae")


def forecast_overview(runs: pd.DataFrame, item: str = "배추") -> pd.DataFrame:
    """The ``benchmarks/forecast.py`` results in one model × scope table.

    ``runs``: one row per training ("per item" or "pooled"), item, model, seed and horizon
    (``forecast_<data>.csv``). Columns: ``item`` forecast by models trained on it alone, the
    same item forecast by the pooled models, the mean over all items of the pooled models
    (each cell the NMAE averaged over the horizons, mean ± std over seeds) and how much
    better than the naive forecast the last column is. A model not trained that way reads
    :data:`MISSING`. Rows keep the file's order.
    """
    missing = sorted(set(FORECAST_COLUMNS) - set(runs.columns))
    if missing:
        raise ValueError(
            f"the forecast results lack columns {missing}; expected a forecast_*.csv written "
            f"by benchmarks/forecast.py, with columns {list(FORECAST_COLUMNS)}"
        )
    pooled = runs[runs["training"] == "pooled"]
    if item not in set(runs["item"]):
        raise ValueError(f"no results for item {item!r}; the file has {sorted(set(runs['item']))}")
    n_items = pooled["item"].nunique()
    per_item = runs[runs["training"] == "per item"]
    scopes = {
        f"{item}, trained per item": per_item[per_item["item"] == item],
        f"{item}, pooled model": pooled[pooled["item"] == item],
        f"{n_items} items, pooled model": pooled,
    }
    columns = {  # a scope the benchmark did not run (no per-item models) stays a column
        name: summary_table(part)["mean"] if len(part) else pd.Series(dtype=object)
        for name, part in scopes.items()
    }
    gain = gain_over(pooled)  # raises if the file has no naive rows to compare with
    columns[f"vs naive, {n_items} items"] = gain.map(lambda g: percent_text(g, digits=0))
    table = pd.DataFrame(columns).reindex(list(dict.fromkeys(runs["model"])))
    table.index.name = "model"
    return table.fillna(MISSING)


def _per_seed_nmae(tidy: pd.DataFrame) -> pd.DataFrame:
    """NMAE per (model, seed) row and horizon column, items averaged first (seed -1: none)."""
    per_seed = tidy.fillna({"seed": -1}).groupby(["model", "seed", "horizon_days"])["nmae"].mean()
    return per_seed.unstack("horizon_days")


def gain_table(tidy: pd.DataFrame, reference: str = NAIVE) -> pd.DataFrame:
    """Model × horizon gain over ``reference`` (0.14 = 14 % lower NMAE), mean over seeds;
    the columns are named "7 days" and so on.

    Each seed's gain is taken against the reference at the same horizon (items averaged
    first); ``attrs["std"]`` holds the spread over seeds, for
    :func:`helpers.forecasting.forecast_plots.gain_bars`.
    """
    per_seed = _per_seed_nmae(tidy)
    if reference not in per_seed.index.get_level_values("model"):
        raise ValueError(f"no {reference!r} rows in the table; it has {sorted(set(tidy['model']))}")
    gains = 1 - per_seed / per_seed.xs(reference, level="model").iloc[0]
    gains = gains.drop(reference, level="model")
    grouped = gains.groupby(level="model", sort=False)
    order = [model for model in dict.fromkeys(tidy["model"]) if model != reference]
    mean = grouped.mean().loc[order]
    mean.attrs["std"] = grouped.std().fillna(0.0).loc[order]
    mean.columns = mean.attrs["std"].columns = [f"{h} days" for h in mean.columns]
    return mean


def checks_gain(checks: pd.DataFrame) -> pd.DataFrame:
    """The ``--checks`` results as period × candidate gain over naive (NaN: not scored)."""
    missing = sorted(set(CHECK_COLUMNS) - set(checks.columns))
    if missing:
        raise ValueError(
            f"the checks table lacks columns {missing}; expected a forecast_checks_*.csv "
            f"written by benchmarks/forecast.py --checks, with columns {list(CHECK_COLUMNS)}"
        )
    gains = checks.assign(gain=1 - checks["nmae"] / checks["naive_nmae"])
    table = gains.pivot(index="period", columns="candidate", values="gain")
    table = table.loc[checks["period"].unique(), checks["candidate"].unique()]
    table.columns.name = None
    return table


INPUT_STUDY_COLUMNS = ("period", "inputs", "model", "seed", "horizon_days", "nmae")


def input_study_gains(study: pd.DataFrame, reference: str = NAIVE) -> pd.DataFrame:
    """The ``benchmarks/forecast.py --inputs`` results as a (period, inputs) × horizon table
    of gains over ``reference``, its spread over seeds in ``attrs["std"]``.

    An input set's gain is that of the networks' NMAE averaged over them, seed by seed, as
    :func:`gain_table` takes it (and names its columns); the seed ensembles are left out.
    Periods and input sets keep the file's order.
    """
    missing = sorted(set(INPUT_STUDY_COLUMNS) - set(study.columns))
    if missing:
        raise ValueError(
            f"the study lacks columns {missing}; expected a forecast_inputs_*.csv written by "
            f"benchmarks/forecast.py --inputs, with columns {list(INPUT_STUDY_COLUMNS)}"
        )
    means, spreads = {}, {}
    for period, part in study.groupby("period", sort=False):
        naive = part[part["model"] == reference]
        if naive.empty:
            raise ValueError(f"no {reference!r} rows for the period {period!r} in the study")
        naive = naive[naive["inputs"] == naive["inputs"].iloc[0]]  # the same in every set
        networks = part[part["seed"].notna()]
        gains = gain_table(pd.concat([naive, networks.assign(model=networks["inputs"])]), reference)
        means[period], spreads[period] = pd.DataFrame(gains), gains.attrs["std"]
        means[period].attrs = {}
    table = pd.concat(means, names=["period", "inputs"])
    table.attrs["std"] = pd.concat(spreads, names=["period", "inputs"])
    return table
