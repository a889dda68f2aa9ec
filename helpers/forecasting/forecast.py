"""The seminar's three price forecasters, one training routine and a tidy NMAE evaluation.

- Model 1: LSTM (the last hidden state feeds a dense head)
- Model 2: LSTM + attention over its hidden states (the last state is the query)
- Model 3: Conv1D front end + bidirectional LSTM + attention

Every model maps a window ``(batch, lookback, features)`` from
:class:`helpers.forecasting.windows.PriceWindows` to ``(batch, horizons)`` scaled log price ratios
(0 means "same as the last price"). Train them with :func:`fit`, score them with
:func:`evaluate`; :func:`helpers.results.summary_table` turns the scores into a table.
"""

from __future__ import annotations

import dataclasses
import time

import keras
import numpy as np
import pandas as pd
from keras import layers, ops

from helpers import metrics, saved_weights
from helpers.attention import HiddenStateAttention
from helpers.forecasting.windows import BASELINES, PriceWindows, WindowArrays, concat_windows
from helpers.shapes import whole_number

MODEL_NAMES = {
    "lstm": "Model 1: LSTM",
    "lstm_attention": "Model 2: LSTM + attention",
    "cnn_bilstm_attention": "Model 3: CNN + BiLSTM + attention",
    "trees": "gradient-boosted trees",  # helpers.forecasting.trees, the non-deep baseline
}


def _check_sizes(lookback: int, n_features: int, n_horizons: int, units: int) -> None:
    for name, value in {
        "lookback (days)": lookback,
        "n_features": n_features,
        "n_horizons": n_horizons,
        "units": units,
    }.items():
        whole_number(value, name)


def _head(features, n_horizons: int, units: int):
    hidden = layers.Dense(units, activation="tanh", name="attention_vector")(features)
    return layers.Dense(n_horizons, name="forecast")(hidden)


def build_lstm(lookback: int, n_features: int, n_horizons: int, units: int = 32):
    """Model 1: (batch, lookback, n_features) -> LSTM -> Dense -> (batch, n_horizons)."""
    _check_sizes(lookback, n_features, n_horizons, units)
    window = keras.Input((lookback, n_features), name="window")
    last_state = layers.LSTM(units, name="lstm")(window)
    return keras.Model(window, layers.Dense(n_horizons, name="forecast")(last_state), name="lstm")


def build_lstm_attention(lookback: int, n_features: int, n_horizons: int, units: int = 32):
    """Model 2: LSTM states -> attention (query: last state) -> [context; last] -> Dense."""
    _check_sizes(lookback, n_features, n_horizons, units)
    window = keras.Input((lookback, n_features), name="window")
    states = layers.LSTM(units, return_sequences=True, name="lstm")(window)
    context, _ = HiddenStateAttention(units // 2, name="attention")(states)
    last_state = layers.Lambda(lambda s: s[:, -1, :], name="last_state")(states)
    joined = layers.Concatenate(name="context_and_state")([context, last_state])
    return keras.Model(window, _head(joined, n_horizons, units), name="lstm_attention")


def build_cnn_bilstm_attention(
    lookback: int, n_features: int, n_horizons: int, units: int = 32, filters: int = 16
):
    """Model 3: causal Conv1D (3-day patterns) -> BiLSTM states -> attention -> Dense."""
    _check_sizes(lookback, n_features, n_horizons, units)
    window = keras.Input((lookback, n_features), name="window")
    patterns = layers.Conv1D(filters, 3, padding="causal", activation="relu", name="conv")(window)
    states = layers.Bidirectional(layers.LSTM(units // 2, return_sequences=True), name="bilstm")(
        patterns
    )
    context, _ = HiddenStateAttention(units // 2, name="attention")(states)
    last_state = layers.Lambda(lambda s: s[:, -1, :], name="last_state")(states)
    joined = layers.Concatenate(name="context_and_state")([context, last_state])
    return keras.Model(window, _head(joined, n_horizons, units), name="cnn_bilstm_attention")


BUILDERS = {
    "lstm": build_lstm,
    "lstm_attention": build_lstm_attention,
    "cnn_bilstm_attention": build_cnn_bilstm_attention,
}


def attention_weights(model, inputs) -> np.ndarray:
    """The attention layer's weights over the lookback days: (n windows, lookback)."""
    try:
        layer = model.get_layer("attention")
    except ValueError as error:
        raise ValueError(
            f"model {model.name!r} has no attention layer (Model 1 has none)"
        ) from error
    probe = keras.Model(model.inputs, layer.output[1])
    return np.asarray(probe.predict(np.asarray(inputs, dtype=np.float32), verbose=0))


def masked_mae(y_true, y_pred):
    """Mean |y - ŷ| over the targets that exist (NaN marks closed days and out-of-split days).

    On log price ratios this is close to NMAE: |log(ŷ/y)| ≈ |ŷ - y| / y for small errors.
    """
    present = ops.logical_not(ops.isnan(y_true))
    errors = ops.where(present, ops.abs(ops.where(present, y_true, 0.0) - y_pred), 0.0)
    return ops.sum(errors) / ops.maximum(ops.sum(ops.cast(present, y_pred.dtype)), 1.0)


def nmae_loss(y_true, y_pred):
    """The competition's metric as a loss: mean |predicted price / actual price - 1|.

    ``y_true`` packs ``[scaled log-ratio targets (H), their scales (H)]`` (see :func:`fit`),
    so the error is |exp((ŷ - y) · scale) - 1| per target; NaN targets are skipped. Unlike
    :func:`masked_mae` it weighs items and horizons as NMAE does, and, like NMAE, it costs
    more to be too high than too low by the same log amount.
    """
    horizons = ops.shape(y_pred)[-1]
    target, scale = y_true[:, :horizons], y_true[:, horizons:]
    present = ops.logical_not(ops.isnan(target))
    error = ops.abs(ops.exp((y_pred - ops.where(present, target, 0.0)) * scale) - 1.0)
    error = ops.where(present, error, 0.0)
    return ops.sum(error) / ops.maximum(ops.sum(ops.cast(present, y_pred.dtype)), 1.0)


LOSSES = {"mae": masked_mae, "nmae": nmae_loss}


def training_targets(arrays: WindowArrays, loss: str = "mae") -> np.ndarray:
    """What ``model.fit``/``evaluate`` need as targets for ``loss``: the scaled log ratios
    (n, H) for ``"mae"``; for ``"nmae"`` each target's scale next to it, (n, 2H)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {list(LOSSES)}")
    if loss == "nmae":
        return np.concatenate([arrays.targets, arrays.target_scale], axis=1)
    return arrays.targets


@dataclasses.dataclass
class FitResult:
    """One trained model: its key in BUILDERS, seed, Keras model, history and seconds.

    ``epochs`` is how many epochs ran, ``best_epoch`` the one whose weights were kept, and
    ``settings`` the keyword arguments of :func:`fit` that :func:`refit` repeats.
    """

    name: str
    seed: int
    model: keras.Model
    history: dict
    seconds: float
    epochs: int
    best_epoch: int = 0
    settings: dict = dataclasses.field(default_factory=dict)


def _train(name, train, seed, settings, epochs, validation=None, callbacks=()):
    """Build, compile and fit one forecaster: the one trainer behind :func:`fit` and :func:`refit`.

    Returns ``(model, history dict, seconds)``.
    """
    keras.utils.set_random_seed(seed)
    _, lookback, n_features = train.inputs.shape
    model = BUILDERS[name](lookback, n_features, train.targets.shape[1], units=settings["units"])
    model.compile(
        optimizer=keras.optimizers.Adam(settings["learning_rate"]), loss=LOSSES[settings["loss"]]
    )
    validation_data = None
    if validation is not None:
        validation_data = (validation.inputs, training_targets(validation, settings["loss"]))
    start = time.perf_counter()
    history = model.fit(
        train.inputs,
        training_targets(train, settings["loss"]),
        validation_data=validation_data,
        epochs=epochs,
        batch_size=settings["batch_size"],
        shuffle=True,
        verbose=0,
        callbacks=list(callbacks),
    )
    return model, history.history, time.perf_counter() - start


def fit(
    name: str,
    train: WindowArrays,
    validation: WindowArrays,
    seed: int = 0,
    units: int = 32,
    epochs: int = 60,
    patience: int = 8,
    batch_size: int = 64,
    learning_rate: float = 3e-3,
    loss: str = "mae",
    progress: bool = True,
) -> FitResult:
    """Build ``BUILDERS[name]`` and train it with early stopping on the validation loss.

    ``train``/``validation`` are :class:`~helpers.forecasting.windows.WindowArrays` (inputs
    (n, L, F), targets (n, H) with NaN for missing). The best epoch's weights are restored. ``loss``
    is ``"mae"`` (:func:`masked_mae` on the scaled log ratios) or ``"nmae"`` (:func:`nmae_loss`,
    the competition's metric on prices).
    """
    if name not in BUILDERS:
        raise ValueError(f"unknown model {name!r}; choose one of {list(BUILDERS)}")
    whole_number(epochs, "epochs")
    whole_number(patience, "patience", unit="epochs without a better validation loss")
    whole_number(batch_size, "batch_size", unit="windows")
    training_targets(train, loss)  # an unknown loss fails here, before any training
    if train.inputs.shape[1:] != validation.inputs.shape[1:]:
        raise ValueError(
            f"train windows {train.inputs.shape[1:]} and validation windows "
            f"{validation.inputs.shape[1:]} differ in (lookback, features)"
        )
    settings = {
        "units": units,
        "batch_size": batch_size,
        "learning_rate": learning_rate,
        "loss": loss,
    }
    callbacks = [
        keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=patience, restore_best_weights=True
        )
    ]
    if progress:
        from helpers.progress import CompactProgress

        callbacks.append(CompactProgress(f"{MODEL_NAMES[name]} (seed {seed})"))
    model, history, seconds = _train(name, train, seed, settings, epochs, validation, callbacks)
    losses = history["val_loss"]
    best_epoch = int(np.nanargmin(losses)) + 1 if np.isfinite(losses).any() else len(losses)
    return FitResult(name, seed, model, history, seconds, len(losses), best_epoch, settings)


def refit(result: FitResult, train, validation) -> FitResult:
    """Train ``result``'s model afresh on the training and validation windows together.

    Same builder, seed and settings, for the ``best_epoch`` epochs that early stopping chose
    on the validation split, so the model also learns from the months just before the
    forecast period (in a drifting market the most informative ones). There is nothing left
    to stop on, which is why the epoch count comes from ``result``.
    """
    if not result.settings or result.best_epoch < 1:
        raise ValueError("refit needs a FitResult from forecast.fit (settings and best_epoch)")
    both = concat_windows([train, validation])
    model, history, seconds = _train(
        result.name, both, result.seed, result.settings, result.best_epoch
    )
    return dataclasses.replace(
        result, model=model, history=history, seconds=result.seconds + seconds
    )


class SeedEnsemble:
    """Averages the outputs (scaled log ratios) of the same model trained with several seeds.

    ``SeedEnsemble(models).predict(inputs)`` has the Keras ``predict`` signature: inputs
    (n, L, F) -> (n, H). Averaging seeds smooths out each run's own quirks. Any forecasters
    with that signature can be averaged, ensembles too; ``weights`` (one per model, summing
    to 1) blend them unequally.
    """

    def __init__(self, models, weights=None):
        self.models = list(models)
        if not self.models:
            raise ValueError("SeedEnsemble needs at least one trained model")
        if weights is None:
            weights = np.full(len(self.models), 1 / len(self.models))
        self.weights = np.asarray(weights, dtype=np.float64)
        if (
            self.weights.shape != (len(self.models),)
            or np.any(self.weights < 0)
            or not np.isclose(self.weights.sum(), 1.0)
        ):
            raise ValueError(
                f"expected {len(self.models)} non-negative weights summing to 1, got {weights}"
            )

    def predict(self, inputs, verbose=0, batch_size=1024):
        outputs = [m.predict(inputs, verbose=verbose, batch_size=batch_size) for m in self.models]
        return np.average(outputs, axis=0, weights=self.weights)


def seed_ensembles(results) -> list:
    """One ``(label, NaN, SeedEnsemble)`` per model name in ``results`` (FitResults), for
    :func:`evaluate`; the label says how many seeds were averaged."""
    by_name = {}
    for result in results:
        by_name.setdefault(result.name, []).append(result.model)
    return [
        (f"{MODEL_NAMES[name]}, {len(models)}-seed ensemble", np.nan, SeedEnsemble(models))
        for name, models in by_name.items()
    ]


def load_forecaster(name: str, arrays: WindowArrays, path, units: int = 32) -> keras.Model:
    """``BUILDERS[name]`` shaped for the windows of ``arrays``, with the weights that
    :func:`helpers.saved_weights.save` wrote at ``path`` for a model trained on windows of
    the same shape."""
    if name not in BUILDERS:
        raise ValueError(f"unknown model {name!r}; choose one of {list(BUILDERS)}")
    _, lookback, n_features = arrays.inputs.shape
    return saved_weights.load(
        BUILDERS[name](lookback, n_features, arrays.targets.shape[1], units=units),
        path,
        made_by="run benchmarks/forecast.py --explorer-weights",
        same_model=(
            f"build the windows as the weights were trained (these have {lookback} days x "
            f"{n_features} inputs; the pooled weights need PriceWindows(..., "
            "item_one_hot=True) on the 21 items)"
        ),
    )


def predict_prices(model, windows: PriceWindows, arrays: WindowArrays):
    """(n, H) price forecasts in won/kg for the windows in ``arrays``."""
    scaled = model.predict(arrays.inputs, verbose=0, batch_size=1024)
    return windows.to_price(scaled, arrays.last_price)


def nmae_by_horizon(actual, predicted, horizons) -> dict:
    """{horizon: NMAE} over the windows whose target exists (finite, non-zero actual)."""
    actual = np.asarray(actual, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    if actual.shape != predicted.shape or actual.shape[1] != len(horizons):
        raise ValueError(
            f"expected actual and predicted of shape (windows, {len(horizons)}), got "
            f"{actual.shape} and {predicted.shape}"
        )
    scores = {}
    for column, horizon in enumerate(horizons):
        known = np.isfinite(actual[:, column])
        scores[horizon] = metrics.nmae(actual[known, column], predicted[known, column])
    return scores


def evaluate(
    results, windows: PriceWindows, split: str = "test", baselines: bool = True
) -> pd.DataFrame:
    """Tidy NMAE table: one row per (model, seed, horizon_days), plus each baseline (seed NaN).

    ``results`` is a list of :class:`FitResult` (or of ``(label, seed, keras model)``).
    Columns: item, model, seed, horizon_days, nmae.
    """
    arrays = windows.arrays(split)
    rows = []

    def add(label, seed, predicted):
        for horizon, score in nmae_by_horizon(arrays.actual, predicted, windows.horizons).items():
            rows.append((windows.item, label, seed, horizon, score))

    if baselines:
        for label, baseline in BASELINES.items():
            add(label, np.nan, baseline(arrays, len(windows.horizons)))
    for result in results:
        if isinstance(result, FitResult):
            label, seed, model = MODEL_NAMES[result.name], result.seed, result.model
        else:
            label, seed, model = result
        add(label, seed, predict_prices(model, windows, arrays))
    return pd.DataFrame(rows, columns=["item", "model", "seed", "horizon_days", "nmae"])
