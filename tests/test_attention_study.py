"""helpers.translation.attention_study: one sentence's weights, stepper logic, run tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import results
from helpers.translation import (
    attention_decoders,
    attention_study,
    corpus,
    decoding,
    models,
    seq2seq,
    text,
)

SMALL = {"embedding_dim": 8, "units": 8}


@pytest.fixture(scope="module")
def vocabularies():
    pairs = corpus.load_splits()["test"][::4]
    return pairs, *text.build_vocabularies(pairs)


def small_model(kind, source_vocab, target_vocab, reverse_source=False):
    if reverse_source:
        decoder = attention_decoders.LuongDecoder(len(target_vocab), 8, 8, score=kind)
        return seq2seq.Seq2Seq(
            len(source_vocab), len(target_vocab), 8, 8, reverse_source=True, decoder=decoder
        )
    key = "attention_bahdanau" if kind == "bahdanau" else f"attention_luong_{kind}"
    return models.build(key, len(source_vocab), len(target_vocab), **SMALL)


def test_sentence_attention_lines_up_with_the_gold_alignment(vocabularies):
    pairs, source_vocab, target_vocab = vocabularies
    model = small_model("general", source_vocab, target_vocab)
    pair = max(pairs, key=lambda p: len(p.source))
    weights = attention_study.sentence_attention(model, pair, source_vocab, target_vocab)
    assert weights.shape == (len(pair.target), len(pair.source))  # <end> row dropped
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)  # no real column cropped
    # Row t is the step that writes target token t: the same as the full teacher-forced pass.
    encoded = text.encode_pairs([pair], source_vocab, target_vocab)
    full = attention_decoders.teacher_forced_attention(
        model, encoded.source, encoded.decoder_input
    )[0]
    np.testing.assert_allclose(weights, full[: len(pair.target), : len(pair.source)])


def test_sentence_attention_undoes_source_reversal(vocabularies):
    pairs, source_vocab, target_vocab = vocabularies
    model = small_model("dot", source_vocab, target_vocab, reverse_source=True)
    pair = pairs[0]
    weights = attention_study.sentence_attention(model, pair, source_vocab, target_vocab)
    encoded = text.encode_pairs([pair], source_vocab, target_vocab)
    read_order = attention_decoders.teacher_forced_attention(
        model, encoded.source, encoded.decoder_input
    )[0]
    source_length = len(pair.source)
    np.testing.assert_allclose(
        weights, read_order[: len(pair.target), :source_length][:, ::-1], rtol=1e-6
    )


def test_sentence_attention_needs_attention(vocabularies):
    pairs, source_vocab, target_vocab = vocabularies
    plain = seq2seq.Seq2Seq(len(source_vocab), len(target_vocab), 8, 8)
    with pytest.raises(ValueError, match="no attention"):
        attention_study.sentence_attention(plain, pairs[0], source_vocab, target_vocab)


@pytest.mark.parametrize("kind", ["dot", "bahdanau"])
def test_decoding_steps_match_greedy_translation(vocabularies, kind):
    pairs, source_vocab, target_vocab = vocabularies
    model = small_model(kind, source_vocab, target_vocab)
    pair = pairs[3]
    tokens, weights = attention_study.decoding_steps(
        model, pair.source, source_vocab, target_vocab, max_length=6
    )
    ids = np.array([source_vocab.encode(pair.source)])
    result = decoding.greedy_decode(model, ids, text.START_ID, text.END_ID, max_length=6)
    # One token per decoding step, special tokens included, so rows and steps line up.
    assert tokens == [target_vocab.id_to_token[i] for i in result.sequences()[0]]
    np.testing.assert_allclose(weights, result.attention_weights[0, : len(tokens), :])
    assert weights.shape == (len(tokens), len(pair.source))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-5)


def test_decoding_steps_reject_unknown_and_empty_sentences(vocabularies):
    _, source_vocab, target_vocab = vocabularies
    model = small_model("dot", source_vocab, target_vocab)
    with pytest.raises(ValueError, match="zebra"):
        attention_study.decoding_steps(model, ["the", "zebra"], source_vocab, target_vocab)
    with pytest.raises(ValueError, match="empty"):
        attention_study.decoding_steps(model, [], source_vocab, target_vocab)


def test_stepper_view_reveals_rows_up_to_the_step():
    weights = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.6, 0.1]])
    shown, token, strongest = attention_study.stepper_view(["가", "나", "다"], weights, 2)
    np.testing.assert_array_equal(shown[:2], weights[:2])
    np.testing.assert_array_equal(shown[2], 0.0)
    assert token == "나" and strongest == 2
    np.testing.assert_array_equal(weights[2], [0.3, 0.6, 0.1])  # input left untouched
    shown, token, strongest = attention_study.stepper_view(["가", "나", "다"], weights, 3)
    np.testing.assert_array_equal(shown, weights)
    assert token == "다" and strongest == 1


def test_stepper_view_rejects_bad_steps_and_shapes():
    weights = np.eye(2)
    with pytest.raises(ValueError, match="between 1 and 2"):
        attention_study.stepper_view(["가", "나"], weights, 0)
    with pytest.raises(ValueError, match="between 1 and 2"):
        attention_study.stepper_view(["가", "나"], weights, 3)
    with pytest.raises(ValueError, match="one row per token"):
        attention_study.stepper_view(["가"], weights, 1)


def runs_frame():
    """Two models × two seeds × ("all" + two buckets) with known scores."""
    rows = []
    for model, base in (("A", 0.5), ("B", 0.9)):
        for seed, shift in ((0, 0.0), (1, 0.1)):
            for bucket, offset in (("all", 0.0), ("2–8", 0.05), ("25–30", -0.2)):
                rows.append(
                    {
                        "model": model,
                        "seed": seed,
                        "bucket": bucket,
                        "exact_match": base + shift + offset,
                        "alignment_error_rate": 0.01 * (seed + 1),
                        "seconds_per_epoch": 10.0 + seed,
                    }
                )
    return pd.DataFrame(rows)


def test_runs_summary_means_and_stds_over_seeds():
    table = attention_study.runs_summary(runs_frame(), groups=["B", "A"])
    assert list(table.index) == ["B", "A"]
    assert "25–30" in table.index.name
    assert table.loc["A", "seeds"] == 2
    assert table.loc["A", "exact match"] == pytest.approx(0.55)
    assert table.loc["A", "exact match ±"] == pytest.approx(np.std([0.5, 0.6], ddof=1))
    assert table.loc["B", "longest bucket"] == pytest.approx(0.75)  # 0.9 - 0.2 + 0.05
    assert table.loc["B", "AER"] == pytest.approx(0.015)
    assert table.loc["B", "s/epoch"] == pytest.approx(10.5)


def test_runs_summary_works_without_aer_and_groups_by_another_column():
    frame = runs_frame().drop(columns=["alignment_error_rate"]).rename(columns={"model": "order"})
    table = attention_study.runs_summary(frame, group_column="order")
    assert list(table.index) == ["A", "B"] and "AER" not in table


def test_readable_summary_writes_mean_and_spread_as_text():
    summary = attention_study.runs_summary(runs_frame(), groups=["A", "B"])
    summary.loc["B", ["AER", "AER ±"]] = np.nan  # a model without attention has no AER
    table = attention_study.readable_summary(summary)
    assert list(table.columns) == ["seeds", "exact match", "longest bucket", "AER", "s/epoch"]
    assert table.loc["A", "exact match"] == "55.0 ± 7.1 %"
    assert table.loc["A", "AER"] == "0.015 ± 0.007" and table.loc["B", "AER"] == results.MISSING
    assert table.loc["A", "s/epoch"] == "10"  # 10.5 rounds to even


def test_bucket_scores_per_bucket_in_file_order():
    labels, means, stds = results.bucket_scores(runs_frame(), groups=["A"])
    assert labels == ["2–8", "25–30"]
    np.testing.assert_allclose(means["A"], [0.6, 0.35])
    np.testing.assert_allclose(stds["A"], [np.std([0.55, 0.65], ddof=1)] * 2)


def test_run_tables_name_missing_columns_and_groups():
    with pytest.raises(ValueError, match="exact_match"):
        attention_study.runs_summary(runs_frame().drop(columns=["exact_match"]))
    with pytest.raises(ValueError, match="'C'"):
        results.bucket_scores(runs_frame(), groups=["C"])
    with pytest.raises(ValueError, match="'C'"):
        attention_study.runs_summary(runs_frame(), groups=["C"])


def test_training_cost_multiplies_epochs_by_seconds_per_epoch():
    frame = pd.DataFrame(
        {
            "model": ["a", "a", "b", "b"],
            "seed": [0, 0, 0, 1],
            "bucket": ["all", "2–8", "all", "all"],
            "epochs": [6, 6, 20, 20],
            "seconds_per_epoch": [10.0, 10.0, 2.5, 3.0],
            "exact_match": [0.9, 0.95, 0.8, 0.7],
        }
    )
    cost = attention_study.training_cost(frame, groups=["b", "a"])
    assert list(cost["model"]) == ["b", "b", "a"]  # the order asked for, "all" bucket only
    assert list(cost["training seconds"]) == [50.0, 60.0, 60.0]
    assert list(cost["exact match"]) == [0.8, 0.7, 0.9]
    with pytest.raises(ValueError, match="seconds_per_epoch"):
        attention_study.training_cost(frame.drop(columns="seconds_per_epoch"))
    with pytest.raises(ValueError, match="no runs of"):
        attention_study.training_cost(frame, groups=["c"])


def test_accuracy_against_time_draws_one_series_per_model(close_figures):
    from helpers import plots

    cost = pd.DataFrame(
        {
            "model": ["a", "a", "Bahdanau"],
            "training seconds": [60, 120, 600],
            "exact match": [0.9, 1, 1],
        }
    )
    ax = plots.accuracy_against_time(cost).axes[0]
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "a, mean 1.5 min (평균 1.5분)",
        "Bahdanau (바다나우 어텐션), mean 10.0 min (평균 10.0분)",
    ]
    with pytest.raises(ValueError, match="training seconds"):
        plots.accuracy_against_time(cost.drop(columns="training seconds"))
