"""helpers.translation.seq2seq: the wiring of encoder -> context -> decoder, not only its shapes.

Each test targets a bug that would still produce plausible shapes: a context
that never reaches the decoder, a state dropped between steps, padding that
leaks into the context, a reversal that moves the padding. The greedy loop is
tested in test_decoding.py, the training pieces in test_training.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from conftest import SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS

from helpers.translation import seq2seq
from helpers.translation.text import END_ID, PAD_ID, START_ID

START, END = START_ID, END_ID
# The `model` fixture (conftest.py) has these sizes.
SOURCE_VOCAB, TARGET_VOCAB, UNITS = SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS


def _outputs(model, source, target_input):
    return model((np.asarray(source, "int32"), np.asarray(target_input, "int32"))).numpy()


# ---------------------------------------------------------------- encoder


def test_encoder_returns_the_seminars_context_pair(model):
    source = np.array([[3, 4, 5, 0], [6, 7, 0, 0]], "int32")
    context = model.encoder(source)
    assert isinstance(context, list) and len(context) == 2
    assert [tuple(part.shape) for part in context] == [(2, UNITS), (2, UNITS)]
    outputs, (hidden_state, _) = model.encoder(source, return_sequences=True)
    assert tuple(outputs.shape) == (2, 4, UNITS)
    # The hidden state is the LSTM output at the last *real* token, not at the padding.
    np.testing.assert_allclose(outputs[0, 2], hidden_state[0], atol=1e-6)
    np.testing.assert_allclose(outputs[1, 1], hidden_state[1], atol=1e-6)


def test_padding_does_not_change_the_context(model):
    short = np.array([[3, 4, 5]], "int32")
    padded = np.array([[3, 4, 5, 0, 0, 0]], "int32")
    for a, b in zip(model.encoder(short), model.encoder(padded), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_padding_does_not_change_the_outputs_at_real_positions(model):
    target = [[START, 4, 5]]
    reference = _outputs(model, [[3, 4, 5]], target)
    padded = _outputs(model, [[3, 4, 5, 0, 0]], [[START, 4, 5, 0, 0]])
    np.testing.assert_allclose(padded[:, :3], reference, atol=1e-6)


# ---------------------------------------------------------------- decoder wiring


def test_the_decoder_masks_target_padding_even_with_an_initial_state(model):
    # Keras drops an Embedding's implicit mask when the LSTM also gets initial_state, so the
    # decoder must pass the mask itself; otherwise padding would change its final state.
    context = model.encoder(np.array([[3, 4, 5]], "int32"))
    _, hidden, cell = model.decoder(np.array([[START, 4, 5]], "int32"), initial_state=context)
    _, padded_hidden, padded_cell = model.decoder(
        np.array([[START, 4, 5, 0, 0]], "int32"), initial_state=context
    )
    np.testing.assert_allclose(padded_hidden, hidden, atol=1e-6)
    np.testing.assert_allclose(padded_cell, cell, atol=1e-6)


def test_the_context_reaches_the_decoder(model):
    target = [[START, 4, 5]]
    first = _outputs(model, [[3, 4, 5]], target)
    second = _outputs(model, [[9, 8, 7]], target)
    # Every step, not only the first, must feel the source.
    assert np.abs(first - second).max(axis=-1).min() > 1e-4


def test_the_decoder_starts_from_its_initial_state(model):
    target = np.array([[START, 4]], "int32")
    zero = [tf.zeros((1, UNITS)), tf.zeros((1, UNITS))]
    ones = [tf.ones((1, UNITS)) * 0.5, tf.ones((1, UNITS)) * 0.5]
    from_zero, _, _ = model.decoder(target, initial_state=zero)
    from_ones, _, _ = model.decoder(target, initial_state=ones)
    assert np.abs(from_zero.numpy() - from_ones.numpy()).max() > 1e-4


def test_step_t_depends_on_the_token_at_step_t_minus_1(model):
    source = [[3, 4, 5]]
    first = _outputs(model, source, [[START, 4, 5, 6]])
    changed = _outputs(model, source, [[START, 9, 5, 6]])
    np.testing.assert_allclose(first[:, 0], changed[:, 0], atol=1e-6)  # before the change
    # Steps 2 and 3 see the change only through the carried state.
    assert np.abs(first[:, 2:] - changed[:, 2:]).max(axis=-1).min() > 1e-5


def test_step_by_step_decoding_equals_the_teacher_forced_pass(model):
    """The greedy path must carry the state exactly as the training path does."""
    source = np.array([[3, 4, 5, 6]], "int32")
    target_input = np.array([[START, 7, 8, 9]], "int32")
    teacher_forced = _outputs(model, source, target_input)
    encoder_outputs, state, source_mask = model.encode(source)
    for t in range(target_input.shape[1]):
        step = model.decoder.step(target_input[:, t], state, encoder_outputs, source_mask)
        np.testing.assert_allclose(step.probabilities, teacher_forced[:, t], atol=1e-5)
        assert step.attention_weights is None
        state = step.state


def test_outputs_are_distributions_over_the_target_vocabulary(model):
    probabilities = _outputs(model, [[3, 4]], [[START, 4, 5]])
    assert probabilities.shape == (1, 3, TARGET_VOCAB)
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, atol=1e-5)


# ---------------------------------------------------------------- reversal


def test_reverse_tokens_reverses_only_the_real_tokens():
    ids = np.array([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10], [11, 0, 0, 0, 0]])
    expected = [[5, 4, 3, 0, 0], [10, 9, 8, 7, 6], [11, 0, 0, 0, 0]]
    assert seq2seq.reverse_tokens(ids).tolist() == expected
    assert seq2seq.reverse_tokens_tf(tf.constant(ids)).numpy().tolist() == expected
    assert ids.tolist()[0] == [3, 4, 5, 0, 0]  # the input is not modified


def test_reverse_tokens_refuses_padding_in_the_middle():
    with pytest.raises(ValueError, match="padding before a real token"):
        seq2seq.reverse_tokens(np.array([[3, 0, 5]]))


def test_a_reversing_model_encodes_the_reversed_source(model):
    reversing = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, embedding_dim=6, units=UNITS)
    reversing.reverse_source = True
    reversing.encoder = model.encoder  # same weights, only the order differs
    source = np.array([[3, 4, 5, 0], [6, 7, 8, 9]], "int32")
    _, context, mask = reversing.encode(source)
    expected = model.encoder(seq2seq.reverse_tokens(source))
    for got, want in zip(context, expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)
    assert mask.numpy().tolist() == (source != PAD_ID).tolist()


# ---------------------------------------------------------------- shape and input errors


def test_shape_errors_name_the_axes(model):
    with pytest.raises(ValueError, match=r"\(batch, source_time\)"):
        model.encoder(np.array([3, 4, 5], "int32"))
    with pytest.raises(ValueError, match="hidden_state has units = 5 .* the decoder has units = 8"):
        model.decoder(np.array([[START]], "int32"), initial_state=[tf.zeros((1, 5))] * 2)
    with pytest.raises(ValueError, match=r"\[hidden_state, cell_state\]"):
        model.decoder(np.array([[START]], "int32"), initial_state=tf.zeros((1, UNITS)))
    with pytest.raises(ValueError, match="batch 2 but target_input_ids has batch 1"):
        _outputs(model, [[3], [4]], [[START]])
    with pytest.raises(TypeError, match="integer token ids"):
        model.encoder(np.array([[3.0, 4.0]], "float32"))


def test_a_decoder_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="units=8"):
        seq2seq.Seq2Seq(5, 6, 4, 8, decoder=seq2seq.Decoder(6, 4, 16))


# ---------------------------------------------------------------- analysis


def test_context_vectors_are_the_final_hidden_states(model):
    source = np.array([[3, 4, 5], [6, 0, 0]], "int32")
    hidden_state, _ = model.encoder(source)
    np.testing.assert_allclose(seq2seq.context_vectors(model, source), hidden_state, atol=1e-6)


def test_pca_2d_recovers_a_plane_up_to_rotation():
    rng = np.random.default_rng(1)
    plane = rng.normal(size=(20, 2)) * [5.0, 1.0]
    embedded = plane @ rng.normal(size=(2, 6))  # the points lie in a 2-D subspace of 6-D
    projected = seq2seq.pca_2d(embedded)
    centred = embedded - embedded.mean(axis=0)
    # Distances are kept exactly when the data are 2-D; the first axis carries most variance.
    dist = np.linalg.norm(centred[:, None] - centred[None], axis=-1)
    np.testing.assert_allclose(
        np.linalg.norm(projected[:, None] - projected[None], axis=-1), dist, atol=1e-8
    )
    assert projected[:, 0].var() > projected[:, 1].var()
    with pytest.raises(ValueError, match="pca_2d expects"):
        seq2seq.pca_2d(np.zeros(5))


# ---------------------------------------------------------------- saved weights


def test_saved_weights_load_into_a_fresh_model_and_refuse_other_sizes(model, tmp_path):
    path = tmp_path / "model.npz"
    seq2seq.save_weights(model, path)
    fresh = seq2seq.load_weights(
        seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, embedding_dim=6, units=UNITS), path
    )
    source, target_input = [[3, 4, 5]], [[START, 4]]
    np.testing.assert_array_equal(
        _outputs(fresh, source, target_input), _outputs(model, source, target_input)
    )
    with pytest.raises(ValueError, match="same vocabularies, embedding_dim and units"):
        seq2seq.load_weights(seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, 6, UNITS + 1), path)
    with pytest.raises(FileNotFoundError, match="make bench"):
        seq2seq.load_weights(model, tmp_path / "missing.npz")


# ---------------------------------------------------------------- figures


def test_accuracy_by_length_figure_draws_one_line_per_model():
    from helpers import plots

    fig = plots.accuracy_by_length(
        ["2–8", "9–16"],
        {"in order": [0.9, 0.5], "reversed": [0.95, 0.6]},
        {"in order": [0, 0.1], "reversed": [0, 0]},
    )
    ax = fig.axes[0]
    # The CSV's names, each with its Korean beside it (the finding is in the legend).
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["in order (원래 순서)", "reversed (뒤집은 순서)"]
    assert ax.get_xlabel() and ax.get_ylabel() == "exact match (완전 일치)"
    # Identical lines stay apart: shifted sideways, with different markers.
    first, second = (container.lines[0] for container in ax.containers)
    assert not np.allclose(first.get_xdata(), second.get_xdata())
    assert first.get_marker() != second.get_marker()
    with pytest.raises(ValueError, match="one value per bucket"):
        plots.accuracy_by_length(["2–8", "9–16"], {"x": [0.5]})
    with pytest.raises(ValueError, match=r"lie in \[0, 1\]"):
        plots.accuracy_by_length(["2–8"], {"x": [97.0]})


def test_bilingual_puts_korean_beside_known_names_only():
    from helpers import figure_labels

    assert figure_labels.bilingual("reversed") == "reversed (뒤집은 순서)"
    assert figure_labels.bilingual("naive (last price)") == "naive (last price) · 단순 예측"
    assert figure_labels.bilingual("14 days") == "14 days (14일 뒤)"
    ensemble = figure_labels.bilingual("Model 1: LSTM, 3-seed ensemble")
    assert ensemble == "Model 1: LSTM, 3-seed ensemble (모델 1, 시드 3개 앙상블)"
    # An unknown name, or a known one inside a longer label, gets no (possibly wrong) gloss.
    assert figure_labels.bilingual("Bahdanau, greedy") == "Bahdanau, greedy"
    assert figure_labels.bilingual("odd, 3-seed ensemble") == "odd, 3-seed ensemble"


def test_context_pca_figure_labels_every_sentence_and_draws_the_arrows():
    from helpers import plots

    points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    fig = plots.context_pca(points, ["a b", "b a", "c"], ["ab", "ba", "c"], arrows=[(0, 1)])
    ax = fig.axes[0]
    texts = [child.get_text() for child in ax.texts]
    assert {"a b", "b a", "c"} <= set(texts)
    assert len(ax.collections) == 3  # one scatter per group
    assert sum(1 for child in ax.texts if child.arrow_patch is not None) == 1
    # The two ends of an arrow with the same label ("today" for a sentence and its swap) get it
    # once, not two overprinted copies.
    fig = plots.context_pca(points, ["today", "today", "c"], ["ab", "ba", "c"], arrows=[(0, 1)])
    texts = [child.get_text() for child in fig.axes[0].texts]
    assert texts.count("today") == 1 and "c" in texts
    with pytest.raises(ValueError, match="one label and one group per point"):
        plots.context_pca(points, ["a"], ["g"])


# ---------------------------------------------------------------- bidirectional encoder


def _cell_weights(layer):
    """NumPy weights of a built LSTM layer, either direction (go_backwards is ours to do)."""
    from helpers import lstm

    cell = layer.cell
    return lstm.LSTMWeights(cell.kernel.numpy(), cell.recurrent_kernel.numpy(), cell.bias.numpy())


def test_the_bidirectional_encoder_equals_two_numpy_lstms_one_per_direction():
    from helpers import lstm

    encoder = seq2seq.Encoder(SOURCE_VOCAB, 6, 8, bidirectional=True)
    source = np.array([[3, 4, 5, 0, 0]], "int32")  # three real words, then padding
    outputs, (hidden_state, cell_state) = encoder(source, return_sequences=True)
    assert tuple(outputs.shape) == (1, 5, 8) and tuple(hidden_state.shape) == (1, 8)
    embedded = encoder.embedding(source[:, :3]).numpy()
    forward = lstm.lstm_sequence(embedded, _cell_weights(encoder.lstm.forward_layer))
    backward = lstm.lstm_sequence(embedded[:, ::-1], _cell_weights(encoder.lstm.backward_layer))
    # Word j's state: the forward LSTM after reading 0..j, the backward one after reading j..2.
    np.testing.assert_allclose(outputs[0, :3, :4], forward.hidden[0], atol=1e-5)
    np.testing.assert_allclose(outputs[0, :3, 4:], backward.hidden[0, ::-1], atol=1e-5)
    # The context: both final states, the backward one after it read back to the first word.
    expected_h = np.concatenate([forward.hidden[0, -1], backward.hidden[0, -1]])
    expected_c = np.concatenate([forward.cell[0, -1], backward.cell[0, -1]])
    np.testing.assert_allclose(hidden_state[0], expected_h, atol=1e-5)
    np.testing.assert_allclose(cell_state[0], expected_c, atol=1e-5)


def test_a_bidirectional_state_sees_the_words_after_it_and_a_forward_one_does_not():
    source = np.array([[3, 4, 5, 6]], "int32")
    later_word_changed = np.array([[3, 4, 7, 6]], "int32")
    for bidirectional, first_word_changes in ((True, True), (False, False)):
        encoder = seq2seq.Encoder(SOURCE_VOCAB, 6, 8, bidirectional=bidirectional)
        before, _ = encoder(source, return_sequences=True)
        after, _ = encoder(later_word_changed, return_sequences=True)
        assert (not np.allclose(before[0, 0], after[0, 0])) == first_word_changes


def test_a_bidirectional_encoder_needs_even_units_and_fits_every_decoder():
    with pytest.raises(ValueError, match="even number of units"):
        seq2seq.Encoder(SOURCE_VOCAB, 6, 7, bidirectional=True)
    model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, 6, 8, bidirectional=True)
    probabilities = _outputs(model, [[3, 4, 5, 0]], [[START, 4, 5]])
    assert probabilities.shape == (1, 3, TARGET_VOCAB)
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-5)
