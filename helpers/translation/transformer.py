"""From Luong's dot score to the Transformer: NumPy references and a small Keras model.

The NumPy functions follow Vaswani et al. (2017) equation by equation and read
their weights out of ``keras.layers.MultiHeadAttention``, so a notebook can
check each step against Keras. Shapes: batch B, query steps T, key steps S,
model width D, heads H, per-head width d (D = H·d is usual, not required).
"""

from __future__ import annotations

import warnings

import keras
import numpy as np
import tensorflow as tf

from helpers.shapes import ShapeChecker
from helpers.translation.seq2seq import DecoderStep, check_token_ids, split_model_inputs
from helpers.translation.tokens import PAD_ID


def softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis`` (shifted by the maximum, so large scores do not overflow)."""
    shifted = scores - scores.max(axis=axis, keepdims=True)
    exps = np.exp(shifted)
    return exps / exps.sum(axis=axis, keepdims=True)


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
    weights = softmax(scores)
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
    check = ShapeChecker("multi_head_attention_np")
    check(query, "batch, T, query_features", "query")
    check(value, "batch, S, value_features", "value")
    check(key, "batch, S, key_features", "key")
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


# ---------------------------------------------------------------- a small Keras Transformer
#
# Built from keras.layers.MultiHeadAttention so the NumPy references above check it.
# It exposes the same interface as helpers.translation.seq2seq.Seq2Seq (encode, decoder.step),
# so training.fit and decoding's greedy_decode, predict_tokens and translate work on it unchanged.


class PositionalEmbedding(keras.layers.Layer):
    """Token embedding times √width plus fixed sinusoidal positions: (B, T) -> (B, T, width)."""

    def __init__(self, vocab_size: int, width: int, max_length: int = 64, **kwargs):
        super().__init__(**kwargs)
        self.width, self.max_length = width, max_length
        self.embedding = keras.layers.Embedding(vocab_size, width)
        self.positions = tf.constant(positional_encoding(max_length, width), tf.float32)

    def call(self, token_ids):
        steps = tf.shape(token_ids)[1]
        tf.debugging.assert_less_equal(
            steps, self.max_length, message="sequence longer than the model's max_length"
        )
        scale = tf.sqrt(tf.cast(self.width, tf.float32))
        return self.embedding(token_ids) * scale + self.positions[tf.newaxis, :steps]


def _feed_forward(width: int, hidden: int) -> keras.Sequential:
    return keras.Sequential(
        [keras.layers.Dense(hidden, activation="relu"), keras.layers.Dense(width)]
    )


def _pair_mask(query_ids, key_real):
    """(B, T, S): query step t may look at key s where ``key_real`` (B, S) is True."""
    key_real = tf.cast(key_real, tf.bool)[:, tf.newaxis, :]
    return tf.logical_and(key_real, tf.ones_like(query_ids, tf.bool)[:, :, tf.newaxis])


class EncoderBlock(keras.layers.Layer):
    """Self-attention over the source, then a feed-forward layer; each with residual + LayerNorm."""

    def __init__(self, width: int, heads: int, hidden: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = keras.layers.MultiHeadAttention(
            heads, width // heads, dropout=dropout
        )
        self.feed_forward = _feed_forward(width, hidden)
        self.norm_attention = keras.layers.LayerNormalization()
        self.norm_feed_forward = keras.layers.LayerNormalization()
        self.dropout = keras.layers.Dropout(dropout)

    def call(self, x, attention_mask, training=None):
        attended = self.self_attention(x, x, attention_mask=attention_mask, training=training)
        x = self.norm_attention(x + attended)
        return self.norm_feed_forward(x + self.dropout(self.feed_forward(x), training=training))


class DecoderBlock(keras.layers.Layer):
    """Causal self-attention, cross-attention to the encoder, feed-forward (post-norm residuals)."""

    def __init__(self, width: int, heads: int, hidden: int, dropout: float = 0.1, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = keras.layers.MultiHeadAttention(
            heads, width // heads, dropout=dropout
        )
        self.cross_attention = keras.layers.MultiHeadAttention(
            heads, width // heads, dropout=dropout
        )
        self.feed_forward = _feed_forward(width, hidden)
        self.norms = [keras.layers.LayerNormalization() for _ in range(3)]
        self.dropout = keras.layers.Dropout(dropout)

    def call(self, x, encoder_outputs, self_mask, cross_mask, training=None):
        attended = self.self_attention(x, x, attention_mask=self_mask, training=training)
        x = self.norms[0](x + attended)
        attended, cross_weights = self.cross_attention(
            x,
            encoder_outputs,
            attention_mask=cross_mask,
            return_attention_scores=True,
            training=training,
        )
        x = self.norms[1](x + attended)
        x = self.norms[2](x + self.dropout(self.feed_forward(x), training=training))
        return x, cross_weights


class TransformerDecoder(keras.Model):
    """Target ids (B, T), encoder outputs (B, S, width), source mask (B, S) -> (B, T, vocab).

    ``call`` also returns the last block's cross-attention (B, heads, T, S).
    ``step`` decodes one more token for greedy decoding: its ``state`` is the
    prefix of ids decoded so far (B, t), since a Transformer re-reads the prefix.
    """

    attends = True

    def __init__(self, vocab_size, width, heads, hidden, layers, max_length, dropout, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.units = vocab_size, width
        self.embedding = PositionalEmbedding(vocab_size, width, max_length)
        self.blocks = [DecoderBlock(width, heads, hidden, dropout) for _ in range(layers)]
        self.output_layer = keras.layers.Dense(vocab_size, activation="softmax")

    def call(self, target_ids, encoder_outputs, source_mask, training=None):
        steps = tf.shape(target_ids)[1]
        causal = tf.linalg.band_part(tf.ones((steps, steps), tf.bool), -1, 0)
        target_real = tf.not_equal(target_ids, PAD_ID)
        self_mask = tf.logical_and(_pair_mask(target_ids, target_real), causal[tf.newaxis])
        cross_mask = _pair_mask(target_ids, source_mask)
        x = self.embedding(target_ids)
        cross_weights = None
        for block in self.blocks:
            x, cross_weights = block(x, encoder_outputs, self_mask, cross_mask, training=training)
        return self.output_layer(x), cross_weights

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None) -> DecoderStep:
        """Append ``token_ids`` (B,) to the prefix ``state`` (B, t) and predict the next token."""
        prefix = tf.concat([tf.cast(state, tf.int32), tf.cast(token_ids, tf.int32)[:, None]], 1)
        with warnings.catch_warnings():
            # At the first step self-attention has one key, so Keras warns that its softmax is 1.
            warnings.filterwarnings("ignore", message="You are using a softmax over axis")
            probabilities, cross_weights = self(prefix, encoder_outputs, source_mask)
        # The heatmap shows the heads' mean weight at the newest step: (B, S).
        attention = tf.reduce_mean(cross_weights[:, :, -1, :], axis=1)
        return DecoderStep(probabilities[:, -1, :], prefix, attention)


class Transformer(keras.Model):
    """A small encoder-decoder Transformer: ``model((source_ids, target_input_ids))``.

    Inputs (B, S) and (B, T) token ids, output probabilities (B, T, target_vocab),
    the same contract as :class:`helpers.translation.seq2seq.Seq2Seq`. The defaults (one
    block each side, width 64, four heads, no dropout) train on the toy corpus
    in well under a minute on a laptop CPU; the corpus has no repeated sentence,
    so dropout only slows learning there.
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        width: int = 64,
        heads: int = 4,
        hidden: int = 128,
        layers: int = 1,
        max_length: int = 64,
        dropout: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if width % heads:
            raise ValueError(f"width {width} must divide evenly into {heads} heads")
        self.embedding = PositionalEmbedding(source_vocab_size, width, max_length)
        self.encoder_blocks = [EncoderBlock(width, heads, hidden, dropout) for _ in range(layers)]
        self.decoder = TransformerDecoder(
            target_vocab_size, width, heads, hidden, layers, max_length, dropout, name="decoder"
        )

    def encode(self, source_ids, training=None):
        """Source ids (B, S) -> (encoder outputs (B, S, width), empty prefix (B, 0), mask)."""
        check_token_ids(source_ids, "source_ids", "(batch, source_time)")
        source_ids = tf.convert_to_tensor(source_ids)
        source_mask = tf.not_equal(source_ids, PAD_ID)
        attention_mask = _pair_mask(source_ids, source_mask)
        x = self.embedding(source_ids)
        for block in self.encoder_blocks:
            x = block(x, attention_mask, training=training)
        empty_prefix = tf.zeros((tf.shape(source_ids)[0], 0), tf.int32)
        return x, empty_prefix, source_mask

    def call(self, inputs, training=None):
        source_ids, target_ids = split_model_inputs(inputs, "Transformer")
        encoder_outputs, _, source_mask = self.encode(source_ids, training=training)
        probabilities, _ = self.decoder(target_ids, encoder_outputs, source_mask, training=training)
        return probabilities

    def cross_attention(self, source_ids, target_input_ids) -> np.ndarray:
        """Teacher-forced cross-attention of the last decoder block: (B, heads, T, S)."""
        encoder_outputs, _, source_mask = self.encode(source_ids)
        _, weights = self.decoder(target_input_ids, encoder_outputs, source_mask)
        return np.asarray(weights)
