"""Gradient-boosted trees on a flat summary of each price window: the strong non-deep
baseline that the three forecasters of :mod:`helpers.forecasting.forecast` are measured against.

The trees see what the LSTM sees, boiled down to one row per window: every input on the
origin day, the price at chosen lags, the last days' volumes, the window's mean volume and
trading share, and the item (one categorical code, when the windows carry the item one-hot).
One scikit-learn ``HistGradientBoostingRegressor`` per horizon fits the scaled log ratio,
each window weighted by its target scale, by the pinball loss of its 0.35 quantile: an
absolute error that weighs overshooting more. NMAE divides each miss by the actual
price, so forecasting twice the price costs 100 % and half of it only 50 %: the best
forecast lies a little below the median.

A :class:`TreeForecaster` has the Keras ``predict`` signature, so
:func:`helpers.forecasting.forecast.evaluate` and
:class:`helpers.forecasting.forecast.SeedEnsemble` take it as they take a Keras model.
"""

from __future__ import annotations

import time

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from threadpoolctl import threadpool_limits

from helpers.forecasting import forecast
from helpers.forecasting.windows import WindowArrays

PRICE_LAGS = (1, 2, 3, 4, 5, 6, 7, 10, 13, 14, 20, 21, 27)  # days before the origin
VOLUME_DAYS = 6  # the volumes of the last days before the origin, one column each
SINGLE_THREAD_BELOW = 5000  # windows; fewer fit faster on one thread (benchmarks/DECISIONS.md)
ITEM_PREFIX = "item="  # how PriceWindows.input_names name the one-hot columns
# Chosen by the checks before the test year: benchmarks/DECISIONS.md (what else was probed).
TREE_SETTINGS = {
    "max_iter": 300,
    "learning_rate": 0.05,
    "max_leaf_nodes": 7,
    "min_samples_leaf": 40,
    "early_stopping": True,  # a random tenth of the rows, so the seed matters
    "loss": "quantile",
    "quantile": 0.35,
}


def _split_names(input_names) -> tuple[list[int], list[int]]:
    """Positions of the ordinary inputs and of the item one-hot columns."""
    names = list(input_names)
    if "price" not in names:
        raise ValueError(
            f"the trees need the 'price' input; the windows have {names}. "
            "Build PriceWindows with 'price' among its features."
        )
    items = [i for i, name in enumerate(names) if name.startswith(ITEM_PREFIX)]
    plain = [i for i in range(len(names)) if i not in items]
    return plain, items


def summary_names(input_names, lookback: int) -> list[str]:
    """The column names of :func:`window_summary`'s output, in order."""
    names = list(input_names)
    plain, items = _split_names(names)
    columns = [f"{names[i]} (origin)" for i in plain]
    columns += [f"price, {lag} d before" for lag in PRICE_LAGS if lag < lookback]
    if "volume" in names:
        columns += [
            f"volume, {day} d before" for day in range(1, min(VOLUME_DAYS, lookback - 1) + 1)
        ]
        columns.append("volume, window mean")
    if "trading" in names:
        columns.append("trading, window mean")
    if items:
        columns.append("item")
    return columns


def window_summary(inputs, input_names) -> np.ndarray:
    """One row per window, the columns of :func:`summary_names`.

    ``inputs`` is ``(windows, lookback, features)`` with ``input_names`` naming the
    features (``PriceWindows.input_names``). Lags the lookback does not reach are left out.
    """
    inputs = np.asarray(inputs, dtype=np.float64)
    names = list(input_names)
    if inputs.ndim != 3 or inputs.shape[2] != len(names):
        raise ValueError(
            f"expected inputs of shape (windows, lookback, {len(names)}) for the input names "
            f"{names}, got {inputs.shape}"
        )
    plain, items = _split_names(names)
    lookback = inputs.shape[1]
    price = inputs[:, :, names.index("price")]
    columns = [inputs[:, -1, i] for i in plain]
    columns += [price[:, -1 - lag] for lag in PRICE_LAGS if lag < lookback]
    if "volume" in names:
        volume = inputs[:, :, names.index("volume")]
        days = range(1, min(VOLUME_DAYS, lookback - 1) + 1)
        columns += [volume[:, -1 - day] for day in days]
        columns.append(volume.mean(axis=1))
    if "trading" in names:
        columns.append(inputs[:, :, names.index("trading")].mean(axis=1))
    if items:
        columns.append(np.argmax(inputs[:, -1, items], axis=1).astype(np.float64))
    return np.stack(columns, axis=1)


class TreeForecaster:
    """One boosted-trees regressor per horizon; ``predict(inputs)`` -> (n, H) scaled log
    ratios, like the Keras forecasters."""

    def __init__(self, regressors, input_names):
        self.regressors = list(regressors)
        self.input_names = tuple(input_names)

    def predict(self, inputs, verbose=0, batch_size=None):  # noqa: ARG002  (Keras signature)
        rows = window_summary(inputs, self.input_names)
        return np.stack([r.predict(rows) for r in self.regressors], axis=1).astype(np.float32)


def fit_trees(train: WindowArrays, input_names, seed: int = 0, **settings) -> forecast.FitResult:
    """Fit one regressor per horizon on ``train`` (windows whose target is missing are
    skipped for that horizon). ``settings`` override :data:`TREE_SETTINGS`.

    Returns a :class:`helpers.forecasting.forecast.FitResult` named ``"trees"`` whose model is a
    :class:`TreeForecaster`; ``epochs`` is the number of boosting rounds of the longest fit.
    """
    rows = window_summary(train.inputs, input_names)
    item_column = [name == "item" for name in summary_names(input_names, train.inputs.shape[1])]
    settings = {**TREE_SETTINGS, **settings}
    start = time.perf_counter()
    regressors = []
    for h in range(train.targets.shape[1]):
        known = np.isfinite(train.targets[:, h])
        if not known.any():
            raise ValueError(f"no training window has a target for horizon {h + 1}")
        regressor = HistGradientBoostingRegressor(
            categorical_features=item_column if any(item_column) else None,
            random_state=seed,
            **settings,
        )
        with threadpool_limits(1 if len(rows) < SINGLE_THREAD_BELOW else None):
            regressor.fit(
                rows[known], train.targets[known, h], sample_weight=train.target_scale[known, h]
            )
        regressors.append(regressor)
    seconds = time.perf_counter() - start
    rounds = max(r.n_iter_ for r in regressors)
    return forecast.FitResult(
        "trees",
        seed,
        TreeForecaster(regressors, input_names),
        {},
        seconds,
        rounds,
        rounds,
        settings,
    )
