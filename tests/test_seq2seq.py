"""helpers.seq2seq: the wiring of encoder -> context -> decoder, not only its shapes.

Each test targets a bug that would still produce plausible shapes: a context
that never reaches the decoder, a state dropped between steps, padding that
leaks into the context, a reversal that moves the padding, a greedy loop that
ignores <end> or runs forever.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from helpers import runtime, seq2seq, text
from helpers.text import PAD_ID

START, END = 1, 2
SOURCE_VOCAB, TARGET_VOCAB = 13, 11
UNITS = 8


@pytest.fixture
def model():
    runtime.seed_everything(0)
    model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, embedding_dim=6, units=UNITS)
    model((np.ones((1, 3), "int32"), np.ones((1, 2), "int32")))  # build the weights
    return model


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


# ---------------------------------------------------------------- greedy decoding


class ScriptedDecoder(seq2seq.Decoder):
    """Emits a fixed token per (row, step) and records what the greedy loop feeds back."""

    def __init__(self, script, with_attention=False):
        super().__init__(TARGET_VOCAB, 4, UNITS)
        self.script = np.asarray(script)
        self.with_attention = with_attention
        self.fed_tokens, self.received_states = [], []

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None):
        t = len(self.fed_tokens)
        self.fed_tokens.append(np.asarray(token_ids).tolist())
        self.received_states.append(float(np.asarray(state[0])[0, 0]))
        probabilities = np.full((len(self.script), TARGET_VOCAB), 0.01, "float32")
        probabilities[np.arange(len(self.script)), self.script[:, t]] = 0.9
        new_state = [state[0] + 1.0, state[1]]  # a counter, to see the state carried
        weights = None
        if self.with_attention:
            weights = np.zeros(tuple(source_mask.shape), "float32")
            weights[:, t % weights.shape[1]] = 1.0
        return seq2seq.DecoderStep(tf.constant(probabilities), new_state, weights)


def _scripted_model(script, with_attention=False):
    decoder = ScriptedDecoder(script, with_attention)
    return seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, 6, UNITS, decoder=decoder)


def test_greedy_decoding_stops_each_sentence_at_its_end_token():
    script = [[5, 6, END, 7, 7], [8, END, 9, 9, 9]]
    model = _scripted_model(script)
    result = seq2seq.greedy_decode(model, [[3, 4], [5, 0]], START, END, max_length=5)
    assert result.sequences() == [[5, 6], [8]]
    assert result.lengths.tolist() == [2, 1] and result.finished.tolist() == [True, True]
    assert result.token_ids.tolist() == [[5, 6, 0], [8, 0, 0]]  # PAD after <end>, and
    assert len(model.decoder.fed_tokens) == 3  # no step after every sentence ended


def test_greedy_decoding_feeds_back_its_predictions_and_carries_the_state():
    script = [[5, 6, 7, END]]
    model = _scripted_model(script)
    seq2seq.greedy_decode(model, [[3, 4]], START, END, max_length=10)
    assert model.decoder.fed_tokens == [[START], [5], [6], [7]]
    start_value = model.decoder.received_states[0]
    assert np.allclose(np.diff(model.decoder.received_states), 1.0), start_value


def test_greedy_decoding_respects_the_maximum_length():
    model = _scripted_model([[5] * 10])
    result = seq2seq.greedy_decode(model, [[3, 4]], START, END, max_length=4)
    assert result.sequences() == [[5, 5, 5, 5]]
    assert result.finished.tolist() == [False]
    assert result.step_probabilities.shape == (1, 4, TARGET_VOCAB)


def test_greedy_decoding_collects_attention_weights_per_step():
    model = _scripted_model([[5, 6, END]], with_attention=True)
    result = seq2seq.greedy_decode(model, [[3, 4, 5]], START, END, max_length=5)
    assert result.attention_weights.shape == (1, 3, 3)
    assert result.attention_weights[0].argmax(axis=-1).tolist() == [0, 1, 2]


def test_greedy_steps_match_the_teacher_forced_pass_on_its_own_output(model):
    source = np.array([[3, 4, 5], [6, 7, 0]], "int32")
    result = seq2seq.greedy_decode(model, source, START, END, max_length=4)
    for row in range(len(source)):
        steps = result.lengths[row] + int(result.finished[row])  # the <end> step too
        fed = np.concatenate([[START], result.token_ids[row, : steps - 1]])[None, :]
        teacher_forced = _outputs(model, source[row : row + 1], fed)
        np.testing.assert_allclose(
            result.step_probabilities[row, :steps], teacher_forced[0], atol=1e-5
        )


def test_greedy_decoding_rejects_empty_sources_and_bad_lengths(model):
    with pytest.raises(ValueError, match=r"source rows \[1\] are empty"):
        seq2seq.greedy_decode(model, [[3, 4], [0, 0]], START, END, max_length=3)
    with pytest.raises(ValueError, match="max_length"):
        seq2seq.greedy_decode(model, [[3, 4]], START, END, max_length=0)


# ---------------------------------------------------------------- shape and input errors


def test_shape_errors_name_the_axes(model):
    with pytest.raises(ValueError, match=r"\(batch, source_time\)"):
        model.encoder(np.array([3, 4, 5], "int32"))
    with pytest.raises(ValueError, match=r"\(batch, units\) = \(1, 8\)"):
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


# ---------------------------------------------------------------- training pieces


def test_teacher_forcing_arrays_must_pad_the_same_places():
    decoder_input = np.array([[START, 5, 6, 0], [START, 7, 0, 0]])
    decoder_target = np.array([[5, 6, END, 0], [7, END, 0, 0]])
    seq2seq.check_teacher_forcing(decoder_input, decoder_target)
    shifted_wrongly = np.array([[5, 6, END, 0], [7, END, 9, 0]])
    with pytest.raises(ValueError, match=r"rows \[1\] pad decoder_input and decoder_target"):
        seq2seq.check_teacher_forcing(decoder_input, shifted_wrongly)
    with pytest.raises(ValueError, match="same shape"):
        seq2seq.check_teacher_forcing(decoder_input, decoder_target[:, :3])


def test_loss_and_accuracy_count_only_real_target_tokens(model):
    seq2seq.compile_model(model)
    source = np.array([[3, 4, 0], [5, 6, 7]], "int32")
    decoder_input = np.array([[START, 4, 0], [START, 5, 6]], "int32")
    decoder_output = np.array([[4, END, 0], [5, 6, END]], "int32")
    probabilities = _outputs(model, source, decoder_input)
    real = decoder_output != PAD_ID
    picked = np.take_along_axis(probabilities, decoder_output[..., None], axis=-1)[..., 0]
    expected_loss = -np.log(picked[real]).mean()
    expected_accuracy = (probabilities.argmax(-1) == decoder_output)[real].mean()
    loss, accuracy = model.evaluate((source, decoder_input), decoder_output, verbose=0)
    np.testing.assert_allclose(loss, expected_loss, rtol=1e-5)
    np.testing.assert_allclose(accuracy, expected_accuracy, rtol=1e-6)


def _toy_teacher_forcing(rows=10):
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 6, size=rows)
    source = np.zeros((rows, 7), "int32")
    decoder_input = np.zeros((rows, 8), "int32")
    decoder_target = np.zeros((rows, 8), "int32")
    for row, length in enumerate(lengths):
        tokens = rng.integers(3, 9, size=length)
        source[row, :length] = tokens
        decoder_input[row, : length + 1] = [START, *tokens[::-1]]
        decoder_target[row, : length + 1] = [*tokens[::-1], END]
    return source, decoder_input, decoder_target


def test_length_bucketed_batches_cover_every_row_once_and_trim_only_padding():
    source, decoder_input, decoder_target = _toy_teacher_forcing()
    batches = seq2seq.LengthBucketedBatches(source, decoder_input, decoder_target, 4, seed=1)
    assert len(batches) == 3
    seen = []
    for index in range(len(batches)):
        (batch_source, batch_input), batch_target = batches[index]
        rows = batches.batches[index]
        seen += rows.tolist()
        # Only all-padding columns are cut: every real token is still there.
        assert (batch_source != 0).sum() == (source[rows] != 0).sum()
        assert (batch_target != 0).sum() == (decoder_target[rows] != 0).sum()
        assert (batch_source[:, -1] != 0).any() and (batch_target[:, -1] != 0).any()
        assert batch_input.shape == batch_target.shape
    assert sorted(seen) == list(range(10))
    first_epoch = [rows.tolist() for rows in batches.batches]
    batches.on_epoch_end()
    assert [rows.tolist() for rows in batches.batches] != first_epoch  # reshuffled
    again = seq2seq.LengthBucketedBatches(source, decoder_input, decoder_target, 4, seed=1)
    assert [rows.tolist() for rows in again.batches] == first_epoch  # reproducible


def test_trimmed_batches_give_the_same_loss_as_full_padding(model):
    seq2seq.compile_model(model)
    source, decoder_input, decoder_target = _toy_teacher_forcing()
    full = model.evaluate((source, decoder_input), decoder_target, batch_size=10, verbose=0)
    batches = seq2seq.LengthBucketedBatches(source, decoder_input, decoder_target, 10)
    (short_source, short_input), short_target = batches[0]
    assert short_source.shape[1] < source.shape[1]
    trimmed = model.evaluate((short_source, short_input), short_target, verbose=0)
    np.testing.assert_allclose(trimmed, full, rtol=1e-5)


def test_training_learns_a_tiny_reordering_task(capsys):
    runtime.seed_everything(0)
    rng = np.random.default_rng(0)
    source = rng.integers(3, 9, size=(256, 3)).astype("int32")
    decoder_input = np.concatenate([np.full((256, 1), START), source[:, ::-1]], axis=1)
    decoder_target = np.concatenate([source[:, ::-1], np.full((256, 1), END)], axis=1)
    model = seq2seq.Seq2Seq(9, 9, embedding_dim=8, units=24)
    history = seq2seq.fit(
        model, source, decoder_input, decoder_target, epochs=25, batch_size=32, label="tiny"
    )
    assert "tiny" in capsys.readouterr().out
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    result = seq2seq.greedy_decode(model, source[:64], START, END, max_length=6)
    reference = [row[:3].tolist() for row in decoder_target[:64]]
    assert np.mean([p == r for p, r in zip(result.sequences(), reference, strict=True)]) > 0.6


# ---------------------------------------------------------------- raw sentences


@pytest.fixture
def vocabularies():
    source_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["I", "love", "you"])
    target_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["난", "널", "사랑해"])
    return source_vocab, target_vocab


def test_translate_maps_raw_sentences_to_raw_sentences(vocabularies):
    source_vocab, target_vocab = vocabularies
    script = [[4, 5, 6, END, END]]  # 난 널 사랑해 <end>
    model = _scripted_model(script)
    assert seq2seq.translate(model, ["I love you"], source_vocab, target_vocab) == ["난 널 사랑해"]


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
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["in order", "reversed"]
    assert ax.get_xlabel() and ax.get_ylabel() == "exact match"
    with pytest.raises(ValueError, match="one value per bucket"):
        plots.accuracy_by_length(["2–8", "9–16"], {"x": [0.5]})
    with pytest.raises(ValueError, match=r"lie in \[0, 1\]"):
        plots.accuracy_by_length(["2–8"], {"x": [97.0]})


def test_context_pca_figure_labels_every_sentence_and_draws_the_arrows():
    from helpers import plots

    points = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    fig = plots.context_pca(points, ["a b", "b a", "c"], ["ab", "ba", "c"], arrows=[(0, 1)])
    ax = fig.axes[0]
    texts = [child.get_text() for child in ax.texts]
    assert {"a b", "b a", "c"} <= set(texts)
    assert len(ax.collections) == 3  # one scatter per group
    assert sum(1 for child in ax.texts if child.arrow_patch is not None) == 1
    with pytest.raises(ValueError, match="one label and one group per point"):
        plots.context_pca(points, ["a"], ["g"])
