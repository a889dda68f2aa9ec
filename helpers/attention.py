"""Luong (2015) and Bahdanau (2015) attention as Keras layers, with NumPy references, and
the price forecasters' attention over their own hidden states (:class:`HiddenStateAttention`).

Both layers take a *query* (the decoder's state: one step ``(batch, units)`` or
a sequence of steps ``(batch, T, units)``) and the encoder's hidden states, the
*values* ``(batch, S, units)``, plus an optional boolean ``mask`` ``(batch, S)``
that is ``True`` on real source tokens and ``False`` on padding. They return
``(context_vector, attention_weights)``:

- ``attention_weights`` ``(batch, S)`` or ``(batch, T, S)``: α_ts, exactly 0 on
  padding, summing to 1 over the real source positions;
- ``context_vector`` ``(batch, units_values)`` or ``(batch, T, units_values)``:
  c_t = Σ_s α_ts h̄_s.

The equations, in the seminar's notation (h_t the decoder state, h̄_s the
encoder state of source position s, s_{t-1} the previous decoder state):

- Luong scores: dot ``h_tᵀ h̄_s``; general ``h_tᵀ W_a h̄_s``;
  concat ``v_aᵀ tanh(W_a [h_t; h̄_s])``.
- Bahdanau score: ``v_aᵀ tanh(W_b s_{t-1} + W_c h_i)``.
- weights α_ts = softmax_s(score_ts); context c_t = Σ_s α_ts h̄_s.
- Luong's attentional vector h̃_t = tanh(W_c [c_t; h_t]) (:class:`AttentionalVector`)
  and output ŷ_t = softmax(W_y h̃_t + b_y).

Every equation also exists as a plain NumPy function (suffix ``_np``) written
straight from the formula, so notebooks and tests can check a layer against it
with the layer's own weights (``layer.reference_weights()``).

Weights follow the Keras convention ``x @ W`` (row vectors times a kernel of
shape ``(in, out)``); ``W x`` in the papers is the same map with ``W``
transposed.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from helpers.shapes import ShapeChecker, whole_number

LUONG_SCORES = ("dot", "general", "concat")

# Subtracted from the scores of padded positions before the softmax: exp(-1e9) underflows to
# exactly 0 in float32, and the weights are zeroed again after the softmax so a fully padded
# row gives all-zero weights instead of a uniform distribution over padding.
_PADDING_PENALTY = 1.0e9


# ----------------------------------------------------------------------------
# Shape checks shared by the layers and the NumPy references
# ----------------------------------------------------------------------------


def _check_ranks(query_shape, values_shape, mask_shape=None, *, who: str) -> None:
    """Raise a ValueError naming the axes when query/values/mask do not fit together."""
    check = ShapeChecker(who)
    check.shape(
        values_shape,
        "batch, S, units",
        "values",
        fix="Pass the encoder's full sequence of hidden states (return_sequences=True).",
    )
    check.shape(
        query_shape,
        "batch, query_units" if len(query_shape) == 2 else "batch, T, query_units",
        "query",
        fix="Pass one decoder state (batch, units) or a sequence of states (batch, T, units).",
    )
    if mask_shape is not None:
        check.shape(
            mask_shape, "batch, S", "mask", fix="It is True on real tokens, False on padding."
        )


def _check_score_name(score) -> str:
    if score not in LUONG_SCORES:
        raise ValueError(
            f"unknown Luong score {score!r}; valid scores are {', '.join(LUONG_SCORES)} "
            "(dot: h_t·h̄_s, general: h_tᵀ W_a h̄_s, concat: v_aᵀ tanh(W_a [h_t; h̄_s]))."
        )
    return score


def _as_query_sequence(query):
    """(batch, units) -> (batch, 1, units); (batch, T, units) unchanged. Returns (q, was_single)."""
    if len(query.shape) == 2:
        return ops.expand_dims(query, axis=1), True
    return query, False


# ----------------------------------------------------------------------------
# NumPy references, one function per equation
# ----------------------------------------------------------------------------


def _np_query_sequence(query):
    query = np.asarray(query, dtype=np.float64)
    return (query[:, None, :], True) if query.ndim == 2 else (query, False)


def luong_scores_np(query, values, score="dot", W_a=None, v_a=None):
    """Luong's score(h_t, h̄_s) for every decoder step t and source position s.

    query ``(batch, units_q)`` or ``(batch, T, units_q)``; values ``(batch, S, units_v)``.
    dot needs ``units_q == units_v``; general needs ``W_a`` ``(units_q, units_v)``;
    concat needs ``W_a`` ``(units_q + units_v, units_a)`` and ``v_a`` ``(units_a,)``.
    Returns scores ``(batch, S)`` or ``(batch, T, S)``.
    """
    _check_score_name(score)
    _check_ranks(np.shape(query), np.shape(values), who="luong_scores_np")
    h_t, single = _np_query_sequence(query)  # (B, T, q)
    h_bar = np.asarray(values, dtype=np.float64)  # (B, S, v)
    if score == "dot":
        if h_t.shape[-1] != h_bar.shape[-1]:
            raise ValueError(
                f"dot score needs query and values with the same units, got "
                f"{h_t.shape[-1]} and {h_bar.shape[-1]}; use score='general' for different sizes."
            )
        scores = np.einsum("btu,bsu->bts", h_t, h_bar)  # h_tᵀ h̄_s
    elif score == "general":
        scores = np.einsum("btq,qv,bsv->bts", h_t, np.asarray(W_a), h_bar)  # h_tᵀ W_a h̄_s
    else:
        batch, steps, source = h_t.shape[0], h_t.shape[1], h_bar.shape[1]
        # The literal concatenation [h_t; h̄_s] for every pair (t, s).
        pairs = np.concatenate(
            [
                np.broadcast_to(h_t[:, :, None, :], (batch, steps, source, h_t.shape[-1])),
                np.broadcast_to(h_bar[:, None, :, :], (batch, steps, source, h_bar.shape[-1])),
            ],
            axis=-1,
        )
        scores = np.tanh(pairs @ np.asarray(W_a)) @ np.asarray(v_a).reshape(-1)
    return scores[:, 0, :] if single else scores


def bahdanau_scores_np(query, values, W_b, W_c, v_a, b_b=None, b_c=None):
    """Bahdanau's score(s_{t-1}, h_i) = v_aᵀ tanh(W_b s_{t-1} + W_c h_i).

    query (previous decoder state) ``(batch, units_q)`` or ``(batch, T, units_q)``;
    values ``(batch, S, units_v)``; ``W_b`` ``(units_q, units_a)``, ``W_c``
    ``(units_v, units_a)``, ``v_a`` ``(units_a,)`` or ``(units_a, 1)``; optional biases
    ``b_b``, ``b_c`` ``(units_a,)``. Returns scores ``(batch, S)`` or ``(batch, T, S)``.
    """
    _check_ranks(np.shape(query), np.shape(values), who="bahdanau_scores_np")
    s_prev, single = _np_query_sequence(query)  # (B, T, q)
    h = np.asarray(values, dtype=np.float64)  # (B, S, v)
    projected_query = s_prev @ np.asarray(W_b)  # W_b s_{t-1}: (B, T, a)
    projected_values = h @ np.asarray(W_c)  # W_c h_i: (B, S, a)
    if b_b is not None:
        projected_query = projected_query + np.asarray(b_b)
    if b_c is not None:
        projected_values = projected_values + np.asarray(b_c)
    hidden = np.tanh(projected_query[:, :, None, :] + projected_values[:, None, :, :])
    scores = hidden @ np.asarray(v_a).reshape(-1)  # (B, T, S)
    return scores[:, 0, :] if single else scores


def attention_weights_np(scores, mask=None):
    """α = softmax of the scores over the source axis (last axis), 0 on padding.

    scores ``(batch, S)`` or ``(batch, T, S)``; mask ``(batch, S)``, True on real tokens.
    A row whose source is all padding gets all-zero weights.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if mask is None:
        valid = np.ones(scores.shape, dtype=bool)
    else:
        mask = np.asarray(mask, dtype=bool)
        valid = np.broadcast_to(mask[:, None, :] if scores.ndim == 3 else mask, scores.shape)
    shifted = np.where(valid, scores, -np.inf)
    row_max = np.max(shifted, axis=-1, keepdims=True)
    row_max = np.where(np.isfinite(row_max), row_max, 0.0)
    exps = np.where(valid, np.exp(shifted - row_max), 0.0)
    totals = exps.sum(axis=-1, keepdims=True)
    return np.divide(exps, totals, out=np.zeros_like(exps), where=totals > 0)


def context_vector_np(weights, values):
    """c_t = Σ_s α_ts h̄_s. weights ``(batch, S)`` or ``(batch, T, S)``; values ``(batch, S, u)``."""
    weights = np.asarray(weights, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    if weights.ndim == 2:
        return np.einsum("bs,bsu->bu", weights, values)
    return np.einsum("bts,bsu->btu", weights, values)


def luong_attention_np(query, values, score="dot", mask=None, W_a=None, v_a=None):
    """Scores -> weights -> context for Luong attention. Returns (context, weights)."""
    weights = attention_weights_np(luong_scores_np(query, values, score, W_a=W_a, v_a=v_a), mask)
    return context_vector_np(weights, values), weights


def bahdanau_attention_np(query, values, W_b, W_c, v_a, mask=None, b_b=None, b_c=None):
    """Scores -> weights -> context for Bahdanau attention. Returns (context, weights)."""
    scores = bahdanau_scores_np(query, values, W_b, W_c, v_a, b_b=b_b, b_c=b_c)
    weights = attention_weights_np(scores, mask)
    return context_vector_np(weights, values), weights


def hidden_state_attention_np(hidden_states, W_q, W_k, b_k, v):
    """:class:`HiddenStateAttention` in NumPy: Bahdanau's score with the last state as query.
    hidden_states ``(batch, steps, hidden)``; W_q, W_k ``(hidden, units)``; b_k ``(units,)``;
    v ``(units, 1)``. Returns (context (batch, hidden), weights (batch, steps))."""
    hidden_states = np.asarray(hidden_states, dtype=np.float64)
    return bahdanau_attention_np(hidden_states[:, -1, :], hidden_states, W_q, W_k, v, b_c=b_k)


def luong_attentional_vector_np(context, query, W_c):
    """h̃_t = tanh(W_c [c_t; h_t]): context first, then the decoder state.

    context ``(..., units_v)``, query ``(..., units_q)``, ``W_c`` ``(units_v + units_q, units)``.
    Returns ``(..., units)``.
    """
    stacked = np.concatenate([np.asarray(context), np.asarray(query)], axis=-1)
    return np.tanh(stacked @ np.asarray(W_c))


def luong_output_np(attentional_vector, W_y, b_y):
    """ŷ_t = softmax(W_y h̃_t + b_y): a probability for every target word.

    attentional_vector ``(..., units)``, ``W_y`` ``(units, vocab)``, ``b_y`` ``(vocab,)``.
    Returns ``(..., vocab)`` rows summing to 1.
    """
    logits = np.asarray(attentional_vector) @ np.asarray(W_y) + np.asarray(b_y)
    logits = logits - logits.max(axis=-1, keepdims=True)
    exps = np.exp(logits)
    return exps / exps.sum(axis=-1, keepdims=True)


# ----------------------------------------------------------------------------
# Keras layers
# ----------------------------------------------------------------------------


def masked_softmax(scores, mask=None):
    """Softmax over the last axis with padded positions exactly 0 (Keras ops).

    scores ``(batch, T, S)``; mask ``(batch, S)`` boolean or None.
    """
    if mask is None:
        return ops.softmax(scores, axis=-1)
    valid = ops.expand_dims(ops.cast(mask, "bool"), axis=1)  # (B, 1, S)
    penalised = ops.where(valid, scores, scores - _PADDING_PENALTY)
    weights = ops.softmax(penalised, axis=-1)
    return ops.where(valid, weights, ops.zeros_like(weights))


class _SourceAttention(keras.layers.Layer):
    """Shared call(): check shapes, score, masked softmax, weighted sum of the values."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The source mask is consumed here (padding gets weight 0); it is not passed
        # on, because the outputs are indexed by decoder step, not by source position.
        self.supports_masking = True

    def compute_mask(self, query, values, mask=None):
        return None

    def _scores(self, query, values, projected_values=None):  # -> (B, T, S)
        raise NotImplementedError

    def call(self, query, values, mask=None, projected_values=None):
        """query ``(batch, units_q)`` or ``(batch, T, units_q)``; values ``(batch, S, units_v)``;
        mask ``(batch, S)`` (True on real tokens). Returns (context, weights).

        ``projected_values``: only for :class:`BahdanauAttention`, its ``W_c h_i`` from
        :meth:`BahdanauAttention.project_values`, so a decoder that attends once per
        step computes it once per sentence instead of once per step."""
        _check_ranks(
            tuple(query.shape),
            tuple(values.shape),
            None if mask is None else tuple(mask.shape),
            who=type(self).__name__,
        )
        query_sequence, single = _as_query_sequence(query)
        scores = self._scores(query_sequence, values, projected_values)
        weights = masked_softmax(scores, mask)  # (B, T, S)
        context = ops.matmul(weights, values)  # Σ_s α_ts h̄_s: (B, T, v)
        if single:
            return context[:, 0, :], weights[:, 0, :]
        return context, weights

    def compute_output_shape(
        self, query_shape, values_shape, mask_shape=None, projected_values_shape=None
    ):
        if len(query_shape) == 2:
            return (query_shape[0], values_shape[-1]), (query_shape[0], values_shape[1])
        return (
            (query_shape[0], query_shape[1], values_shape[-1]),
            (query_shape[0], query_shape[1], values_shape[1]),
        )


class LuongAttention(_SourceAttention):
    """Luong et al. (2015) global attention with a dot, general or concat score.

    ``LuongAttention("dot")`` has no weights (score h_t·h̄_s);
    ``"general"`` learns ``W_a`` ``(units_q, units_v)`` (score h_tᵀ W_a h̄_s);
    ``"concat"`` learns ``W_a`` ``(units_q + units_v, units)`` and ``v_a`` ``(units,)``
    (score v_aᵀ tanh(W_a [h_t; h̄_s])); ``units`` defaults to ``units_v``.

    Call with ``(query, values, mask=None)``; see :meth:`call` for shapes.
    """

    def __init__(self, score="dot", units=None, **kwargs):
        super().__init__(**kwargs)
        self.score = _check_score_name(score)
        self.units = None if units is None else whole_number(units, "units")

    def build(self, query_shape, values_shape, mask_shape=None, projected_values_shape=None):
        _check_ranks(tuple(query_shape), tuple(values_shape), who="LuongAttention")
        units_q, units_v = query_shape[-1], values_shape[-1]
        if self.score == "dot" and units_q != units_v:
            raise ValueError(
                f"LuongAttention('dot') needs query and values with the same units axis, got "
                f"query {tuple(query_shape)} and values (batch, S, units) {tuple(values_shape)}; "
                "use score='general' or 'concat' when the sizes differ."
            )
        if self.score == "general":
            self.W_a = self.add_weight(name="W_a", shape=(units_q, units_v))
        elif self.score == "concat":
            units = self.units or units_v
            # One kernel for [h_t; h̄_s]: its first units_q rows act on h_t, the rest on h̄_s.
            self.W_a = self.add_weight(name="W_a", shape=(units_q + units_v, units))
            self.v_a = self.add_weight(name="v_a", shape=(units,))
            self._units_q = units_q

    def _scores(self, query, values, projected_values=None):
        if projected_values is not None:
            raise ValueError("projected_values is for BahdanauAttention; Luong scores take none")
        if self.score == "dot":
            return ops.matmul(query, ops.swapaxes(values, 1, 2))
        if self.score == "general":
            return ops.matmul(ops.matmul(query, self.W_a), ops.swapaxes(values, 1, 2))
        # W_a [h_t; h̄_s] = W_a[:q] h_t + W_a[q:] h̄_s, computed without building every pair.
        projected_query = ops.matmul(query, self.W_a[: self._units_q])  # (B, T, a)
        projected_values = ops.matmul(values, self.W_a[self._units_q :])  # (B, S, a)
        hidden = ops.tanh(
            ops.expand_dims(projected_query, 2) + ops.expand_dims(projected_values, 1)
        )  # (B, T, S, a)
        return ops.sum(hidden * self.v_a, axis=-1)

    def reference_weights(self) -> dict:
        """The layer's weights as NumPy arrays, named as :func:`luong_scores_np` expects."""
        found = {}
        if self.score in ("general", "concat"):
            found["W_a"] = keras.ops.convert_to_numpy(self.W_a)
        if self.score == "concat":
            found["v_a"] = keras.ops.convert_to_numpy(self.v_a)
        return found

    def get_config(self):
        return {**super().get_config(), "score": self.score, "units": self.units}


class BahdanauAttention(_SourceAttention):
    """Bahdanau et al. (2015) additive attention: score v_aᵀ tanh(W_b s_{t-1} + W_c h_i).

    ``units`` is the size of the hidden layer inside the score (W_b, W_c project to
    it). The query is the *previous* decoder state s_{t-1} ``(batch, units_q)`` or a
    sequence ``(batch, T, units_q)``; values ``(batch, S, units_v)``. With
    ``use_bias=True`` W_b and W_c get biases, as ``Dense(units)`` has in the seminar's
    class (v_a's bias is left out: it adds the same number to every score, which
    the softmax cancels).
    """

    def __init__(self, units, use_bias=False, **kwargs):
        super().__init__(**kwargs)
        self.units = whole_number(units, "BahdanauAttention(units)")
        self.use_bias = use_bias
        self.W_b = keras.layers.Dense(units, use_bias=use_bias, name="W_b")  # on s_{t-1}
        self.W_c = keras.layers.Dense(units, use_bias=use_bias, name="W_c")  # on h_i
        self.v_a = keras.layers.Dense(1, use_bias=False, name="v_a")

    def build(self, query_shape, values_shape, mask_shape=None, projected_values_shape=None):
        _check_ranks(tuple(query_shape), tuple(values_shape), who="BahdanauAttention")
        self.W_b.build((None, query_shape[-1]))
        self.W_c.build((None, values_shape[-1]))
        self.v_a.build((None, self.units))

    def project_values(self, values):
        """W_c h_i for every source position: ``(batch, S, units_v)`` -> ``(batch, S, units)``."""
        return self.W_c(values)

    def _scores(self, query, values, projected_values=None):
        if projected_values is None:
            projected_values = self.W_c(values)
        hidden = ops.tanh(
            ops.expand_dims(self.W_b(query), 2) + ops.expand_dims(projected_values, 1)
        )  # (B, T, S, units)
        return ops.squeeze(self.v_a(hidden), axis=-1)

    def reference_weights(self) -> dict:
        """The layer's weights as NumPy arrays, named as :func:`bahdanau_scores_np` expects."""
        found = {
            "W_b": keras.ops.convert_to_numpy(self.W_b.kernel),
            "W_c": keras.ops.convert_to_numpy(self.W_c.kernel),
            "v_a": keras.ops.convert_to_numpy(self.v_a.kernel).reshape(-1),
        }
        if self.use_bias:
            found["b_b"] = keras.ops.convert_to_numpy(self.W_b.bias)
            found["b_c"] = keras.ops.convert_to_numpy(self.W_c.bias)
        return found

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias}


class AttentionalVector(keras.layers.Layer):
    """Luong's attentional vector h̃_t = tanh(W_c [c_t; h_t]) (context first, no bias).

    Call with ``(context, query)``, both ``(batch, units)`` or ``(batch, T, units)``
    with the same leading axes. Returns ``(..., units)``.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = whole_number(units, "AttentionalVector(units)")
        self.W_c = keras.layers.Dense(units, use_bias=False, activation="tanh", name="W_c")

    def build(self, context_shape, query_shape):
        if tuple(context_shape[:-1]) != tuple(query_shape[:-1]):
            raise ValueError(
                "AttentionalVector: context and query must share their leading axes "
                f"(batch[, T]), got context {tuple(context_shape)} and query {tuple(query_shape)}."
            )
        self.W_c.build((None, context_shape[-1] + query_shape[-1]))

    def call(self, context, query):
        return self.W_c(ops.concatenate([context, query], axis=-1))

    def compute_output_shape(self, context_shape, query_shape):
        return (*context_shape[:-1], self.units)

    def reference_weights(self) -> dict:
        return {"W_c": keras.ops.convert_to_numpy(self.W_c.kernel)}

    def get_config(self):
        return {**super().get_config(), "units": self.units}


# Registered so saved forecasters load: "seminar>HiddenStateAttention"
# (helpers.forecasting.forecast).
@keras.saving.register_keras_serializable(package="seminar")
class HiddenStateAttention(keras.layers.Layer):
    """Additive (Bahdanau) attention of the last hidden state over all hidden states.

    score_s = vᵀ tanh(W_q h_T + W_k h_s),  α = softmax(score),  context = Σ_s α_s h_s

    Input ``(batch, steps, hidden)``; returns ``(context (batch, hidden), weights
    (batch, steps))``: the weights say how much each past day counts for the forecast.
    """

    def __init__(self, units: int = 16, **kwargs):
        super().__init__(**kwargs)
        self.units = whole_number(units, "units")
        self.query_projection = keras.layers.Dense(self.units, use_bias=False, name="W_q")
        self.key_projection = keras.layers.Dense(self.units, name="W_k")
        self.score_vector = keras.layers.Dense(1, use_bias=False, name="v")

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError(
                f"HiddenStateAttention expects (batch, steps, hidden), got {input_shape}"
            )
        self.query_projection.build((input_shape[0], input_shape[-1]))
        self.key_projection.build(input_shape)
        self.score_vector.build((*input_shape[:-1], self.units))
        super().build(input_shape)

    def call(self, hidden_states):
        query = hidden_states[:, -1, :]  # (batch, hidden): the state at the forecast origin
        energy = ops.tanh(
            self.key_projection(hidden_states) + self.query_projection(query)[:, None, :]
        )  # (batch, steps, units)
        scores = ops.squeeze(self.score_vector(energy), axis=-1)  # (batch, steps)
        weights = ops.softmax(scores, axis=-1)
        context = ops.sum(weights[:, :, None] * hidden_states, axis=1)  # (batch, hidden)
        return context, weights

    def get_config(self):
        return {**super().get_config(), "units": self.units}
