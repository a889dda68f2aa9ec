"""helpers.forecasting.price_schema: the competition schema, the loader's errors, summaries."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecasting import price_schema


@pytest.fixture(scope="module")
def synthetic() -> pd.DataFrame:
    return price_schema.load_prices(price_schema.SYNTHETIC_PATH)


def write_text(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "train.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def good_text(synthetic) -> str:
    """The first 60 days of the synthetic file as CSV text, to be broken by each test."""
    lines = price_schema.SYNTHETIC_PATH.read_text(encoding="utf-8").splitlines()
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
    assert len(price_schema.ITEMS) == 21
    assert len(price_schema.COLUMNS) == 44
    assert price_schema.COLUMNS[:4] == ("date", "요일", "배추_거래량(kg)", "배추_가격(원/kg)")
    assert price_schema.COLUMNS[-1] == "샤인마스캇_가격(원/kg)"


# ----------------------------------------------------------------------------- loader


def test_loader_returns_daily_index_and_float_columns(synthetic):
    assert isinstance(synthetic.index, pd.DatetimeIndex)
    assert synthetic.index.name == "date"
    assert (synthetic.index[1:] - synthetic.index[:-1] == pd.Timedelta(days=1)).all()
    assert list(synthetic.columns) == list(price_schema.COLUMNS[1:])
    assert (synthetic.dtypes[list(price_schema.VALUE_COLUMNS)] == np.float64).all()
    assert synthetic.loc["2016-01-01", "요일"] == "금요일"


def test_missing_file_says_where_to_get_the_real_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="PRICE_DATA") as error:
        price_schema.load_prices(tmp_path / "nope.csv")
    assert "train.csv" in str(error.value) and "synthetic" in str(error.value)


def test_price_data_environment_variable_is_the_default(tmp_path, monkeypatch, good_text):
    path = write_text(tmp_path, good_text)
    monkeypatch.setenv("PRICE_DATA", str(path))
    assert len(price_schema.load_prices()) == 60
    monkeypatch.delenv("PRICE_DATA")
    assert price_schema.default_price_path() == price_schema.SYNTHETIC_PATH


def test_misspelled_columns_are_listed_with_a_suggestion(tmp_path, good_text):
    text = good_text.replace("무_가격(원/kg)", "무_가격", 1).replace(
        "양파_거래량(kg)", "양파거래량", 1
    )
    with pytest.raises(ValueError) as error:
        price_schema.load_prices(write_text(tmp_path, text))
    message = str(error.value)
    assert "missing columns ['무_가격(원/kg)', '양파_거래량(kg)']" in message
    assert "'무_가격' (did you mean '무_가격(원/kg)'?)" in message


def test_unparseable_date_names_its_line(tmp_path, good_text):
    text = replace_cell(good_text, 5, "date", "2016/01/04")
    with pytest.raises(ValueError, match=r"unparseable dates at line 5 \('2016/01/04'\)"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_duplicated_date_is_reported(tmp_path, good_text):
    rows = good_text.splitlines()
    text = "\n".join(rows[:4] + [rows[3]] + rows[4:]) + "\n"
    with pytest.raises(ValueError, match="duplicated dates at line 5 .'2016-01-03'"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_dates_out_of_order_are_reported(tmp_path, good_text):
    rows = good_text.splitlines()
    rows[3], rows[4] = rows[4], rows[3]
    with pytest.raises(ValueError, match="dates go backwards at line 5. Sort"):
        price_schema.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))


def test_calendar_gap_is_reported_with_the_missing_day(tmp_path, good_text):
    rows = good_text.splitlines()
    del rows[10]  # 2016-01-10
    with pytest.raises(ValueError, match=r"gaps: 1 days missing \(2016-01-10\).*rows of zeros"):
        price_schema.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))


def test_wrong_weekday_is_reported(tmp_path, good_text):
    text = replace_cell(good_text, 2, "요일", "월요일")
    with pytest.raises(ValueError, match="요일 column disagrees with the date at line 2"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_short_weekday_names_are_accepted(tmp_path, good_text):
    rows = good_text.splitlines()
    rows[1:] = [row.replace("요일,", ",", 1) for row in rows[1:]]
    frame = price_schema.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))
    assert frame["요일"].iloc[0] == "금요일"


@pytest.mark.parametrize(
    ("value", "problem"),
    [("abc", "non-numeric values"), ("1,234", "non-numeric values"), ("-5.0", "negative values")],
)
def test_bad_values_name_row_and_column(tmp_path, good_text, value, problem):
    quoted = f'"{value}"' if "," in value else value
    text = replace_cell(good_text, 7, "대파_가격(원/kg)", quoted)
    with pytest.raises(ValueError, match=rf"{problem} in column '대파_가격\(원/kg\)' at line 7"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_empty_cell_is_reported(tmp_path, good_text):
    text = replace_cell(good_text, 9, "무_거래량(kg)", "")
    with pytest.raises(ValueError, match=r"empty cells in column '무_거래량\(kg\)' at line 9"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_a_blank_line_inside_the_file_names_its_line(tmp_path, good_text):
    rows = good_text.splitlines()
    text = "\n".join(rows[:5] + [""] + rows[5:]) + "\n\n"  # trailing blank lines are fine
    with pytest.raises(ValueError, match="line 6 is blank; expected 44 comma-separated fields"):
        price_schema.load_prices(write_text(tmp_path, text))


def test_a_row_with_an_extra_field_is_named_not_left_to_pandas(tmp_path, good_text):
    rows = good_text.splitlines()
    rows[3] += ",0"
    with pytest.raises(ValueError, match="line 4 has 45 fields"):
        price_schema.load_prices(write_text(tmp_path, "\n".join(rows) + "\n"))


def test_a_long_bad_value_is_quoted_short(tmp_path, good_text):
    text = replace_cell(good_text, 7, "대파_가격(원/kg)", "x" * 5_000)
    with pytest.raises(ValueError, match="non-numeric") as error:
        price_schema.load_prices(write_text(tmp_path, text))
    assert len(str(error.value)) < 500


def test_real_file_in_cp949_reads_the_same(real_price_file, tmp_path):
    cp949 = tmp_path / "train_cp949.csv"
    cp949.write_bytes(real_price_file.read_text(encoding="utf-8").encode("cp949"))
    pd.testing.assert_frame_equal(
        price_schema.load_prices(cp949), price_schema.load_prices(real_price_file)
    )


def test_zero_rows_are_kept_as_closed_days(synthetic):
    closed = price_schema.closed_days(synthetic)
    assert closed.sum() > 200
    assert closed["2016-01-01"]  # New Year's Day
    assert len(synthetic) == (synthetic.index[-1] - synthetic.index[0]).days + 1


# ----------------------------------------------------------------------------- real file


def test_real_file_matches_its_readme(real_price_file):
    real = price_schema.load_prices(real_price_file)
    assert real.shape == (1733, 43)
    assert price_schema.calendar_summary(real) == {
        "rows": 1733,
        "start": "2016-01-01",
        "end": "2020-09-28",
        "closed_days": 247,
        "closed_sundays": 226,
        "closed_holidays": 21,
        "trading_sundays": 22,
    }
    items = price_schema.item_summary(real)
    assert items.loc["샤인마스캇", "first_trade"] == "2016-06-10"
    assert round(items.loc["샤인마스캇", "zero_share"], 2) == 0.47
    assert round(items.loc["캠벨얼리", "zero_share"], 2) == 0.18
    assert items.loc["배추", ["price_median", "price_min", "price_max"]].tolist() == [
        659,
        243,
        5000,
    ]
