"""An LSTM written straight from its gate equations in NumPy, and gate traces of a Keras LSTM.

For one step, with input x_t, previous hidden state h_{t-1} and cell state c_{t-1}::

    i_t = σ(x_t W_i + h_{t-1} U_i + b_i)      input gate  (입력 게이트): what to add now
    f_t = σ(x_t W_f + h_{t-1} U_f + b_f)      forget gate (망각 게이트): what to drop from the past
    g_t = tanh(x_t W_c + h_{t-1} U_c + b_c)   candidate cell values
    o_t = σ(x_t W_o + h_{t-1} U_o + b_o)      output gate (출력 게이트): what to emit
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t           cell state  (셀 상태)
    h_t = o_t ⊙ tanh(c_t)                     hidden state (은닉 상태), the layer's output

Keras 3 stores the four W (and U, and b) side by side in one ``kernel`` of
shape (features, 4·units), in the order i, f, c, o. ``gate_order`` lets a test
read them in another order and see the result break.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from helpers.shapes import ShapeChecker

KERAS_GATE_ORDER = "ifco"
GATE_NAMES = {"i": "input gate", "f": "forget gate", "c": "candidate", "o": "output gate"}


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-x), elementwise; any shape in, same shape out."""
    # exp(-log(1 + e^-x)) with logaddexp never overflows, unlike 1 / (1 + np.exp(-x)).
    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=np.float64)))


@dataclasses.dataclass
class LSTMWeights:
    """The three weight arrays of an LSTM, packed as Keras packs them.

    ``kernel``: (features, 4·units), ``recurrent_kernel``: (units, 4·units),
    ``bias``: (4·units,); each is four blocks of ``units`` columns in the
    order i, f, c, o.
    """

    kernel: np.ndarray
    recurrent_kernel: np.ndarray
    bias: np.ndarray

    def __post_init__(self):
        self.kernel = np.asarray(self.kernel, dtype=np.float64)
        self.recurrent_kernel = np.asarray(self.recurrent_kernel, dtype=np.float64)
        self.bias = np.asarray(self.bias, dtype=np.float64)
        if self.kernel.ndim != 2 or self.kernel.shape[1] % 4:
            raise ValueError(f"kernel must have shape (features, 4*units), got {self.kernel.shape}")
        units = self.kernel.shape[1] // 4
        if self.recurrent_kernel.shape != (units, 4 * units):
            raise ValueError(
                f"recurrent_kernel must have shape (units, 4*units) = {(units, 4 * units)} "
                f"to match the kernel {self.kernel.shape}, got {self.recurrent_kernel.shape}"
            )
        if self.bias.shape != (4 * units,):
            raise ValueError(
                f"bias must have shape (4*units,) = {(4 * units,)}, got {self.bias.shape}"
            )

    @property
    def units(self) -> int:
        return self.kernel.shape[1] // 4

    @property
    def features(self) -> int:
        return self.kernel.shape[0]

    def gate(self, name: str, gate_order: str = KERAS_GATE_ORDER):
        """(W, U, b) of gate ``name`` ("i", "f", "c" or "o"): shapes (features, units),
        (units, units), (units,), read from the block ``gate_order`` says it is in."""
        _check_gate_order(gate_order)
        if name not in GATE_NAMES:
            raise ValueError(f"unknown gate {name!r}; expected one of {list(GATE_NAMES)}")
        block = slice(
            gate_order.index(name) * self.units, (gate_order.index(name) + 1) * self.units
        )
        return self.kernel[:, block], self.recurrent_kernel[:, block], self.bias[block]


def _check_gate_order(gate_order: str) -> None:
    if sorted(gate_order) != sorted(KERAS_GATE_ORDER):
        raise ValueError(
            f"gate_order must be a permutation of 'ifco' (Keras uses 'ifco'), got {gate_order!r}"
        )


@dataclasses.dataclass
class GateTrace:
    """Every gate's activation at every step; each array has shape (batch, time, units).

    ``candidate`` is g_t (the tanh proposal), ``cell`` is c_t and ``hidden`` is h_t.
    """

    input_gate: np.ndarray
    forget_gate: np.ndarray
    candidate: np.ndarray
    output_gate: np.ndarray
    cell: np.ndarray
    hidden: np.ndarray

    @property
    def final_hidden(self) -> np.ndarray:
        """h_T, shape (batch, units): what ``return_state`` gives as the first state."""
        return self.hidden[:, -1]

    @property
    def final_cell(self) -> np.ndarray:
        """c_T, shape (batch, units)."""
        return self.cell[:, -1]

    def select(self, batch_index: int = 0, unit: int = 0) -> dict[str, np.ndarray]:
        """The six traces of one sequence and one unit: name → array of shape (time,)."""
        return {
            name: getattr(self, name)[batch_index, :, unit]
            for name in ("input_gate", "forget_gate", "candidate", "output_gate", "cell", "hidden")
        }


def lstm_step(x_t, h_prev, c_prev, weights: LSTMWeights, gate_order: str = KERAS_GATE_ORDER):
    """One LSTM step. Shapes in: x_t (batch, features), h_prev and c_prev (batch, units).

    Returns a dict of (batch, units) arrays: ``input_gate``, ``forget_gate``,
    ``candidate``, ``output_gate``, ``cell`` (c_t) and ``hidden`` (h_t).
    """
    x_t = np.asarray(x_t, dtype=np.float64)
    h_prev = np.asarray(h_prev, dtype=np.float64)
    c_prev = np.asarray(c_prev, dtype=np.float64)
    check = ShapeChecker("lstm_step")
    check.expect("features", weights.features, "the kernel")
    check.expect("units", weights.units, "the kernel")
    check(x_t, "batch, features", "x_t")
    check(h_prev, "batch, units", "h_prev", fix="The state has one row per sequence.")
    check(c_prev, "batch, units", "c_prev", fix="The state has one row per sequence.")

    def pre_activation(gate):
        kernel, recurrent, bias = weights.gate(gate, gate_order)
        return x_t @ kernel + h_prev @ recurrent + bias

    input_gate = sigmoid(pre_activation("i"))
    forget_gate = sigmoid(pre_activation("f"))
    candidate = np.tanh(pre_activation("c"))
    output_gate = sigmoid(pre_activation("o"))
    cell = forget_gate * c_prev + input_gate * candidate
    hidden = output_gate * np.tanh(cell)
    return {
        "input_gate": input_gate,
        "forget_gate": forget_gate,
        "candidate": candidate,
        "output_gate": output_gate,
        "cell": cell,
        "hidden": hidden,
    }


def lstm_sequence(
    x, weights: LSTMWeights, h0=None, c0=None, gate_order: str = KERAS_GATE_ORDER
) -> GateTrace:
    """Run :func:`lstm_step` over a whole batch of sequences.

    ``x``: (batch, time, features); ``h0``, ``c0``: (batch, units), zeros when
    omitted (as in Keras). Returns a :class:`GateTrace` of (batch, time, units) arrays;
    ``trace.hidden`` equals Keras' ``return_sequences=True`` output.
    """
    x = np.asarray(x, dtype=np.float64)
    ShapeChecker("lstm_sequence")(
        x,
        "batch, time, features",
        "x",
        fix="Add a batch axis with x[None] or a feature axis with x[..., None].",
    )
    batch, steps, _ = x.shape
    if steps == 0:
        raise ValueError("x has 0 time steps; an LSTM needs at least one")
    h = np.zeros((batch, weights.units)) if h0 is None else np.asarray(h0, dtype=np.float64)
    c = np.zeros((batch, weights.units)) if c0 is None else np.asarray(c0, dtype=np.float64)
    steps_out = []
    for t in range(steps):
        step = lstm_step(x[:, t], h, c, weights, gate_order)
        h, c = step["hidden"], step["cell"]
        steps_out.append(step)
    return GateTrace(
        **{name: np.stack([s[name] for s in steps_out], axis=1) for name in steps_out[0]}
    )


def weights_from_keras(layer) -> LSTMWeights:
    """The kernel, recurrent kernel and bias of a built ``keras.layers.LSTM``.

    Raises a ValueError for what the NumPy cell does not model (other
    activations, ``go_backwards``, a layer not built yet).
    """
    import keras

    if not isinstance(layer, keras.layers.LSTM):
        raise TypeError(f"expected a keras.layers.LSTM, got {type(layer).__name__}")
    if not layer.built:
        raise ValueError("the LSTM layer is not built yet; call it on an input batch first")
    cell = layer.cell
    if cell.activation is not keras.activations.tanh or (
        cell.recurrent_activation is not keras.activations.sigmoid
    ):
        raise ValueError("only activation='tanh' with recurrent_activation='sigmoid' is modelled")
    if layer.go_backwards:
        raise ValueError("go_backwards=True is not modelled; reverse the input yourself instead")
    kernel = np.array(cell.kernel.numpy())
    recurrent = np.array(cell.recurrent_kernel.numpy())
    units = recurrent.shape[0]
    bias = np.array(cell.bias.numpy()) if cell.use_bias else np.zeros(4 * units)
    return LSTMWeights(kernel, recurrent, bias)


def keras_gate_traces(layer, x, h0=None, c0=None) -> GateTrace:
    """Gate traces of ``layer`` (a built ``keras.layers.LSTM``) on the input batch ``x``.

    ``x``: (batch, time, features). Keras does not expose its gates, so they
    are recomputed in NumPy from the layer's own weights; the tests check that
    ``trace.hidden`` equals the layer's output.
    """
    return lstm_sequence(x, weights_from_keras(layer), h0, c0)


MARKER_SYMBOLS = ("a", "b", "X")


def marker_task(count: int, steps: int = 30, seed: int = 0, marker_share: float = 0.5):
    """A memory task: did the marker symbol "X" appear anywhere in the sequence?

    Each sequence is ``steps`` symbols drawn from the distractors "a" and "b";
    in a ``marker_share`` of them one random step is replaced by "X". To answer
    at the end, a network must notice "X" (input gate) and keep it until the
    last step (forget gate near 1).

    Returns ``x`` (count, steps, 3) one-hot float32 in the order of
    ``MARKER_SYMBOLS``, ``y`` (count, 1) float32 (1 = marker seen) and
    ``marker_steps`` (count,) int: the marker's step, or -1 where there is none.
    """
    if count < 1 or steps < 1:
        raise ValueError(f"count and steps must be positive, got count={count}, steps={steps}")
    if not 0 <= marker_share <= 1:
        raise ValueError(f"marker_share is a fraction in [0, 1], got {marker_share}")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(0, 2, size=(count, steps))
    has_marker = rng.random(count) < marker_share
    marker_steps = np.where(has_marker, rng.integers(0, steps, size=count), -1)
    symbols[has_marker, marker_steps[has_marker]] = 2
    x = np.eye(len(MARKER_SYMBOLS), dtype=np.float32)[symbols]
    return x, has_marker.astype(np.float32)[:, None], marker_steps
