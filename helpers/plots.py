"""Figures of the series: gate traces, attention heatmaps, learning curves, forecasts.

Every function takes plain arrays, draws on a new or given Axes, labels both
axes and returns the Figure, so notebooks stay one line per figure. Call
``runtime.setup()`` first: it registers the Hangul font and the plot style.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def _new_axes(ax=None, figsize=None):
    """Return (fig, ax): the given Axes and its figure, or a fresh pair."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def learning_curves(histories: dict, metric: str = "loss", ax=None):
    """Plot ``metric`` per epoch for several runs: ``{label: keras History or dict}``."""
    fig, ax = _new_axes(ax)
    for label, history in histories.items():
        values = getattr(history, "history", history)
        if metric not in values:
            raise KeyError(f"history {label!r} has no {metric!r}; it has {sorted(values)}")
        epochs = np.arange(1, len(values[metric]) + 1)
        ax.plot(epochs, values[metric], marker="o", label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(metric)
    ax.legend()
    return fig
