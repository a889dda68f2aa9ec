"""Scores used across the series: translation accuracy, alignment error, NMAE.

Each function documents its inputs' shapes and raises a ValueError that names
what was expected when they do not fit.
"""

from __future__ import annotations

import numpy as np  # noqa: F401


def nmae(y_true, y_pred) -> float:
    """Normalised mean absolute error of the 2021 price competition.

    ``mean(|y - ŷ| / y)`` over the entries whose actual price ``y`` is not zero (days
    without trading are not scored). ``y_true`` and ``y_pred`` have the same shape, any
    number of dimensions; returns a float. Average per-horizon values yourself to get the
    competition's score (mean over 1, 2 and 4 weeks).
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"nmae needs y_true and y_pred of the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError(
            "nmae got NaN or infinite values; select the scored entries first "
            "(e.g. y_true[np.isfinite(y_true)])"
        )
    if np.any(y_true < 0):
        raise ValueError("nmae expects actual prices >= 0; a negative price is a data error")
    scored = y_true != 0
    if not scored.any():
        raise ValueError("nmae has nothing to score: every actual price is zero")
    return float(np.mean(np.abs(y_true[scored] - y_pred[scored]) / y_true[scored]))
