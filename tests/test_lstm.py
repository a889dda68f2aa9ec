"""The NumPy LSTM equals Keras' LSTM, gate by gate, and reading the gates in a wrong order fails."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import lstm


def _random_keras_lstm(batch, steps, features, units, seed, use_bias=True):
    """A built Keras LSTM with random (not initial) weights, and an input batch for it."""
    rng = np.random.default_rng(seed)
    layer = keras.layers.LSTM(units, return_sequences=True, return_state=True, use_bias=use_bias)
    x = rng.normal(size=(batch, steps, features)).astype("float32")
    layer(x)
    layer.set_weights(
        [rng.normal(scale=0.6, size=w.shape).astype("float32") for w in layer.get_weights()]
    )
    return layer, x


@pytest.mark.parametrize(
    ("batch", "steps", "features", "units"),
    [(1, 5, 1, 32), (3, 7, 4, 8), (2, 1, 3, 5), (4, 12, 6, 16), (2, 6, 2, 1)],
)
def test_numpy_sequence_equals_keras(batch, steps, features, units):
    layer, x = _random_keras_lstm(batch, steps, features, units, seed=units + steps)
    outputs, final_h, final_c = (a.numpy() for a in layer(x))
    trace = lstm.keras_gate_traces(layer, x)
    np.testing.assert_allclose(trace.hidden, outputs, atol=1e-5)
    np.testing.assert_allclose(trace.final_hidden, final_h, atol=1e-5)
    np.testing.assert_allclose(trace.final_cell, final_c, atol=1e-5)
    assert trace.input_gate.shape == (batch, steps, units)


def test_initial_state_and_no_bias_match_keras():
    layer, x = _random_keras_lstm(2, 4, 3, 6, seed=1, use_bias=False)
    rng = np.random.default_rng(2)
    h0, c0 = (rng.normal(size=(2, 6)).astype("float32") for _ in range(2))
    outputs, final_h, final_c = (a.numpy() for a in layer(x, initial_state=[h0, c0]))
    trace = lstm.keras_gate_traces(layer, x, h0, c0)
    np.testing.assert_allclose(trace.hidden, outputs, atol=1e-5)
    np.testing.assert_allclose(trace.final_cell, final_c, atol=1e-5)


@pytest.mark.parametrize("wrong_order", ["fico", "icfo", "ifoc", "oicf"])
def test_a_swapped_gate_order_does_not_match_keras(wrong_order):
    layer, x = _random_keras_lstm(2, 6, 3, 8, seed=3)
    outputs = layer(x)[0].numpy()
    wrong = lstm.lstm_sequence(x, lstm.weights_from_keras(layer), gate_order=wrong_order)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(wrong.hidden, outputs, atol=1e-5)


def test_gate_traces_are_the_gates_of_the_equations():
    layer, x = _random_keras_lstm(2, 5, 3, 4, seed=4)
    weights = lstm.weights_from_keras(layer)
    trace = lstm.keras_gate_traces(layer, x)
    # Recompute step 2 by hand from the packed kernel (Keras order i, f, c, o).
    t, units = 2, weights.units
    pre = (
        x[:, t] @ weights.kernel + trace.hidden[:, t - 1] @ weights.recurrent_kernel + weights.bias
    )
    i, f, c, o = (pre[:, k * units : (k + 1) * units] for k in range(4))
    np.testing.assert_allclose(trace.input_gate[:, t], 1 / (1 + np.exp(-i)), atol=1e-12)
    np.testing.assert_allclose(trace.forget_gate[:, t], 1 / (1 + np.exp(-f)), atol=1e-12)
    np.testing.assert_allclose(trace.candidate[:, t], np.tanh(c), atol=1e-12)
    np.testing.assert_allclose(trace.output_gate[:, t], 1 / (1 + np.exp(-o)), atol=1e-12)
    expected_cell = trace.forget_gate[:, t] * trace.cell[:, t - 1]
    expected_cell += trace.input_gate[:, t] * trace.candidate[:, t]
    np.testing.assert_allclose(trace.cell[:, t], expected_cell, atol=1e-12)
    np.testing.assert_allclose(trace.hidden[:, t], trace.output_gate[:, t] * np.tanh(expected_cell))
    selected = trace.select(batch_index=1, unit=2)
    np.testing.assert_array_equal(selected["forget_gate"], trace.forget_gate[1, :, 2])


def _one_unit(bias_i, bias_f, bias_c, bias_o, w=1.0):
    return lstm.LSTMWeights(
        kernel=np.full((1, 4), w),
        recurrent_kernel=np.zeros((1, 4)),
        bias=[bias_i, bias_f, bias_c, bias_o],
    )


def test_forget_gate_open_and_input_gate_shut_keeps_the_cell():
    keep = _one_unit(bias_i=-20, bias_f=20, bias_c=0, bias_o=0)
    step = lstm.lstm_step([[0.7]], [[0.0]], [[0.9]], keep)
    np.testing.assert_allclose(step["cell"], [[0.9]], atol=1e-6)
    erase = _one_unit(bias_i=-20, bias_f=-20, bias_c=0, bias_o=0)
    np.testing.assert_allclose(
        lstm.lstm_step([[0.7]], [[0.0]], [[0.9]], erase)["cell"], 0, atol=1e-6
    )
    write = _one_unit(bias_i=20, bias_f=-20, bias_c=0, bias_o=20)
    step = lstm.lstm_step([[0.7]], [[0.0]], [[0.9]], write)
    np.testing.assert_allclose(step["cell"], np.tanh(0.7), atol=1e-6)
    np.testing.assert_allclose(step["hidden"], np.tanh(np.tanh(0.7)), atol=1e-6)


def test_state_carries_from_step_to_step():
    weights = _one_unit(0.0, 0.0, 0.0, 0.0)
    x = np.array([[[1.0], [0.0], [0.0]]])
    trace = lstm.lstm_sequence(x, weights)
    fresh = lstm.lstm_sequence(x[:, 1:], weights)
    # With the first input's memory, steps 2 and 3 differ from a fresh start.
    assert not np.allclose(trace.cell[:, 1:], fresh.cell)


def test_sigmoid_is_stable_for_large_inputs():
    values = lstm.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])


def test_shape_errors_name_the_axes():
    weights = lstm.LSTMWeights(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(8))
    with pytest.raises(ValueError, match=r"\(batch, time, features\)"):
        lstm.lstm_sequence(np.zeros((4, 3)), weights)
    with pytest.raises(ValueError, match="x_t has features = 2 .* the kernel has features = 3"):
        lstm.lstm_sequence(np.zeros((1, 4, 2)), weights)
    with pytest.raises(ValueError, match="h_prev has units = 3 .* the kernel has units = 2"):
        lstm.lstm_sequence(np.zeros((1, 4, 3)), weights, h0=np.zeros((1, 3)))
    with pytest.raises(ValueError, match="0 time steps"):
        lstm.lstm_sequence(np.zeros((1, 0, 3)), weights)
    with pytest.raises(ValueError, match=r"\(features, 4\*units\)"):
        lstm.LSTMWeights(np.zeros((3, 7)), np.zeros((2, 7)), np.zeros(7))
    with pytest.raises(ValueError, match="recurrent_kernel must have shape"):
        lstm.LSTMWeights(np.zeros((3, 8)), np.zeros((3, 8)), np.zeros(8))
    with pytest.raises(ValueError, match="bias must have shape"):
        lstm.LSTMWeights(np.zeros((3, 8)), np.zeros((2, 8)), np.zeros(4))
    with pytest.raises(ValueError, match="permutation of 'ifco'"):
        lstm.lstm_sequence(np.zeros((1, 4, 3)), weights, gate_order="iffo")
    with pytest.raises(ValueError, match="unknown gate 'x'"):
        weights.gate("x")


def test_keras_layer_errors():
    with pytest.raises(TypeError, match="keras.layers.LSTM"):
        lstm.weights_from_keras(keras.layers.GRU(3))
    with pytest.raises(ValueError, match="not built"):
        lstm.weights_from_keras(keras.layers.LSTM(3))
    relu = keras.layers.LSTM(3, activation="relu")
    relu(np.zeros((1, 2, 1), dtype="float32"))
    with pytest.raises(ValueError, match="activation='tanh'"):
        lstm.weights_from_keras(relu)
    backwards = keras.layers.LSTM(3, go_backwards=True)
    backwards(np.zeros((1, 2, 1), dtype="float32"))
    with pytest.raises(ValueError, match="go_backwards"):
        lstm.weights_from_keras(backwards)


# --- the memory task, the gate figures and the gate explorer ----------------------------


def test_marker_task_marks_exactly_the_marker_sequences():
    x, y, marker_steps = lstm.marker_task(200, steps=12, seed=5)
    assert x.shape == (200, 12, 3) and y.shape == (200, 1)
    np.testing.assert_array_equal(x.sum(axis=-1), 1)  # one symbol per step
    markers_per_sequence = x[:, :, 2].sum(axis=1)
    np.testing.assert_array_equal(markers_per_sequence, y[:, 0])
    rows = np.nonzero(marker_steps >= 0)[0]
    assert (x[rows, marker_steps[rows], 2] == 1).all()
    assert 60 < len(rows) < 140
    np.testing.assert_array_equal(lstm.marker_task(200, 12, seed=5)[0], x)
    with pytest.raises(ValueError, match="count and steps must be positive"):
        lstm.marker_task(0)
    with pytest.raises(ValueError, match="marker_share"):
        lstm.marker_task(5, marker_share=2)


def test_gate_figures_label_their_axes():
    from helpers import gate_plots, plots, runtime

    runtime.apply_plot_style()
    layer, x = _random_keras_lstm(1, 6, 3, 2, seed=6)
    traces = lstm.keras_gate_traces(layer, x).select(0, 1)
    fig = gate_plots.gate_traces(traces, step_labels=list("abXaba"), marker_step=2, title="t")
    gates_ax, state_ax = fig.axes
    assert gates_ax.get_ylabel() == "gate activation (게이트 값)"
    assert state_ax.get_xlabel() == "time step (시점)"
    np.testing.assert_allclose(gates_ax.lines[1].get_ydata(), traces["forget_gate"])
    assert [t.get_text() for t in state_ax.get_xticklabels()] == list("abXaba")
    with pytest.raises(KeyError, match="cell"):
        gate_plots.gate_traces({k: v for k, v in traces.items() if k != "cell"})
    with pytest.raises(ValueError, match="same length"):
        gate_plots.gate_traces({**traces, "hidden": traces["hidden"][:3]})
    step = lstm.lstm_step(
        [[1.0]], [[0.0]], [[0.5]], lstm.LSTMWeights(np.ones((1, 4)), np.ones((1, 4)), np.zeros(4))
    )
    fig = gate_plots.gate_bars(step, 0.5)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    np.testing.assert_allclose(heights[1], 1 / (1 + np.exp(-1.0)))  # f = σ(1·x)
    np.testing.assert_allclose(heights[4:], [0.5, step["cell"][0, 0], step["hidden"][0, 0]])
    fig = plots.accuracy_bars({"seen": 0.9, "not yet": 0.2}, counts={"seen": 10, "not yet": 5})
    assert [bar.get_height() for bar in fig.axes[0].patches] == [0.9, 0.2]
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["seen\n(n = 10)", "not yet\n(n = 5)"]
    # Notebook 02's categories carry the finding, so they carry Korean too.
    fig = plots.accuracy_bars({"already read": 0.64, "comes later": 0.07})
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["already read (이미 읽음)", "comes later (나중에 나옴)"]
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        plots.accuracy_bars({"a": 90})


def test_gate_explorer_draws_the_step_of_its_sliders():
    from helpers.teaching import widgets

    shown = widgets.gate_explorer()
    bundle, _ = shown._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    rows = [row for column in shown.widget.children[0].children for row in column.children]
    sliders = {row.children[0].description: row.children[0] for row in rows}
    assert set(sliders) == {"x_t", "h_t−1", "c_t−1", "bias i", "bias f", "bias g", "bias o"}
    _, message, image = shown.widget.children
    before = image.value
    sliders["bias f"].value = 5.0
    assert image.value != before  # the figure was redrawn for the new bias
