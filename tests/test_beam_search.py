"""decoding.beam_search: greedy at width 1, exhaustive when wide, scores that add up.

Four tiny untrained models (Seq2Seq, Luong, Bahdanau, Transformer) over a target
vocabulary of six ids: <pad>, <start>, <end> and three choosable tokens, so that every
output of at most three tokens (40 of them) can be enumerated and scored by teacher
forcing, independently of the step-by-step decoder. A table decoder whose next-token
distribution depends only on the last token builds the length-penalty case by hand.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import tensorflow as tf

from helpers import runtime
from helpers.translation import decoding, seq2seq, text
from helpers.translation.attention_decoders import (
    BahdanauDecoder,
    LuongDecoder,
    teacher_forced_attention,
)
from helpers.translation.text import END_ID, PAD_ID, START_ID, UNKNOWN_ID
from helpers.translation.transformer import Transformer

SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS = 9, 6, 6, 8
WORDS = [UNKNOWN_ID, 4, 5]  # every id but <pad>, <start> and <end>
MAX_LENGTH = 3
ALL_OUTPUTS = sum(len(WORDS) ** n for n in range(MAX_LENGTH)) + len(WORDS) ** MAX_LENGTH  # 40
SOURCE = np.array([[4, 5, 6], [7, 8, 0], [3, 0, 0]], "int32")
KINDS = ["seq2seq", "luong", "bahdanau", "transformer"]
TOLERANCE = 1e-5


def _tiny_model(kind):
    runtime.seed_everything(0)
    if kind == "transformer":
        model = Transformer(SOURCE_VOCAB, TARGET_VOCAB, width=8, heads=2, hidden=16, max_length=16)
    else:
        decoder = {
            "seq2seq": None,
            "luong": LuongDecoder(TARGET_VOCAB, EMBEDDING, UNITS, score="dot"),
            "bahdanau": BahdanauDecoder(TARGET_VOCAB, EMBEDDING, UNITS),
        }[kind]
        model = seq2seq.Seq2Seq(SOURCE_VOCAB, TARGET_VOCAB, EMBEDDING, UNITS, decoder=decoder)
    model((SOURCE, np.array([[START_ID, 4]] * len(SOURCE), "int32")))  # create the weights
    # Larger weights than the initialisers: peaked distributions, so hypotheses seldom tie.
    rng = np.random.default_rng(1)
    for weight in model.weights:
        weight.assign((0.8 * rng.normal(size=weight.shape)).astype("float32"))
    return model


@pytest.fixture(scope="module", params=KINDS)
def tiny_model(request):
    return _tiny_model(request.param)


def teacher_forced_scores(model, source_row, outputs) -> np.ndarray:
    """Sum of log p(token) under teacher forcing for each ``(ids, finished)`` in ``outputs``.

    A finished output scores its ids and then <end>; an unfinished one its ids only.
    """
    scores = np.empty(len(outputs))
    groups = {}
    for index, (ids, finished) in enumerate(outputs):
        groups.setdefault((len(ids), finished), []).append(index)
    for (length, finished), members in groups.items():
        ids = np.array([outputs[i][0] for i in members], "int32").reshape(len(members), length)
        if finished:
            targets = np.concatenate([ids, np.full((len(members), 1), END_ID)], axis=1)
        else:
            targets = ids
        decoder_input = np.concatenate(
            [np.full((len(members), 1), START_ID), targets[:, :-1]], axis=1
        ).astype("int32")
        source = np.repeat(source_row[None, :], len(members), axis=0)
        log_p = np.log(np.asarray(model((source, decoder_input)), dtype=np.float64))
        picked = np.take_along_axis(log_p, targets[:, :, None], axis=2)[:, :, 0]
        scores[members] = picked.sum(axis=1)
    return scores


def every_output():
    """All (ids, finished) of at most MAX_LENGTH tokens: ended ones shorter, unended full length."""
    ended = [
        (list(ids), True) for n in range(MAX_LENGTH) for ids in itertools.product(WORDS, repeat=n)
    ]
    unended = [(list(ids), False) for ids in itertools.product(WORDS, repeat=MAX_LENGTH)]
    return ended + unended


def _returned(result, row):
    """Sentence ``row``'s returned hypotheses as (ids, finished), and their scores."""
    outputs, scores = [], []
    for slot, (ids, score) in enumerate(result.hypotheses(row)):
        outputs.append((ids, bool(result.beam_finished[row, slot])))
        scores.append(score)
    return outputs, np.array(scores)


# ---------------------------------------------------------------- greedy and exhaustive


def test_beam_width_one_is_greedy_decoding(tiny_model):
    greedy = decoding.greedy_decode(tiny_model, SOURCE, START_ID, END_ID, max_length=6)
    for alpha in (0.0, 1.0):  # one hypothesis: nothing to rank, so the penalty cannot matter
        beam = decoding.beam_search(
            tiny_model, SOURCE, START_ID, END_ID, max_length=6, beam_width=1, alpha=alpha
        )
        assert beam.sequences() == greedy.sequences()
        assert beam.finished.tolist() == greedy.finished.tolist()
    steps = greedy.lengths + greedy.finished
    chosen = greedy.token_ids.copy()
    ended = np.flatnonzero(greedy.finished)
    chosen[ended, greedy.lengths[ended]] = END_ID  # the <end> step is scored too
    log_p = np.log(np.take_along_axis(greedy.step_probabilities, chosen[:, :, None], 2)[..., 0])
    taken = np.arange(greedy.token_ids.shape[1]) < steps[:, None]
    np.testing.assert_allclose(beam.scores, (log_p * taken).sum(axis=1), atol=TOLERANCE)
    if greedy.attention_weights is not None:
        for row, length in enumerate(steps):
            np.testing.assert_allclose(
                beam.attention_weights[row, :length], greedy.attention_weights[row, :length]
            )


@pytest.mark.parametrize("alpha", [0.0, 1.0])
def test_a_beam_that_keeps_every_hypothesis_finds_the_exhaustive_best(tiny_model, alpha):
    result = decoding.beam_search(
        tiny_model, SOURCE, START_ID, END_ID, MAX_LENGTH, beam_width=ALL_OUTPUTS, alpha=alpha
    )
    candidates = every_output()
    lengths = np.array([len(ids) + finished for ids, finished in candidates])
    for row in range(len(SOURCE)):
        scores = teacher_forced_scores(tiny_model, SOURCE[row], candidates)
        ranking = scores / decoding.length_penalty(lengths, alpha)
        best = candidates[int(np.argmax(ranking))][0]
        returned, _ = _returned(result, row)
        assert sorted(map(str, returned)) == sorted(map(str, candidates))  # nothing pruned
        chosen = candidates.index((result.sequences()[row], bool(result.finished[row])))
        assert ranking[chosen] == pytest.approx(ranking.max(), abs=TOLERANCE), (best, chosen)
        assert result.beam_ranking[row, 0] == pytest.approx(ranking.max(), abs=TOLERANCE)


def test_scores_are_the_teacher_forced_log_probabilities_of_the_returned_sequences(tiny_model):
    result = decoding.beam_search(tiny_model, SOURCE, START_ID, END_ID, max_length=5, beam_width=4)
    for row in range(len(SOURCE)):
        outputs, scores = _returned(result, row)
        assert len(outputs) == 4
        np.testing.assert_allclose(
            scores, teacher_forced_scores(tiny_model, SOURCE[row], outputs), atol=TOLERANCE
        )
        assert np.all(np.diff(result.beam_ranking[row]) <= 0)  # best first
    assert result.scores.tolist() == result.beam_scores[:, 0].tolist()


def reference_beam_search(model, source_row, width, alpha, max_length):
    """Beam search one sentence at a time, in plain Python, scoring by teacher forcing."""
    beams = [([], False, 0.0)]  # (ids, finished, score)
    for _ in range(max_length):
        kept = [beam for beam in beams if beam[1]]
        grown = [(ids + [w], False) for ids, done, _ in beams if not done for w in WORDS]
        grown += [(ids, True) for ids, done, _ in beams if not done]  # ... then <end>
        scores = teacher_forced_scores(model, source_row, grown)
        candidates = kept + [
            (ids, done, score) for (ids, done), score in zip(grown, scores, strict=True)
        ]
        lengths = np.array([len(ids) + done for ids, done, _ in candidates])
        ranking = np.array([c[2] for c in candidates]) / decoding.length_penalty(lengths, alpha)
        beams = [candidates[i] for i in np.argsort(-ranking, kind="stable")[:width]]
        if all(done for _, done, _ in beams):
            break
    return beams


# A strong penalty (alpha = 3) makes ended and live hypotheses trade places while pruning.
@pytest.mark.parametrize(("width", "alpha"), [(2, 0.0), (3, 3.0)])
def test_a_narrow_beam_keeps_what_a_plain_python_beam_search_keeps(tiny_model, width, alpha):
    result = decoding.beam_search(
        tiny_model, SOURCE, START_ID, END_ID, max_length=4, beam_width=width, alpha=alpha
    )
    for row in range(len(SOURCE)):
        expected = reference_beam_search(tiny_model, SOURCE[row], width, alpha, max_length=4)
        outputs, scores = _returned(result, row)
        assert outputs == [(ids, done) for ids, done, _ in expected]
        np.testing.assert_allclose(scores, [score for *_, score in expected], atol=TOLERANCE)


@pytest.mark.parametrize("kind", ["luong", "bahdanau", "transformer"])
def test_attention_is_the_teacher_forced_attention_of_the_chosen_sequence(kind):
    model = _tiny_model(kind)
    result = decoding.beam_search(model, SOURCE, START_ID, END_ID, max_length=6, beam_width=2)
    for row, ids in enumerate(result.sequences()):
        steps = len(ids) + int(result.finished[row])
        decoder_input = np.array([[START_ID, *ids][:steps]], "int32")
        if kind == "transformer":
            weights = model.cross_attention(SOURCE[row : row + 1], decoder_input).mean(axis=1)
        else:
            weights = teacher_forced_attention(model, SOURCE[row : row + 1], decoder_input)
        np.testing.assert_allclose(result.attention_weights[row, :steps], weights[0], atol=1e-5)


def test_attention_is_the_chosen_hypothesis_s_and_ignores_padding():
    model = _tiny_model("luong")
    result = decoding.beam_search(model, SOURCE, START_ID, END_ID, max_length=5, beam_width=3)
    steps = result.lengths + result.finished
    assert result.attention_weights.shape == (len(SOURCE), result.token_ids.shape[1], 3)
    for row, length in enumerate(steps):
        np.testing.assert_allclose(result.attention_weights[row, :length].sum(-1), 1.0, atol=1e-5)
        assert np.all(result.attention_weights[row, length:] == 0.0)
    assert np.all(result.attention_weights[1, :, 2] == 0.0)  # the padded source position
    assert np.all(result.attention_weights[2, :, 1:] == 0.0)


# ---------------------------------------------------------------- a decoder built by hand

# Next-token distributions of the table decoder, by the token fed in (ids 0..4, A = 4):
# after <start>, <end> is likelier than A; after A, <end> is almost sure.
A = 4
TABLE = np.array(
    [
        [0.2, 0.2, 0.2, 0.2, 0.2],  # <pad> (never fed)
        [0.0, 0.0, 0.5, 0.05, 0.45],  # <start>: [] has p 0.5; [A] has p 0.45 · 0.9 = 0.405
        [0.0, 0.0, 1.0, 0.0, 0.0],  # <end> (what an ended hypothesis is fed)
        [0.0, 0.0, 0.9, 0.05, 0.05],  # <unk>
        [0.0, 0.0, 0.9, 0.05, 0.05],  # A
    ],
    "float32",
)


class TableDecoder(seq2seq.Decoder):
    """p(next | last token) from TABLE; the state passes through; records each step's batch."""

    def __init__(self):
        super().__init__(len(TABLE), 4, UNITS)
        self.step_batches = []

    def step(self, token_ids, state, encoder_outputs=None, source_mask=None):
        self.step_batches.append(int(token_ids.shape[0]))
        # "Attention" on the source position numbered by the token fed in: it names the input.
        weights = np.eye(source_mask.shape[1], dtype="float32")[np.asarray(token_ids)]
        return seq2seq.DecoderStep(tf.constant(TABLE[np.asarray(token_ids)]), state, weights)


TABLE_SOURCE = np.array([[3, 4, 5, 6, 7], [5, 6, 7, 0, 0]], "int32")  # a position per id


def _table_model():
    return seq2seq.Seq2Seq(SOURCE_VOCAB, len(TABLE), 6, UNITS, decoder=TableDecoder())


def test_the_length_penalty_changes_the_ranking():
    model, source = _table_model(), TABLE_SOURCE
    plain = decoding.beam_search(model, source, START_ID, END_ID, 4, beam_width=2, alpha=0.0)
    assert plain.sequences() == [[], []]
    assert plain.hypotheses(0) == [
        ([], pytest.approx(np.log(0.5))),
        ([A], pytest.approx(np.log(0.405))),
    ]
    # lp(1) = 1 and lp(2) = (7/6)^2: log 0.405 / 1.36 = -0.66 beats log 0.5 = -0.69.
    penalised = decoding.beam_search(model, source, START_ID, END_ID, 4, beam_width=2, alpha=2.0)
    assert penalised.sequences() == [[A], [A]]
    assert penalised.scores == pytest.approx([np.log(0.405)] * 2)  # the score stays log P
    assert penalised.beam_ranking[0, 0] == pytest.approx(np.log(0.405) / (7 / 6) ** 2)


def test_the_attention_follows_the_chosen_hypothesis_back_through_its_slots():
    model = _table_model()
    result = decoding.beam_search(
        model, TABLE_SOURCE[:1], START_ID, END_ID, 4, beam_width=2, alpha=2
    )
    # [A] sat in slot 1 after step 1 (behind []) and [A, <end>] in slot 0 after step 2.
    assert result.sequences() == [[A]]
    fed = result.attention_weights[0].argmax(axis=-1)  # the token fed at each step
    assert fed.tolist() == [START_ID, A]


def test_ended_hypotheses_keep_their_score_and_decoding_stops_when_all_have_ended():
    model, source = _table_model(), TABLE_SOURCE
    result = decoding.beam_search(model, source, START_ID, END_ID, 10, beam_width=3)
    # Step 1 keeps [], [A] and [<unk>]; step 2 ends both live ones; no third step.
    assert model.decoder.step_batches == [2 * 3, 2 * 3]  # sentences × beams in one batch
    assert result.token_ids.shape == (2, 2)
    assert result.beam_finished.all()
    assert result.beam_token_ids[0].tolist() == [[PAD_ID, PAD_ID], [A, PAD_ID], [3, PAD_ID]]
    np.testing.assert_allclose(
        result.beam_scores[0], np.log([0.5, 0.45 * 0.9, 0.05 * 0.9]), rtol=1e-6
    )


def test_hypotheses_that_never_end_are_ranked_at_the_maximum_length():
    model = _table_model()
    result = decoding.beam_search(model, TABLE_SOURCE, START_ID, 3, max_length=2, beam_width=2)
    # With <unk> (id 3) as the end token, <end> (id 2) is an ordinary word that repeats.
    assert result.sequences() == [[2, 2]] * 2 and result.finished.tolist() == [False] * 2
    assert result.scores == pytest.approx([np.log(0.5 * 1.0)] * 2)


def test_translate_and_predict_tokens_take_a_beam_width():
    from helpers.translation import text, translator

    source_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["I", "love", "you"])
    target_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["난"])  # A = 4 = 난
    model = _table_model()
    sentence = ["I love you I love"]  # five source positions, as the table decoder needs
    assert translator.translate(model, sentence, source_vocab, target_vocab, beam_width=1) == [""]
    penalised = translator.translate(
        model, sentence, source_vocab, target_vocab, beam_width=2, alpha=2.0
    )
    assert penalised == ["난"]


def test_predict_tokens_keeps_the_order_of_sources_of_mixed_lengths(model):
    rng = np.random.default_rng(0)
    lengths = [5, 1, 3, 5, 2, 4, 1]
    source = np.zeros((len(lengths), 6), "int32")  # one column of padding past the longest
    for row, length in enumerate(lengths):
        source[row, :length] = rng.integers(4, 13, size=length)
    vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + [f"w{i}" for i in range(4, 11)])
    for width in (1, 2):
        one_by_one = [
            decoding.predict_tokens(model, row[None, : lengths[i]], vocab, 6, beam_width=width)[0]
            for i, row in enumerate(source)
        ]
        batched = decoding.predict_tokens(model, source, vocab, 6, batch_size=3, beam_width=width)
        assert batched == one_by_one


# ---------------------------------------------------------------- bad input


def test_bad_settings_are_clear_errors_that_name_the_valid_values(model):
    source = np.array([[3, 4]], "int32")

    def search(source=source, **changes):
        settings = {"max_length": 3, "beam_width": 2, **changes}
        return decoding.beam_search(model, source, START_ID, END_ID, **settings)

    # The conftest model: 8 choosable tokens, so 1 + 8 + 64 + 512 outputs of <= 3 tokens.
    with pytest.raises(ValueError, match="beam_width must be a whole number of at least 1 .*got 0"):
        search(beam_width=0)
    with pytest.raises(ValueError, match="of at least 1 \\(hypotheses\\), got -1"):
        search(beam_width=-1, max_length=20)
    with pytest.raises(ValueError, match="beam_width must be a whole number .* got 2.5"):
        search(beam_width=2.5)
    with pytest.raises(ValueError, match="whole number"):
        search(beam_width=True)
    tiny = _table_model()  # two choosable words (<unk>, A): 1 + 2 + 4 outputs of <= 2 tokens
    with pytest.raises(ValueError, match=r"from 1 to 7, got 8: there are only 7 distinct"):
        decoding.beam_search(tiny, source, START_ID, END_ID, 2, beam_width=8)
    with pytest.raises(ValueError, match=r"\(batch, source_time\)"):
        search(source=np.array([3, 4], "int32"))
    with pytest.raises(ValueError, match=r"source rows \[0\] are empty"):
        search(source=np.array([[0, 0]], "int32"))
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        search(alpha=-0.5)
    with pytest.raises(ValueError, match="max_length must be a whole number of at least 1"):
        search(max_length=0)
    with pytest.raises(
        ValueError, match=r"end_id=11 is not an id of the target vocabulary \(1..10\)"
    ):
        decoding.beam_search(model, source, START_ID, 11, 3, beam_width=2)
