"""Attention decoders for ``helpers.translation.seq2seq``: Luong style and Bahdanau style.

Both subclass :class:`helpers.translation.seq2seq.Decoder` (``attends = True``), so they plug
into ``seq2seq.Seq2Seq(..., decoder=...)`` and reuse the teacher-forced
``training.fit``, ``decoding.greedy_decode`` (which collects each step's attention
weights) and the metrics, exactly like the no-attention model: the comparison is fair by
construction.

- :class:`LuongDecoder` (Luong et al., 2015): the LSTM runs first; its current
  state h_t queries the encoder states (``LuongAttention``: dot, general or
  concat), the context c_t and h_t combine into h̃_t = tanh(W_c [c_t; h_t]), and
  the word is predicted from h̃_t: ŷ_t = softmax(W_y h̃_t + b_y). Because
  attention comes after the LSTM, teacher forcing runs the whole LSTM at once.
- :class:`BahdanauDecoder` (Bahdanau et al., 2015): the previous state s_{t-1}
  queries the encoder states (``BahdanauAttention``, additive score with its own
  W_b, W_c, v_a), the context is concatenated to the embedded input word, and
  the LSTM cell takes one step on [embedding; c_t]; as in the paper, the word is
  predicted from the new state and the context: ŷ_t = softmax(W_y [s_t; c_t] + b_y).
  Each step needs the previous one, so teacher forcing loops over time.

Shapes: ``target_input_ids`` ``(batch, target_time)``; ``encoder_outputs``
``(batch, source_time, units)``; ``source_mask`` ``(batch, source_time)``
(True on real tokens); probabilities ``(batch, target_time, target_vocab)``;
attention weights ``(batch, target_time, source_time)``.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from helpers.attention import AttentionalVector, BahdanauAttention, LuongAttention
from helpers.shapes import ShapeChecker
from helpers.translation import seq2seq
from helpers.translation.tokens import PAD_ID


def _check_encoder_outputs(decoder, encoder_outputs, source_mask, batch):
    who = type(decoder).__name__
    if encoder_outputs is None:
        raise ValueError(
            f"{who} attends over the encoder's hidden states: pass "
            "encoder_outputs (batch, source_time, units) from Seq2Seq.encode"
        )
    check = ShapeChecker(who)
    check.expect("units", decoder.units, "the decoder")
    if batch is not None:
        check.expect("batch", batch, "the decoder input")
    check(encoder_outputs, "batch, source_time, units", "encoder_outputs")
    if source_mask is not None:
        check(source_mask, "batch, source_time", "source_mask", fix="Pass Seq2Seq.encode's mask.")


class _AttentionDecoder(seq2seq.Decoder):
    """What both attention decoders share: ``call`` is ``call_with_attention`` minus the weights."""

    attends = True

    def call(
        self, target_input_ids, initial_state, encoder_outputs=None, source_mask=None, training=None
    ):
        probabilities, hidden_state, cell_state, _ = self.call_with_attention(
            target_input_ids, initial_state, encoder_outputs, source_mask, training
        )
        return probabilities, hidden_state, cell_state


class LuongDecoder(_AttentionDecoder):
    """Embedding -> LSTM -> Luong attention with h_t -> h̃_t = tanh(W_c[c_t; h_t]) -> softmax.

    ``score``: ``"dot"``, ``"general"`` or ``"concat"``. ``call`` returns
    ``(probabilities, hidden_state, cell_state)`` like the plain decoder;
    :meth:`call_with_attention` also returns the weights ``(batch, T, S)``.
    """

    def __init__(self, vocab_size: int, embedding_dim: int, units: int, score="dot", **kwargs):
        super().__init__(vocab_size, embedding_dim, units, **kwargs)
        self.score = score
        self.attention = LuongAttention(score, name="attention")
        self.attentional_vector = AttentionalVector(units, name="attentional_vector")

    def call_with_attention(
        self, target_input_ids, initial_state, encoder_outputs, source_mask=None, training=None
    ):
        """Teacher-forced pass: ``(probabilities, hidden_state, cell_state, attention_weights)``."""
        seq2seq.check_token_ids(target_input_ids, "target_input_ids", "(batch, target_time)")
        seq2seq.check_state(initial_state, "initial_state", target_input_ids.shape[0], self.units)
        _check_encoder_outputs(self, encoder_outputs, source_mask, target_input_ids.shape[0])
        embedded = self.embedding(target_input_ids)
        mask = self.embedding.compute_mask(target_input_ids)
        decoder_states, hidden_state, cell_state = self.lstm(
            embedded, initial_state=list(initial_state), mask=mask, training=training
        )  # h_t for every t: (batch, T, units)
        context, weights = self.attention(decoder_states, encoder_outputs, mask=source_mask)
        attentional = self.attentional_vector(context, decoder_states)  # h̃_t
        return self.output_layer(attentional), hidden_state, cell_state, weights

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None):
        probabilities, hidden_state, cell_state, weights = self.call_with_attention(
            tf.expand_dims(token_ids, 1), state, encoder_outputs, source_mask
        )
        return seq2seq.DecoderStep(
            probabilities[:, 0, :], [hidden_state, cell_state], weights[:, 0, :]
        )


class BahdanauDecoder(_AttentionDecoder):
    """Bahdanau attention with s_{t-1}; the context joins the input: LSTM([y_{t-1}; c_t]).

    The output layer reads [s_t; c_t] (Bahdanau et al.'s p(y_t | y_{t-1}, s_t, c_t));
    predicting from s_t alone, as some tutorials do, trains several epochs slower here.

    ``attention_units``: size of the additive score's hidden layer (default ``units``).
    ``call`` returns ``(probabilities, hidden_state, cell_state)``;
    :meth:`call_with_attention` also returns the weights ``(batch, T, S)``.
    """

    def __init__(
        self, vocab_size: int, embedding_dim: int, units: int, attention_units=None, **kwargs
    ):
        super().__init__(vocab_size, embedding_dim, units, **kwargs)
        self.attention_units = attention_units or units
        self.attention = BahdanauAttention(self.attention_units, name="attention")
        # One LSTM step at a time: the input of step t needs the state of step t-1.
        self.cell = keras.layers.LSTMCell(units, name="lstm_cell")
        self.lstm = None  # the parent's sequence LSTM is not used here

    def build(self, *args, **kwargs):
        # Build every sublayer up front: weights cannot be created inside tf.scan.
        self.embedding.build((None, None))
        self.attention.build((None, self.units), (None, None, self.units))
        self.cell.build((None, self.embedding_dim + self.units))
        self.output_layer.build((None, 2 * self.units))  # reads [s_t; c_t]
        self.built = True

    def _one_step(self, embedded_token, state, encoder_outputs, source_mask, projected=None):
        """embedded y_{t-1} (batch, embedding_dim), LSTM state [s_{t-1}, m_{t-1}] ->
        ([s_t; c_t] for the output layer, new state [s_t, m_t], weights α_t)."""
        context, weights = self.attention(
            state[0], encoder_outputs, mask=source_mask, projected_values=projected
        )
        cell_input = tf.concat([embedded_token, context], axis=-1)  # [y_{t-1}; c_t]
        output, new_state = self.cell(cell_input, state)
        # As in the paper, the word is predicted from s_t *and* c_t (not s_t alone).
        return tf.concat([output, context], axis=-1), list(new_state), weights

    def call_with_attention(
        self, target_input_ids, initial_state, encoder_outputs, source_mask=None, training=None
    ):
        """Teacher-forced pass: ``(probabilities, hidden_state, cell_state, attention_weights)``."""
        seq2seq.check_token_ids(target_input_ids, "target_input_ids", "(batch, target_time)")
        seq2seq.check_state(initial_state, "initial_state", target_input_ids.shape[0], self.units)
        _check_encoder_outputs(self, encoder_outputs, source_mask, target_input_ids.shape[0])
        if not self.built:
            self.build()
        embedded = self.embedding(target_input_ids)  # (batch, T, embedding_dim)
        if source_mask is None:
            source_mask = tf.ones(tf.shape(encoder_outputs)[:2], dtype=tf.bool)
        batch = tf.shape(embedded)[0]
        first_weights = tf.zeros([batch, tf.shape(encoder_outputs)[1]], encoder_outputs.dtype)
        first_output = tf.zeros([batch, 2 * self.units], encoder_outputs.dtype)
        # W_c h_i does not change from step to step: project the encoder states once.
        projected = self.attention.project_values(encoder_outputs)

        def advance(carry, inputs):
            embedded_token, is_real = inputs
            _, old_hidden, old_cell, _ = carry
            output, (hidden_state, cell_state), weights = self._one_step(
                embedded_token, [old_hidden, old_cell], encoder_outputs, source_mask, projected
            )
            # On a padded decoder step the state stays put, as a masked Keras LSTM does;
            # its output is scored against PAD, which the loss ignores.
            keep = tf.expand_dims(is_real, -1)
            hidden_state = tf.where(keep, hidden_state, old_hidden)
            cell_state = tf.where(keep, cell_state, old_cell)
            return output, hidden_state, cell_state, weights

        hidden_state, cell_state = initial_state
        target_is_real = tf.not_equal(tf.convert_to_tensor(target_input_ids), PAD_ID)
        outputs, hidden_states, cell_states, weights = tf.scan(
            advance,
            (tf.transpose(embedded, [1, 0, 2]), tf.transpose(target_is_real)),  # time first
            initializer=(first_output, hidden_state, cell_state, first_weights),
        )
        outputs = tf.transpose(outputs, [1, 0, 2])  # (batch, T, 2 units): [s_t; c_t]
        weights = tf.transpose(weights, [1, 0, 2])  # (batch, T, S)
        return self.output_layer(outputs), hidden_states[-1], cell_states[-1], weights

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None):
        _check_encoder_outputs(self, encoder_outputs, source_mask, token_ids.shape[0])
        if not self.built:
            self.build()
        output, new_state, weights = self._one_step(
            self.embedding(token_ids), list(state), encoder_outputs, source_mask
        )
        return seq2seq.DecoderStep(self.output_layer(output), new_state, weights)


def teacher_forced_attention(
    model: seq2seq.Seq2Seq, source_ids, decoder_input, batch_size: int = 250
) -> np.ndarray:
    """Attention weights ``(batch, target_time, source_time)`` under teacher forcing.

    Row t is the step that predicts target token t+1 of ``decoder_input``'s
    continuation (``decoder_target[:, t]``); columns follow the order the encoder
    read (reversed when ``model.reverse_source``; see :func:`to_source_order`).
    Runs ``batch_size`` sentences at a time, so a whole test split fits in memory.
    """
    if not getattr(model.decoder, "attends", False):
        raise ValueError(
            "this model's decoder has no attention; build it with an attention decoder"
        )
    source_ids, decoder_input = np.asarray(source_ids), np.asarray(decoder_input)
    parts = []
    for start in range(0, len(source_ids), batch_size):
        rows = slice(start, start + batch_size)
        encoder_outputs, context, source_mask = model.encode(source_ids[rows])
        *_, weights = model.decoder.call_with_attention(
            tf.convert_to_tensor(decoder_input[rows]), context, encoder_outputs, source_mask
        )
        parts.append(np.asarray(weights))
    return np.concatenate(parts)


def to_source_order(weights, source_lengths) -> np.ndarray:
    """Undo ``reverse_source`` on the source axis: the first S_i columns of row i reversed.

    ``weights`` ``(batch, T, S)``, ``source_lengths`` ``(batch,)``. Padding columns stay.
    """
    weights = np.array(weights, copy=True)
    for row, length in enumerate(np.asarray(source_lengths)):
        weights[row, :, :length] = weights[row, :, :length][:, ::-1]
    return weights
