"""helpers.forecasting.windows: windows, splits, scaling, leakage and the naive baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import metrics
from helpers.forecasting import price_schema, synthetic_market
from helpers.forecasting.windows import (
    FEATURES,
    KNOWN_FEATURES,
    SPLITS,
    YEAR_DAYS,
    PriceWindows,
    WindowArrays,
    naive_last_price,
    same_weekday_last_week,
    trailing_mean,
)


@pytest.fixture(scope="module")
def small_market() -> pd.DataFrame:
    """A short synthetic market (two years and a half) for fast windowing tests."""
    return synthetic_market.make_synthetic_prices(seed=5, start="2017-01-01", end="2019-06-30")


# ----------------------------------------------------------------------------- windowing


def test_window_shapes_and_split_order(small_market):
    windows = PriceWindows(small_market, "무", lookback=21, test_days=120, validation_days=90)
    parts = {split: windows.arrays(split) for split in SPLITS}
    for arrays in parts.values():
        assert arrays.inputs.shape[1:] == (21, len(FEATURES))
        assert arrays.targets.shape[1] == 3 and arrays.inputs.dtype == np.float32
        assert (np.diff(arrays.origins.astype("int64")) > 0).all()  # time order kept
    assert parts["train"].origins[-1] < parts["validation"].origins[0]
    assert parts["validation"].origins[-1] < parts["test"].origins[0]
    # The test split starts 120 days before the end (a closed first day has nothing to score).
    first_test = pd.Timestamp(parts["test"].origins[0])
    assert small_market.index[-120] <= first_test <= small_market.index[-119]


def test_window_holds_the_right_days_and_targets(small_market):
    windows = PriceWindows(small_market, "배추", lookback=14, test_days=100)
    test = windows.arrays("test")
    price = small_market[price_schema.price_column("배추")]
    row = 10
    origin = pd.Timestamp(test.origins[row])
    days = pd.date_range(end=origin, periods=14, freq="D")
    np.testing.assert_array_equal(test.traded_price[row], price[days].to_numpy())
    last = price[:origin][price[:origin] > 0].iloc[-1]
    assert test.last_price[row] == last == test.price_history[row, -1]
    for column, horizon in enumerate(windows.horizons):
        target_day = origin + pd.Timedelta(days=horizon)
        if target_day > small_market.index[-1]:
            assert np.isnan(test.actual[row, column])
            continue
        assert test.actual[row, column] == price[target_day]
        if price[target_day] > 0:
            expected = np.log(price[target_day] / last) / windows.target_scale[column]
            np.testing.assert_allclose(test.targets[row, column], expected, rtol=1e-5)
    # The price input is relative to the origin: zero on the last day.
    assert test.inputs[row, -1, windows.features.index("price")] == 0


def test_closed_target_days_are_not_scored(small_market):
    windows = PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    closed_target = test.actual == 0
    assert closed_target.any()  # Sundays two weeks ahead, etc.
    assert np.isnan(test.targets[closed_target]).all()
    assert np.isfinite(test.targets).any(axis=1).all()
    # Windows left out are exactly those with nothing to score (e.g. a closed Sunday
    # origin: its 1, 2 and 4-week targets are Sundays too).
    price = small_market[price_schema.price_column("배추")]
    all_origins = small_market.index[windows.test_start :]
    dropped = all_origins.difference(pd.DatetimeIndex(test.origins))
    assert len(dropped) > 0
    for origin in dropped:
        targets = [origin + pd.Timedelta(days=h) for h in windows.horizons]
        assert all(day not in price.index or price[day] == 0 for day in targets)


def test_closed_input_days_are_flagged_and_carry_the_last_price(small_market):
    windows = PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    trading = test.inputs[..., windows.features.index("trading")]
    closed = test.traded_price == 0
    assert closed.any()
    assert (trading[closed] == 0).all() and (trading[~closed] == 1).all()
    previous = test.price_history[:, :-1]
    np.testing.assert_array_equal(test.price_history[:, 1:][closed[:, 1:]], previous[closed[:, 1:]])


@pytest.mark.parametrize("features", [FEATURES, KNOWN_FEATURES])
def test_no_future_value_leaks_into_inputs_or_scaler(small_market, features):
    windows = PriceWindows(small_market, "양파", test_days=100, features=features)
    test = windows.arrays("test")
    row = 30
    origin = pd.Timestamp(test.origins[row])
    tampered = small_market.copy()
    after = tampered.index > origin
    tampered.loc[after, list(price_schema.VALUE_COLUMNS)] *= 7.0  # rewrite the whole future
    tampered_windows = PriceWindows(tampered, "양파", test_days=100, features=features)
    tampered_test = tampered_windows.arrays("test")
    same_origin = np.flatnonzero(tampered_test.origins == test.origins[row])[0]
    np.testing.assert_array_equal(tampered_test.inputs[same_origin], test.inputs[row])
    np.testing.assert_array_equal(tampered_windows.feature_mean, windows.feature_mean)
    np.testing.assert_array_equal(tampered_windows.feature_scale, windows.feature_scale)
    # ... while the future itself did change, so the check could fail.
    assert not np.allclose(tampered_test.inputs[-1], test.inputs[-1])


def raw_feature(windows, name):
    """The unscaled values of one feature, back from the scaled ones."""
    column = windows.features.index(name)
    scale, mean = windows.feature_scale[column], windows.feature_mean[column]
    return windows.scaled_features[:, column] * scale + mean


def test_extra_features_match_their_definitions(small_market):
    windows = PriceWindows(small_market, "무", features=KNOWN_FEATURES)
    log_price = np.log(windows.last_price)
    t = 800  # more than two years in, so every look-back exists

    def around(day):  # the 7-day mean centred on ``day``
        return log_price[day - 3 : day + 4].mean()

    year = YEAR_DAYS
    expected = {
        "price_vs_quarter": log_price[t] - log_price[t - 90 : t + 1].mean(),
        "year_ago_gap": log_price[t] - around(t - year),
        "season_change_28": np.mean(
            [around(t - k * year + 28) - around(t - k * year) for k in (1, 2)]
        ),
    }
    for name, value in expected.items():
        assert raw_feature(windows, name)[t] == pytest.approx(value, abs=1e-9), name

    gaps = []
    for item in price_schema.ITEMS:
        price = small_market[price_schema.price_column(item)].to_numpy(dtype=float)[: t + 1]
        last = pd.Series(np.where(price > 0, price, np.nan)).ffill().to_numpy()
        gaps.append(np.log(last[t]) - np.log(last[t - 27 : t + 1]).mean())
    assert raw_feature(windows, "market_vs_month")[t] == pytest.approx(np.mean(gaps), abs=1e-9)

    volume = small_market[price_schema.volume_column("무")].to_numpy(dtype=float)
    traded = np.where(windows.price > 0, np.log1p(volume), np.nan)
    expected_volume = np.nanmean(traded[t - 6 : t + 1]) - np.nanmean(traded[t - year + 1 : t + 1])
    assert raw_feature(windows, "volume_vs_year")[t] == pytest.approx(expected_volume, abs=1e-9)


def test_item_one_hot_names_the_item_and_leaves_the_features_alone(small_market):
    plain = PriceWindows(small_market, "마늘", test_days=100)
    coded = PriceWindows(small_market, "마늘", test_days=100, item_one_hot=True)
    plain_test, coded_test = plain.arrays("test"), coded.arrays("test")
    n_features = len(FEATURES)
    assert coded_test.inputs.shape == (*plain_test.inputs.shape[:2], n_features + 21)
    np.testing.assert_array_equal(coded_test.inputs[..., :n_features], plain_test.inputs)
    expected = np.zeros(21, np.float32)
    expected[price_schema.ITEMS.index("마늘")] = 1.0
    assert (coded_test.inputs[..., n_features:] == expected).all()  # every day of every window
    assert coded.input_names[n_features + price_schema.ITEMS.index("마늘")] == "item=마늘"
    assert len(coded.input_names) == coded_test.inputs.shape[-1]
    assert plain.input_names == plain.features and "item one-hot" in repr(coded)
    # The targets, prices and scaler are those of the plain windows.
    np.testing.assert_array_equal(coded_test.targets, plain_test.targets)
    np.testing.assert_array_equal(coded.feature_mean, plain.feature_mean)


def test_scaler_sees_only_the_training_part(small_market):
    windows = PriceWindows(small_market, "대파", test_days=100, validation_days=80)
    tampered = small_market.copy()
    later = tampered.index >= tampered.index[windows.validation_start]
    tampered.loc[later, list(price_schema.VALUE_COLUMNS)] *= 3.0
    tampered_windows = PriceWindows(tampered, "대파", test_days=100, validation_days=80)
    np.testing.assert_array_equal(tampered_windows.feature_mean, windows.feature_mean)
    np.testing.assert_array_equal(tampered_windows.target_scale, windows.target_scale)
    np.testing.assert_array_equal(
        tampered_windows.arrays("train").inputs, windows.arrays("train").inputs
    )
    train = windows.arrays("train")
    # Training targets never reach into the validation period.
    last_target = pd.Timestamp(train.origins[-1]) + pd.Timedelta(days=min(windows.horizons))
    assert last_target < small_market.index[windows.validation_start] or np.isnan(
        train.targets[-1, 0]
    )
    for column, horizon in enumerate(windows.horizons):
        reach = pd.DatetimeIndex(train.origins) + pd.Timedelta(days=horizon)
        scored = np.isfinite(train.targets[:, column])
        assert (reach[scored] < small_market.index[windows.validation_start]).all()


def test_training_inputs_are_standardised(small_market):
    windows = PriceWindows(small_market, "당근", test_days=100)
    train = windows.arrays("train")
    volume = train.inputs[..., windows.features.index("volume")]
    assert abs(volume.mean()) < 0.2 and 0.8 < volume.std() < 1.2


def test_dataset_yields_the_same_windows_as_arrays(small_market):
    windows = PriceWindows(small_market, "깻잎", test_days=100)
    inputs, targets = next(iter(windows.dataset("validation", batch_size=8)))
    arrays = windows.arrays("validation")
    np.testing.assert_array_equal(inputs.numpy(), arrays.inputs[:8])
    np.testing.assert_array_equal(targets.numpy(), arrays.targets[:8])


def test_to_price_inverts_the_target(small_market):
    windows = PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    recovered = windows.to_price(np.nan_to_num(test.targets), test.last_price)
    scored = np.isfinite(test.targets)
    np.testing.assert_allclose(recovered[scored], test.actual[scored], rtol=1e-5)
    with pytest.raises(ValueError, match="windows, 3 horizons"):
        windows.to_price(np.zeros((4, 2)), test.last_price[:4])


# ----------------------------------------------------------------------------- baselines


def make_windows(history: list[float]) -> WindowArrays:
    """One window whose raw prices are ``history`` (0 = closed)."""
    traded = np.array([history], dtype=float)
    filled = pd.Series(np.where(traded[0] > 0, traded[0], np.nan)).ffill().to_numpy()[None]
    n = len(history)
    return WindowArrays(
        inputs=np.zeros((1, n, 1), np.float32),
        targets=np.zeros((1, 3), np.float32),
        actual=np.zeros((1, 3)),
        last_price=filled[:, -1],
        price_history=filled,
        traded_price=traded,
        origins=np.array(["2020-01-01"], dtype="datetime64[ns]"),
        target_scale=np.ones((1, 3), np.float32),
    )


def test_baselines_on_a_hand_made_window():
    history = [100, 110, 120, 130, 140, 150, 160, 170, 0, 200, 210, 220, 230, 0]
    window = make_windows(history)
    np.testing.assert_array_equal(naive_last_price(window, 3), [[230, 230, 230]])
    # One week before the origin (index -8): 160.
    np.testing.assert_array_equal(same_weekday_last_week(window, 3), [[160, 160, 160]])
    # The last 7 days hold 170, 0, 200, 210, 220, 230, 0 -> closed days skipped.
    expected = np.mean([170, 200, 210, 220, 230])
    np.testing.assert_allclose(trailing_mean(window, 3), [[expected] * 3])


def test_naive_baseline_on_real_file_matches_the_readme(real_price_file):
    windows = PriceWindows(price_schema.load_prices(real_price_file), "배추")
    test = windows.arrays("test")
    predicted = naive_last_price(test, 3)
    scores = [
        metrics.nmae(
            test.actual[np.isfinite(test.actual[:, j]), j],
            predicted[np.isfinite(test.actual[:, j]), j],
        )
        for j in range(3)
    ]
    np.testing.assert_allclose(scores, [0.113, 0.143, 0.201], atol=0.0005)
