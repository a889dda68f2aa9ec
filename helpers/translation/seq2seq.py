"""Sequence to sequence translation (Sutskever et al., 2014) in the seminar's Keras style.

The seminar builds three subclassed models: an ``Encoder`` whose final LSTM
states ``[hidden_state, cell_state]`` are the context vector (문맥 벡터), a
``Decoder`` that starts its LSTM from that context as ``initial_state``, and a
``Seq2Seq`` that wires the two. This module keeps that layout and fixes what
the slides leave broken: the output layer is a softmax over the target
vocabulary (not a sigmoid ``Dense(1)``), padding is masked, and the model can
translate on its own (``helpers.translation.decoding``; training is
``helpers.translation.training``).

Conventions (shared with ``helpers.translation.text``):

* token ids are integers, ``text.PAD_ID = 0`` pads at the end of every row;
* a source row holds only real tokens, then padding; the teacher-forced
  decoder input reads ``<start> y1 ... yn PAD ...`` and the expected output
  ``y1 ... yn <end> PAD ...`` (``text.encode_pairs`` builds all three);
* shapes are named ``(batch, source_time)``, ``(batch, target_time)``,
  ``(batch, units)`` and ``(batch, target_time, target_vocab)``.

Extension point for attention (notebooks 05-07): subclass :class:`Decoder`,
set ``attends = True`` and override ``call`` and ``step``. Both receive the
encoder's per-step outputs and the source mask; ``step`` returns a
:class:`DecoderStep` whose ``attention_weights`` the greedy decoder collects,
so the same trainer, decoder loop and metrics serve every model.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from helpers import saved_weights
from helpers.shapes import ShapeChecker
from helpers.translation.tokens import PAD_ID

# ---------------------------------------------------------------- shape checks


def check_token_ids(ids, name: str, axes: str = "(batch, time)"):
    """Raise a ValueError naming the axes unless ``ids`` is a rank-2 integer array."""
    ShapeChecker()(
        ids, axes.strip("()"), name, fix="Wrap a single sentence as a batch of one: ids[None, :]."
    )
    dtype = getattr(ids, "dtype", None)
    dtype = tf.as_dtype(dtype) if dtype is not None else None
    if dtype is not None and not dtype.is_integer:
        raise TypeError(f"{name} must hold integer token ids, got dtype {dtype.name}")
    return ids


def check_state(state, name: str, batch, units: int):
    """Check an LSTM state ``[hidden_state, cell_state]``, each ``(batch, units)``."""
    if not isinstance(state, (list, tuple)) or len(state) != 2:
        raise ValueError(
            f"{name} must be [hidden_state, cell_state], two tensors of shape "
            f"(batch, units); got {type(state).__name__} of length "
            f"{len(state) if hasattr(state, '__len__') else '?'}"
        )
    check = ShapeChecker()
    check.expect("units", units, "the decoder")
    if batch is not None:
        check.expect("batch", batch, "the decoder input")
    for part, tensor in zip(("hidden_state", "cell_state"), state, strict=True):
        check(
            tensor,
            "batch, units",
            f"{name} {part}",
            fix="The encoder and decoder need the same number of units.",
        )
    return state


# ---------------------------------------------------------------- source reversal


def reverse_tokens(ids, pad_id: int = PAD_ID) -> np.ndarray:
    """Reverse the real tokens of each row and leave the padding where it is.

    ``[[a, b, c, PAD, PAD]]`` becomes ``[[c, b, a, PAD, PAD]]``. Shape
    ``(batch, time)`` in and out. Padding must be at the end of each row (the
    layout of every array in this series); a pad in the middle raises.
    """
    ids = np.asarray(ids)
    check_token_ids(ids, "ids", "(batch, time)")
    is_real = ids != pad_id
    lengths = is_real.sum(axis=1)
    positions = np.arange(ids.shape[1])
    trailing_padding = is_real == (positions[None, :] < lengths[:, None])
    if not trailing_padding.all():
        row = int(np.flatnonzero(~trailing_padding.all(axis=1))[0])
        raise ValueError(
            f"row {row} has padding before a real token: {ids[row].tolist()}; "
            "pad every row at the end only"
        )
    reversed_ids = ids.copy()
    for row, length in enumerate(lengths):
        reversed_ids[row, :length] = ids[row, :length][::-1]
    return reversed_ids


def reverse_tokens_tf(ids, pad_id: int = PAD_ID):
    """TensorFlow twin of :func:`reverse_tokens` for use inside a model (no padding check)."""
    lengths = tf.reduce_sum(tf.cast(tf.not_equal(ids, pad_id), tf.int32), axis=1)
    return tf.reverse_sequence(ids, lengths, seq_axis=1, batch_axis=0)


# ---------------------------------------------------------------- the three models


def split_model_inputs(inputs, model_name: str):
    """Check a translation model's ``(source_ids, target_input_ids)`` input and split it.

    Both are (batch, time) id arrays with the same batch size; anything else is a
    ValueError that says what ``model_name`` expects.
    """
    if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
        raise ValueError(
            f"{model_name} expects inputs=(source_ids, target_input_ids), two arrays of shape "
            f"(batch, source_time) and (batch, target_time); got {type(inputs).__name__}"
        )
    source_ids, target_input_ids = inputs
    if source_ids.shape[0] is not None and target_input_ids.shape[0] is not None:
        if source_ids.shape[0] != target_input_ids.shape[0]:
            raise ValueError(
                f"source_ids has batch {source_ids.shape[0]} but target_input_ids has "
                f"batch {target_input_ids.shape[0]}; they must pair sentence by sentence"
            )
    return source_ids, target_input_ids


class Encoder(keras.Model):
    """Embed the source and run an LSTM over it; its final states are the context vector.

    ``encoder(source_ids)`` returns ``[hidden_state, cell_state]``, each
    ``(batch, units)``, as on the seminar's slide. With
    ``return_sequences=True`` it returns ``(encoder_outputs, [hidden_state,
    cell_state])`` where ``encoder_outputs`` is ``(batch, source_time, units)``:
    the per-word states an attention decoder looks back at.

    ``bidirectional=True`` reads the source both ways, as Bahdanau et al. did: two LSTMs of
    ``units // 2``, one left to right and one right to left, so the state at word j sums up
    the words on both sides of it; outputs and final states are the two halves joined, still
    ``units`` wide, so every decoder fits either encoder.
    """

    def __init__(
        self, vocab_size: int, embedding_dim: int, units: int, bidirectional=False, **kwargs
    ):
        super().__init__(**kwargs)
        self.vocab_size, self.embedding_dim, self.units = vocab_size, embedding_dim, units
        self.bidirectional = bool(bidirectional)
        # mask_zero: the LSTM skips PAD steps, so padding never reaches the context.
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True)
        if self.bidirectional:
            if units % 2:
                raise ValueError(
                    f"a bidirectional encoder splits units={units} between its two LSTMs; "
                    "choose an even number of units"
                )
            half = keras.layers.LSTM(units // 2, return_sequences=True, return_state=True)
            self.lstm = keras.layers.Bidirectional(half, merge_mode="concat")
        else:
            self.lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)

    def call(self, source_ids, return_sequences: bool = False, training=None):
        check_token_ids(source_ids, "source_ids", "(batch, source_time)")
        embedded = self.embedding(source_ids)
        mask = self.embedding.compute_mask(source_ids)
        if self.bidirectional:
            encoder_outputs, *states = self.lstm(embedded, mask=mask, training=training)
            forward_h, forward_c, backward_h, backward_c = states
            hidden_state = keras.ops.concatenate([forward_h, backward_h], axis=-1)
            cell_state = keras.ops.concatenate([forward_c, backward_c], axis=-1)
        else:
            encoder_outputs, hidden_state, cell_state = self.lstm(
                embedded, mask=mask, training=training
            )
        if return_sequences:
            return encoder_outputs, [hidden_state, cell_state]
        return [hidden_state, cell_state]


@dataclass
class DecoderStep:
    """One greedy step: ``probabilities`` ``(batch, target_vocab)``, the new ``state``
    ``[hidden_state, cell_state]`` and, for attention decoders, ``attention_weights``
    ``(batch, source_time)`` (``None`` without attention)."""

    probabilities: tf.Tensor
    state: list
    attention_weights: tf.Tensor | None = None


class Decoder(keras.Model):
    """Generate the target from the context: Embedding -> LSTM(initial_state) -> softmax.

    ``decoder(target_input_ids, initial_state=context)`` returns
    ``(probabilities, hidden_state, cell_state)``: probabilities over the target
    vocabulary ``(batch, target_time, target_vocab)`` and the final LSTM states.
    ``encoder_outputs`` and ``source_mask`` are accepted (and ignored) so that
    attention decoders can share the interface.
    """

    attends = False

    def __init__(self, vocab_size: int, embedding_dim: int, units: int, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size, self.embedding_dim, self.units = vocab_size, embedding_dim, units
        self.embedding = keras.layers.Embedding(vocab_size, embedding_dim, mask_zero=True)
        self.lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
        # A distribution over the whole target vocabulary: one softmax per step.
        self.output_layer = keras.layers.Dense(vocab_size, activation="softmax")

    def call(
        self,
        target_input_ids,
        initial_state,
        encoder_outputs=None,
        source_mask=None,
        training=None,
    ):
        check_token_ids(target_input_ids, "target_input_ids", "(batch, target_time)")
        check_state(initial_state, "initial_state", target_input_ids.shape[0], self.units)
        embedded = self.embedding(target_input_ids)
        mask = self.embedding.compute_mask(target_input_ids)
        lstm_outputs, hidden_state, cell_state = self.lstm(
            embedded, initial_state=list(initial_state), mask=mask, training=training
        )
        return self.output_layer(lstm_outputs), hidden_state, cell_state

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None) -> DecoderStep:
        """Advance one token: ``token_ids`` ``(batch,)`` and ``state`` -> :class:`DecoderStep`."""
        probabilities, hidden_state, cell_state = self(
            tf.expand_dims(token_ids, 1), initial_state=state
        )
        return DecoderStep(probabilities[:, 0, :], [hidden_state, cell_state])


class Seq2Seq(keras.Model):
    """Encoder + decoder: ``model((source_ids, target_input_ids))`` -> probabilities.

    Input ``source_ids`` ``(batch, source_time)`` and the teacher-forced
    decoder input ``target_input_ids`` ``(batch, target_time)``; output
    ``(batch, target_time, target_vocab)``. ``reverse_source=True`` feeds the
    source reversed (Sutskever et al.'s trick) inside the model, so training,
    evaluation and translation all see the same order. Pass ``decoder=`` to use
    an attention decoder; by default a plain :class:`Decoder` is built.
    ``bidirectional=True`` gives it a bidirectional :class:`Encoder`.
    """

    def __init__(
        self,
        source_vocab_size: int,
        target_vocab_size: int,
        embedding_dim: int = 64,
        units: int = 128,
        reverse_source: bool = False,
        decoder: Decoder | None = None,
        bidirectional: bool = False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.reverse_source = bool(reverse_source)
        self.encoder = Encoder(
            source_vocab_size, embedding_dim, units, bidirectional=bidirectional, name="encoder"
        )
        if decoder is None:
            decoder = Decoder(target_vocab_size, embedding_dim, units, name="decoder")
        if decoder.units != units or decoder.vocab_size != target_vocab_size:
            raise ValueError(
                f"decoder has units={decoder.units}, vocab_size={decoder.vocab_size}; the model "
                f"needs units={units} (the context size) and vocab_size={target_vocab_size}"
            )
        self.decoder = decoder

    def encode(self, source_ids, training=None):
        """Source ids ``(batch, source_time)`` -> ``(encoder_outputs, context, source_mask)``.

        ``encoder_outputs`` is ``(batch, source_time, units)`` in the order the
        encoder read the source (reversed when ``reverse_source``), ``context``
        is ``[hidden_state, cell_state]`` and ``source_mask`` is
        ``(batch, source_time)``, True on real tokens.
        """
        check_token_ids(source_ids, "source_ids", "(batch, source_time)")
        source_ids = tf.convert_to_tensor(source_ids)
        if self.reverse_source:
            source_ids = reverse_tokens_tf(source_ids)
        encoder_outputs, context = self.encoder(
            source_ids, return_sequences=True, training=training
        )
        return encoder_outputs, context, tf.not_equal(source_ids, PAD_ID)

    def call(self, inputs, training=None):
        source_ids, target_input_ids = split_model_inputs(inputs, "Seq2Seq")
        encoder_outputs, context_vector, source_mask = self.encode(source_ids, training=training)
        decoder_outputs, _, _ = self.decoder(
            target_input_ids,
            initial_state=context_vector,
            encoder_outputs=encoder_outputs,
            source_mask=source_mask,
            training=training,
        )
        return decoder_outputs


# ---------------------------------------------------------------- saved weights


def _build(model: Seq2Seq) -> None:
    if not model.built:
        model((np.ones((1, 2), "int32"), np.ones((1, 2), "int32")))


def save_weights(model: Seq2Seq, path, dtype: str = "float32") -> None:
    """Write the model's weights to a compressed ``.npz`` file (:func:`saved_weights.save`;
    ``dtype="float16"`` halves it)."""
    _build(model)
    saved_weights.save(model, path, dtype)


def load_weights(model: Seq2Seq, path) -> Seq2Seq:
    """Load weights written by :func:`save_weights` into a model of the same sizes."""
    _build(model)
    return saved_weights.load(
        model,
        path,
        made_by="run `make bench` (benchmarks/translation.py)",
        same_model="build it with the same vocabularies, embedding_dim and units",
    )


# ---------------------------------------------------------------- analysis


def context_vectors(model: Seq2Seq, source_ids) -> np.ndarray:
    """The encoder's final hidden state for each sentence: ``(batch, units)``."""
    _, (hidden_state, _), _ = model.encode(np.asarray(source_ids))
    return hidden_state.numpy()


def pca_2d(vectors) -> np.ndarray:
    """Project ``(n, d)`` vectors onto their two principal axes: ``(n, 2)`` (centred, via SVD)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or len(vectors) < 2:
        raise ValueError(f"pca_2d expects (n >= 2, dims) vectors, got shape {vectors.shape}")
    centred = vectors - vectors.mean(axis=0)
    _, _, principal_axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ principal_axes[:2].T
