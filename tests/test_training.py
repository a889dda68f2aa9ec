"""helpers.translation.training: masked loss and accuracy, bucketed batches, a fit that learns."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS

from helpers import runtime
from helpers.translation import decoding, seq2seq, training
from helpers.translation.text import END_ID, PAD_ID, START_ID

START, END = START_ID, END_ID
# The `model` fixture (conftest.py) has these sizes.
SOURCE_VOCAB, TARGET_VOCAB, UNITS = SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS


def _outputs(model, source, target_input):
    return model((np.asarray(source, "int32"), np.asarray(target_input, "int32"))).numpy()


def test_teacher_forcing_arrays_must_pad_the_same_places():
    decoder_input = np.array([[START, 5, 6, 0], [START, 7, 0, 0]])
    decoder_target = np.array([[5, 6, END, 0], [7, END, 0, 0]])
    training.check_teacher_forcing(decoder_input, decoder_target)
    shifted_wrongly = np.array([[5, 6, END, 0], [7, END, 9, 0]])
    with pytest.raises(ValueError, match=r"rows \[1\] pad decoder_input and decoder_target"):
        training.check_teacher_forcing(decoder_input, shifted_wrongly)
    with pytest.raises(ValueError, match="same shape"):
        training.check_teacher_forcing(decoder_input, decoder_target[:, :3])


def test_loss_and_accuracy_count_only_real_target_tokens(model):
    training.compile_model(model)
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
    batches = training.LengthBucketedBatches(source, decoder_input, decoder_target, 4, seed=1)
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
    again = training.LengthBucketedBatches(source, decoder_input, decoder_target, 4, seed=1)
    assert [rows.tolist() for rows in again.batches] == first_epoch  # reproducible


def test_trimmed_batches_give_the_same_loss_as_full_padding(model):
    training.compile_model(model)
    source, decoder_input, decoder_target = _toy_teacher_forcing()
    full = model.evaluate((source, decoder_input), decoder_target, batch_size=10, verbose=0)
    batches = training.LengthBucketedBatches(source, decoder_input, decoder_target, 10)
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
    history = training.fit(
        model, source, decoder_input, decoder_target, epochs=25, batch_size=32, label="tiny"
    )
    assert "tiny" in capsys.readouterr().out
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    result = decoding.greedy_decode(model, source[:64], START, END, max_length=6)
    reference = [row[:3].tolist() for row in decoder_target[:64]]
    assert np.mean([p == r for p, r in zip(result.sequences(), reference, strict=True)]) > 0.6


def test_extra_callbacks_run_beside_the_progress_line(model, capsys):
    from helpers.progress import EpochTimer

    timer = EpochTimer()
    source = np.array([[3, 4], [5, 0]], "int32")
    decoder_input = np.array([[START, 6], [START, 7]], "int32")
    decoder_target = np.array([[6, END], [7, END]], "int32")
    training.fit(
        model, source, decoder_input, decoder_target, epochs=2, label="timed", callbacks=[timer]
    )
    assert len(timer.seconds) == 2 and "timed" in capsys.readouterr().out
