"""helpers.metrics, every score of the series: exact match, token accuracy, accuracy by
length, BLEU and chrF, the alignment error rate and offsets, NMAE."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import metrics


def test_exact_match_counts_whole_sentences():
    predictions = ["난 널 사랑해", "나는 재현이야", "나는 학교에 간다"]
    references = ["난 널 사랑해", "나는 재현이야 .", "나는 학교에 간다"]
    assert metrics.exact_match(predictions, references) == pytest.approx(2 / 3)


def test_exact_match_accepts_token_lists_and_numpy_ids():
    predictions = [np.array([4, 5, 6]), [7, 8]]
    references = [[4, 5, 6], np.array([7, 9])]
    assert metrics.exact_match(predictions, references) == 0.5


def test_token_accuracy_penalises_missing_and_extra_tokens():
    # 2 right out of 3 (missing token), 3 right out of 4 (extra token), 0 of 2 (shifted).
    predictions = [["a", "b"], ["a", "b", "c", "d"], ["x", "a"]]
    references = [["a", "b", "c"], ["a", "b", "c"], ["a", "x"]]
    assert metrics.token_accuracy(predictions, references) == pytest.approx(5 / 9)
    assert metrics.token_accuracy([["a"]], [["a"]]) == 1.0


def test_scores_refuse_mismatched_or_malformed_input():
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        metrics.exact_match(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="empty"):
        metrics.token_accuracy([], [])
    with pytest.raises(TypeError, match="list of sentences"):
        metrics.exact_match("난 널 사랑해", "난 널 사랑해")
    with pytest.raises(TypeError, match="str or a sequence"):
        metrics.exact_match([3], [3])


def test_bucket_labels_name_inclusive_ranges():
    assert metrics.bucket_labels(((2, 8), (9, 16))) == ["2–8", "9–16"]
    with pytest.raises(ValueError, match="non-overlapping"):
        metrics.bucket_labels(((1, 8), (8, 9)))


def test_scores_by_length_groups_by_source_length_then_all():
    predictions = ["a", "b", "c d", "e f", "g"]
    references = ["a", "x", "c d", "e g", "g"]
    source_lengths = [1, 8, 9, 16, 17]
    buckets = ((1, 8), (9, 16), (17, 24))
    table = metrics.scores_by_length(predictions, references, source_lengths, buckets)
    assert table.index.tolist() == ["1–8", "9–16", "17–24", "all"]
    assert table["sentences"].tolist() == [2, 2, 1, 5]
    assert table["exact match"].tolist() == [0.5, 0.5, 1.0, 0.6]
    assert table["token accuracy"].tolist() == [0.5, 0.75, 1.0, 5 / 7]
    assert "alignment error rate" not in table


def test_scores_by_length_scores_attention_per_bucket():
    right, wrong = np.eye(2), np.eye(2)[::-1]  # (T, S) one-hot rows
    gold = [((0,), (1,))] * 3
    table = metrics.scores_by_length(
        ["a b"] * 3, ["a b"] * 3, [2, 2, 9], ((1, 8), (9, 16)), [right, wrong, wrong], gold
    )
    assert table["alignment error rate"].tolist() == [0.5, 1.0, 2 / 3]
    with pytest.raises(ValueError, match="attention and alignments together"):
        metrics.scores_by_length(["a"], ["a"], [3], ((1, 8),), attention=[right])


def test_scores_by_length_keeps_empty_buckets_and_refuses_uncovered_lengths():
    buckets = ((2, 8), (9, 16))
    table = metrics.scores_by_length(["a"], ["a"], [3], buckets)
    assert table.loc["9–16", "sentences"] == 0 and np.isnan(table.loc["9–16", "exact match"])
    with pytest.raises(ValueError, match=r"lengths \[1, 17\] fall outside"):
        metrics.scores_by_length(["a", "b", "c"], ["a", "b", "c"], [1, 17, 4], buckets)
    with pytest.raises(ValueError, match=r"shape \(n,\) = \(1,\)"):
        metrics.scores_by_length(["a"], ["a"], [3, 4], buckets)


# ---------------------------------------------------------------- BLEU and chrF


def test_a_perfect_translation_scores_100_in_bleu_and_chrf():
    sentences = ["나는 재현이야", "난 널 사랑해", "나는 학교에 간다"]
    tokens = [sentence.split() for sentence in sentences]
    assert metrics.corpus_bleu(sentences, sentences) == pytest.approx(100.0)
    assert metrics.corpus_chrf(tokens, sentences) == pytest.approx(100.0)


def test_bleu_matches_a_hand_computation():
    # Clipped n-gram precisions 5/6, 3/5, 2/4, 1/3; equal lengths, so no brevity penalty:
    # BLEU = 100 * (5/6 * 3/5 * 2/4 * 1/3) ** (1/4) = 53.73.
    expected = 100 * (5 / 6 * 3 / 5 * 2 / 4 * 1 / 3) ** 0.25
    score = metrics.corpus_bleu(
        ["the cat sat on the mat"], [["the", "cat", "sat", "on", "a", "mat"]]
    )
    assert score == pytest.approx(expected, abs=1e-9)


def test_chrf_matches_a_hand_computation():
    # "abc" vs "abd": character 1-grams match 2 of 3 (F = 2/3), 2-grams 1 of 2 (F = 1/2),
    # 3-grams 0 of 1 (F = 0); longer n-grams exist in neither and do not count.
    expected = 100 * (2 / 3 + 1 / 2 + 0) / 3
    assert metrics.corpus_chrf(["abc"], ["abd"]) == pytest.approx(expected, abs=1e-6)


def test_chrf_gives_a_different_particle_partial_credit_where_word_bleu_gives_none():
    prediction, reference = ["학교로"], ["학교에"]
    assert metrics.corpus_bleu(prediction, reference) == 0.0
    assert 0 < metrics.corpus_chrf(prediction, reference) < 100
    assert metrics.corpus_bleu(prediction, reference, tokenize="char") > 0


def test_bleu_and_chrf_refuse_empty_or_mismatched_input_and_bad_options():
    with pytest.raises(ValueError, match="no sentences to score"):
        metrics.corpus_bleu([], [])
    with pytest.raises(ValueError, match="no sentences to score"):
        metrics.corpus_chrf([], [])
    with pytest.raises(ValueError, match="2 predictions but 1 references"):
        metrics.corpus_chrf(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="unknown BLEU tokenize 'mecab'; expected one of"):
        metrics.corpus_bleu(["a"], ["a"], tokenize="mecab")
    with pytest.raises(ValueError, match="word_order must be 0"):
        metrics.corpus_chrf(["a"], ["a"], word_order=3)


def test_scores_by_length_can_add_bleu_and_chrf_per_bucket():
    predictions = ["the cat sat on the mat", "abc", "x"]
    references = ["the cat sat on a mat", "abd", "x"]
    buckets = ((1, 8), (9, 16), (17, 24))
    table = metrics.scores_by_length(
        predictions, references, [3, 4, 10], buckets, bleu_and_chrf=True
    )
    assert table.loc["1–8", "BLEU"] == pytest.approx(
        metrics.corpus_bleu(predictions[:2], references[:2])
    )
    assert table.loc["9–16", "chrF"] == pytest.approx(100.0)
    assert np.isnan(table.loc["17–24", "BLEU"]) and np.isnan(table.loc["17–24", "chrF"])
    assert table.loc["all", "chrF"] == pytest.approx(metrics.corpus_chrf(predictions, references))
    plain = metrics.scores_by_length(predictions, references, [3, 4, 10], buckets)
    assert "BLEU" not in plain and "chrF" not in plain


def test_accuracy_by_position_counts_only_sentences_that_reach_the_position():
    predictions = [["a", "b", "x"], ["a"]]
    references = [["a", "b", "c"], ["a", "y"]]
    np.testing.assert_allclose(
        metrics.accuracy_by_position(predictions, references, positions=4),
        [1.0, 0.5, 0.0, np.nan],  # position 2: "b" right, the short prediction wrong
    )


# ----------------------------------------------------------------------------
# Alignment error rate (helpers.metrics.alignment_error_rate)
# ----------------------------------------------------------------------------


def test_alignment_error_rate_counts_argmax_outside_gold():
    from helpers.metrics import alignment_error_rate

    gold = [((0,), (2,), (1,))]  # "I love you" -> "난 널 사랑해"
    perfect = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1]])
    assert alignment_error_rate([perfect], gold) == 0.0
    monotone = np.eye(3)  # the diagonal a many-to-many model would give: 널 and 사랑해 wrong
    assert alignment_error_rate([monotone], gold) == pytest.approx(2 / 3)


def test_alignment_error_rate_skips_end_rows_and_unaligned_tokens():
    from helpers.metrics import alignment_error_rate

    gold = [((0,), (1, 2)), ((1,), ())]  # 2nd sentence: its second token has no source
    weights = np.zeros((2, 4, 5))  # (n, T' = T + <end> + padding, S' with padding)
    weights[0, 0, 0] = weights[0, 1, 2] = 1.0  # "재현이야" may attend "am" or "Jaehyun"
    weights[1, 0, 3] = 1.0  # wrong: position 3 is not gold
    weights[1, 1, 0] = 1.0  # unaligned token: not counted
    weights[:, 2:, 4] = 1.0  # <end> and padded steps: ignored
    assert alignment_error_rate(weights, gold) == pytest.approx(1 / 3)


def test_alignment_error_rate_counts_padding_winner_as_error():
    from helpers.metrics import alignment_error_rate

    weights = np.array([[0.2, 0.1, 0.7]])  # column 2 is padding (source of 2 words)
    assert alignment_error_rate([weights], [((0,),)]) == 1.0


def test_alignment_error_rate_rejects_bad_input():
    from helpers.metrics import alignment_error_rate

    with pytest.raises(ValueError, match="one \\(T, S\\) matrix per sentence"):
        alignment_error_rate([np.eye(2)], [((0,),), ((1,),)])
    with pytest.raises(ValueError, match="target steps"):
        alignment_error_rate([np.eye(2)[:1]], [((0,), (1,))])
    with pytest.raises(ValueError, match="2-D"):
        alignment_error_rate([np.ones(3)], [((0,),)])
    with pytest.raises(ValueError, match="source position 4"):
        alignment_error_rate([np.eye(2)], [((4,), (1,))])
    with pytest.raises(ValueError, match="nothing to score"):
        alignment_error_rate([np.eye(2)], [((), ())])


def test_alignment_offsets_measure_the_signed_distance_to_the_nearest_gold_word():
    from helpers.metrics import alignment_error_rate, alignment_offsets

    gold = [((0,), (2,), (1,)), ((0, 1), (3,))]
    first = np.eye(3)  # 난 right (0), 널 one word early (-1), 사랑해 one word late (+1)
    second = np.zeros((2, 5))
    second[0, 2] = 1.0  # one past its gold span 0..1: +1 from the nearest, position 1
    second[1, 3] = 1.0  # right
    offsets = alignment_offsets([first, second], gold)
    assert offsets == {-1: 1, 0: 2, 1: 2}
    # offset 0 is what the AER counts as right
    assert 1 - offsets[0] / sum(offsets.values()) == alignment_error_rate([first, second], gold)


# ----------------------------------------------------------------------------- nmae


def test_nmae_matches_the_definition_and_skips_zero_actuals():
    actual = np.array([100.0, 200.0, 0.0, 50.0])
    predicted = np.array([110.0, 150.0, 999.0, 50.0])
    expected = np.mean([10 / 100, 50 / 200, 0 / 50])
    assert metrics.nmae(actual, predicted) == pytest.approx(expected)
    assert metrics.nmae(actual[:, None], predicted[:, None]) == pytest.approx(expected)


def test_nmae_is_relative_not_absolute():
    # The same 10 won error costs ten times more on a price ten times smaller.
    assert metrics.nmae([100.0], [110.0]) == pytest.approx(10 * metrics.nmae([1000.0], [1010.0]))


@pytest.mark.parametrize(
    ("actual", "predicted", "message"),
    [
        ([1.0, 2.0], [1.0], "same shape"),
        ([1.0, np.nan], [1.0, 2.0], "NaN or infinite"),
        ([0.0, 0.0], [1.0, 2.0], "nothing to score"),
        ([-1.0, 2.0], [1.0, 2.0], "negative"),
    ],
)
def test_nmae_rejects_bad_input(actual, predicted, message):
    with pytest.raises(ValueError, match=message):
        metrics.nmae(actual, predicted)
