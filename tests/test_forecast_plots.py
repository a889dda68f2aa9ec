"""helpers.forecasting.forecast_plots: the figures of notebook 09 draw what they are given."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.experiments import NAIVE
from helpers.forecasting import forecast_plots, price_schema
from helpers.forecasting.synthetic_market import make_synthetic_prices


def test_price_eda_draws_four_labelled_panels(close_figures):
    market = make_synthetic_prices(seed=2, start="2018-01-01", end="2018-12-31")
    price = market[price_schema.price_column("무")]
    volume = market[price_schema.volume_column("무")]
    fig = forecast_plots.price_eda(market.index, price, volume, "무")
    axes = fig.axes
    assert len(axes) == 4
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in axes)
    history_line = axes[0].lines[0]
    assert len(history_line.get_xdata()) == int((price > 0).sum())  # closed days left out
    with pytest.raises(ValueError, match="same length"):
        forecast_plots.price_eda(market.index, price[:-1], volume, "무")


def test_forecast_vs_actual_skips_closed_days(close_figures):
    dates = pd.date_range("2020-01-01", periods=5).to_numpy()
    actual = np.array([100.0, 0.0, 120.0, np.nan, 130.0])
    fig = forecast_plots.forecast_vs_actual(dates, actual, {"naive": np.full(5, 110.0)})
    actual_line, naive_line = fig.axes[0].lines
    assert list(actual_line.get_ydata()) == [100.0, 120.0, 130.0]
    assert len(naive_line.get_ydata()) == 3
    with pytest.raises(ValueError, match="predictions"):
        forecast_plots.forecast_vs_actual(dates, actual, {"bad": np.ones(4)})


def test_forecast_vs_actual_draws_one_panel_per_forecast_beside_the_reference(close_figures):
    dates = pd.date_range("2020-01-01", periods=4).to_numpy()
    actual = np.array([100.0, 110.0, 0.0, 130.0])
    forecasts = {"naive": np.full(4, 105.0), "A": np.full(4, 1.0), "B": np.full(4, 2.0)}
    fig = forecast_plots.forecast_vs_actual(dates, actual, forecasts, reference="naive")
    assert len(fig.axes) == 2
    for ax, label in zip(fig.axes, ["A", "B"], strict=True):
        assert [line.get_label() for line in ax.lines] == ["actual (실제)", "naive", label]
        assert ax.lines[2].get_ydata()[0] == forecasts[label][0]
    with pytest.raises(ValueError, match="reference 'last'"):
        forecast_plots.forecast_vs_actual(dates, actual, forecasts, reference="last")
    # The data's name for the baseline stays; the legend adds the Korean term.
    named = {NAIVE: forecasts["naive"], "A": forecasts["A"]}
    fig = forecast_plots.forecast_vs_actual(dates, actual, named, reference=NAIVE)
    assert [line.get_label() for line in fig.axes[0].lines][1] == f"{NAIVE} · 단순 예측"


def test_attention_plot_puts_the_origin_at_zero_days_back(close_figures):
    weights = np.zeros((3, 5))
    weights[:, -1] = 1.0  # all attention on the origin day
    fig = forecast_plots.attention_over_lookback(weights)
    bars = fig.axes[0].patches
    by_days_back = {round(bar.get_x() + bar.get_width() / 2): bar.get_height() for bar in bars}
    assert by_days_back[0] == 1.0 and by_days_back[4] == 0.0
    with pytest.raises(ValueError, match="windows, lookback"):
        forecast_plots.attention_over_lookback(np.ones(5))


def test_gain_bars_draw_percent_with_error_bars(close_figures):
    table = pd.DataFrame({"7 days": [0.1, -0.05]}, index=["a", "b"])
    table.attrs["std"] = pd.DataFrame({"7 days": [0.01, 0.02]}, index=["a", "b"])
    fig = forecast_plots.gain_bars(table, title="t")
    heights = sorted(patch.get_height() for patch in fig.axes[0].patches)
    np.testing.assert_allclose(heights, [-5.0, 10.0])
    with pytest.raises(ValueError, match="bars × groups"):
        forecast_plots.gain_bars(pd.DataFrame())
    # Model names and horizons are the CSV's, the figure adds the Korean beside them.
    names = ["trailing 7-day mean", "Model 2: LSTM + attention, 3-seed ensemble"]
    ax = forecast_plots.gain_bars(pd.DataFrame({"7 days": [0.1, 0.2]}, index=names)).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["7 days\n(7일 뒤)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "trailing 7-day mean (최근 7일 평균)",
        "Model 2: LSTM + attention, 3-seed ensemble (모델 2, 시드 3개 앙상블)",
    ]


def test_gain_panels_draw_one_panel_per_period_and_one_legend_for_all(close_figures):
    index = pd.MultiIndex.from_product([["one", "two"], ["a", "b"]])
    table = pd.DataFrame({"7 days": [0.1, -0.05, 0.2, 0.3]}, index=index)
    table.attrs["std"] = table.abs() * 0.1
    fig = forecast_plots.gain_panels(table, title="t")
    assert [ax.get_title() for ax in fig.axes] == ["one", "two"]
    periods = pd.DataFrame(
        table.to_numpy(),
        columns=table.columns,
        index=index.set_levels(["test year", "two"], level=0),
    )
    titles = [ax.get_title() for ax in forecast_plots.gain_panels(periods, title="t").axes]
    assert titles == ["test year (테스트 연도)", "two"]
    heights = sorted(patch.get_height() for patch in fig.axes[1].patches)
    np.testing.assert_allclose(heights, [20.0, 30.0])
    assert [text.get_text() for text in fig.legends[0].get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="indexed by"):
        forecast_plots.gain_panels(table.droplevel(0))
