"""Luong and Bahdanau decoders: wiring, equations against NumPy, the shared fit and greedy loop."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from helpers import attention
from helpers.translation import decoding, seq2seq, training
from helpers.translation.attention_decoders import (
    BahdanauDecoder,
    LuongDecoder,
    teacher_forced_attention,
    to_source_order,
)

TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}
SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS = 20, 15, 8, 16


@pytest.fixture
def toy_batch():
    """Source ids (4, 6) with padding in rows 0 and 2; teacher-forcing pair (4, 5)."""
    rng = np.random.default_rng(3)
    source = rng.integers(4, SOURCE_VOCAB, size=(4, 6))
    source[0, 4:] = 0
    source[2, 2:] = 0
    decoder_input = rng.integers(4, TARGET_VOCAB, size=(4, 5))
    decoder_input[:, 0] = 1  # <start>
    decoder_target = np.concatenate([decoder_input[:, 1:], np.full((4, 1), 2)], axis=1)
    return source, decoder_input, decoder_target


def make_model(kind):
    if kind == "bahdanau":
        decoder = BahdanauDecoder(TARGET_VOCAB, EMBEDDING, UNITS)
    else:
        decoder = LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS, score=kind)
    model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS, decoder=decoder)
    return model


def randomise(model, seed=0):
    """Larger random weights than the initialisers, so that attention is far from uniform."""
    rng = np.random.default_rng(seed)
    for weight in model.weights:
        weight.assign((0.5 * rng.normal(size=weight.shape)).astype("float32"))


def randomised_model(kind, batch, seed=0):
    """A model of ``kind``, built on ``batch`` (source, decoder input, ...) and randomised."""
    model = make_model(kind)
    model(tuple(batch[:2]))  # creates the weights
    randomise(model, seed)
    return model


KINDS = ["dot", "general", "concat", "bahdanau"]


@pytest.mark.parametrize("kind", KINDS)
def test_teacher_forcing_equals_step_by_step_decoding(toy_batch, kind):
    """The parallel (training) path and the greedy step path compute the same thing."""
    source, decoder_input, _ = toy_batch
    model = randomised_model(kind, toy_batch, seed=0)
    probabilities = np.asarray(model((source, decoder_input)))
    weights = teacher_forced_attention(model, source, decoder_input)
    encoder_outputs, state, source_mask = model.encode(source)
    for t in range(decoder_input.shape[1]):
        step = model.decoder.step(
            tf.constant(decoder_input[:, t], tf.int32), state, encoder_outputs, source_mask
        )
        np.testing.assert_allclose(step.probabilities, probabilities[:, t], **TOLERANCE)
        np.testing.assert_allclose(step.attention_weights, weights[:, t], **TOLERANCE)
        state = step.state


@pytest.mark.parametrize("kind", KINDS)
def test_attention_weights_ignore_padding(toy_batch, kind):
    source, decoder_input, _ = toy_batch
    model = randomised_model(kind, toy_batch, seed=1)
    weights = teacher_forced_attention(model, source, decoder_input)
    assert weights.shape == (4, 5, 6)
    assert np.all(weights[0, :, 4:] == 0.0) and np.all(weights[2, :, 2:] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, **TOLERANCE)


def test_luong_decoder_equals_numpy_equations(toy_batch):
    """ŷ_t = softmax(W_y tanh(W_c [c_t; h_t]) + b_y) with c_t from the current state h_t."""
    source, decoder_input, _ = toy_batch
    model = randomised_model("general", toy_batch, seed=2)
    decoder = model.decoder
    encoder_outputs, state, source_mask = model.encode(source)
    h_t, _, _ = decoder.lstm(decoder.embedding(decoder_input), initial_state=list(state))
    context, weights = attention.luong_attention_np(
        h_t, encoder_outputs, "general", mask=source_mask, **decoder.attention.reference_weights()
    )
    h_tilde = attention.luong_attentional_vector_np(
        context, h_t, **decoder.attentional_vector.reference_weights()
    )
    W_y, b_y = (np.asarray(w) for w in decoder.output_layer.weights)
    expected = attention.luong_output_np(h_tilde, W_y, b_y)
    np.testing.assert_allclose(model((source, decoder_input)), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        teacher_forced_attention(model, source, decoder_input), weights, **TOLERANCE
    )


def test_bahdanau_decoder_attends_with_previous_state_and_feeds_context_to_input(toy_batch):
    """Step 1 attends with the encoder's final state s_0; the LSTM input is [y_{t-1}; c_t]."""
    source, decoder_input, _ = toy_batch
    model = randomised_model("bahdanau", toy_batch, seed=4)
    decoder = model.decoder
    encoder_outputs, (s_0, c_0), source_mask = model.encode(source)
    context, weights = attention.bahdanau_attention_np(
        s_0, encoder_outputs, mask=source_mask, **decoder.attention.reference_weights()
    )
    step = decoder.step(
        tf.constant(decoder_input[:, 0], tf.int32), [s_0, c_0], encoder_outputs, source_mask
    )
    np.testing.assert_allclose(step.attention_weights, weights, **TOLERANCE)
    # The LSTM cell sees the embedded token joined with that context vector.
    cell_input = np.concatenate([decoder.embedding(decoder_input[:, 0]), context], axis=-1)
    s_1, _ = decoder.cell(cell_input.astype("float32"), [s_0, c_0])
    W_y, b_y = (np.asarray(w) for w in decoder.output_layer.weights)
    # The word comes from the new state and the context: softmax(W_y [s_1; c_1] + b_y).
    expected = attention.luong_output_np(np.concatenate([s_1, context], axis=-1), W_y, b_y)
    np.testing.assert_allclose(step.probabilities, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["dot", "bahdanau"])
def test_later_steps_depend_on_earlier_tokens(toy_batch, kind):
    """The recurrent state is carried between steps (the bug of TensorFlow issue 38248)."""
    source, decoder_input, _ = toy_batch
    model = randomised_model(kind, toy_batch, seed=5)
    changed = decoder_input.copy()
    changed[:, 1] = np.where(changed[:, 1] == 4, 5, 4)  # the input token of step 1
    before, after = np.asarray(model((source, decoder_input))), np.asarray(model((source, changed)))
    np.testing.assert_allclose(before[:, 0], after[:, 0], **TOLERANCE)  # the past is unchanged
    # Steps 2.. read the same tokens; they differ only through the carried state.
    assert not np.allclose(before[:, 2:], after[:, 2:], atol=1e-4)


@pytest.mark.parametrize("kind", ["dot", "bahdanau"])
def test_trains_and_decodes_with_the_seq2seq_helpers(toy_batch, kind):
    source, decoder_input, decoder_target = toy_batch
    model = make_model(kind)
    history = training.fit(model, source, decoder_input, decoder_target, epochs=2, batch_size=2)
    assert np.isfinite(history.history["loss"]).all()
    result = decoding.greedy_decode(model, source, start_id=1, end_id=2, max_length=7)
    assert result.attention_weights is not None
    assert result.attention_weights.shape == (4, result.token_ids.shape[1], 6)


def test_decoder_parameters_match_the_design():
    """Luong: LSTM + W_a (general) + W_c + output. Bahdanau: LSTM cell + W_b, W_c, v_a + output."""
    source = np.array([[5, 6, 0]])
    target = np.array([[1, 4]])
    luong, bahdanau = make_model("general"), make_model("bahdanau")
    luong((source, target))
    bahdanau((source, target))
    assert [w.shape for w in luong.decoder.attention.trainable_weights] == [(UNITS, UNITS)]
    assert luong.decoder.attentional_vector.W_c.kernel.shape == (2 * UNITS, UNITS)  # [c_t; h_t]
    assert luong.decoder.output_layer.kernel.shape == (UNITS, TARGET_VOCAB)  # reads h̃_t
    cell_kernel = bahdanau.decoder.cell.kernel
    assert cell_kernel.shape == (EMBEDDING + UNITS, 4 * UNITS)  # input is [y_{t-1}; c_t]
    assert len(bahdanau.decoder.attention.trainable_weights) == 3  # W_b, W_c, v_a
    assert bahdanau.decoder.lstm is None  # one cell step at a time instead
    assert bahdanau.decoder.output_layer.kernel.shape == (2 * UNITS, TARGET_VOCAB)  # [s_t; c_t]


def test_missing_encoder_outputs_is_a_clear_error():
    decoder = LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS)
    state = [tf.zeros((1, UNITS)), tf.zeros((1, UNITS))]
    with pytest.raises(ValueError, match="encoder_outputs"):
        decoder(np.array([[1, 4]]), initial_state=state)
    with pytest.raises(ValueError, match="encoder_outputs has units = 8 .* decoder has units = 16"):
        decoder(np.array([[1, 4]]), initial_state=state, encoder_outputs=tf.zeros((1, 3, 8)))


def test_unknown_luong_score_lists_the_valid_ones():
    with pytest.raises(ValueError, match="dot, general, concat"):
        LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS, score="cosine")


def test_teacher_forced_attention_needs_an_attention_model():
    model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS)
    with pytest.raises(ValueError, match="no attention"):
        teacher_forced_attention(model, np.array([[5, 6]]), np.array([[1, 4]]))


def test_to_source_order_reverses_real_tokens_only():
    weights = np.arange(2 * 1 * 4, dtype=float).reshape(2, 1, 4)
    restored = to_source_order(weights, [3, 4])
    np.testing.assert_array_equal(restored[0, 0], [2, 1, 0, 3])  # padding column 3 stays
    np.testing.assert_array_equal(restored[1, 0], [7, 6, 5, 4])


def test_reversed_source_attention_maps_back_to_source_positions():
    """With reverse_source, weights come in reading order; to_source_order restores them."""
    source = np.array([[5, 6, 7, 0]])
    target = np.array([[1, 4, 8]])
    decoder = LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS)
    forward = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS, decoder=decoder)
    forward((source, target))
    backward_decoder = LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS)
    backward = seq2seq.Seq2Seq(
        SOURCE_VOCAB,
        TARGET_VOCAB,
        EMBEDDING,
        UNITS,
        reverse_source=True,
        decoder=backward_decoder,
    )
    backward((source, target))
    backward.set_weights(forward.get_weights())
    # Reading "7 6 5" forwards equals reading "5 6 7" reversed.
    reread = np.array([[7, 6, 5, 0]])
    np.testing.assert_allclose(
        to_source_order(teacher_forced_attention(backward, source, target), [3]),
        to_source_order(teacher_forced_attention(forward, reread, target), [3]),
        **TOLERANCE,
    )


@pytest.mark.parametrize("kind", ["dot", "bahdanau"])
def test_final_state_ignores_decoder_padding(toy_batch, kind):
    """Padding at the end of the decoder input leaves the final state as it was."""
    source, decoder_input, _ = toy_batch
    model = randomised_model(kind, toy_batch, seed=6)
    encoder_outputs, state, source_mask = model.encode(source)
    padded = np.concatenate([decoder_input, np.zeros((4, 3), int)], axis=1)
    _, hidden, cell = model.decoder(decoder_input, state, encoder_outputs, source_mask)
    _, padded_hidden, padded_cell = model.decoder(padded, state, encoder_outputs, source_mask)
    np.testing.assert_allclose(padded_hidden, hidden, **TOLERANCE)
    np.testing.assert_allclose(padded_cell, cell, **TOLERANCE)
