"""Figures of one LSTM unit: its gates and states over time, and one step as bars (01, 02).

Like :mod:`helpers.plots`, each function takes plain arrays and returns the Figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from helpers.plots import new_axes, two_decimals

GATE_STYLE = {
    "input_gate": ("input gate i (입력 게이트)", "#1b9e77"),
    "forget_gate": ("forget gate f (망각 게이트)", "#d95f02"),
    "output_gate": ("output gate o (출력 게이트)", "#7570b3"),
    "candidate": ("candidate g (후보 값)", "#e7298a"),
    "cell": ("cell state c (셀 상태)", "#1f78b4"),
    "hidden": ("hidden state h (은닉 상태)", "#33a02c"),
}


def gate_traces(traces: dict, step_labels=None, marker_step=None, title: str = ""):
    """One LSTM unit over time: gates on top (0 to 1), cell and hidden state below.

    ``traces``: name → array of shape (T,), with names as in ``GateTrace.select``
    (``input_gate``, ``forget_gate``, ``output_gate``, ``cell``, ``hidden``;
    ``candidate`` optional). ``step_labels``: T tick labels (e.g. the input
    symbols); ``marker_step``: a step to highlight. Returns the Figure.
    """
    needed = ("input_gate", "forget_gate", "output_gate", "cell", "hidden")
    missing = [name for name in needed if name not in traces]
    if missing:
        raise KeyError(f"gate_traces needs {missing}; pass GateTrace.select(...)")
    lengths = {name: len(np.asarray(traces[name])) for name in traces}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"all traces need the same length (time steps), got {lengths}")
    steps = np.arange(lengths["cell"])
    fig, (gates_ax, state_ax) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
    for name in ("input_gate", "forget_gate", "output_gate"):
        label, color = GATE_STYLE[name]
        gates_ax.plot(steps, traces[name], marker="o", ms=4, color=color, label=label)
    gates_ax.set_ylim(-0.05, 1.05)
    gates_ax.set_ylabel("gate activation (게이트 값)")
    for name in ("candidate", "cell", "hidden"):
        if name in traces:
            label, color = GATE_STYLE[name]
            style = "--" if name == "candidate" else "-"
            state_ax.plot(steps, traces[name], style, marker="o", ms=4, color=color, label=label)
    state_ax.axhline(0, color="gray", lw=0.8)
    state_ax.set_ylabel("value (값)")
    state_ax.set_xlabel("time step (시점)")
    for ax in (gates_ax, state_ax):
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))
        if marker_step is not None:
            ax.axvspan(marker_step - 0.4, marker_step + 0.4, color="gold", alpha=0.35, lw=0)
    if step_labels is not None:
        state_ax.set_xticks(steps, labels=list(step_labels))
    if title:
        gates_ax.set_title(title)
    fig.tight_layout()
    return fig


def gate_bars(step: dict, c_prev: float, title: str = "", ax=None):
    """One step of a one-unit LSTM as bars: gates i, f, o, candidate g, then c_{t-1}, c_t, h_t.

    ``step``: name → scalar or size-1 array (what ``lstm.lstm_step`` returns for
    one unit); ``c_prev``: the cell state before the step. Returns the Figure.
    """
    fig, ax = new_axes(ax, figsize=(9, 4.5))
    names = ["input_gate", "forget_gate", "output_gate", "candidate"]
    values = [float(np.asarray(step[name]).reshape(-1)[0]) for name in names]
    labels = ["i", "f", "o", "g"]
    colors = [GATE_STYLE[name][1] for name in names]
    for name, label in (("c_prev", "c_t−1"), ("cell", "c_t"), ("hidden", "h_t")):
        value = c_prev if name == "c_prev" else step[name]
        values.append(float(np.asarray(value).reshape(-1)[0]))
        labels.append(label)
        colors.append("#a6cee3" if name == "c_prev" else GATE_STYLE[name][1])
    bars = ax.bar(labels, values, color=colors)
    for bar, value in zip(bars, values, strict=True):
        offset = 3 if value >= 0 else -14
        ax.annotate(
            two_decimals(value),
            (bar.get_x() + bar.get_width() / 2, value),
            xytext=(0, offset),
            textcoords="offset points",
            ha="center",
            fontsize=12,
        )
    ax.axhline(0, color="gray", lw=0.8)
    ax.axvline(3.5, color="gray", lw=0.8, ls=":")
    limit = max(1.35, 1.2 * max(abs(value) for value in values))  # cell states may pass ±1
    ax.set_ylim(-limit, limit)
    ax.set_xlabel("gates (sigmoid: 0 to 1; g: tanh)          states")
    ax.set_ylabel("value (값)")
    if title:
        ax.set_title(title)
    return fig
