"""The seeded synthetic market behind ``data/prices_synthetic.csv``.

The real competition file cannot be shipped, so :func:`make_synthetic_prices` draws a stand-in
with exactly its schema (:mod:`helpers.forecasting.price_schema`) and the real market's
habits: yearly seasons, a weekly trading rhythm, market holidays as rows of zeros, shocks that
last weeks and volume that moves against price. ``python -m helpers.forecasting.synthetic_market``
rewrites the committed file; with the same seed it comes out byte for byte the same.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from helpers.forecasting.price_schema import (
    DATE_COLUMN,
    ITEMS,
    SYNTHETIC_PATH,
    WEEKDAY_COLUMN,
    WEEKDAYS,
    price_column,
    volume_column,
    write_prices_csv,
)

SYNTHETIC_SEED = 2021
SYNTHETIC_START = "2016-01-01"
SYNTHETIC_END = "2020-09-28"  # the real training file's span, so the two files line up

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
    """A seeded synthetic market in the competition schema, shaped like
    :func:`helpers.forecasting.price_schema.load_prices`.

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
    frame.attrs["items"] = ITEMS
    return frame


if (
    __name__ == "__main__"
):  # python -m helpers.forecasting.synthetic_market: rewrite the committed file
    write_prices_csv(make_synthetic_prices(), SYNTHETIC_PATH)
    print(f"wrote {SYNTHETIC_PATH} ({SYNTHETIC_PATH.stat().st_size:,} bytes)")
