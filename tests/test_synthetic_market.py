"""helpers.forecasting.synthetic_market: the committed file, seeding, the real market."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecasting import price_schema, synthetic_market


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return price_schema.load_prices(price_schema.SYNTHETIC_PATH)


def test_synthetic_file_regenerates_byte_for_byte(tmp_path):
    path = tmp_path / "regenerated.csv"
    price_schema.write_prices_csv(synthetic_market.make_synthetic_prices(), path)
    assert path.read_bytes() == price_schema.SYNTHETIC_PATH.read_bytes()


def test_synthetic_generator_is_seeded():
    first = synthetic_market.make_synthetic_prices(seed=3, start="2018-01-01", end="2018-03-31")
    again = synthetic_market.make_synthetic_prices(seed=3, start="2018-01-01", end="2018-03-31")
    other = synthetic_market.make_synthetic_prices(seed=4, start="2018-01-01", end="2018-03-31")
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_synthetic_generator_rejects_years_outside_its_calendar():
    with pytest.raises(ValueError, match="holiday calendar covers"):
        synthetic_market.make_synthetic_prices(start="2031-01-01", end="2031-12-31")


def test_synthetic_file_has_the_real_markets_facts(synthetic):
    calendar = price_schema.calendar_summary(synthetic)
    assert calendar["rows"] == 1733 and calendar["end"] == "2020-09-28"
    assert 220 <= calendar["closed_sundays"] <= 235  # real: 226 of 248 Sundays
    assert 15 <= calendar["closed_holidays"] <= 27  # real: 21
    closed = price_schema.closed_days(synthetic)
    holidays = synthetic.index[closed & (synthetic.index.day_of_week < 6)]
    assert set(holidays.month) <= {1, 2, 9, 10}  # New Year, Seollal, Chuseok
    items = price_schema.item_summary(synthetic)
    assert items.loc["샤인마스캇", "first_trade"] == "2016-06-10"
    assert items.loc["샤인마스캇", "zero_share"] == pytest.approx(0.47, abs=0.04)
    assert items.loc["캠벨얼리", "zero_share"] == pytest.approx(0.18, abs=0.03)
    others = items.drop(["캠벨얼리", "샤인마스캇"])["zero_share"]
    assert others.between(0.14, 0.17).all()
    assert items.loc["배추", "price_median"] == pytest.approx(659, rel=0.1)
    assert items.loc["배추", "price_min"] < 300 and items.loc["배추", "price_max"] > 2000
    value_columns = synthetic[list(price_schema.VALUE_COLUMNS)]
    price_values = synthetic[[price_schema.price_column(item) for item in price_schema.ITEMS]]
    assert (price_values == price_values.round()).all().all()  # whole won
    assert (value_columns * 10 == (value_columns * 10).round()).all().all()  # 1 decimal


def test_synthetic_market_has_weekly_rhythm_and_volume_against_price(synthetic):
    cabbage = synthetic[synthetic[price_schema.price_column("배추")] > 0]
    volume = cabbage[price_schema.volume_column("배추")]
    by_weekday = volume.groupby(cabbage.index.day_of_week).median()
    assert by_weekday[0] > by_weekday[5]  # Monday busier than Saturday
    log_price = np.log(cabbage[price_schema.price_column("배추")])
    assert np.corrcoef(log_price, np.log(volume))[0, 1] < -0.1
    monthly = cabbage[price_schema.price_column("배추")].groupby(cabbage.index.month).median()
    assert monthly[9] > 1.5 * monthly[5]  # autumn dearer than late spring


def test_synthetic_file_is_small_enough_to_commit():
    assert price_schema.SYNTHETIC_PATH.stat().st_size < 700_000


def test_synthetic_and_real_files_share_structure(synthetic, real_price_file):
    real = price_schema.load_prices(real_price_file)
    assert list(real.columns) == list(synthetic.columns)
    assert (real.index == synthetic.index).all()
    assert (real["요일"] == synthetic["요일"]).all()
    real_items, fake_items = price_schema.item_summary(real), price_schema.item_summary(synthetic)
    np.testing.assert_allclose(fake_items["zero_share"], real_items["zero_share"], atol=0.03)
    ratio = fake_items["price_median"] / real_items["price_median"]
    assert ratio.between(0.75, 1.33).all(), ratio
    real_calendar, fake_calendar = (
        price_schema.calendar_summary(real),
        price_schema.calendar_summary(synthetic),
    )
    assert abs(real_calendar["closed_days"] - fake_calendar["closed_days"]) <= 15
