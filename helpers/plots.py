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


def timeline(events: list[tuple[int, str]], ax=None):
    """A horizontal timeline of ``(year, label)`` events, labels alternating above and below."""
    if not events:
        raise ValueError("timeline needs at least one (year, label) event")
    fig, ax = _new_axes(ax, figsize=(11, 3.2))
    years = [year for year, _ in events]
    ax.axhline(0, color="0.4", linewidth=2, zorder=1)
    ax.scatter(years, [0] * len(years), s=90, color="tab:blue", zorder=2)
    for index, (year, label) in enumerate(events):
        offset = 1 if index % 2 == 0 else -1
        ax.annotate(
            f"{year}\n{label}",
            xy=(year, 0),
            xytext=(0, 38 * offset),
            textcoords="offset points",
            ha="center",
            va="bottom" if offset > 0 else "top",
            fontsize=12,
            arrowprops={"arrowstyle": "-", "color": "0.6"},
        )
    ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlabel("year")
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    return fig
