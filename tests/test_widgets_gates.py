"""The gate explorer (notebook 01): typed readouts say what is wrong; no bar reads "-0.00"."""

from __future__ import annotations

import numpy as np

from helpers import gate_plots, plots
from helpers.teaching import widgets


def readouts():
    shown = widgets.gate_explorer()
    rows = [row for column in shown.widget.children[0].children for row in column.children]
    sliders = {row.children[0].description: row.children[0] for row in rows}
    boxes = {row.children[0].description: row.children[1] for row in rows}
    return sliders, boxes, shown.widget.children[1]


def test_typed_text_that_is_no_number_gets_a_visible_message(close_figures):
    sliders, boxes, message = readouts()
    sliders["bias f"].value = 5.0
    assert boxes["bias f"].value == "5.0"  # the box follows the slider
    boxes["bias i"].value = "abc"
    assert "bias i: 'abc' is not a number" in message.value
    assert "숫자를 입력하세요" in message.value
    assert boxes["bias i"].value == "0.0" and sliders["bias i"].value == 0.0
    boxes["bias i"].value = "−2.5"  # the minus sign of the figure's labels reads too
    assert message.value == "" and sliders["bias i"].value == -2.5
    boxes["x_t"].value = "9"
    assert "x_t: 9 is outside -2 to 2" in message.value and sliders["x_t"].value == 2.0
    sliders["x_t"].value = 0.5  # moving a slider afterwards clears the message
    assert message.value == "" and boxes["x_t"].value == "0.5"


def test_no_bar_is_labelled_minus_zero(close_figures):
    near_zero = {name: np.array([[-0.001]]) for name in ("input_gate", "forget_gate")}
    step = {**near_zero, "output_gate": np.array([[-0.004]]), "candidate": np.array([[-0.0]])}
    step.update(cell=np.array([[-0.002]]), hidden=np.array([[0.2]]))
    fig = gate_plots.gate_bars(step, c_prev=-0.003)
    labels = [text.get_text() for text in fig.axes[0].texts]
    assert labels == ["0.00"] * 6 + ["0.20"]
    assert plots.two_decimals(-0.5) == "-0.50"
