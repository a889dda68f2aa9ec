"""The 2021 agricultural price competition's data: schema, validating loader, synthetic twin,
windowing and naive baselines.

The competition file (``train.csv``) holds one row per calendar day from 2016-01-01: the date,
the weekday in Korean (``금요일``) and, for each of 21 items, the day's wholesale volume in kg
and price in won per kg. Days without trading (Sundays, New Year's Day, Seollal and Chuseok)
are rows of zeros, not missing rows.

The real file cannot be shipped, so ``data/prices_synthetic.csv`` holds a seeded synthetic
file with the same schema (:func:`make_synthetic_prices`). :func:`load_prices` reads either;
point it at the real file with ``load_prices(path)`` or the ``PRICE_DATA`` environment
variable.

:class:`PriceWindows` is the one windowing object every model and baseline uses: the same
windows, the same time-ordered split, a scaler fitted on the training part only.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import os
import pathlib

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- schema

ITEMS = (
    "배추",
    "무",
    "양파",
    "건고추",
    "마늘",
    "대파",
    "얼갈이배추",
    "양배추",
    "깻잎",
    "시금치",
    "미나리",
    "당근",
    "파프리카",
    "새송이",
    "팽이버섯",
    "토마토",
    "청상추",
    "백다다기",
    "애호박",
    "캠벨얼리",
    "샤인마스캇",
)
DATE_COLUMN = "date"
WEEKDAY_COLUMN = "요일"
# Monday first, as pandas numbers weekdays. The real file writes full names ("금요일").
WEEKDAYS = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
HORIZONS = (7, 14, 28)  # the competition's 1, 2 and 4 weeks ahead, in calendar days


def volume_column(item: str) -> str:
    """``'배추'`` -> ``'배추_거래량(kg)'``."""
    return f"{item}_거래량(kg)"


def price_column(item: str) -> str:
    """``'배추'`` -> ``'배추_가격(원/kg)'``."""
    return f"{item}_가격(원/kg)"


VALUE_COLUMNS = tuple(name for item in ITEMS for name in (volume_column(item), price_column(item)))
COLUMNS = (DATE_COLUMN, WEEKDAY_COLUMN, *VALUE_COLUMNS)

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
SYNTHETIC_PATH = PROJECT_ROOT / "data" / "prices_synthetic.csv"
SYNTHETIC_SEED = 2021
SYNTHETIC_START = "2016-01-01"
SYNTHETIC_END = "2020-09-28"  # the real training file's span, so the two files line up
PRICE_DATA_ENV = "PRICE_DATA"

REAL_FILE_HINT = (
    "The real file is train.csv of the 2021 농산물 가격예측 AI 경진대회 (DACON, data from "
    "KAMIS/농넷 of 한국농수산식품유통공사); download it from the competition page and pass its "
    f"path, or set {PRICE_DATA_ENV}=/path/to/train.csv. Without it, load_prices() with no "
    f"argument reads the synthetic stand-in {SYNTHETIC_PATH.name} shipped in data/."
)

MAX_LISTED = 5  # how many offending rows an error message names before summarising


def _first_lines(line_numbers, values=None) -> str:
    """'line 3 ('x'), line 9 ('y') and 4 more' for error messages."""
    line_numbers = list(line_numbers)
    shown = []
    for position, line in enumerate(line_numbers[:MAX_LISTED]):
        shown.append(f"line {line}" + (f" ({values[position]!r})" if values is not None else ""))
    more = len(line_numbers) - MAX_LISTED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


# --------------------------------------------------------------------------- loader


def default_price_path() -> pathlib.Path:
    """The file :func:`load_prices` reads by default: ``$PRICE_DATA``, else the synthetic file."""
    return pathlib.Path(os.environ.get(PRICE_DATA_ENV) or SYNTHETIC_PATH)


def _read_text(path: pathlib.Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(
        f"{path} is neither UTF-8 nor CP949 text. Open it in a spreadsheet or editor and save "
        "it again as CSV in UTF-8."
    )


def _check_columns(columns: list[str], path) -> None:
    expected = set(COLUMNS)
    missing = [name for name in COLUMNS if name not in columns]
    unexpected = [name for name in columns if name not in expected]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    if not missing and not unexpected and not duplicated:
        return
    parts = []
    if missing:
        parts.append(f"missing columns {missing}")
    if unexpected:
        hints = []
        for name in unexpected:
            close = difflib.get_close_matches(name, missing or COLUMNS, n=1, cutoff=0.5)
            hints.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
        parts.append("unexpected columns " + ", ".join(hints))
    if duplicated:
        parts.append(f"duplicated columns {duplicated}")
    raise ValueError(
        f"{path} does not have the competition's columns: " + "; ".join(parts) + ". Rename them "
        "to the schema in helpers.prices.COLUMNS (date, 요일, then <item>_거래량(kg) and "
        "<item>_가격(원/kg) for each of the 21 items; see data/README.md)."
    )


def _parse_dates(text_dates: pd.Series, path) -> pd.DatetimeIndex:
    dates = pd.to_datetime(text_dates.str.strip(), format="%Y-%m-%d", errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        rows = np.flatnonzero(bad)
        raise ValueError(
            f"{path}: unparseable dates at {_first_lines(rows + 2, text_dates.iloc[rows].tolist())}"
            ". Write every date as YYYY-MM-DD, e.g. 2016-01-04."
        )
    dates = pd.DatetimeIndex(dates)
    duplicated = dates.duplicated()
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        shown = _first_lines(rows + 2, dates[rows].strftime("%Y-%m-%d"))
        raise ValueError(f"{path}: duplicated dates at {shown}. Keep exactly one row per day.")
    backwards = np.flatnonzero(np.diff(dates.asi8) < 0)
    if backwards.size:
        raise ValueError(
            f"{path}: dates go backwards at {_first_lines(backwards + 3)}. Sort the file by date."
        )
    calendar = pd.date_range(dates[0], dates[-1], freq="D")
    if len(calendar) != len(dates):
        missing = calendar.difference(dates)
        shown = ", ".join(missing[:MAX_LISTED].strftime("%Y-%m-%d"))
        raise ValueError(
            f"{path}: the calendar has gaps: {len(missing)} days missing ({shown}"
            f"{' ...' if len(missing) > MAX_LISTED else ''}). The competition file has one row "
            "per calendar day; add days without trading as rows of zeros."
        )
    return dates


def _check_weekdays(text_weekdays: pd.Series, dates: pd.DatetimeIndex, path) -> pd.Series:
    expected = np.array(WEEKDAYS)[dates.day_of_week]
    given = text_weekdays.str.strip()
    # Accept the short form ("금") as well as the real file's full names ("금요일").
    full = given.where(given.str.endswith("요일"), given + "요일")
    wrong = np.flatnonzero(full.to_numpy() != expected)
    if wrong.size:
        details = [f"{given.iloc[row]} for {dates[row]:%Y-%m-%d}" for row in wrong]
        raise ValueError(
            f"{path}: the 요일 column disagrees with the date at {_first_lines(wrong + 2, details)}"
            f". It should hold the date's weekday, e.g. {WEEKDAYS[4]} for 2016-01-01."
        )
    return pd.Series(expected, index=dates, name=WEEKDAY_COLUMN)


def _parse_values(table: pd.DataFrame, path) -> pd.DataFrame:
    values = {}
    for name in VALUE_COLUMNS:
        text = table[name].str.strip()
        numbers = pd.to_numeric(text, errors="coerce")
        empty = (text == "").to_numpy()
        bad = numbers.isna().to_numpy() | ~np.isfinite(numbers.to_numpy(dtype=float, na_value=0))
        if empty.any():
            rows = np.flatnonzero(empty)
            raise ValueError(
                f"{path}: empty cells in column {name!r} at {_first_lines(rows + 2)}. The "
                "competition file has no missing values: write 0 for a day without trading."
            )
        if bad.any():
            rows = np.flatnonzero(bad)
            raise ValueError(
                f"{path}: non-numeric values in column {name!r} at "
                f"{_first_lines(rows + 2, text.iloc[rows].tolist())}. Volumes and prices must "
                "be plain numbers such as 1139099.2 (no units, no thousands separators)."
            )
        negative = (numbers < 0).to_numpy()
        if negative.any():
            rows = np.flatnonzero(negative)
            raise ValueError(
                f"{path}: negative values in column {name!r} at "
                f"{_first_lines(rows + 2, numbers.iloc[rows].tolist())}. Volumes and prices are "
                "zero or positive; fix or remove the sign."
            )
        values[name] = numbers.to_numpy(dtype=np.float64)
    return pd.DataFrame(values)


def load_prices(path=None) -> pd.DataFrame:
    """Read and validate a competition-format price file (UTF-8 or CP949).

    Without ``path`` it reads ``$PRICE_DATA`` if that is set, else the synthetic file.
    Returns a DataFrame indexed by a daily ``DatetimeIndex`` named ``date``, with the 요일
    column (full names, ``월요일``..``일요일``) and the 42 volume/price columns as float64,
    in schema order. Rows of zeros are kept: they are market holidays (see
    :func:`closed_days`). Raises FileNotFoundError or ValueError naming the problem and the fix.
    """
    path = default_price_path() if path is None else pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"price file not found: {path}. {REAL_FILE_HINT}")
    text = _read_text(path)
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    table.columns = [str(name).strip() for name in table.columns]
    _check_columns(list(table.columns), path)
    if table.empty:
        raise ValueError(f"{path} has the right columns but no rows; it needs one row per day.")
    dates = _parse_dates(table[DATE_COLUMN], path)
    weekdays = _check_weekdays(table[WEEKDAY_COLUMN], dates, path)
    values = _parse_values(table, path)
    values.index = dates
    frame = pd.concat([weekdays, values], axis=1)
    frame.index = pd.DatetimeIndex(dates, freq="D", name=DATE_COLUMN)
    frame.attrs["source"] = str(path)
    return frame


def write_prices_csv(prices: pd.DataFrame, path) -> None:
    """Write a frame shaped like :func:`load_prices`' result as a UTF-8 competition file."""
    table = prices.loc[:, [WEEKDAY_COLUMN, *VALUE_COLUMNS]].copy()
    table.insert(0, DATE_COLUMN, prices.index.strftime("%Y-%m-%d"))
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


# --------------------------------------------------------------------------- summaries


def closed_days(prices: pd.DataFrame) -> pd.Series:
    """True on days when nothing traded (every volume and price is zero): market holidays."""
    return (prices.loc[:, list(VALUE_COLUMNS)] == 0).all(axis=1).rename("closed")


def calendar_summary(prices: pd.DataFrame) -> dict:
    """Counts of rows, closed days, closed Sundays and closed non-Sundays (holidays)."""
    closed = closed_days(prices).to_numpy()
    sunday = prices.index.day_of_week.to_numpy() == 6
    return {
        "rows": len(prices),
        "start": f"{prices.index[0]:%Y-%m-%d}",
        "end": f"{prices.index[-1]:%Y-%m-%d}",
        "closed_days": int(closed.sum()),
        "closed_sundays": int((closed & sunday).sum()),
        "closed_holidays": int((closed & ~sunday).sum()),
        "trading_sundays": int((~closed & sunday).sum()),
    }


def item_summary(prices: pd.DataFrame) -> pd.DataFrame:
    """One row per item: first trading day, share of zero days, price stats on trading days."""
    rows = []
    for item in ITEMS:
        price = prices[price_column(item)]
        traded = price[price > 0]
        rows.append(
            {
                "item": item,
                "first_trade": f"{traded.index[0]:%Y-%m-%d}" if len(traded) else None,
                "zero_share": float((price == 0).mean()),
                "price_median": float(traded.median()),
                "price_min": float(traded.min()),
                "price_max": float(traded.max()),
                "volume_median": float(prices.loc[price > 0, volume_column(item)].median()),
            }
        )
    return pd.DataFrame(rows).set_index("item")


# --------------------------------------------------------------------------- calendar

# Public calendar facts: the main day of Seollal (설날) and Chuseok (추석), solar dates.
SEOLLAL = {
    2010: "02-14", 2011: "02-03", 2012: "01-23", 2013: "02-10", 2014: "01-31", 2015: "02-19",
    2016: "02-08", 2017: "01-28", 2018: "02-16", 2019: "02-05", 2020: "01-25", 2021: "02-12",
    2022: "02-01", 2023: "01-22", 2024: "02-10", 2025: "01-29", 2026: "02-17", 2027: "02-07",
    2028: "01-27", 2029: "02-13", 2030: "02-03",
}  # fmt: skip
CHUSEOK = {
    2010: "09-22", 2011: "09-12", 2012: "09-30", 2013: "09-19", 2014: "09-08", 2015: "09-27",
    2016: "09-15", 2017: "10-04", 2018: "09-24", 2019: "09-13", 2020: "10-01", 2021: "09-21",
    2022: "09-10", 2023: "09-29", 2024: "09-17", 2025: "10-06", 2026: "09-25", 2027: "09-15",
    2028: "10-03", 2029: "09-22", 2030: "09-12",
}  # fmt: skip


def market_holidays(dates: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of closed non-Sunday days: 1 January, and each Seollal and Chuseok main
    day plus usually the day after (the market closes one to three days per festival)."""
    closed = np.zeros(len(dates), dtype=bool)
    position = {day: index for index, day in enumerate(dates)}
    for year in sorted(set(dates.year)):
        closed_days_of_year = [pd.Timestamp(f"{year}-01-01")]
        for festival in (SEOLLAL, CHUSEOK):
            main = pd.Timestamp(f"{year}-{festival[year]}")
            closed_days_of_year.append(main)
            if rng.random() < 0.8:
                closed_days_of_year.append(main + pd.Timedelta(days=1))
                if rng.random() < 0.2:
                    closed_days_of_year.append(main + pd.Timedelta(days=2))
        for day in closed_days_of_year:
            if day in position:
                closed[position[day]] = True
    return closed


# --------------------------------------------------------------------------- synthetic market


@dataclasses.dataclass(frozen=True)
class ItemProfile:
    """How one item behaves in the synthetic market.

    ``month_price`` is each month's typical price relative to the year's (12 values);
    ``daily_noise`` the day-to-day log-price jitter; ``shock`` the size of the slow
    log-price deviations that last weeks; ``elasticity`` how strongly volume falls when the
    price rises; ``typhoon`` how hard a late-summer storm hits the price (leafy crops most).
    """

    median_price: float
    month_price: tuple
    daily_noise: float
    shock: float
    median_volume: float
    elasticity: float
    typhoon: float = 0.0


def _p(*values):
    return tuple(values)


# Rough shapes of the real market (monthly price profile, volatility, volume), rounded.
PROFILES = {
    "배추": ItemProfile(
        770,
        _p(0.95, 1.15, 1.1, 0.9, 0.65, 0.7, 0.95, 1.5, 1.7, 0.85, 0.8, 1.0),
        0.066,
        0.22,
        1.1e6,
        0.3,
        1.2,
    ),
    "무": ItemProfile(
        470,
        _p(0.85, 0.95, 1.15, 1.1, 0.9, 0.8, 0.85, 1.25, 1.5, 1.35, 1.05, 1.35),
        0.073,
        0.2,
        1.5e6,
        0.25,
        0.5,
    ),
    "양파": ItemProfile(
        730,
        _p(1.25, 1.3, 1.3, 1.05, 0.85, 0.75, 0.75, 0.95, 1.05, 0.85, 0.9, 1.1),
        0.029,
        0.13,
        1.8e6,
        0.25,
    ),
    "건고추": ItemProfile(
        8900,
        _p(0.86, 0.84, 0.8, 0.87, 0.89, 0.9, 1.0, 1.35, 1.45, 1.14, 1.04, 1.0),
        0.4,
        0.16,
        790,
        0.2,
    ),
    "마늘": ItemProfile(
        3980,
        _p(1.08, 1.07, 1.0, 1.0, 0.75, 0.72, 1.0, 1.1, 1.15, 1.03, 1.08, 1.04),
        0.043,
        0.1,
        1.1e5,
        0.6,
    ),
    "대파": ItemProfile(
        1400,
        _p(1.07, 1.15, 0.9, 0.7, 0.9, 0.87, 0.85, 1.2, 1.3, 1.15, 1.0, 1.0),
        0.07,
        0.17,
        6.8e5,
        0.2,
        0.4,
    ),
    "얼갈이배추": ItemProfile(
        1100,
        _p(1.04, 1.15, 1.1, 0.88, 0.77, 0.75, 1.05, 1.5, 1.45, 0.85, 0.9, 1.0),
        0.079,
        0.22,
        3.1e5,
        0.25,
        0.7,
    ),
    "양배추": ItemProfile(
        570,
        _p(1.07, 1.15, 1.08, 0.8, 0.8, 0.65, 0.67, 1.15, 1.4, 1.2, 1.13, 1.25),
        0.09,
        0.26,
        6.6e5,
        0.25,
        0.6,
    ),
    "깻잎": ItemProfile(
        5210,
        _p(1.5, 1.03, 0.97, 0.9, 0.89, 0.62, 0.78, 1.2, 1.5, 1.03, 0.87, 1.28),
        0.09,
        0.2,
        9.1e4,
        0.4,
        0.4,
    ),
    "시금치": ItemProfile(
        1850,
        _p(1.0, 0.94, 0.72, 0.82, 0.84, 0.88, 1.55, 2.9, 2.2, 1.07, 0.97, 0.98),
        0.092,
        0.27,
        1.7e5,
        0.7,
        0.8,
    ),
    "미나리": ItemProfile(
        2020,
        _p(1.33, 1.22, 1.05, 0.65, 0.54, 0.34, 0.5, 1.3, 1.4, 0.94, 1.33, 1.3),
        0.158,
        0.27,
        7.8e4,
        0.3,
        0.5,
    ),
    "당근": ItemProfile(
        970,
        _p(0.92, 0.96, 0.86, 0.98, 1.05, 1.0, 0.93, 1.01, 1.14, 1.18, 1.08, 0.95),
        0.066,
        0.14,
        3.2e5,
        0.15,
    ),
    "파프리카": ItemProfile(
        3420,
        _p(1.6, 1.5, 1.25, 1.05, 0.82, 0.63, 0.52, 1.02, 1.5, 1.18, 0.8, 0.84),
        0.089,
        0.19,
        1.4e5,
        0.5,
    ),
    "새송이": ItemProfile(
        2360,
        _p(1.15, 1.03, 1.0, 0.9, 0.97, 0.88, 0.83, 1.0, 1.22, 1.1, 1.03, 1.1),
        0.037,
        0.1,
        1.7e5,
        0.15,
    ),
    "팽이버섯": ItemProfile(
        1470,
        _p(1.2, 1.0, 1.0, 0.9, 0.76, 0.74, 0.7, 0.88, 1.45, 1.33, 1.18, 1.15),
        0.066,
        0.19,
        1.2e5,
        0.2,
    ),
    "토마토": ItemProfile(
        2120,
        _p(1.09, 1.28, 1.45, 1.26, 0.76, 0.56, 0.58, 0.73, 1.32, 1.1, 1.07, 1.09),
        0.068,
        0.15,
        3.3e5,
        0.5,
    ),
    "청상추": ItemProfile(
        2210,
        _p(1.3, 0.82, 0.94, 0.8, 0.78, 0.82, 1.6, 2.2, 2.25, 1.45, 0.8, 0.74),
        0.15,
        0.35,
        4.5e4,
        0.35,
        0.8,
    ),
    "백다다기": ItemProfile(
        1770,
        _p(1.45, 1.3, 1.22, 0.79, 0.61, 0.6, 0.82, 1.16, 1.07, 0.88, 0.98, 1.16),
        0.12,
        0.22,
        3.8e5,
        0.7,
    ),
    "애호박": ItemProfile(
        1520,
        _p(1.6, 1.4, 1.26, 0.75, 0.62, 0.64, 0.7, 1.0, 1.28, 0.89, 0.89, 1.16),
        0.097,
        0.25,
        3.7e5,
        0.6,
        0.3,
    ),
    "캠벨얼리": ItemProfile(
        2860,
        _p(0.97, 1.2, 1.1, 1.05, 1.2, 1.6, 1.1, 0.88, 0.72, 0.74, 0.68, 0.7),
        0.147,
        0.2,
        3.1e4,
        0.4,
    ),
    "샤인마스캇": ItemProfile(
        12900,
        _p(1.2, 1.3, 1.5, 1.4, 1.6, 1.6, 1.27, 0.9, 0.77, 0.74, 1.02, 0.98),
        0.105,
        0.21,
        1.8e3,
        0.35,
    ),
}

# Grapes sell in volume only from summer to autumn: log-volume offset by month.
GRAPE_MONTH_VOLUME = _p(-2.5, -3.0, -3.0, -3.0, -2.5, -1.0, 0.5, 2.5, 2.5, 1.5, 0.0, -1.5)
WEEKDAY_VOLUME = _p(0.2, 0.06, 0.03, 0.0, 0.0, -0.3)  # Monday busiest, Saturday quietest
SHINE_MUSCAT_FIRST_TRADE = "2016-06-10"
LEAFY_TYPHOON_MONTHS = (8, 9)


def _monthly_curve(month_values, day_of_year: np.ndarray) -> np.ndarray:
    """A smooth yearly curve through 12 monthly values (periodic, mid-month anchors)."""
    anchors = (np.arange(12) + 0.5) * 365.25 / 12
    x = np.concatenate([anchors - 365.25, anchors, anchors + 365.25])
    y = np.tile(np.asarray(month_values, dtype=float), 3)
    return np.interp(day_of_year, x, y)


def _ar1(rng, length: int, persistence: float, stationary_sd: float) -> np.ndarray:
    """A zero-mean AR(1) path with heavy-tailed (Student t, 4 d.o.f.) innovations."""
    innovations = rng.standard_t(4, size=length) / np.sqrt(2.0)  # unit variance
    innovations *= stationary_sd * np.sqrt(1 - persistence**2)
    path = np.empty(length)
    path[0] = innovations[0] / np.sqrt(1 - persistence**2)
    for day in range(1, length):
        path[day] = persistence * path[day - 1] + innovations[day]
    return path


def _typhoon_bumps(rng, dates: pd.DatetimeIndex) -> np.ndarray:
    """Log-price bumps of a late-summer storm each year: a rise over a week, a slow fade."""
    bumps = np.zeros(len(dates))
    days = np.arange(len(dates))
    for year in sorted(set(dates.year)):
        if rng.random() > 0.7:
            continue  # not every year brings a damaging storm
        in_season = np.flatnonzero(
            (dates.year == year) & np.isin(dates.month, LEAFY_TYPHOON_MONTHS)
        )
        if not in_season.size:
            continue
        hit = rng.choice(in_season)
        height = rng.uniform(0.3, 0.9)
        fade_days = rng.uniform(15, 35)
        rise = np.clip((days - hit + 7) / 7, 0, 1)
        fade = np.exp(-np.clip(days - hit, 0, None) / fade_days)
        bumps += height * rise * fade * (days >= hit - 7)
    return bumps


def _item_zero_days(rng, item, dates, closed, sunday) -> np.ndarray:
    """Days on which this item alone does not trade though the market is open."""
    near_holiday = np.zeros(len(dates), dtype=bool)
    holiday = closed & ~sunday
    near_holiday[:-1] |= holiday[1:]
    near_holiday[1:] |= holiday[:-1]
    zero = rng.random(len(dates)) < 0.003
    zero |= near_holiday & (rng.random(len(dates)) < 0.3)
    if item == "캠벨얼리":  # old vines' stock runs out in late winter
        zero |= np.isin(dates.month, (1, 2, 3)) & (rng.random(len(dates)) < 0.17)
    if item == "샤인마스캇":
        zero |= dates < pd.Timestamp(SHINE_MUSCAT_FIRST_TRADE)
        # Off season (winter to spring) is empty at first; as plantings grow, stored
        # grapes reach the market in more of those months.
        years_on_market = np.clip(dates.year - 2017, 0, None)
        off_season = np.isin(dates.month, (1, 2, 3, 4, 5)) | (
            (dates.month == 12) & (dates.year == 2016)
        )
        gap_chance = np.where(dates.month <= 2, 1.0 - 0.3 * years_on_market, 1.0)
        gap_chance = np.clip(gap_chance - 0.06 * years_on_market * (dates.month > 2), 0.15, 1)
        zero |= off_season & (rng.random(len(dates)) < gap_chance)
    return zero


def make_synthetic_prices(
    seed: int = SYNTHETIC_SEED, start: str = SYNTHETIC_START, end: str = SYNTHETIC_END
) -> pd.DataFrame:
    """A seeded synthetic market in the competition schema, shaped like :func:`load_prices`.

    What it reproduces: each item's yearly price season, a weekly trading rhythm (Sundays
    closed but for a few quiet ones, Monday's volume the largest), market holidays as rows
    of zeros, shocks that last weeks (late-summer storms hit leafy crops), volume that moves
    against price, grapes that barely trade off season and 샤인마스캇 arriving in June 2016.
    Prices are whole won stored as floats; volumes have one decimal.
    """
    dates = pd.date_range(start, end, freq="D", name=DATE_COLUMN)
    if not len(dates):
        raise ValueError(f"start {start} is after end {end}; give start <= end (YYYY-MM-DD).")
    years = set(dates.year)
    if min(years) < min(SEOLLAL) or max(years) > max(SEOLLAL):
        raise ValueError(
            f"the holiday calendar covers {min(SEOLLAL)}-{max(SEOLLAL)}; got {start}..{end}."
        )
    rng = np.random.default_rng(seed)
    length = len(dates)
    day_of_year = dates.day_of_year.to_numpy(dtype=float)
    weekday = dates.day_of_week.to_numpy()
    sunday = weekday == 6
    closed = market_holidays(dates, rng) | sunday
    quiet_sundays = sunday & (rng.random(length) < 0.08)
    closed &= ~quiet_sundays
    market_mood = _ar1(rng, length, 0.99, 0.05)  # one slow factor all items share
    leafy_storms = _typhoon_bumps(rng, dates)
    values = {}
    for item in ITEMS:
        profile = PROFILES[item]
        season = np.log(_monthly_curve(profile.month_price, day_of_year))
        level = _ar1(rng, length, 0.998, 0.12)  # year-to-year drift of the price level
        shocks = _ar1(rng, length, 0.96, profile.shock)
        storm = profile.typhoon * leafy_storms
        noise = profile.daily_noise * rng.standard_t(5, size=length) / np.sqrt(5 / 3)
        log_price = np.log(profile.median_price) + season + level + shocks + storm + noise
        log_price += market_mood
        supply = -profile.elasticity * (season + shocks + storm)
        log_volume = np.log(profile.median_volume) + supply + 0.35 * rng.standard_normal(length)
        log_volume += np.array((*WEEKDAY_VOLUME, 0.0))[weekday]
        if item in ("캠벨얼리", "샤인마스캇"):
            log_volume += _monthly_curve(GRAPE_MONTH_VOLUME, day_of_year)
        if item == "샤인마스캇":  # plantings grow: volume up, premium price climbing
            log_volume += 0.5 * (dates.year.to_numpy() - 2018)
            log_price += 0.15 * (dates.year.to_numpy() - 2018)
        log_volume[quiet_sundays] += np.log(0.005)
        price = np.round(np.exp(log_price))
        volume = np.maximum(np.round(np.exp(log_volume), 1), 0.1)
        zero = closed | _item_zero_days(rng, item, dates, closed, sunday)
        zero |= quiet_sundays & (rng.random(length) < 0.45)
        values[volume_column(item)] = np.where(zero, 0.0, volume)
        values[price_column(item)] = np.where(zero, 0.0, price)
    frame = pd.DataFrame(values, index=dates)
    frame.insert(0, WEEKDAY_COLUMN, np.array(WEEKDAYS)[weekday])
    frame.index.freq = "D"
    frame.attrs["source"] = f"make_synthetic_prices(seed={seed}, start={start!r}, end={end!r})"
    return frame


# --------------------------------------------------------------------------- windowing

FEATURES = (
    "price",  # log price (last trading day's on closed days), relative to the origin's
    "volume",  # log(1 + volume); 0 on closed days
    "trading",  # 1 on days the item traded, 0 on holidays and its own zero days
    "season_sin",  # day of year on the unit circle: where in the yearly season we are
    "season_cos",
    "last_year_change",  # log change over the same horizon one year (364 days) earlier
    "price_vs_year",  # log price minus its trailing 364-day mean: how far from normal
)
EXTRA_FEATURES = (
    "price_vs_quarter",  # log price minus its trailing 91-day mean
    "year_ago_gap",  # log price minus the week around the same day a year earlier
    "season_change_7",  # what the season did next, smoothed: the week around t + h minus
    "season_change_14",  # the week around t, one and two years earlier (mean of the two)
    "season_change_28",
    "volume_vs_year",  # the last week's log volume (trading days) minus the last year's
    "market_vs_month",  # mean over all 21 items of log price minus its trailing 28-day mean
)
KNOWN_FEATURES = FEATURES + EXTRA_FEATURES
UNSCALED_FEATURES = ("trading", "season_sin", "season_cos")
SPLITS = ("train", "validation", "test")
YEAR_DAYS = 364  # 52 weeks, so "a year earlier" falls on the same weekday
TEST_DAYS = 365  # the held-out year of the competition protocol


@dataclasses.dataclass
class WindowArrays:
    """The windows of one split as NumPy arrays (n windows, H horizons, L lookback days).

    inputs        (n, L, F) float32  scaled model inputs
    targets       (n, H)    float32  scaled log(price at origin + h / last price); NaN where
                                     there is nothing to score (closed target day, or the
                                     target lies beyond this split)
    actual        (n, H)    float64  price at origin + h (0 on closed days, NaN beyond split)
    last_price    (n,)      float64  last observed trading-day price at the origin
    price_history (n, L)    float64  last trading-day price of each window day (raw won/kg)
    traded_price  (n, L)    float64  each window day's raw price (0 when it did not trade)
    origins       (n,)      datetime64  the forecast origin (the window's last day)
    target_scale  (n, H)    float32  the spread each target was divided by (its item's), so
                                     that a pooled set still knows every window's scale
    """

    inputs: np.ndarray
    targets: np.ndarray
    actual: np.ndarray
    last_price: np.ndarray
    price_history: np.ndarray
    traded_price: np.ndarray
    origins: np.ndarray
    target_scale: np.ndarray

    def __len__(self) -> int:
        return len(self.inputs)


def concat_windows(parts) -> WindowArrays:
    """Stack several items' WindowArrays into one (a pooled training set)."""
    parts = list(parts)
    if not parts:
        raise ValueError("concat_windows needs at least one WindowArrays")
    return WindowArrays(
        **{
            field.name: np.concatenate([getattr(part, field.name) for part in parts])
            for field in dataclasses.fields(WindowArrays)
        }
    )


def last_trading_price(price: np.ndarray) -> np.ndarray:
    """Each day's price, or on a closed day the last trading day's (NaN before the first)."""
    return pd.Series(np.where(price > 0, price, np.nan)).ffill().to_numpy()


def _market_vs_month(prices: pd.DataFrame) -> np.ndarray:
    gaps = []
    for item in ITEMS:
        price = prices[price_column(item)].to_numpy(dtype=np.float64)
        log_price = pd.Series(np.log(last_trading_price(price)))
        gaps.append((log_price - log_price.rolling(28, min_periods=7).mean()).to_numpy())
    gaps = np.column_stack(gaps)
    counts = np.isfinite(gaps).sum(axis=1)  # days before any item traded have none
    return np.where(counts > 0, np.nansum(gaps, axis=1) / np.maximum(counts, 1), 0.0)


class PriceWindows:
    """Sliding windows over one item's daily series, shared by every model and baseline.

    A window ends at its forecast origin t (inclusive) and covers ``lookback`` days; its
    targets are the item's prices at t + h for each h in ``horizons`` (calendar days), as
    the log ratio to the last trading-day price at t, divided by the training split's
    spread. Predicting 0 is therefore the naive "last price" forecast.

    Split, in time order: the last ``test_days`` origins are the test split (the
    competition protocol: every day of the last year whose target is inside the file),
    the ``validation_days`` before it the validation split, everything earlier the training
    split. A target is kept only if it falls inside its origin's split, so no training
    target lies in the validation period and none of those in the test period. The scaler
    (mean and spread of every feature but the 0/1 and sine/cosine ones, spread of the
    targets) sees only rows before the validation period.

    Holiday zeros: in the inputs a closed day carries the last trading-day price, volume 0
    and ``trading`` 0; as a target it is NaN, so it never enters a loss or a score.

    ``item_one_hot=True`` appends 21 constant 0/1 inputs that name the item (``input_names``
    lists every input column): a model trained on the windows of all items together can then
    learn how each item behaves, instead of treating cabbage and dried pepper alike.
    """

    def __init__(
        self,
        prices: pd.DataFrame,
        item: str = "배추",
        horizons=HORIZONS,
        lookback: int = 28,
        features=FEATURES,
        test_days: int = TEST_DAYS,
        validation_days: int = 182,
        item_one_hot: bool = False,
    ):
        if item not in ITEMS:
            close = difflib.get_close_matches(str(item), ITEMS, n=1, cutoff=0.4)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ValueError(f"unknown item {item!r}; choose one of {list(ITEMS)}.{hint}")
        horizons = tuple(int(h) for h in horizons)
        if not horizons or min(horizons) < 1:
            raise ValueError(f"horizons must be positive numbers of days, got {horizons}")
        unknown = [name for name in features if name not in KNOWN_FEATURES]
        if unknown or not features:
            raise ValueError(f"unknown features {unknown}; choose from {list(KNOWN_FEATURES)}")
        if lookback < 8:
            raise ValueError(
                f"lookback must be at least 8 days (the weekly baseline looks 7 days back), "
                f"got {lookback}"
            )
        length = len(prices)
        if test_days < 1 or validation_days < 1:
            raise ValueError("test_days and validation_days must be positive")
        if length < lookback + validation_days + test_days + max(horizons):
            raise ValueError(
                f"{length} days are too few for lookback {lookback} + validation "
                f"{validation_days} + test {test_days} days; shorten them or use more data."
            )
        self.item = item
        self.horizons = horizons
        self.lookback = int(lookback)
        self.features = tuple(features)
        self.item_one_hot = bool(item_one_hot)
        self.input_names = self.features + (
            tuple(f"item={name}" for name in ITEMS) if self.item_one_hot else ()
        )
        self.dates = prices.index
        self.test_start = length - test_days
        self.validation_start = self.test_start - validation_days
        price = prices[price_column(item)].to_numpy(dtype=np.float64)
        volume = prices[volume_column(item)].to_numpy(dtype=np.float64)
        self.price = price
        self.last_price = last_trading_price(price)
        market = _market_vs_month(prices) if "market_vs_month" in self.features else None
        raw_features = self._raw_features(price, volume, market)
        fit_rows = slice(0, self.validation_start)  # the scaler sees the training rows only
        self.feature_mean = np.nanmean(raw_features[fit_rows], axis=0)
        spread = np.nanstd(raw_features[fit_rows], axis=0)
        self.feature_scale = np.where(spread > 1e-12, spread, 1.0)
        # Flags and the season circle are already in [-1, 1]; left as they are they stay
        # readable (trading is 1 or 0).
        for position, name in enumerate(self.features):
            if name in UNSCALED_FEATURES:
                self.feature_mean[position], self.feature_scale[position] = 0.0, 1.0
        scaled = (raw_features - self.feature_mean) / self.feature_scale
        # Before an item's first trade there is no price at all: the training mean (0).
        self.scaled_features = np.nan_to_num(scaled, nan=0.0)
        if self.item_one_hot:
            one_hot = np.zeros((length, len(ITEMS)))
            one_hot[:, ITEMS.index(item)] = 1.0
            self.scaled_features = np.concatenate([self.scaled_features, one_hot], axis=1)
        self.log_ratio = self._log_ratios()
        train_targets = self.log_ratio[self._origin_range("train")]
        self.target_scale = np.nanstd(train_targets, axis=0)
        if not np.all(np.isfinite(self.target_scale)) or np.any(self.target_scale == 0):
            raise ValueError(f"{item}: too few trading days in the training split to scale targets")

    # -- features and targets -------------------------------------------------------------

    def _raw_features(self, price: np.ndarray, volume: np.ndarray, market=None) -> np.ndarray:
        """(T, F) unscaled features; row t uses only rows <= t. ``market``: the
        ``market_vs_month`` column, computed from all items (None when not asked for)."""
        log_price = np.log(self.last_price)
        day_of_year = self.dates.day_of_year.to_numpy(dtype=float)
        angle = 2 * np.pi * day_of_year / 365.25
        horizon = min(self.horizons)  # the first horizon's change one year earlier
        year_ago = pd.Series(log_price).shift(YEAR_DAYS)
        year_ago_later = pd.Series(log_price).shift(YEAR_DAYS - horizon)
        trailing = pd.Series(log_price).rolling(YEAR_DAYS, min_periods=28).mean()
        week = pd.Series(log_price).rolling(7, min_periods=1).mean()  # week[d + 3]: around d

        def around(days_back):  # the 7-day mean centred on t - days_back (all rows <= t)
            return week.shift(days_back - 3)

        def season_change(horizon):
            changes = [around(k * YEAR_DAYS - horizon) - around(k * YEAR_DAYS) for k in (1, 2)]
            return pd.concat(changes, axis=1).mean(axis=1).fillna(0.0).to_numpy()

        quarter = pd.Series(log_price).rolling(91, min_periods=28).mean()
        traded_volume = pd.Series(np.where(price > 0, np.log1p(volume), np.nan))
        volume_vs_year = (
            traded_volume.rolling(7, min_periods=1).mean()
            - traded_volume.rolling(YEAR_DAYS, min_periods=28).mean()
        )
        columns = {
            "price": log_price,
            "volume": np.log1p(volume),
            "trading": (price > 0).astype(float),
            "season_sin": np.sin(angle),
            "season_cos": np.cos(angle),
            "last_year_change": (year_ago_later - year_ago).fillna(0.0).to_numpy(),
            "price_vs_year": (log_price - trailing).fillna(0.0).to_numpy(),
            "price_vs_quarter": (log_price - quarter).fillna(0.0).to_numpy(),
            "year_ago_gap": (log_price - around(YEAR_DAYS)).fillna(0.0).to_numpy(),
            **{f"season_change_{h}": season_change(h) for h in (7, 14, 28)},
            "volume_vs_year": volume_vs_year.fillna(0.0).to_numpy(),
            "market_vs_month": market,
        }
        return np.column_stack([columns[name] for name in self.features])

    def _log_ratios(self) -> np.ndarray:
        """(T, H): log(price[t + h] / last_price[t]); NaN when unknown, closed or past the split."""
        length = len(self.price)
        split_end = np.full(length, length)
        split_end[: self.test_start] = self.test_start
        split_end[: self.validation_start] = self.validation_start
        ratios = np.full((length, len(self.horizons)), np.nan)
        origins = np.arange(length)
        for column, horizon in enumerate(self.horizons):
            target_day = origins + horizon
            inside = target_day < split_end
            future = np.zeros(length)
            future[inside] = self.price[target_day[inside]]
            usable = inside & (future > 0) & np.isfinite(self.last_price)
            ratios[usable, column] = np.log(future[usable] / self.last_price[usable])
        return ratios

    def _origin_range(self, split: str) -> slice:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        bounds = {
            "train": (self.lookback - 1, self.validation_start),
            "validation": (self.validation_start, self.test_start),
            "test": (self.test_start, len(self.price)),
        }
        return slice(*bounds[split])

    # -- the tf.data pipeline -------------------------------------------------------------

    def dataset(self, split: str, batch_size: int = 64, shuffle: bool = False, seed: int = 0):
        """A ``tf.data.Dataset`` of (inputs (batch, L, F), targets (batch, H)) for ``split``.

        Built with ``keras.utils.timeseries_dataset_from_array``; windows with no target to
        score are filtered out.
        """
        import tensorflow as tf

        dataset = self._windows(split, shuffle=shuffle, seed=seed)
        dataset = dataset.map(lambda window: (window["inputs"], window["targets"]))
        return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)

    def _windows(self, split: str, shuffle: bool = False, seed: int = 0):
        import keras
        import tensorflow as tf

        origins = self._origin_range(split)
        n_features = len(self.input_names)
        # One array carries the model inputs and the raw prices the baselines read, so
        # models and baselines see exactly the same windows.
        series = np.column_stack(
            [self.scaled_features, np.nan_to_num(self.last_price), self.price]
        ).astype(np.float64)
        origin_index = np.arange(len(self.price), dtype=np.float64)
        actual = np.full((len(self.price), len(self.horizons)), np.nan)
        for column, horizon in enumerate(self.horizons):
            inside = origin_index + horizon < len(self.price)
            actual[inside, column] = self.price[(origin_index[inside] + horizon).astype(int)]
        per_origin = np.column_stack(
            [self.log_ratio / self.target_scale, actual, self.last_price, origin_index]
        )
        # timeseries_dataset_from_array pairs the window starting at row i with targets[i];
        # our per-origin values belong to the window's last row, i + lookback - 1.
        aligned = np.full_like(per_origin, np.nan)
        aligned[: len(per_origin) - self.lookback + 1] = per_origin[self.lookback - 1 :]
        dataset = keras.utils.timeseries_dataset_from_array(
            series,
            aligned,
            sequence_length=self.lookback,
            batch_size=None,
            shuffle=shuffle,
            seed=seed,
            start_index=origins.start - self.lookback + 1,
            # Keras wants end_index < len(data) and means "up to the end" by None.
            end_index=origins.stop if origins.stop < len(series) else None,
        )
        horizons = len(self.horizons)

        def unpack(window, info):
            scaled = tf.cast(window[:, :n_features], tf.float32)
            if "price" in self.features:
                # Prices relative to the origin's: the window says "how did we get here".
                column = self.features.index("price")
                relative = scaled[:, column] - scaled[-1, column]
                scaled = tf.concat(
                    [scaled[:, :column], relative[:, None], scaled[:, column + 1 :]], axis=1
                )
            return {
                "inputs": scaled,
                "targets": tf.cast(info[:horizons], tf.float32),
                "actual": info[horizons : 2 * horizons],
                "last_price": info[2 * horizons],
                "origin": tf.cast(info[2 * horizons + 1], tf.int64),
                "price_history": window[:, n_features],
                "traded_price": window[:, n_features + 1],
            }

        def scoreable(window):
            has_target = tf.reduce_any(tf.math.is_finite(window["targets"]))
            return has_target & tf.math.is_finite(window["last_price"])

        return dataset.map(unpack).filter(scoreable)

    def arrays(self, split: str) -> WindowArrays:
        """All windows of ``split`` (time order) as :class:`WindowArrays`."""
        batches = list(self._windows(split).batch(4096).as_numpy_iterator())
        if not batches:
            raise ValueError(f"{self.item}: the {split} split has no windows with a target")
        merged = {key: np.concatenate([batch[key] for batch in batches]) for key in batches[0]}
        return WindowArrays(
            inputs=merged["inputs"],
            targets=merged["targets"],
            actual=merged["actual"],
            last_price=merged["last_price"],
            price_history=merged["price_history"],
            traded_price=merged["traded_price"],
            origins=self.dates[merged["origin"]].to_numpy(),
            target_scale=np.broadcast_to(
                self.target_scale.astype(np.float32), merged["targets"].shape
            ).copy(),
        )

    def to_price(self, scaled_log_ratio, last_price) -> np.ndarray:
        """Model outputs (n, H) back to won/kg: last_price * exp(output * target spread)."""
        scaled_log_ratio = np.asarray(scaled_log_ratio, dtype=np.float64)
        if scaled_log_ratio.ndim != 2 or scaled_log_ratio.shape[1] != len(self.horizons):
            raise ValueError(
                f"expected predictions of shape (windows, {len(self.horizons)} horizons), "
                f"got {scaled_log_ratio.shape}"
            )
        return np.asarray(last_price)[:, None] * np.exp(scaled_log_ratio * self.target_scale)

    def __repr__(self) -> str:
        one_hot = ", item one-hot" if self.item_one_hot else ""
        return (
            f"PriceWindows(item={self.item!r}, horizons={self.horizons}, lookback={self.lookback}"
            f", features={len(self.features)}{one_hot}"
            f", validation from {self.dates[self.validation_start]:%Y-%m-%d}"
            f", test from {self.dates[self.test_start]:%Y-%m-%d})"
        )


# --------------------------------------------------------------------------- baselines


def naive_last_price(windows: WindowArrays, n_horizons: int) -> np.ndarray:
    """(n, H): every horizon gets the last trading-day price at the origin."""
    return np.repeat(windows.price_history[:, -1:], n_horizons, axis=1)


def same_weekday_last_week(windows: WindowArrays, n_horizons: int) -> np.ndarray:
    """(n, H): the price one week before the origin (same weekday as 1/2/4-week targets)."""
    return np.repeat(windows.price_history[:, -8:-7], n_horizons, axis=1)


def trailing_mean(windows: WindowArrays, n_horizons: int, days: int = 7) -> np.ndarray:
    """(n, H): mean of the trading-day prices of the last ``days`` days (closed days skipped)."""
    recent = windows.traded_price[:, -days:]
    traded = recent > 0
    counts = traded.sum(axis=1)
    sums = np.where(traded, recent, 0.0).sum(axis=1)
    mean = np.where(counts > 0, sums / np.maximum(counts, 1), windows.price_history[:, -1])
    return np.repeat(mean[:, None], n_horizons, axis=1)


BASELINES = {
    "naive (last price)": naive_last_price,
    "same weekday last week": same_weekday_last_week,
    "trailing 7-day mean": trailing_mean,
}


if __name__ == "__main__":  # python -m helpers.prices: rewrite the committed synthetic file
    write_prices_csv(make_synthetic_prices(), SYNTHETIC_PATH)
    print(f"wrote {SYNTHETIC_PATH} ({SYNTHETIC_PATH.stat().st_size:,} bytes)")
