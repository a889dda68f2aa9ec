"""The toy English→Korean corpus: pairs, gold alignments, splits and the committed file."""

from __future__ import annotations

import gzip
import random
from collections import Counter

import numpy as np
import pytest

from helpers import text_files
from helpers.translation import corpus


@pytest.fixture(scope="module")
def pairs():
    return corpus.generate_pairs()


@pytest.fixture(scope="module")
def splits(pairs):
    return corpus.split_pairs(pairs)


def test_regenerating_reproduces_the_committed_file_byte_for_byte(pairs, tmp_path):
    committed = text_files.read_text_bytes(corpus.TOY_CORPUS_PATH)
    assert corpus.tsv_bytes(pairs) == committed
    # The documented command, run twice, writes identical compressed bytes too.
    first = corpus.write_tsv(pairs, tmp_path / "a.tsv.gz").read_bytes()
    second = corpus.write_tsv(corpus.generate_pairs(), tmp_path / "b.tsv.gz").read_bytes()
    assert first == second
    assert gzip.decompress(first) == committed


def test_committed_file_is_small_and_loads_back_to_the_generated_pairs(pairs):
    assert corpus.TOY_CORPUS_PATH.stat().st_size < 1_000_000
    assert corpus.load_toy_corpus() == pairs


def test_cli_writes_the_corpus(tmp_path, capsys):
    out = tmp_path / "corpus.tsv"
    assert corpus.main(["--out", str(out), "--pairs", "5000", "--seed", "3"]) == 0
    assert corpus.load_toy_corpus(out) == corpus.generate_pairs(5000, 3)
    assert "5000 pairs" in capsys.readouterr().out


def test_seminar_examples_are_in_training_exactly_as_on_the_slides(splits):
    train = {pair.english: pair for pair in splits["train"]}
    for english, korean in corpus.SEMINAR_EXAMPLES:
        assert train[english].korean == korean
    assert train["I am Jaehyun"].alignment == ((0,), (1, 2))  # 3 tokens → 2
    assert train["I love you"].alignment == ((0,), (2,), (1,))  # SVO → SOV


def test_generation_is_deterministic_for_a_seed():
    assert corpus.generate_pairs(5000, seed=7) == corpus.generate_pairs(5000, seed=7)
    assert corpus.generate_pairs(5000, seed=7) != corpus.generate_pairs(5000, seed=8)


def test_splits_have_the_documented_sizes_and_test_is_unseen(pairs, splits):
    assert len(pairs) == corpus.DEFAULT_PAIR_COUNT
    assert {name: len(group) for name, group in splits.items()} == {
        "train": 10_000,
        "validation": 1_000,
        "test": 1_000,
    }
    english = [pair.source for pair in pairs]
    assert len(set(english)) == len(english)
    train_sources = {pair.source for pair in splits["train"]}
    assert not train_sources & {pair.source for pair in splits["test"]}
    assert not train_sources & {pair.source for pair in splits["validation"]}


def test_test_split_is_length_stratified(splits):
    per_bucket = Counter(corpus.length_bucket(len(p.source)) for p in splits["test"])
    assert per_bucket == {
        i: corpus.TEST_PAIRS_PER_BUCKET for i in range(len(corpus.LENGTH_BUCKETS))
    }


def test_lengths_span_short_to_long_with_long_ones_in_training(pairs, splits):
    lengths = [len(pair.source) for pair in pairs]
    assert min(lengths) == 2 and max(lengths) == corpus.MAX_SOURCE_TOKENS
    long_train = [p for p in splits["train"] if len(p.source) >= 25]
    assert len(long_train) > 1000


def test_korean_is_never_longer_and_usually_shorter(pairs):
    assert all(len(p.target) <= len(p.source) for p in pairs)
    assert np.mean([len(p.target) < len(p.source) for p in pairs]) > 0.9


def test_gold_alignment_covers_every_english_token_exactly_once(pairs):
    for pair in pairs:
        covered = sorted(position for group in pair.alignment for position in group)
        assert covered == list(range(len(pair.source))), pair
        assert all(group for group in pair.alignment)


def test_word_order_changes_svo_to_sov(pairs):
    # A pair is reordered when its target tokens do not follow the source order.
    def is_monotone(pair):
        firsts = [group[0] for group in pair.alignment]
        return firsts == sorted(firsts)

    reordered = np.mean([not is_monotone(p) for p in pairs])
    assert reordered > 0.6
    # In "X verb object" clauses the Korean verb comes last: its English verb is earlier
    # than the English object, yet the Korean object token precedes it.
    love = next(p for p in pairs if p.english == "I love you")
    assert love.alignment[-1] == (love.source.index("love"),)


def test_generate_sentence_checks_clause_count():
    with pytest.raises(ValueError, match="clause_count must be 1 to 4"):
        corpus.generate_sentence(random.Random(0), 5)


def test_pair_rejects_inconsistent_alignment():
    with pytest.raises(ValueError, match="one tuple of source positions per target token"):
        corpus.Pair(("I", "sleep"), ("나는", "자"), ((0,),))
    with pytest.raises(ValueError, match="outside the source"):
        corpus.Pair(("I", "sleep"), ("나는", "자"), ((0,), (2,)))


def test_alignment_matrix_marks_gold_links():
    pair = corpus.Pair(("I", "love", "you"), ("난", "널", "사랑해"), ((0,), (2,), (1,)))
    expected = np.array([[1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=np.float32)
    np.testing.assert_array_equal(pair.alignment_matrix(), expected)


def test_alignment_text_round_trip_and_errors():
    alignment = ((0,), (1, 2), ())
    assert corpus.format_alignment(alignment) == "0 1,2 -"
    assert corpus.parse_alignment("0 1,2 -") == alignment
    with pytest.raises(ValueError, match="bad alignment group 'x'"):
        corpus.parse_alignment("0 x")


def test_length_buckets():
    assert [corpus.length_bucket(n) for n in (2, 8, 9, 16, 17, 24, 25, 30)] == [
        0,
        0,
        1,
        1,
        2,
        2,
        3,
        3,
    ]
    assert corpus.bucket_label(1) == "9–16"
    with pytest.raises(ValueError, match="outside every length bucket"):
        corpus.length_bucket(31)


def test_load_toy_corpus_errors_name_the_line(tmp_path):
    path = tmp_path / "toy.tsv"
    path.write_text("english\tkorean\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1 must be the header"):
        corpus.load_toy_corpus(path)
    path.write_text("english\tkorean\talignment\tsplit\nI sleep\t나는 자\t0\ttrain\n")
    with pytest.raises(ValueError, match="line 2: alignment has 1 entries"):
        corpus.load_toy_corpus(path)
    path.write_text("english\tkorean\talignment\tsplit\nI sleep\t나는 자\t0 1\n")
    with pytest.raises(ValueError, match="line 2 has 3 tab-separated columns"):
        corpus.load_toy_corpus(path)


def test_load_toy_corpus_checks_each_pair_and_names_its_line(tmp_path):
    path = tmp_path / "toy.tsv"
    header = "english\tkorean\talignment\tsplit\n"
    path.write_text(header + "I sleep\t나는 자\t0 1\tdev\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: the split is 'dev', expected one of train"):
        corpus.load_toy_corpus(path)
    path.write_text(header + "I sleep\t나는 자\t0 1\ttrain\n \t나는 자\t0 1\ttest\n")
    with pytest.raises(ValueError, match="line 3: the English or Korean sentence is empty"):
        corpus.load_toy_corpus(path)


def test_split_pairs_rejects_unknown_split():
    with pytest.raises(ValueError, match="has split 'dev'"):
        corpus.split_pairs([corpus.Pair(("I", "sleep"), ("나는", "자"), ((0,), (1,)), "dev")])


def test_generate_pairs_needs_enough_pairs_for_the_splits():
    with pytest.raises(ValueError, match="pair_count must be at least"):
        corpus.generate_pairs(100)


def test_needs_later_source_marks_words_not_read_yet():
    love = corpus.Pair(("I", "love", "you"), ("난", "널", "사랑해"), ((0,), (2,), (1,)))
    assert corpus.needs_later_source(love) == (False, True, False)
    name = corpus.Pair(("I", "am", "Jaehyun"), ("나는", "재현이야"), ((0,), (1, 2)))
    assert corpus.needs_later_source(name) == (False, True)


def test_seminar_pairs_are_the_training_pairs_of_the_committed_corpus():
    training = {pair.source: pair for pair in corpus.load_splits()["train"]}
    for pair in corpus.seminar_pairs():
        assert training[pair.source] == pair  # same tokens, gold alignment and split
    assert [pair.korean for pair in corpus.seminar_pairs()] == ["나는 재현이야", "난 널 사랑해"]
