"""A trained model's weights as a compressed ``.npz`` file: what the benchmarks write and the
notebooks load instead of training for minutes.

Any built Keras model: :mod:`helpers.translation.seq2seq` builds its subclassed models first, the
forecasters of :mod:`helpers.forecasting.forecast` are built when they are made.
"""

from __future__ import annotations

import pathlib

import numpy as np


def save(model, path, dtype: str = "float32") -> None:
    """Write the model's weights (not the optimizer's state) to ``path``.

    ``dtype="float16"`` halves the file (for the large real-corpus vocabularies); :func:`load`
    casts back to float32.
    """
    arrays = {
        f"w{index:02d}": np.asarray(value, dtype=dtype)
        for index, value in enumerate(model.get_weights())
    }
    np.savez_compressed(path, **arrays)


def load(model, path, made_by: str, same_model: str):
    """Load weights written by :func:`save` into ``model``, which must have the same shapes.

    The errors name the fix: ``made_by`` says what writes the file when it is missing,
    ``same_model`` how to build a model that fits it when the shapes differ.
    """
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no saved weights at {path}; {made_by} to make them")
    with np.load(path) as stored:
        arrays = [stored[name] for name in sorted(stored.files)]
    expected = [tuple(weight.shape) for weight in model.get_weights()]
    if [array.shape for array in arrays] != expected:
        raise ValueError(
            f"{path.name} holds weights of shapes {[a.shape for a in arrays]}, but this model "
            f"needs {expected}: {same_model}"
        )
    model.set_weights([array.astype("float32") for array in arrays])
    return model
