"""helpers.translation.decoding: a greedy loop that stops at <end>, feeds back its tokens,
carries the state.

A scripted decoder emits fixed tokens, so each test sees exactly what the loop
feeds back; a small real model checks the greedy steps against teacher forcing.
"""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf
from conftest import SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS

from helpers.translation import decoding, seq2seq, text, translator
from helpers.translation.text import END_ID, START_ID

START, END = START_ID, END_ID
# The `model` fixture (conftest.py) has these sizes.
SOURCE_VOCAB, TARGET_VOCAB, UNITS = SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS


def _outputs(model, source, target_input):
    return model((np.asarray(source, "int32"), np.asarray(target_input, "int32"))).numpy()


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
    result = decoding.greedy_decode(model, [[3, 4], [5, 0]], START, END, max_length=5)
    assert result.sequences() == [[5, 6], [8]]
    assert result.lengths.tolist() == [2, 1] and result.finished.tolist() == [True, True]
    assert result.token_ids.tolist() == [[5, 6, 0], [8, 0, 0]]  # PAD after <end>, and
    assert len(model.decoder.fed_tokens) == 3  # no step after every sentence ended


def test_greedy_decoding_feeds_back_its_predictions_and_carries_the_state():
    script = [[5, 6, 7, END]]
    model = _scripted_model(script)
    decoding.greedy_decode(model, [[3, 4]], START, END, max_length=10)
    assert model.decoder.fed_tokens == [[START], [5], [6], [7]]
    start_value = model.decoder.received_states[0]
    assert np.allclose(np.diff(model.decoder.received_states), 1.0), start_value


def test_greedy_decoding_respects_the_maximum_length():
    model = _scripted_model([[5] * 10])
    result = decoding.greedy_decode(model, [[3, 4]], START, END, max_length=4)
    assert result.sequences() == [[5, 5, 5, 5]]
    assert result.finished.tolist() == [False]
    assert result.step_probabilities.shape == (1, 4, TARGET_VOCAB)


def test_greedy_decoding_collects_attention_weights_per_step():
    model = _scripted_model([[5, 6, END]], with_attention=True)
    result = decoding.greedy_decode(model, [[3, 4, 5]], START, END, max_length=5)
    assert result.attention_weights.shape == (1, 3, 3)
    assert result.attention_weights[0].argmax(axis=-1).tolist() == [0, 1, 2]


def test_greedy_steps_match_the_teacher_forced_pass_on_its_own_output(model):
    source = np.array([[3, 4, 5], [6, 7, 0]], "int32")
    result = decoding.greedy_decode(model, source, START, END, max_length=4)
    for row in range(len(source)):
        steps = result.lengths[row] + int(result.finished[row])  # the <end> step too
        fed = np.concatenate([[START], result.token_ids[row, : steps - 1]])[None, :]
        teacher_forced = _outputs(model, source[row : row + 1], fed)
        np.testing.assert_allclose(
            result.step_probabilities[row, :steps], teacher_forced[0], atol=1e-5
        )


class TableDecoder(seq2seq.Decoder):
    """Returns row ``t`` of ``table`` (steps, target_vocab) at step t, for every sentence."""

    def __init__(self, table):
        super().__init__(TARGET_VOCAB, 4, UNITS)
        self.table, self.t = np.asarray(table, "float32"), 0

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None):
        row = np.repeat(self.table[self.t][None, :], len(np.asarray(token_ids)), axis=0)
        self.t += 1
        return seq2seq.DecoderStep(tf.constant(row), state)


def test_greedy_decoding_never_chooses_padding_or_the_start_token():
    table = np.full((2, TARGET_VOCAB), 0.0)
    table[0, [text.PAD_ID, START, 5]] = [0.5, 0.3, 0.2]  # an untrained model's favourites
    table[1, [text.PAD_ID, END]] = [0.6, 0.4]
    decoder = TableDecoder(table)
    model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, 6, UNITS, decoder=decoder)
    result = decoding.greedy_decode(model, [[3, 4]], START, END, max_length=5)
    assert result.sequences() == [[5]] and result.finished.tolist() == [True]


def test_greedy_decoding_rejects_empty_sources_and_bad_lengths(model):
    with pytest.raises(ValueError, match=r"source rows \[1\] are empty"):
        decoding.greedy_decode(model, [[3, 4], [0, 0]], START, END, max_length=3)
    with pytest.raises(ValueError, match="max_length"):
        decoding.greedy_decode(model, [[3, 4]], START, END, max_length=0)
    with pytest.raises(ValueError, match="max_length must be a whole number"):
        decoding.greedy_decode(model, [[3, 4]], START, END, max_length=2.5)


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
    assert translator.translate(model, ["I love you"], source_vocab, target_vocab) == [
        "난 널 사랑해"
    ]
