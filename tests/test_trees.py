"""helpers.forecasting.trees: the window summary the trees see, their training and their wiring."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.forecasting import forecast, price_schema, trees
from helpers.forecasting.synthetic_market import make_synthetic_prices
from helpers.forecasting.windows import FEATURES, PriceWindows, WindowArrays


@pytest.fixture(scope="module")
def one_hot_windows():
    market = make_synthetic_prices(seed=11, start="2017-01-01", end="2019-06-30")
    return PriceWindows(
        market, "양파", lookback=21, test_days=120, validation_days=90, item_one_hot=True
    )


def numbered_inputs(n_windows, lookback, n_features):
    """Every value says where it sits: 1000 * window + 10 * day + feature."""
    window, day, feature = np.meshgrid(
        np.arange(n_windows), np.arange(lookback), np.arange(n_features), indexing="ij"
    )
    return 1000.0 * window + 10.0 * day + feature


def test_window_summary_takes_the_origin_day_the_lags_and_the_item(one_hot_windows):
    names = one_hot_windows.input_names
    lookback = 21
    inputs = numbered_inputs(2, lookback, len(names))
    inputs[:, :, len(FEATURES) :] = 0.0
    inputs[:, :, names.index("item=양파")] = 1.0  # the one-hot of the fixture's item
    rows = trees.window_summary(inputs, names)
    columns = trees.summary_names(names, lookback)
    assert rows.shape == (2, len(columns))
    row = dict(zip(columns, rows[1], strict=True))
    price, volume, trading = (names.index(n) for n in ("price", "volume", "trading"))
    origin = lookback - 1
    assert row["price (origin)"] == 1000 + 10 * origin + price
    assert row["price_vs_year (origin)"] == 1000 + 10 * origin + names.index("price_vs_year")
    assert row["price, 7 d before"] == 1000 + 10 * (origin - 7) + price
    assert row["volume, 1 d before"] == 1000 + 10 * (origin - 1) + volume
    assert row["volume, window mean"] == pytest.approx(1000 + 10 * origin / 2 + volume)
    assert row["trading, window mean"] == pytest.approx(1000 + 10 * origin / 2 + trading)
    assert row["item"] == price_schema.ITEMS.index("양파")
    # lags the 21-day lookback cannot reach are left out, and the one-hot is one code
    assert "price, 20 d before" in columns and "price, 21 d before" not in columns
    assert not any(name.startswith("item=") for name in columns)


def test_window_summary_without_the_item_one_hot():
    names = FEATURES
    rows = trees.window_summary(numbered_inputs(3, 28, len(names)), names)
    columns = trees.summary_names(names, 28)
    assert rows.shape == (3, len(columns)) and "item" not in columns
    assert "price, 27 d before" in columns


def test_window_summary_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(windows, lookback, 7\)"):
        trees.window_summary(np.zeros((4, 28)), FEATURES)
    with pytest.raises(ValueError, match=r"\(windows, lookback, 7\)"):
        trees.window_summary(np.zeros((4, 28, 6)), FEATURES)
    with pytest.raises(ValueError, match="need the 'price' input"):
        trees.window_summary(np.zeros((4, 28, 2)), ("volume", "trading"))


def arrays_from(inputs, targets, target_scale):
    n, lookback = inputs.shape[:2]
    return WindowArrays(
        inputs=inputs.astype(np.float32),
        targets=targets.astype(np.float32),
        actual=np.ones(targets.shape),
        last_price=np.ones(n),
        price_history=np.ones((n, lookback)),
        traded_price=np.ones((n, lookback)),
        origins=np.zeros(n, dtype="datetime64[D]"),
        target_scale=target_scale.astype(np.float32),
    )


def test_trees_learn_a_lagged_price():
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(1500, 28, len(FEATURES)))
    lagged = inputs[:, -8, 0]  # the price 7 days before the origin
    targets = np.stack([lagged, -lagged, 2 * lagged], axis=1)
    fitted = trees.fit_trees(arrays_from(inputs, targets, np.ones((1500, 3))), FEATURES)
    assert fitted.name == "trees" and fitted.epochs >= 1
    fresh = rng.normal(size=(500, 28, len(FEATURES)))
    predicted = fitted.model.predict(fresh)
    wanted = np.stack([fresh[:, -8, 0], -fresh[:, -8, 0], 2 * fresh[:, -8, 0]], axis=1)
    assert predicted.shape == (500, 3)
    errors = np.abs(predicted - wanted).mean(axis=0)
    assert np.all(errors < 0.15 * np.abs(wanted).mean(axis=0))  # the spread alone: 1.0


def test_trees_weigh_each_window_by_its_target_scale():
    # Identical inputs, so one value fits all: 160 windows want 0 with scale 10 (an item whose
    # log ratios are ten times wider), 240 want 1 with scale 1. Weighted, 1600 of 1840 units
    # want 0, so the 0.35 quantile (as the median) is 0; unweighted, the majority's 1 would win.
    inputs = np.zeros((400, 28, len(FEATURES)))
    targets = np.repeat([0.0, 1.0], [160, 240])[:, None] * np.ones((1, 3))
    scale = np.repeat([10.0, 1.0], [160, 240])[:, None] * np.ones((1, 3))
    fitted = trees.fit_trees(arrays_from(inputs, targets, scale), FEATURES)
    np.testing.assert_allclose(fitted.model.predict(inputs[:3]), 0.0, atol=1e-6)


def test_trees_forecast_a_little_below_the_median():
    # Identical inputs, targets spread evenly over [0, 1]: the one value a tree can give is the
    # quantile TREE_SETTINGS names, below the median 0.5 that absolute error would pick.
    inputs = np.zeros((1001, 28, len(FEATURES)))
    targets = np.linspace(0.0, 1.0, 1001)[:, None] * np.ones((1, 3))
    fitted = trees.fit_trees(arrays_from(inputs, targets, np.ones((1001, 3))), FEATURES)
    quantile = trees.TREE_SETTINGS["quantile"]
    assert quantile < 0.45
    np.testing.assert_allclose(fitted.model.predict(inputs[:2]), quantile, atol=0.01)


def test_trees_skip_missing_targets_and_refuse_a_horizon_without_any():
    rng = np.random.default_rng(1)
    inputs = rng.normal(size=(300, 28, len(FEATURES)))
    targets = rng.normal(size=(300, 3))
    targets[::3, 2] = np.nan
    fitted = trees.fit_trees(arrays_from(inputs, targets, np.ones((300, 3))), FEATURES)
    assert np.isfinite(fitted.model.predict(inputs)).all()
    targets[:, 1] = np.nan
    with pytest.raises(ValueError, match="no training window has a target for horizon 2"):
        trees.fit_trees(arrays_from(inputs, targets, np.ones((300, 3))), FEATURES)


def test_trees_are_reproducible_and_score_like_the_other_forecasters(one_hot_windows):
    train = one_hot_windows.arrays("train")
    names = one_hot_windows.input_names
    # Few rounds: reproducibility and wiring do not need a good fit.
    first, again = (trees.fit_trees(train, names, seed=3, max_iter=25) for _ in range(2))
    test_inputs = one_hot_windows.arrays("test").inputs
    np.testing.assert_array_equal(
        first.model.predict(test_inputs), again.model.predict(test_inputs)
    )
    tidy = forecast.evaluate([first], one_hot_windows)
    scores = tidy[tidy["model"] == "gradient-boosted trees"]
    assert len(scores) == 3 and scores["seed"].eq(3).all()
    assert scores["nmae"].between(0, 1).all()
