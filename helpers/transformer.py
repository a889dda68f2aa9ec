"""From Luong's dot score to the Transformer: NumPy references and a small Keras model.

The NumPy functions follow Vaswani et al. (2017) equation by equation and read
their weights out of ``keras.layers.MultiHeadAttention``, so a notebook can
check each step against Keras. Shapes: batch B, query steps T, key steps S,
model width D, heads H, per-head width d (D = H·d is usual, not required).
"""

from __future__ import annotations

import numpy as np


def _softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = scores - scores.max(axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=axis, keepdims=True)


def _check_rank(name: str, array: np.ndarray, axes: str) -> None:
    if array.ndim != len(axes.split(",")):
        raise ValueError(
            f"{name} must have shape ({axes}), got {array.shape}: "
            f"{len(axes.split(','))} axes expected, {array.ndim} given"
        )


def scaled_dot_product_attention_np(query, key, value, mask=None):
    """softmax(Q Kᵀ / √d) V.

    query (..., T, d), key (..., S, d), value (..., S, d_v); mask broadcastable to
    (..., T, S), True where attending is allowed. Returns (output (..., T, d_v),
    weights (..., T, S)); weights on masked positions are exactly 0.
    """
    query, key, value = (np.asarray(a, dtype=np.float64) for a in (query, key, value))
    if query.shape[-1] != key.shape[-1]:
        raise ValueError(
            f"query and key must share their last axis d: query {query.shape}, key {key.shape}"
        )
    if key.shape[-2] != value.shape[-2]:
        raise ValueError(f"key and value need the same S axis: {key.shape} vs {value.shape}")
    scores = query @ np.swapaxes(key, -1, -2) / np.sqrt(query.shape[-1])
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    weights = _softmax(scores)
    return weights @ value, weights


def mha_weights_from_keras(layer) -> dict[str, np.ndarray]:
    """The projection weights of a built ``keras.layers.MultiHeadAttention``.

    Returns W_q, W_k, W_v (D_in, H, d), b_q, b_k, b_v (H, d), W_o (H, d, D_out), b_o (D_out,).
    """
    if not layer.built:
        raise ValueError("call the MultiHeadAttention layer once so that its weights exist")
    parts = {
        "q": layer._query_dense,
        "k": layer._key_dense,
        "v": layer._value_dense,
        "o": layer._output_dense,
    }
    weights = {}
    for name, dense in parts.items():
        kernel, *bias = (np.asarray(w) for w in dense.get_weights())
        weights[f"W_{name}"] = kernel
        weights[f"b_{name}"] = (
            bias[0] if bias else np.zeros(kernel.shape[-1 if name == "o" else 1 :])
        )
    return weights


def multi_head_attention_np(query, value, weights, key=None, mask=None):
    """Multi-head attention as ``keras.layers.MultiHeadAttention`` computes it.

    query (B, T, D_in), value (B, S, D_in), key defaults to value; weights from
    :func:`mha_weights_from_keras`; mask (B, T, S), True where allowed.
    Returns (output (B, T, D_out), weights per head (B, H, T, S)).
    """
    query, value = np.asarray(query, np.float64), np.asarray(value, np.float64)
    key = value if key is None else np.asarray(key, np.float64)
    for name, array in (("query", query), ("value", value), ("key", key)):
        _check_rank(name, array, "batch, steps, features")
    # Project into heads: (B, steps, H, d), then put heads before steps.
    q = np.einsum("btf,fhd->bhtd", query, weights["W_q"]) + weights["b_q"][:, None, :]
    k = np.einsum("bsf,fhd->bhsd", key, weights["W_k"]) + weights["b_k"][:, None, :]
    v = np.einsum("bsf,fhd->bhsd", value, weights["W_v"]) + weights["b_v"][:, None, :]
    head_mask = None if mask is None else np.asarray(mask, bool)[:, None, :, :]
    heads, attention = scaled_dot_product_attention_np(q, k, v, head_mask)
    output = np.einsum("bhtd,hdo->bto", heads, weights["W_o"]) + weights["b_o"]
    return output, attention


def positional_encoding(length: int, depth: int) -> np.ndarray:
    """Sinusoidal positions (Vaswani et al. 2017, section 3.5), shape (length, depth).

    PE[pos, 2i] = sin(pos / 10000^(2i/depth)), PE[pos, 2i+1] = cos(same angle).
    """
    if length < 1 or depth < 2 or depth % 2:
        raise ValueError(
            f"positional_encoding needs length >= 1 and an even depth >= 2, got {length}, {depth}"
        )
    positions = np.arange(length)[:, None]
    rates = 1.0 / np.power(10_000.0, np.arange(0, depth, 2) / depth)
    angles = positions * rates[None, :]
    encoding = np.empty((length, depth))
    encoding[:, 0::2] = np.sin(angles)
    encoding[:, 1::2] = np.cos(angles)
    return encoding


def causal_mask(steps: int) -> np.ndarray:
    """(steps, steps) boolean mask: step t may attend to steps 0..t only."""
    if steps < 1:
        raise ValueError(f"causal_mask needs at least one step, got {steps}")
    return np.tril(np.ones((steps, steps), dtype=bool))
