"""Tests of helpers.prices: schema, loader errors, synthetic file, windowing, baselines."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import metrics, prices

# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return prices.load_prices(prices.SYNTHETIC_PATH)


@pytest.fixture(scope="module")
def small_market() -> pd.DataFrame:
    """A short synthetic market (two years and a half) for fast windowing tests."""
    return prices.make_synthetic_prices(seed=5, start="2017-01-01", end="2019-06-30")


def write_text(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "train.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def good_text(synthetic) -> str:
    """The first 60 days of the synthetic file as CSV text, to be broken by each test."""
    lines = prices.SYNTHETIC_PATH.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[:61]) + "\n"


def replace_cell(text: str, line: int, column: str, value: str) -> str:
    """Set one cell (1-based file line, column name) of a CSV text."""
    rows = text.splitlines()
    header = rows[0].split(",")
    cells = rows[line - 1].split(",")
    cells[header.index(column)] = value
    rows[line - 1] = ",".join(cells)
    return "\n".join(rows) + "\n"


# ----------------------------------------------------------------------------- schema


def test_schema_has_44_columns_in_competition_order():
    assert len(prices.ITEMS) == 21
    assert len(prices.COLUMNS) == 44
    assert prices.COLUMNS[:4] == ("date", "요일", "배추_거래량(kg)", "배추_가격(원/kg)")
    assert prices.COLUMNS[-1] == "샤인마스캇_가격(원/kg)"


# ----------------------------------------------------------------------------- loader


def test_loader_returns_daily_index_and_float_columns(synthetic):
    assert isinstance(synthetic.index, pd.DatetimeIndex)
    assert synthetic.index.name == "date"
    assert (synthetic.index[1:] - synthetic.index[:-1] == pd.Timedelta(days=1)).all()
    assert list(synthetic.columns) == list(prices.COLUMNS[1:])
    assert (synthetic.dtypes[list(prices.VALUE_COLUMNS)] == np.float64).all()
    assert synthetic.loc["2016-01-01", "요일"] == "금요일"


def test_missing_file_says_where_to_get_the_real_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="PRICE_DATA") as error:
        prices.load_prices(tmp_path / "nope.csv")
    assert "train.csv" in str(error.value) and "synthetic" in str(error.value)


def test_price_data_environment_variable_is_the_default(tmp_path, monkeypatch, good_text):
    path = write_text(tmp_path, good_text)
    monkeypatch.setenv("PRICE_DATA", str(path))
    assert len(prices.load_prices()) == 60
    monkeypatch.delenv("PRICE_DATA")
    assert prices.default_price_path() == prices.SYNTHETIC_PATH


def test_cp949_copy_reads_the_same(tmp_path, good_text):
    utf8 = prices.load_prices(write_text(tmp_path, good_text))
    cp949_path = tmp_path / "cp949.csv"
    cp949_path.write_bytes(good_text.encode("cp949"))
    assert cp949_path.read_bytes() != good_text.encode("utf-8")  # really a different encoding
    pd.testing.assert_frame_equal(prices.load_prices(cp949_path), utf8)


def test_undecodable_file_is_reported(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x00date")
    with pytest.raises(ValueError, match="neither UTF-8 nor CP949"):
        prices.load_prices(path)


def test_misspelled_columns_are_listed_with_a_suggestion(tmp_path, good_text):
    text = good_text.replace("무_가격(원/kg)", "무_가격", 1).replace(
        "양파_거래량(kg)", "양파거래량", 1
    )
    with pytest.raises(ValueError) as error:
        prices.load_prices(write_text(tmp_path, text))
    message = str(error.value)
    assert "missing columns ['무_가격(원/kg)', '양파_거래량(kg)']" in message
    assert "'무_가격' (did you mean '무_가격(원/kg)'?)" in message


def test_unparseable_date_names_its_line(tmp_path, good_text):
    text = replace_cell(good_text, 5, "date", "2016/01/04")
    with pytest.raises(ValueError, match=r"unparseable dates at line 5 \('2016/01/04'\)"):
        prices.load_prices(write_text(tmp_path, text))


def test_duplicated_date_is_reported(tmp_path, good_text):
    rows = good_text.splitlines()
    text = "\n".join(rows[:4] + [rows[3]] + rows[4:]) + "\n"
    with pytest.raises(ValueError, match="duplicated dates at line 5 .'2016-01-03'"):
        prices.load_prices(write_text(tmp_path, text))


def test_dates_out_of_order_are_reported(tmp_path, good_text):
    rows = good_text.splitlines()
    rows[3], rows[4] = rows[4], rows[3]
    with pytest.raises(ValueError, match="dates go backwards at line 5. Sort"):
        prices.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))


def test_calendar_gap_is_reported_with_the_missing_day(tmp_path, good_text):
    rows = good_text.splitlines()
    del rows[10]  # 2016-01-10
    with pytest.raises(ValueError, match=r"gaps: 1 days missing \(2016-01-10\).*rows of zeros"):
        prices.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))


def test_wrong_weekday_is_reported(tmp_path, good_text):
    text = replace_cell(good_text, 2, "요일", "월요일")
    with pytest.raises(ValueError, match="요일 column disagrees with the date at line 2"):
        prices.load_prices(write_text(tmp_path, text))


def test_short_weekday_names_are_accepted(tmp_path, good_text):
    rows = good_text.splitlines()
    rows[1:] = [row.replace("요일,", ",", 1) for row in rows[1:]]
    frame = prices.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))
    assert frame["요일"].iloc[0] == "금요일"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("abc", "non-numeric values"), ("1,234", "non-numeric values"), ("-5.0", "negative values")],
)
def test_bad_values_name_row_and_column(tmp_path, good_text, value, problem):
    quoted = f'"{value}"' if "," in value else value
    text = replace_cell(good_text, 7, "대파_가격(원/kg)", quoted)
    with pytest.raises(ValueError, match=rf"{problem} in column '대파_가격\(원/kg\)' at line 7"):
        prices.load_prices(write_text(tmp_path, text))


def test_empty_cell_is_reported(tmp_path, good_text):
    text = replace_cell(good_text, 9, "무_거래량(kg)", "")
    with pytest.raises(ValueError, match=r"empty cells in column '무_거래량\(kg\)' at line 9"):
        prices.load_prices(write_text(tmp_path, text))


def test_zero_rows_are_kept_as_closed_days(synthetic):
    closed = prices.closed_days(synthetic)
    assert closed.sum() > 200
    assert closed["2016-01-01"]  # New Year's Day
    assert len(synthetic) == (synthetic.index[-1] - synthetic.index[0]).days + 1


# ----------------------------------------------------------------------------- synthetic file


def test_synthetic_file_regenerates_byte_for_byte(tmp_path):
    path = tmp_path / "regenerated.csv"
    prices.write_prices_csv(prices.make_synthetic_prices(), path)
    assert path.read_bytes() == prices.SYNTHETIC_PATH.read_bytes()


def test_synthetic_generator_is_seeded():
    first = prices.make_synthetic_prices(seed=3, start="2018-01-01", end="2018-03-31")
    again = prices.make_synthetic_prices(seed=3, start="2018-01-01", end="2018-03-31")
    other = prices.make_synthetic_prices(seed=4, start="2018-01-01", end="2018-03-31")
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_synthetic_generator_rejects_years_outside_its_calendar():
    with pytest.raises(ValueError, match="holiday calendar covers"):
        prices.make_synthetic_prices(start="2031-01-01", end="2031-12-31")


def test_synthetic_file_has_the_real_markets_facts(synthetic):
    calendar = prices.calendar_summary(synthetic)
    assert calendar["rows"] == 1733 and calendar["end"] == "2020-09-28"
    assert 220 <= calendar["closed_sundays"] <= 235  # real: 226 of 248 Sundays
    assert 15 <= calendar["closed_holidays"] <= 27  # real: 21
    closed = prices.closed_days(synthetic)
    holidays = synthetic.index[closed & (synthetic.index.day_of_week < 6)]
    assert set(holidays.month) <= {1, 2, 9, 10}  # New Year, Seollal, Chuseok
    items = prices.item_summary(synthetic)
    assert items.loc["샤인마스캇", "first_trade"] == "2016-06-10"
    assert items.loc["샤인마스캇", "zero_share"] == pytest.approx(0.47, abs=0.04)
    assert items.loc["캠벨얼리", "zero_share"] == pytest.approx(0.18, abs=0.03)
    others = items.drop(["캠벨얼리", "샤인마스캇"])["zero_share"]
    assert others.between(0.14, 0.17).all()
    assert items.loc["배추", "price_median"] == pytest.approx(659, rel=0.1)
    assert items.loc["배추", "price_min"] < 300 and items.loc["배추", "price_max"] > 2000
    value_columns = synthetic[list(prices.VALUE_COLUMNS)]
    price_values = synthetic[[prices.price_column(item) for item in prices.ITEMS]]
    assert (price_values == price_values.round()).all().all()  # whole won
    assert (value_columns * 10 == (value_columns * 10).round()).all().all()  # 1 decimal


def test_synthetic_market_has_weekly_rhythm_and_volume_against_price(synthetic):
    cabbage = synthetic[synthetic[prices.price_column("배추")] > 0]
    volume = cabbage[prices.volume_column("배추")]
    by_weekday = volume.groupby(cabbage.index.day_of_week).median()
    assert by_weekday[0] > by_weekday[5]  # Monday busier than Saturday
    log_price = np.log(cabbage[prices.price_column("배추")])
    assert np.corrcoef(log_price, np.log(volume))[0, 1] < -0.1
    monthly = cabbage[prices.price_column("배추")].groupby(cabbage.index.month).median()
    assert monthly[9] > 1.5 * monthly[5]  # autumn dearer than late spring


def test_synthetic_file_is_small_enough_to_commit():
    assert prices.SYNTHETIC_PATH.stat().st_size < 700_000


def test_synthetic_and_real_files_share_structure(synthetic, real_price_file):
    real = prices.load_prices(real_price_file)
    assert list(real.columns) == list(synthetic.columns)
    assert (real.index == synthetic.index).all()
    assert (real["요일"] == synthetic["요일"]).all()
    real_items, fake_items = prices.item_summary(real), prices.item_summary(synthetic)
    np.testing.assert_allclose(fake_items["zero_share"], real_items["zero_share"], atol=0.03)
    ratio = fake_items["price_median"] / real_items["price_median"]
    assert ratio.between(0.75, 1.33).all(), ratio
    real_calendar, fake_calendar = prices.calendar_summary(real), prices.calendar_summary(synthetic)
    assert abs(real_calendar["closed_days"] - fake_calendar["closed_days"]) <= 15


# ----------------------------------------------------------------------------- real file


def test_real_file_matches_its_readme(real_price_file):
    real = prices.load_prices(real_price_file)
    assert real.shape == (1733, 43)
    assert prices.calendar_summary(real) == {
        "rows": 1733,
        "start": "2016-01-01",
        "end": "2020-09-28",
        "closed_days": 247,
        "closed_sundays": 226,
        "closed_holidays": 21,
        "trading_sundays": 22,
    }
    items = prices.item_summary(real)
    assert items.loc["샤인마스캇", "first_trade"] == "2016-06-10"
    assert round(items.loc["샤인마스캇", "zero_share"], 2) == 0.47
    assert round(items.loc["캠벨얼리", "zero_share"], 2) == 0.18
    assert items.loc["배추", ["price_median", "price_min", "price_max"]].tolist() == [
        659,
        243,
        5000,
    ]


def test_naive_baseline_on_real_file_matches_the_readme(real_price_file):
    windows = prices.PriceWindows(prices.load_prices(real_price_file), "배추")
    test = windows.arrays("test")
    predicted = prices.naive_last_price(test, 3)
    scores = [
        metrics.nmae(
            test.actual[np.isfinite(test.actual[:, j]), j],
            predicted[np.isfinite(test.actual[:, j]), j],
        )
        for j in range(3)
    ]
    np.testing.assert_allclose(scores, [0.113, 0.143, 0.201], atol=0.0005)


# ----------------------------------------------------------------------------- windowing


def test_window_shapes_and_split_order(small_market):
    windows = prices.PriceWindows(
        small_market, "무", lookback=21, test_days=120, validation_days=90
    )
    parts = {split: windows.arrays(split) for split in prices.SPLITS}
    for arrays in parts.values():
        assert arrays.inputs.shape[1:] == (21, len(prices.FEATURES))
        assert arrays.targets.shape[1] == 3 and arrays.inputs.dtype == np.float32
        assert (np.diff(arrays.origins.astype("int64")) > 0).all()  # time order kept
    assert parts["train"].origins[-1] < parts["validation"].origins[0]
    assert parts["validation"].origins[-1] < parts["test"].origins[0]
    # The test split starts 120 days before the end (a closed first day has nothing to score).
    first_test = pd.Timestamp(parts["test"].origins[0])
    assert small_market.index[-120] <= first_test <= small_market.index[-119]


def test_window_holds_the_right_days_and_targets(small_market):
    windows = prices.PriceWindows(small_market, "배추", lookback=14, test_days=100)
    test = windows.arrays("test")
    price = small_market[prices.price_column("배추")]
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
    windows = prices.PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    closed_target = test.actual == 0
    assert closed_target.any()  # Sundays two weeks ahead, etc.
    assert np.isnan(test.targets[closed_target]).all()
    assert np.isfinite(test.targets).any(axis=1).all()
    # Windows left out are exactly those with nothing to score (e.g. a closed Sunday
    # origin: its 1, 2 and 4-week targets are Sundays too).
    price = small_market[prices.price_column("배추")]
    all_origins = small_market.index[windows.test_start :]
    dropped = all_origins.difference(pd.DatetimeIndex(test.origins))
    assert len(dropped) > 0
    for origin in dropped:
        targets = [origin + pd.Timedelta(days=h) for h in windows.horizons]
        assert all(day not in price.index or price[day] == 0 for day in targets)


def test_closed_input_days_are_flagged_and_carry_the_last_price(small_market):
    windows = prices.PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    trading = test.inputs[..., windows.features.index("trading")]
    closed = test.traded_price == 0
    assert closed.any()
    assert (trading[closed] == 0).all() and (trading[~closed] == 1).all()
    previous = test.price_history[:, :-1]
    np.testing.assert_array_equal(test.price_history[:, 1:][closed[:, 1:]], previous[closed[:, 1:]])


@pytest.mark.parametrize("features", [prices.FEATURES, prices.KNOWN_FEATURES])
def test_no_future_value_leaks_into_inputs_or_scaler(small_market, features):
    windows = prices.PriceWindows(small_market, "양파", test_days=100, features=features)
    test = windows.arrays("test")
    row = 30
    origin = pd.Timestamp(test.origins[row])
    tampered = small_market.copy()
    after = tampered.index > origin
    tampered.loc[after, list(prices.VALUE_COLUMNS)] *= 7.0  # rewrite the whole future
    tampered_windows = prices.PriceWindows(tampered, "양파", test_days=100, features=features)
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
    windows = prices.PriceWindows(small_market, "무", features=prices.KNOWN_FEATURES)
    log_price = np.log(windows.last_price)
    t = 800  # more than two years in, so every look-back exists

    def around(day):  # the 7-day mean centred on ``day``
        return log_price[day - 3 : day + 4].mean()

    year = prices.YEAR_DAYS
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
    for item in prices.ITEMS:
        price = small_market[prices.price_column(item)].to_numpy(dtype=float)[: t + 1]
        last = pd.Series(np.where(price > 0, price, np.nan)).ffill().to_numpy()
        gaps.append(np.log(last[t]) - np.log(last[t - 27 : t + 1]).mean())
    assert raw_feature(windows, "market_vs_month")[t] == pytest.approx(np.mean(gaps), abs=1e-9)

    volume = small_market[prices.volume_column("무")].to_numpy(dtype=float)
    traded = np.where(windows.price > 0, np.log1p(volume), np.nan)
    expected_volume = np.nanmean(traded[t - 6 : t + 1]) - np.nanmean(traded[t - year + 1 : t + 1])
    assert raw_feature(windows, "volume_vs_year")[t] == pytest.approx(expected_volume, abs=1e-9)


def test_item_one_hot_names_the_item_and_leaves_the_features_alone(small_market):
    plain = prices.PriceWindows(small_market, "마늘", test_days=100)
    coded = prices.PriceWindows(small_market, "마늘", test_days=100, item_one_hot=True)
    plain_test, coded_test = plain.arrays("test"), coded.arrays("test")
    n_features = len(prices.FEATURES)
    assert coded_test.inputs.shape == (*plain_test.inputs.shape[:2], n_features + 21)
    np.testing.assert_array_equal(coded_test.inputs[..., :n_features], plain_test.inputs)
    expected = np.zeros(21, np.float32)
    expected[prices.ITEMS.index("마늘")] = 1.0
    assert (coded_test.inputs[..., n_features:] == expected).all()  # every day of every window
    assert coded.input_names[n_features + prices.ITEMS.index("마늘")] == "item=마늘"
    assert len(coded.input_names) == coded_test.inputs.shape[-1]
    assert plain.input_names == plain.features and "item one-hot" in repr(coded)
    # The targets, prices and scaler are those of the plain windows.
    np.testing.assert_array_equal(coded_test.targets, plain_test.targets)
    np.testing.assert_array_equal(coded.feature_mean, plain.feature_mean)


def test_scaler_sees_only_the_training_part(small_market):
    windows = prices.PriceWindows(small_market, "대파", test_days=100, validation_days=80)
    tampered = small_market.copy()
    later = tampered.index >= tampered.index[windows.validation_start]
    tampered.loc[later, list(prices.VALUE_COLUMNS)] *= 3.0
    tampered_windows = prices.PriceWindows(tampered, "대파", test_days=100, validation_days=80)
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
    windows = prices.PriceWindows(small_market, "당근", test_days=100)
    train = windows.arrays("train")
    volume = train.inputs[..., windows.features.index("volume")]
    assert abs(volume.mean()) < 0.2 and 0.8 < volume.std() < 1.2


def test_dataset_yields_the_same_windows_as_arrays(small_market):
    windows = prices.PriceWindows(small_market, "깻잎", test_days=100)
    inputs, targets = next(iter(windows.dataset("validation", batch_size=8)))
    arrays = windows.arrays("validation")
    np.testing.assert_array_equal(inputs.numpy(), arrays.inputs[:8])
    np.testing.assert_array_equal(targets.numpy(), arrays.targets[:8])


def test_to_price_inverts_the_target(small_market):
    windows = prices.PriceWindows(small_market, "배추", test_days=100)
    test = windows.arrays("test")
    recovered = windows.to_price(np.nan_to_num(test.targets), test.last_price)
    scored = np.isfinite(test.targets)
    np.testing.assert_allclose(recovered[scored], test.actual[scored], rtol=1e-5)
    with pytest.raises(ValueError, match="windows, 3 horizons"):
        windows.to_price(np.zeros((4, 2)), test.last_price[:4])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"item": "배쭈"}, "unknown item '배쭈'.*Did you mean '배추'"),
        ({"horizons": (0, 7)}, "horizons must be positive"),
        ({"features": ("price", "rain")}, r"unknown features \['rain'\]"),
        ({"lookback": 5}, "lookback must be at least 8"),
        ({"test_days": 900}, "too few"),
    ],
)
def test_bad_window_settings_are_explained(small_market, kwargs, message):
    with pytest.raises(ValueError, match=message):
        prices.PriceWindows(small_market, **kwargs)


# ----------------------------------------------------------------------------- baselines


def make_windows(history: list[float]) -> prices.WindowArrays:
    """One window whose raw prices are ``history`` (0 = closed)."""
    traded = np.array([history], dtype=float)
    filled = pd.Series(np.where(traded[0] > 0, traded[0], np.nan)).ffill().to_numpy()[None]
    n = len(history)
    return prices.WindowArrays(
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
    np.testing.assert_array_equal(prices.naive_last_price(window, 3), [[230, 230, 230]])
    # One week before the origin (index -8): 160.
    np.testing.assert_array_equal(prices.same_weekday_last_week(window, 3), [[160, 160, 160]])
    # The last 7 days hold 170, 0, 200, 210, 220, 230, 0 -> closed days skipped.
    expected = np.mean([170, 200, 210, 220, 230])
    np.testing.assert_allclose(prices.trailing_mean(window, 3), [[expected] * 3])
