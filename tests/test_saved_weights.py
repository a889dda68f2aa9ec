"""helpers.saved_weights: any built Keras model's weights to a .npz file and back."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import saved_weights


def _model(units: int = 4) -> keras.Model:
    inputs = keras.Input((3,))
    return keras.Model(inputs, keras.layers.Dense(units)(keras.layers.Dense(5)(inputs)))


def test_weights_come_back_into_a_fresh_model(tmp_path):
    keras.utils.set_random_seed(0)
    trained, fresh = _model(), _model()
    path = tmp_path / "model.npz"
    saved_weights.save(trained, path)
    loaded = saved_weights.load(fresh, path, made_by="unused", same_model="unused")
    inputs = np.ones((2, 3), "float32")
    assert loaded is fresh
    np.testing.assert_array_equal(
        fresh.predict(inputs, verbose=0), trained.predict(inputs, verbose=0)
    )


def test_float16_halves_the_file_and_loads_as_float32(tmp_path):
    model = _model(units=64)
    saved_weights.save(model, tmp_path / "full.npz")
    saved_weights.save(model, tmp_path / "half.npz", dtype="float16")
    assert (tmp_path / "half.npz").stat().st_size < 0.7 * (tmp_path / "full.npz").stat().st_size
    saved_weights.load(_model(units=64), tmp_path / "half.npz", "unused", "unused")


def test_a_missing_file_or_other_shapes_say_how_to_fix_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the benchmark to make them"):
        saved_weights.load(_model(), tmp_path / "none.npz", "run the benchmark", "unused")
    saved_weights.save(_model(units=4), tmp_path / "four.npz")
    with pytest.raises(ValueError, match=r"needs .*\(5, 6\).*: build it with 6 units"):
        saved_weights.load(
            _model(units=6), tmp_path / "four.npz", "unused", "build it with 6 units"
        )
