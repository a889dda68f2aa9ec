"""Figures of notebooks 09 and 10 (price forecasting): history, NMAE and gain bars, forecasts,
attention.

Same contract as :mod:`helpers.plots`: plain arrays in, labelled axes, the Figure returned.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.figure_labels import bilingual
from helpers.plots import new_axes

WEEKDAY_LABELS = ("월", "화", "수", "목", "금", "토", "일")


def price_eda(dates, price, volume, item: str):
    """Four views of one item's daily series: history, season, weekly rhythm, price vs volume.

    ``dates`` (T,) datetimes, ``price`` and ``volume`` (T,) with 0 on days without trading.
    Returns a 2 × 2 Figure.
    """
    import warnings

    import pandas as pd
    import seaborn as sns
    from matplotlib import ticker

    dates = pd.DatetimeIndex(dates)
    price = np.asarray(price, dtype=float)
    volume = np.asarray(volume, dtype=float)
    if not len(dates) == len(price) == len(volume):
        raise ValueError(
            f"dates, price and volume need the same length, got {len(dates)}, {len(price)}, "
            f"{len(volume)}"
        )
    traded = price > 0
    # Twice as wide as tall: a slide (1280 × 720) shows it at full width, its labels readable.
    fig, axes = plt.subplots(2, 2, figsize=(13, 6.5))
    history, season, weekly, against = axes.ravel()
    history.plot(dates[traded], price[traded], lw=0.8, color="#1b9e77")
    history.set_xlabel("date (날짜)")
    history.set_ylabel("price (원/kg)")
    history.set_title(f"{item}: price on trading days (거래일 가격)")
    with warnings.catch_warnings():  # seaborn 0.13 still passes matplotlib's deprecated `vert`
        warnings.filterwarnings("ignore", message=".*vert: bool", category=DeprecationWarning)
        sns.boxplot(x=dates.month[traded], y=price[traded], ax=season, color="#a6d854", fliersize=2)
    season.set_xlabel("month (월)")
    season.set_ylabel("price (원/kg)")
    season.set_title("yearly season (계절)")
    share_closed = pd.Series(~traded).groupby(dates.day_of_week).mean().reindex(range(7))
    median_volume = pd.Series(np.where(traded, volume, np.nan)).groupby(dates.day_of_week)
    heights = median_volume.median().reindex(range(7)).fillna(0).to_numpy() / 1000
    weekly.bar(WEEKDAY_LABELS, heights, color="#66a61e")
    weekly.set_xlabel("weekday (요일)")
    weekly.set_ylabel("median volume (거래량 중앙값), t")
    weekly.set_title("weekly rhythm (주간 리듬), label: share of closed days (휴장 비율)")
    for position, (height, share) in enumerate(zip(heights, share_closed, strict=True)):
        weekly.annotate(
            f"{share:.0%}",
            (position, height),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=12,
        )
    weekly.set_ylim(0, heights.max() * 1.15)
    # Monday to Saturday: the few quiet Sundays trade tiny volumes and would squash the cloud.
    trading_rows = traded & (volume > 0) & (dates.day_of_week < 6)
    against.scatter(volume[trading_rows] / 1000, price[trading_rows], s=6, alpha=0.4)
    against.set_xscale("log")
    against.set_yscale("log")
    for axis in (against.xaxis, against.yaxis):  # 200, 500, 1000: plain numbers
        axis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        axis.set_minor_formatter(ticker.NullFormatter())
        axis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:g}"))
    correlation = np.corrcoef(np.log(volume[trading_rows]), np.log(price[trading_rows]))[0, 1]
    against.set_xlabel("volume (거래량), t, log scale, Monday to Saturday")
    against.set_ylabel("price (원/kg, log scale)")
    against.set_title(f"price vs volume (가격과 거래량), log correlation {correlation:.2f}")
    fig.tight_layout()
    return fig


def _grouped_bars(table, ax, scale: float = 1.0) -> np.ndarray:
    """Bars of ``table`` (rows = one colour each, columns = groups) with attrs["std"] errors.

    Returns the drawn values.
    """
    values = np.asarray(table, dtype=float) * scale
    if values.ndim != 2 or values.size == 0:
        raise ValueError(f"table must be bars × groups, got shape {values.shape}")
    errors = table.attrs.get("std")
    rows, groups = list(table.index), list(table.columns)
    width = 0.8 / len(rows)
    positions = np.arange(len(groups))
    for index, row in enumerate(rows):
        spread = None if errors is None else np.asarray(errors.loc[row], dtype=float) * scale
        offset = (index - (len(rows) - 1) / 2) * width
        label = bilingual(row)
        ax.bar(positions + offset, values[index], width, yerr=spread, capsize=3, label=label)
    # The Korean under the English: side by side, three horizons in a half-width panel touch.
    ax.set_xticks(positions, labels=[bilingual(g).replace(" (", "\n(", 1) for g in groups])
    return values


def gain_bars(table, title: str = "", ax=None):
    """Grouped bars of the gain over naive in %: rows = bars of one colour, columns = groups.

    ``table`` as from :func:`helpers.results.gain_table` (fractions; optional spread over
    seeds in ``table.attrs["std"]``, drawn as error bars). Above 0 is better than naive.
    """
    fig, ax = new_axes(ax, figsize=(13, 5))
    _grouped_bars(table, ax, scale=100)
    ax.axhline(0, color="black", lw=1)
    ax.set_ylabel("better than naive (단순 예측 대비), %")
    ax.set_title(title)
    ax.legend(fontsize=11, ncols=2, loc="best")
    return fig


def forecast_vs_actual(dates, actual, predictions: dict, title: str = "", reference=None, ax=None):
    """Actual prices (black dots; closed days left out) and each forecast as a line.

    ``dates`` (n,) target dates, ``actual`` (n,), ``predictions`` {label: (n,)} in won/kg.
    With ``reference`` (a key of ``predictions``, say the naive forecast) the figure has one
    panel per other forecast, each beside the reference in gray: four lines on one axes
    cannot be told apart, one forecast against the baseline can. Given ``ax``, everything is
    drawn on that one axes (the reference still in gray).
    """
    dates = np.asarray(dates)
    actual = np.asarray(actual, dtype=float)
    for label, predicted in predictions.items():
        if np.shape(predicted) != actual.shape:
            raise ValueError(
                f"{label}: {np.shape(predicted)} predictions for {actual.shape} actuals; "
                "pass one forecast per target date"
            )
    if reference is not None and reference not in predictions:
        raise ValueError(f"reference {reference!r} is not among the forecasts {list(predictions)}")
    scored = np.isfinite(actual) & (actual > 0)
    others = [label for label in predictions if label != reference]
    if reference is None or ax is not None or not others:
        fig, ax = new_axes(ax, figsize=(13, 5))
        panels = [(ax, list(predictions))]
    else:
        fig, axes = plt.subplots(
            len(others),
            1,
            figsize=(13, 1.75 * len(others) + 0.8),
            sharex=True,
            sharey=True,
            squeeze=False,
        )
        panels = [
            (panel, [reference, label]) for panel, label in zip(axes[:, 0], others, strict=True)
        ]
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for panel, labels in panels:
        panel.plot(dates[scored], actual[scored], "o", ms=2.5, color="black", label="actual (실제)")
        for label in labels:
            is_reference = label == reference
            panel.plot(
                dates[scored],
                np.asarray(predictions[label], dtype=float)[scored],
                lw=1.1 if is_reference else 1.7,
                color="#999999" if is_reference else colors[others.index(label) % len(colors)],
                label=bilingual(label),
            )
        panel.set_ylabel("price (원/kg)")
        panel.legend(fontsize=12, loc="upper left", ncol=3)
    panels[-1][0].set_xlabel("target date (예측 대상 날짜)")
    if title and len(panels) > 1:
        fig.suptitle(title)
    elif title:
        panels[0][0].set_title(title)
    fig.tight_layout()
    return fig


def attention_over_lookback(weights, origins=None, title: str = ""):
    """Where attention goes in the lookback window: mean weight per day back, and per window.

    ``weights`` (n windows, L days), oldest day first, rows summing to 1; ``origins`` (n,)
    dates of the windows (optional, labels the heatmap's rows).
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be (windows, lookback days), got shape {weights.shape}")
    windows, lookback = weights.shape
    days_back = np.arange(lookback - 1, -1, -1)  # 0 = the origin itself
    fig, (mean_ax, map_ax) = plt.subplots(
        1, 2, figsize=(14, 5), gridspec_kw={"width_ratios": [1, 1.3]}
    )
    mean_ax.bar(days_back, weights.mean(axis=0), color="#7570b3")
    mean_ax.axhline(1 / lookback, color="gray", ls="--", lw=1, label="uniform (균등)")
    mean_ax.invert_xaxis()
    mean_ax.set_xlabel("days before the forecast origin (예측 시점 전 일수)")
    mean_ax.set_ylabel("mean attention weight (평균 어텐션 가중치)")
    mean_ax.legend()
    image = map_ax.imshow(
        weights,
        aspect="auto",
        cmap="Purples",
        interpolation="nearest",
        extent=(lookback - 0.5, -0.5, windows - 0.5, -0.5),
    )
    map_ax.set_xlabel("days before the forecast origin (예측 시점 전 일수)")
    map_ax.set_ylabel("test window, time order (테스트 윈도우)")
    map_ax.grid(False)
    if origins is not None:
        origins = np.asarray(origins)
        ticks = np.linspace(0, windows - 1, 5).astype(int)
        map_ax.set_yticks(ticks, labels=[str(origins[t])[:10] for t in ticks])
        map_ax.set_ylabel("forecast origin (예측 시점)")
    fig.colorbar(image, ax=map_ax, fraction=0.046, pad=0.03).set_label(
        "attention weight (어텐션 가중치)"
    )
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def gain_panels(table, title: str = ""):
    """:func:`gain_bars` side by side, one panel per value of ``table``'s first index level
    (its second level: the bars), on one y axis, with one legend below them."""
    if not isinstance(table.index, pd.MultiIndex) or table.index.nlevels != 2:
        raise ValueError(
            "gain_panels needs a table indexed by (panel, bar), as from "
            f"results.input_study_gains; got the index {list(table.index)[:3]}"
        )
    panels = list(dict.fromkeys(table.index.get_level_values(0)))
    fig, axes = plt.subplots(1, len(panels), figsize=(13, 4.5), sharey=True, squeeze=False)
    errors = table.attrs.get("std")
    for index, (ax, name) in enumerate(zip(axes[0], panels, strict=True)):
        part = pd.DataFrame(table.loc[name])
        part.attrs = {} if errors is None else {"std": errors.loc[name]}
        gain_bars(part, title=bilingual(name), ax=ax)
        ax.get_legend().remove()
        if index:
            ax.set_ylabel("")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    # Below the two-line horizon labels (English, then Korean).
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncols=len(labels))
    fig.suptitle(title, y=1.06)  # above the panels' titles, room for an English and a Korean line
    return fig
