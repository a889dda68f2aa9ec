"""Every setting a learner changes in a notebook gives a clear error on a bad value.

Epochs, units, the item, the horizons, the lookback, the features, the loss and the beam
width: each bad value is refused before any training starts, with a message that names the
setting and says what it must be (or lists the valid values). The one home of these checks;
the attention score's is in test_attention.py, the typed sentence's in test_translator.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import experiments
from helpers.forecasting import forecast, price_schema
from helpers.forecasting.windows import SPLITS, PriceWindows
from helpers.shapes import whole_number
from helpers.translation import models, training


@pytest.mark.parametrize("bad", [0, -1, 2.5, "3", None, True])
def test_a_count_that_is_not_a_whole_number_is_named(bad):
    with pytest.raises(ValueError, match=r"epochs must be a whole number of at least 1"):
        whole_number(bad, "epochs")


def test_whole_number_passes_numpy_integers_through_as_int():
    assert whole_number(np.int64(3), "units") == 3 and type(whole_number(3, "units")) is int


@pytest.mark.parametrize("epochs", [0, 2.5, "3"])
def test_translation_training_refuses_bad_epochs_before_training(model, epochs):
    ids = np.ones((2, 3), "int32")
    with pytest.raises(ValueError, match=r"epochs must be a whole number.*passes over"):
        training.fit(model, ids, ids, ids, epochs=epochs)


@pytest.mark.parametrize("units", [0, 2.5, "64"])
def test_a_model_size_override_must_be_a_whole_number(units):
    with pytest.raises(ValueError, match=r"units must be a whole number of at least 1"):
        models.build("attention_luong_dot", 20, 20, units=units)


def test_an_unknown_setting_or_experiment_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"has no setting \['unit'\]; its settings are"):
        models.build("attention_luong_dot", 20, 20, unit=8)
    with pytest.raises(ValueError, match=r"unknown experiment 'bahdanau'; expected one of"):
        experiments.experiment("bahdanau")


@pytest.fixture(scope="module")
def market():
    return price_schema.load_prices(price_schema.SYNTHETIC_PATH)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"item": "cabbage"}, r"unknown item 'cabbage'; choose one of this market's items"),
        ({"item": "배쭈"}, "unknown item '배쭈'.*Did you mean '배추'"),
        ({"horizons": 7}, r"horizons must be a tuple of days ahead such as \(7, 14, 28\)"),
        ({"horizons": (7, 5.5)}, r"each horizon must be a whole number.*got 5.5"),
        ({"horizons": ("14",)}, r"each horizon must be a whole number.*got '14'"),
        ({"horizons": (0, 7)}, "each horizon must be a whole number of at least 1"),
        ({"features": ("price", "rain")}, r"unknown features \['rain'\]"),
        ({"lookback": 28.0}, r"lookback must be a whole number of at least 8"),
        ({"lookback": 5}, "lookback must be a whole number of at least 8"),
        ({"test_days": 5000}, "too few"),
    ],
)
def test_bad_forecast_settings_are_named(market, settings, message):
    with pytest.raises(ValueError, match=message):
        PriceWindows(market, **{"item": "배추", **settings})


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"name": "transformer"}, r"unknown model 'transformer'; choose one of \['lstm'"),
        ({"epochs": 0}, r"epochs must be a whole number of at least 1"),
        ({"patience": 2.5}, r"patience must be a whole number"),
        ({"units": "32"}, r"units must be a whole number"),
        ({"loss": "mse"}, "unknown loss 'mse'"),
    ],
)
def test_bad_forecaster_settings_are_named_before_training(market, settings, message):
    windows = PriceWindows(market, "배추")
    train, validation, _ = (windows.arrays(split) for split in SPLITS)
    with pytest.raises(ValueError, match=message):
        forecast.fit(**{"name": "lstm", "train": train, "validation": validation, **settings})


def test_the_translation_widget_lists_its_beam_widths():
    from helpers.teaching import widgets

    with pytest.raises(ValueError, match=r"beam_width must be one of \[1, 3, 5\], got 4"):
        widgets.translate_your_own([object()], beam_width=4)
