"""The toy English→Korean corpus: grammar, gold alignments, splits, vocabulary, loaders."""

from __future__ import annotations

import gzip
import random
from collections import Counter

import numpy as np
import pytest

from helpers import corpus

PARTICLES = {"은": "topic", "는": "topic", "이": "subject", "가": "subject"}
PARTICLES |= {"을": "object", "를": "object"}


@pytest.fixture(scope="module")
def pairs():
    return corpus.generate_pairs()


@pytest.fixture(scope="module")
def splits(pairs):
    return corpus.split_pairs(pairs)


def test_regenerating_reproduces_the_committed_file_byte_for_byte(pairs, tmp_path):
    committed = corpus.read_text_bytes(corpus.TOY_CORPUS_PATH)
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


def test_particles_follow_the_final_consonant_rule(pairs):
    stems = set(corpus.NAMES.values()) | set(corpus.PEOPLE.values()) | set(corpus.ANIMALS.values())
    for kind in corpus.THINGS.values():
        stems |= set(kind.values())
    checked = 0
    for token in (token for pair in pairs for token in pair.target):
        stem, particle = token[:-1], token[-1]
        if stem in stems and particle in PARTICLES:
            assert token == corpus.attach_particle(stem, PARTICLES[particle]), token
            checked += 1
    assert checked > 20_000


@pytest.mark.parametrize(
    ("noun", "role", "expected"),
    [
        ("재현", "topic", "재현은"),
        ("민지", "topic", "민지는"),
        ("책", "subject", "책이"),
        ("고양이", "subject", "고양이가"),
        ("빵", "object", "빵을"),
        ("우유", "object", "우유를"),
        ("재현", "copula", "재현이야"),
        ("민지", "copula", "민지야"),
        ("선생님", "copula_and", "선생님이고"),
    ],
)
def test_attach_particle(noun, role, expected):
    assert corpus.attach_particle(noun, role) == expected


def test_particle_errors_are_clear():
    with pytest.raises(ValueError, match="unknown particle role 'genitive'"):
        corpus.attach_particle("책", "genitive")
    with pytest.raises(ValueError, match="Hangul"):
        corpus.has_final_consonant("book")


def test_definite_subjects_take_the_topic_particle_and_indefinite_the_subject_one(pairs):
    for pair in pairs:
        for token, group in zip(pair.target, pair.alignment, strict=True):
            words = [pair.source[i] for i in group]
            if words[0] == "the" and words[-1] in corpus.ANIMALS and token[-1] in "은는이가":
                assert token[-1] in "은는", pair
            if words[0] == "a" and words[-1] in corpus.ANIMALS and token[-1] in "은는이가":
                assert token[-1] in "이가", pair


def test_pronoun_contraction_only_between_i_and_you(pairs):
    contracted = [p for p in pairs if {"난", "넌"} & set(p.target)]
    assert contracted
    for pair in contracted:
        assert {"날", "널"} & set(pair.target), pair


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


# --- vocabulary, padding, encoding ---------------------------------------------------


def test_vocabulary_reserves_pad_start_end_unknown():
    vocab = corpus.Vocabulary.from_sentences([["b", "a", "b"], ["c"]])
    assert vocab.id_to_token[:4] == ["<pad>", "<start>", "<end>", "<unk>"]
    assert (corpus.PAD_ID, corpus.START_ID, corpus.END_ID, corpus.UNKNOWN_ID) == (0, 1, 2, 3)
    # By falling frequency, ties alphabetical.
    assert vocab.id_to_token[4:] == ["b", "a", "c"]
    assert vocab.encode(["a", "zebra"], add_start=True, add_end=True) == [1, 5, 3, 2]


def test_vocabulary_round_trip_and_decode_rules(splits):
    source_vocab, target_vocab = corpus.build_vocabularies(splits["train"])
    for pair in splits["train"][:200]:
        ids = target_vocab.encode(pair.target, add_start=True, add_end=True)
        assert target_vocab.decode(ids + [0, 0]) == list(pair.target)
        assert source_vocab.decode_text(source_vocab.encode(pair.source)) == pair.english
    assert target_vocab.decode([4, 2, 5]) == [target_vocab.id_to_token[4]]
    assert len(target_vocab.decode([4, 2, 5], stop_at_end=False)) == 3


def test_vocabulary_errors():
    vocab = corpus.Vocabulary.from_sentences([["a"]])
    with pytest.raises(TypeError, match="tokenize"):
        vocab.encode("a b")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocab.decode([99])
    with pytest.raises(TypeError, match="token lists"):
        corpus.Vocabulary.from_sentences(["a b"])
    with pytest.raises(ValueError, match="reserved tokens"):
        corpus.Vocabulary(["a", "b"])


def test_pad_sequences():
    batch = corpus.pad_sequences([[5, 6, 7], [8]])
    np.testing.assert_array_equal(batch, [[5, 6, 7], [8, 0, 0]])
    assert batch.dtype == np.int32
    assert corpus.pad_sequences([[1]], length=4).shape == (1, 4)
    with pytest.raises(ValueError, match="raise length"):
        corpus.pad_sequences([[1, 2, 3]], length=2)


def test_encode_pairs_shifts_the_decoder_target_and_reverses_on_request(splits):
    pairs = splits["test"][:50]
    source_vocab, target_vocab = corpus.build_vocabularies(splits["train"])
    encoded = corpus.encode_pairs(pairs, source_vocab, target_vocab)
    assert (encoded.decoder_input[:, 0] == corpus.START_ID).all()
    # Teacher forcing: the decoder reads y_{t-1} and must predict y_t.
    np.testing.assert_array_equal(
        encoded.decoder_input[:, 1:],
        np.where(
            encoded.decoder_target[:, :-1] == corpus.END_ID, 0, encoded.decoder_target[:, :-1]
        ),
    )
    for row, pair in enumerate(pairs):
        target_ids = encoded.decoder_target[row]
        assert target_vocab.decode(target_ids) == list(pair.target)
        assert target_ids[len(pair.target)] == corpus.END_ID
        assert encoded.source_lengths[row] == len(pair.source)
    reversed_ = corpus.encode_pairs(pairs, source_vocab, target_vocab, reverse_source=True)
    for row, pair in enumerate(pairs):
        n = len(pair.source)
        np.testing.assert_array_equal(reversed_.source[row, :n], encoded.source[row, :n][::-1])
        assert (reversed_.source[row, n:] == corpus.PAD_ID).all()


def test_tokenize():
    assert corpus.tokenize("I'm here, Minji!") == ["I'm", "here", ",", "Minji", "!"]
    assert corpus.tokenize("난 널 사랑해.") == ["난", "널", "사랑해", "."]
    assert corpus.tokenize("the dog is big") == "the dog is big".split()
    with pytest.raises(TypeError, match="expects a str"):
        corpus.tokenize(["a"])


# --- loaders -------------------------------------------------------------------------


def test_load_parallel_tsv_reads_two_and_three_columns(tmp_path):
    path = tmp_path / "kor.txt"
    path.write_text(
        "I love you.\t사랑해.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nHi.\t안녕.\n\n",
        encoding="utf-8",
    )
    assert corpus.load_parallel_tsv(path) == [("I love you.", "사랑해."), ("Hi.", "안녕.")]
    gz = tmp_path / "kor.txt.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert corpus.load_parallel_tsv(gz) == corpus.load_parallel_tsv(path)


def test_load_parallel_tsv_errors_name_the_line(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="is empty"):
        corpus.load_parallel_tsv(empty)
    columns = tmp_path / "columns.tsv"
    columns.write_text("Hi.\t안녕.\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2 has 1 tab-separated columns"):
        corpus.load_parallel_tsv(columns)
    cp949 = tmp_path / "cp949.tsv"
    cp949.write_bytes("Hi.\t안녕.\n".encode() + "Bye.\t잘 가.\n".encode("cp949"))
    with pytest.raises(ValueError, match="line 2 is not valid UTF-8"):
        corpus.load_parallel_tsv(cp949)
    blank = tmp_path / "blank.tsv"
    blank.write_text("Hi.\t \n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1 has an empty"):
        corpus.load_parallel_tsv(blank)
    with pytest.raises(FileNotFoundError, match="no file at"):
        corpus.load_parallel_tsv(tmp_path / "missing.tsv")
    broken_gz = tmp_path / "broken.tsv.gz"
    broken_gz.write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        corpus.load_parallel_tsv(broken_gz)


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


def test_split_pairs_rejects_unknown_split():
    with pytest.raises(ValueError, match="has split 'dev'"):
        corpus.split_pairs([corpus.Pair(("I", "sleep"), ("나는", "자"), ((0,), (1,)), "dev")])


def test_generate_pairs_needs_enough_pairs_for_the_splits():
    with pytest.raises(ValueError, match="pair_count must be at least"):
        corpus.generate_pairs(100)


def test_source_roles_read_the_grammar_off_the_alignment(pairs):
    love = next(p for p in pairs if p.english == "I love you")
    assert corpus.source_roles(love) == ("SUBJ", "VERB", "OBJ")
    pair = corpus.Pair(
        tuple("the happy dog waits for you in the park and I am Jaehyun".split()),
        tuple("행복한 개는 공원에서 너를 기다리고 나는 재현이야".split()),
        ((1,), (0, 2), (6, 7, 8), (5,), (3, 4, 9), (10,), (11, 12)),
    )
    assert corpus.source_roles(pair) == (
        ("SUBJ", "ADJ", "SUBJ", "VERB", "VERB", "OBJ", "PLACE", "PLACE", "PLACE", "AND")
        + ("SUBJ", "VERB", "VERB")
    )
    # "you" is a subject or an object depending on where it stands.
    roles_of_you = {
        role
        for p in pairs[:2000]
        for word, role in zip(p.source, corpus.source_roles(p), strict=True)
        if word == "you"
    }
    assert roles_of_you == {"SUBJ", "OBJ"}
    assert all(set(corpus.source_roles(p)) <= set(corpus.ROLES) for p in pairs)
    with pytest.raises(ValueError, match="not a word of the toy grammar"):
        corpus.source_roles(corpus.Pair(("Hi",), ("안녕",), ((0,),)))


def test_needs_later_source_marks_words_not_read_yet():
    love = corpus.Pair(("I", "love", "you"), ("난", "널", "사랑해"), ((0,), (2,), (1,)))
    assert corpus.needs_later_source(love) == (False, True, False)
    name = corpus.Pair(("I", "am", "Jaehyun"), ("나는", "재현이야"), ((0,), (1, 2)))
    assert corpus.needs_later_source(name) == (False, True)


def test_training_data_encodes_every_split_with_the_training_vocabulary():
    data = corpus.training_data()
    assert set(data.encoded) == {"train", "validation", "test"}
    for name, pairs in data.splits.items():
        assert len(data.encoded[name].source) == len(pairs)
    first = data.splits["test"][0]
    row = data.encoded["test"].source[0]
    assert data.source_vocab.decode(row[row != corpus.PAD_ID].tolist()) == list(first.source)
    assert len(data.source_vocab) == len(corpus.build_vocabularies(data.splits["train"])[0])
