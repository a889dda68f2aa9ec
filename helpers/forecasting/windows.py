"""Windowing, scaling and the naive baselines: what every forecaster is fed and measured by.

:class:`PriceWindows` is the one windowing object every model and baseline uses: the same
windows, the same time-ordered split, a scaler fitted on the training part only. It reads a
frame shaped like :func:`helpers.forecasting.price_schema.load_prices`' result, with whatever
items that frame has (:func:`helpers.forecasting.price_schema.items_of`): the competition's 21
or a market of one's own.
"""

from __future__ import annotations

import dataclasses
import difflib
import numbers

import numpy as np
import pandas as pd

from helpers.experiments import NAIVE, SPLITS
from helpers.forecasting.price_schema import HORIZONS, items_of, price_column, volume_column
from helpers.shapes import whole_number

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
    "market_vs_month",  # mean over the frame's items of log price minus its trailing 28-day mean
)
KNOWN_FEATURES = FEATURES + EXTRA_FEATURES
UNSCALED_FEATURES = ("trading", "season_sin", "season_cos")
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
    """Each day's mean over the frame's items of log price minus its trailing 28-day mean."""
    gaps = []
    for item in items_of(prices):
        price = prices[price_column(item)].to_numpy(dtype=np.float64)
        log_price = pd.Series(np.log(last_trading_price(price)))
        gaps.append((log_price - log_price.rolling(28, min_periods=7).mean()).to_numpy())
    gaps = np.column_stack(gaps)
    counts = np.isfinite(gaps).sum(axis=1)  # days before any item traded have none
    return np.where(counts > 0, np.nansum(gaps, axis=1) / np.maximum(counts, 1), 0.0)


def _check_settings(
    length: int, item, items, horizons, lookback, features, test_days, validation_days
) -> tuple:
    """Raise ValueError, naming the fix, for :class:`PriceWindows` settings that cannot make
    windows of a ``length``-day series whose items are ``items``; return ``horizons`` as a
    tuple of ints."""
    if item not in items:
        close = difflib.get_close_matches(str(item), items, n=1, cutoff=0.4)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown item {item!r}; choose one of this market's items {list(items)}.{hint}"
        )
    if isinstance(horizons, (str, numbers.Number)) or not horizons:
        raise ValueError(
            f"horizons must be a tuple of days ahead such as (7, 14, 28) or (7,), got {horizons!r}"
        )
    horizons = tuple(
        whole_number(h, "each horizon", unit="days ahead, such as 7") for h in horizons
    )
    unknown = [name for name in features if name not in KNOWN_FEATURES]
    if unknown or not features:
        raise ValueError(f"unknown features {unknown}; choose from {list(KNOWN_FEATURES)}")
    # The weekly baseline looks 7 days back, so a window needs at least 8.
    whole_number(lookback, "lookback", at_least=8, unit="days")
    if test_days < 1 or validation_days < 1:
        raise ValueError("test_days and validation_days must be positive")
    if length < lookback + validation_days + test_days + max(horizons):
        raise ValueError(
            f"{length} days are too few for lookback {lookback} + validation "
            f"{validation_days} + test {test_days} days; shorten them or use more data."
        )
    return horizons


def _item_series(prices: pd.DataFrame, item: str) -> tuple[np.ndarray, np.ndarray]:
    """One item's daily (price, volume) as float64 arrays."""
    price = prices[price_column(item)].to_numpy(dtype=np.float64)
    return price, prices[volume_column(item)].to_numpy(dtype=np.float64)


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

    ``item_one_hot=True`` appends one constant 0/1 input per item of the frame (the
    competition's 21, or the items of one's own file, in file order) that names the item
    (``input_names`` lists every input column): a model trained on the windows of all items
    together can then learn how each item behaves, instead of treating cabbage and dried
    pepper alike. ``items`` holds the frame's items; ``item`` must be one of them.
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
        self.items = items_of(prices)
        horizons = _check_settings(
            len(prices), item, self.items, horizons, lookback, features, test_days, validation_days
        )
        self.item = item
        self.horizons = horizons
        self.lookback = int(lookback)
        self.features = tuple(features)
        self.item_one_hot = bool(item_one_hot)
        self.input_names = self.features + (
            tuple(f"item={name}" for name in self.items) if self.item_one_hot else ()
        )
        self.dates = prices.index
        self.test_start = len(prices) - test_days
        self.validation_start = self.test_start - validation_days
        self.price, volume = _item_series(prices, item)
        self.last_price = last_trading_price(self.price)
        market = _market_vs_month(prices) if "market_vs_month" in self.features else None
        raw_features = self._raw_features(self.price, volume, market)
        self.feature_mean, self.feature_scale = self._fit_scaler(raw_features)
        self.scaled_features = self._scaled_inputs(raw_features)
        self.log_ratio = self._log_ratios()
        self.target_scale = self._fit_target_scale()

    # -- scaler -----------------------------------------------------------------------------

    def _fit_scaler(self, raw_features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each feature's mean and spread over the training rows only (the scaler never sees
        the validation or test period)."""
        fit_rows = slice(0, self.validation_start)
        mean = np.nanmean(raw_features[fit_rows], axis=0)
        spread = np.nanstd(raw_features[fit_rows], axis=0)
        scale = np.where(spread > 1e-12, spread, 1.0)
        # Flags and the season circle are already in [-1, 1]; left as they are they stay
        # readable (trading is 1 or 0).
        for position, name in enumerate(self.features):
            if name in UNSCALED_FEATURES:
                mean[position], scale[position] = 0.0, 1.0
        return mean, scale

    def _scaled_inputs(self, raw_features: np.ndarray) -> np.ndarray:
        """(T, len(input_names)): the scaled features, then the item one-hot if asked for."""
        scaled = (raw_features - self.feature_mean) / self.feature_scale
        # Before an item's first trade there is no price at all: the training mean (0).
        scaled = np.nan_to_num(scaled, nan=0.0)
        if not self.item_one_hot:
            return scaled
        one_hot = np.zeros((len(scaled), len(self.items)))
        one_hot[:, self.items.index(self.item)] = 1.0
        return np.concatenate([scaled, one_hot], axis=1)

    def _fit_target_scale(self) -> np.ndarray:
        """(H,): the spread of each horizon's log ratio over the training targets."""
        scale = np.nanstd(self.log_ratio[self._origin_range("train")], axis=0)
        if not np.all(np.isfinite(scale)) or np.any(scale == 0):
            raise ValueError(
                f"{self.item}: too few trading days in the training split to scale targets"
            )
        return scale

    # -- features and targets -------------------------------------------------------------

    def _raw_features(self, price: np.ndarray, volume: np.ndarray, market=None) -> np.ndarray:
        """(T, F) unscaled features; row t uses only rows <= t. ``market``: the
        ``market_vs_month`` column, computed from all the frame's items (None when not asked
        for)."""
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
    NAIVE: naive_last_price,
    "same weekday last week": same_weekday_last_week,
    "trailing 7-day mean": trailing_mean,
}
