"""A market of one's own: price files in the competition's column pattern with other items.

Every file here is built in ``tmp_path`` from the synthetic file (columns selected and
renamed with pandas), so the tests run offline: two items (배추 and 무), items the series has
never seen (사과 and 배, ``apple``), a file without ``요일``, and each header error.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest

from helpers.forecasting import forecast, price_schema
from helpers.forecasting.price_schema import price_column, volume_column
from helpers.forecasting.windows import KNOWN_FEATURES, SPLITS, PriceWindows, concat_windows

TWO_ITEMS = ("배추", "무")


@pytest.fixture(scope="module")
def synthetic_table() -> pd.DataFrame:
    """The synthetic file as text cells, to select and rename columns from."""
    return pd.read_csv(price_schema.SYNTHETIC_PATH, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return price_schema.load_prices(price_schema.SYNTHETIC_PATH)


def write_market(tmp_path, table, items=TWO_ITEMS, rename=None, weekday=True, name="mine.csv"):
    """Write the date, 요일 (if ``weekday``) and ``items``' columns of ``table``, renamed by
    ``rename`` (old item name -> new), as a CSV in ``tmp_path``; return its path."""
    columns = ["date", *(["요일"] if weekday else []), *price_schema.value_columns(items)]
    part = table.loc[:, columns]
    for old, new in (rename or {}).items():
        part = part.rename(columns={volume_column(old): volume_column(new)})
        part = part.rename(columns={price_column(old): price_column(new)})
    path = tmp_path / name
    part.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


@pytest.fixture(scope="module")
def two_items(tmp_path_factory, synthetic_table) -> pd.DataFrame:
    path = write_market(tmp_path_factory.mktemp("market"), synthetic_table)
    return price_schema.load_prices(path)


# ----------------------------------------------------------------------------- loader


def test_the_competition_files_keep_their_21_items(synthetic):
    assert price_schema.items_of(synthetic) == price_schema.ITEMS
    assert synthetic.attrs["items"] == price_schema.ITEMS
    assert price_schema.value_columns(synthetic) == price_schema.VALUE_COLUMNS


def test_a_two_item_file_loads_with_its_items_in_file_order(two_items, synthetic):
    assert two_items.attrs["items"] == TWO_ITEMS == price_schema.items_of(two_items)
    columns = ["요일", *price_schema.value_columns(TWO_ITEMS)]
    assert list(two_items.columns) == columns
    pd.testing.assert_frame_equal(two_items, synthetic[columns])


def test_items_are_read_in_file_order_not_the_competitions(tmp_path, synthetic_table):
    frame = price_schema.load_prices(write_market(tmp_path, synthetic_table, ("무", "배추")))
    assert price_schema.items_of(frame) == ("무", "배추")


@pytest.mark.parametrize(
    "rename", [{"배추": "사과", "무": "배"}, {"배추": "apple", "무": "pear (Bartlett)"}]
)
def test_items_the_series_has_never_seen(tmp_path, synthetic_table, two_items, rename):
    frame = price_schema.load_prices(write_market(tmp_path, synthetic_table, rename=rename))
    new_names = tuple(rename.values())
    assert price_schema.items_of(frame) == new_names
    np.testing.assert_array_equal(frame.to_numpy(), two_items.to_numpy())
    summary = price_schema.item_summary(frame)
    assert tuple(summary.index) == new_names
    np.testing.assert_array_equal(summary.to_numpy(), price_schema.item_summary(two_items))


def test_one_item_is_enough(tmp_path, synthetic_table):
    path = write_market(tmp_path, synthetic_table, ("무",), rename={"무": "apple"})
    frame = price_schema.load_prices(path)
    assert price_schema.items_of(frame) == ("apple",)
    assert list(frame.columns) == ["요일", "apple_거래량(kg)", "apple_가격(원/kg)"]


def test_a_file_without_요일_gets_it_from_the_date(tmp_path, synthetic_table, two_items):
    frame = price_schema.load_prices(write_market(tmp_path, synthetic_table, weekday=False))
    pd.testing.assert_frame_equal(frame, two_items)
    assert frame.loc["2016-01-01", "요일"] == "금요일"


def test_decomposed_hangul_names_read_as_the_usual_spelling(tmp_path, synthetic_table):
    path = write_market(tmp_path, synthetic_table)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[0] = unicodedata.normalize("NFD", lines[0])
    path.write_text("\n".join(lines), encoding="utf-8")
    assert price_schema.items_of(price_schema.load_prices(path)) == TWO_ITEMS


def test_summaries_and_writing_work_on_the_files_own_items(tmp_path, two_items, synthetic):
    prices = two_items[[price_column(item) for item in TWO_ITEMS]]
    np.testing.assert_array_equal(price_schema.closed_days(two_items), (prices == 0).all(axis=1))
    # Two items are closed together on more days than all 21 are.
    assert price_schema.closed_days(two_items).sum() >= price_schema.closed_days(synthetic).sum()
    summary = price_schema.calendar_summary(two_items)
    assert summary["rows"] == len(two_items) and summary["closed_days"] > 200
    copy = tmp_path / "copy.csv"
    price_schema.write_prices_csv(two_items, copy)
    header = copy.read_text(encoding="utf-8").split("\n")[0]
    assert header == ",".join(["date", "요일", *price_schema.value_columns(TWO_ITEMS)])
    pd.testing.assert_frame_equal(price_schema.load_prices(copy), two_items)


def test_items_of_falls_back_to_the_columns(synthetic):
    bare = synthetic.copy()
    bare.attrs.clear()
    assert price_schema.items_of(bare) == price_schema.ITEMS
    # A column selection keeps the whole frame's attrs: the columns win.
    chosen = synthetic[["요일", *price_schema.value_columns(("마늘", "배추"))]]
    assert price_schema.items_of(chosen) == ("마늘", "배추")
    half = synthetic[["요일", volume_column("마늘"), *price_schema.value_columns("배추")]]
    assert price_schema.items_of(half) == ("배추",)  # 마늘 without its price is no item
    with pytest.raises(ValueError, match="no item columns.*load_prices"):
        price_schema.items_of(synthetic[["요일"]])


# ----------------------------------------------------------------------------- header errors


def _header_error(tmp_path, table) -> str:
    path = tmp_path / "mine.csv"
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    with pytest.raises(ValueError) as error:
        price_schema.load_prices(path)
    message = str(error.value)
    assert type(error.value) is ValueError
    assert str(path) in message and "line 1" in message
    assert "Expected date, optionally 요일, then a pair" in message  # what was expected
    assert "Rename, add or delete columns" in message  # and how to fix it
    return message


@pytest.fixture
def table(synthetic_table) -> pd.DataFrame:
    """The first 40 days of 배추 and 무, to be broken by each test."""
    columns = ["date", "요일", *price_schema.value_columns(TWO_ITEMS)]
    return synthetic_table.loc[:39, columns].copy()


def test_a_volume_column_without_its_price_column(tmp_path, table):
    message = _header_error(tmp_path, table.drop(columns=price_column("무")))
    assert "missing columns ['무_가격(원/kg)'] (item '무' has no price column" in message


def test_a_price_column_without_its_volume_column(tmp_path, table):
    table = table.rename(columns={price_column("무"): price_column("사과")})
    message = _header_error(tmp_path, table)
    assert "missing columns ['무_가격(원/kg)', '사과_거래량(kg)']" in message
    assert "item '무' has no price column" in message
    assert "item '사과' has no volume column '사과_거래량(kg)'" in message


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("무_가격", "무_가격(원/kg)"),
        ("무 가격(원/kg)", "무_가격(원/kg)"),
        ("무_가격(원/KG)", "무_가격(원/kg)"),
    ],
)
def test_a_misspelled_column_gets_the_closest_valid_name(tmp_path, table, wrong, right):
    message = _header_error(tmp_path, table.rename(columns={right: wrong}))
    assert f"unexpected columns that fit no pattern {wrong!r} (did you mean {right!r}?)" in message


def test_a_column_that_fits_no_pattern(tmp_path, table):
    table["비고"] = ""
    message = _header_error(tmp_path, table.rename(columns={"date": "Date"}))
    assert "missing columns ['date']" in message
    assert "'Date' (did you mean 'date'?)" in message and "'비고'" in message


def test_a_new_items_column_named_loosely_gets_the_pattern_name(tmp_path, table):
    loose = {volume_column("무"): "사과 거래량", price_column("무"): "사과가격"}
    table = table.rename(columns=loose)
    message = _header_error(tmp_path, table)
    assert "'사과 거래량' (did you mean '사과_거래량(kg)'?)" in message
    assert "'사과가격' (did you mean '사과_가격(원/kg)'?)" in message


def test_no_item_at_all(tmp_path, table):
    message = _header_error(tmp_path, table[["date", "요일"]])
    assert "no item at all" in message


def test_a_duplicated_item(tmp_path, table):
    doubled = pd.concat([table, table[list(price_schema.value_columns("배추"))]], axis=1)
    message = _header_error(tmp_path, doubled)
    assert "duplicated item '배추' (columns ['배추_거래량(kg)', '배추_가격(원/kg)']" in message


# ----------------------------------------------------------------------------- windows


def test_windows_of_an_own_market_use_its_items(two_items):
    windows = PriceWindows(two_items, "무", features=KNOWN_FEATURES, item_one_hot=True)
    assert windows.items == TWO_ITEMS
    assert windows.input_names[-2:] == ("item=배추", "item=무")
    test = windows.arrays("test")
    assert test.inputs.shape[-1] == len(KNOWN_FEATURES) + 2
    assert (test.inputs[..., -2:] == np.array([0, 1], np.float32)).all()
    # The market-wide feature is the mean over the file's two items, not the 21.
    t = 800
    gaps = []
    for item in TWO_ITEMS:
        price = two_items[price_column(item)].to_numpy(dtype=float)[: t + 1]
        last = pd.Series(np.where(price > 0, price, np.nan)).ffill().to_numpy()
        gaps.append(np.log(last[t]) - np.log(last[t - 27 : t + 1]).mean())
    column = windows.features.index("market_vs_month")
    raw = windows.scaled_features[t, column] * windows.feature_scale[column]
    assert raw + windows.feature_mean[column] == pytest.approx(np.mean(gaps), abs=1e-9)


def test_unknown_item_lists_the_markets_items(tmp_path, synthetic_table, two_items):
    with pytest.raises(ValueError, match=r"unknown item '양파'.*\['배추', '무'\]\.$"):
        PriceWindows(two_items, "양파")
    path = write_market(tmp_path, synthetic_table, rename={"배추": "사과", "무": "배"})
    fruit = price_schema.load_prices(path)
    with pytest.raises(ValueError, match=r"\['사과', '배'\]\. Did you mean '사과'\?"):
        PriceWindows(fruit, "사가")


def test_renamed_items_make_the_same_windows(tmp_path, synthetic_table, two_items):
    fruit = price_schema.load_prices(
        write_market(tmp_path, synthetic_table, rename={"배추": "사과", "무": "배"})
    )
    settings = {"features": KNOWN_FEATURES, "item_one_hot": True, "test_days": 100}
    ours = PriceWindows(fruit, "배", **settings).arrays("test")
    theirs = PriceWindows(two_items, "무", **settings).arrays("test")
    np.testing.assert_array_equal(ours.inputs, theirs.inputs)
    np.testing.assert_array_equal(ours.targets, theirs.targets)


def test_a_pooled_model_fits_on_an_own_market(two_items):
    windows = {
        item: PriceWindows(two_items, item, lookback=14, item_one_hot=True) for item in TWO_ITEMS
    }
    train, validation = (
        concat_windows(w.arrays(split) for w in windows.values()) for split in SPLITS[:2]
    )
    result = forecast.fit("lstm", train, validation, units=4, epochs=1, progress=False)
    assert result.epochs == 1 and result.model.input_shape[-1] == len(windows["무"].input_names)
    table = forecast.evaluate([result], windows["무"])
    assert set(table["item"]) == {"무"} and np.isfinite(table["nmae"]).all()
