"""The real-corpus pipeline: subwords, the split by English sentence, tokenisers, encoding.

Most tests use a small made-up corpus written to a temporary file; those marked with
``REAL`` read the shared copy of Tatoeba's file and skip where it is absent.
"""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

from helpers.translation import real_corpus, subwords, text

REAL = pathlib.Path(__file__).resolve().parents[2] / "shared/data/tatoeba_kor_eng/kor.txt"
needs_real = pytest.mark.skipif(not REAL.is_file(), reason="no shared copy of Tatoeba's kor.txt")

SUBJECTS = [("I", "나는"), ("You", "너는"), ("He", "그는"), ("She", "그녀는"), ("We", "우리는")]
VERBS = [("ran", "달렸다"), ("slept", "잤다"), ("ate", "먹었다"), ("left", "떠났다")]
TIMES = [("", ""), (" today", "오늘 "), (" early", "일찍 ")]


def made_up_pairs() -> list[tuple[str, str]]:
    """60 different English sentences, one of them with two Korean translations."""
    pairs = [
        (f"{e} {v}{te}.", f"{k} {tk}{w}.")
        for e, k in SUBJECTS
        for v, w in VERBS
        for te, tk in TIMES
    ]
    return pairs + [("I ran.", "난 달렸다.")]


@pytest.fixture
def corpus_file(tmp_path) -> pathlib.Path:
    path = tmp_path / "kor.txt"
    path.write_text("".join(f"{e}\t{k}\tCC-BY\n" for e, k in made_up_pairs()), encoding="utf-8")
    return path


def test_subwords_round_trip_and_fall_back_to_characters():
    korean = [k for _, k in made_up_pairs()]
    model = subwords.learn(korean, vocabulary_size=40)
    characters = set("".join(korean).replace(" ", ""))
    # every character is a piece (and <unk>); at most the size asked: this text has fewer
    assert len(characters) < model.size <= 40
    pieces = model.pieces("그녀는 달렸다.")
    assert len(pieces) > 1 and model.text(pieces) == "그녀는 달렸다."
    # an unseen word of known characters still becomes pieces, nothing is lost
    assert model.text(model.pieces("일찍 잤다 그녀는.")) == "일찍 잤다 그녀는."
    assert subwords.learn([k for _, k in made_up_pairs()], 40).model == model.model


def test_subwords_refuse_bad_input():
    with pytest.raises(ValueError, match="no sentences"):
        subwords.learn(["  ", ""], 40)
    with pytest.raises(ValueError, match="larger vocabulary_size"):
        subwords.learn([k for _, k in made_up_pairs()], 10)
    model = subwords.learn([k for _, k in made_up_pairs()], 40)
    with pytest.raises(TypeError, match="str"):
        model.pieces(["나는"])
    with pytest.raises(TypeError, match="list of pieces"):
        model.text("나는")


def test_split_keeps_every_translation_of_a_sentence_together():
    splits = real_corpus.split_by_english(made_up_pairs(), seed=3)
    assert sum(len(pairs) for pairs in splits.values()) == len(made_up_pairs())
    home = {english.lower(): name for name, pairs in splits.items() for english, _ in pairs}
    for name, pairs in splits.items():
        for english, _ in pairs:
            assert home[english.lower()] == name
    assert [len(splits[name]) > 0 for name in ("train", "validation", "test")] == [True] * 3
    assert real_corpus.split_by_english(made_up_pairs(), seed=3) == splits
    assert real_corpus.split_by_english(made_up_pairs(), seed=4) != splits


def test_split_refuses_a_corpus_too_small_to_split():
    with pytest.raises(ValueError, match="empty"):
        real_corpus.split_by_english([])
    with pytest.raises(ValueError, match="at least 10"):
        real_corpus.split_by_english(made_up_pairs()[:5])


def test_word_tokeniser_lowercases_english_and_restores_korean_punctuation():
    tokeniser = real_corpus.Tokeniser("words")
    assert tokeniser.source_tokens("I ran.") == ["i", "ran", "."]
    tokens = tokeniser.target_tokens("나는 달렸다!")
    assert tokens == ["나는", "달렸다", "!"]
    assert tokeniser.target_text(tokens) == "나는 달렸다!"


def test_tokeniser_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="expected one of"):
        real_corpus.Tokeniser("characters")
    with pytest.raises(ValueError, match="SentencePiece model"):
        real_corpus.Tokeniser("subwords")


@pytest.mark.parametrize("tokenisation", real_corpus.TOKENISATIONS)
def test_training_data_encodes_every_split_with_training_vocabularies(corpus_file, tokenisation):
    sizes = {"english": 40, "korean": 40}
    data = real_corpus.training_data(corpus_file, tokenisation, seed=3, sizes=sizes)
    train = data.splits["train"]
    for name, pairs in data.splits.items():
        encoded = data.encoded[name]
        assert encoded.source.shape[0] == len(pairs) == encoded.decoder_target.shape[0]
        first = pairs[0]
        assert data.source_vocab.decode(encoded.source[0]) == [
            t if t in data.source_vocab else text.UNKNOWN for t in first.source
        ]
        assert data.tokeniser.target_text(first.target) == first.korean
    assert set(data.target_vocab.id_to_token[len(text.RESERVED_TOKENS) :]) == {
        t for p in train for t in p.target
    }
    assert np.all(data.encoded["train"].source != text.UNKNOWN_ID)


def test_missing_corpus_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.delenv(real_corpus.PARALLEL_DATA_ENV, raising=False)
    with pytest.raises(FileNotFoundError, match="manythings.org/anki"):
        real_corpus.parallel_data_path()
    with pytest.raises(FileNotFoundError, match="does not exist.*PARALLEL_DATA"):
        real_corpus.parallel_data_path(tmp_path / "nowhere.txt")
    monkeypatch.setenv(real_corpus.PARALLEL_DATA_ENV, str(tmp_path / "kor.txt"))
    with pytest.raises(FileNotFoundError, match="kor.txt does not exist"):
        real_corpus.training_data()


@needs_real
def test_real_corpus_subwords_leave_almost_no_unknown_tokens():
    data = {kind: real_corpus.training_data(REAL, kind) for kind in real_corpus.TOKENISATIONS}
    assert {name: len(pairs) for name, pairs in data["words"].splits.items()} == {
        "train": 4599,
        "validation": 580,
        "test": 570,
    }

    def unknown_share(kind):
        target = data[kind].encoded["test"].decoder_target
        return (target == text.UNKNOWN_ID).sum() / (target > 0).sum()

    assert unknown_share("subwords") < 0.01 < 0.1 < unknown_share("words")


@pytest.mark.parametrize("tokenisation", real_corpus.TOKENISATIONS)
def test_saved_tokens_give_back_the_same_tokeniser_and_vocabularies(
    corpus_file, tmp_path, tokenisation
):
    sizes = {"english": 40, "korean": 40}
    data = real_corpus.training_data(corpus_file, tokenisation, seed=3, sizes=sizes)
    path = real_corpus.save_tokens(data, tmp_path / "tokens.npz")
    tokeniser, source_vocab, target_vocab = real_corpus.load_tokens(path)
    assert source_vocab.id_to_token == data.source_vocab.id_to_token
    assert target_vocab.id_to_token == data.target_vocab.id_to_token
    for pair in data.splits["test"]:
        assert tokeniser.pair(pair.english, pair.korean, "test") == pair
    with pytest.raises(FileNotFoundError, match="benchmarks/real_corpus.py"):
        real_corpus.load_tokens(tmp_path / "missing.npz")


def test_a_share_of_the_training_pairs_is_part_of_a_larger_share(corpus_file):
    shares = {
        f: real_corpus.training_data(corpus_file, "words", train_fraction=f) for f in (0.25, 0.5, 1)
    }
    full = shares[1].splits
    for share, data in shares.items():
        assert len(data.splits["train"]) == round(share * len(full["train"]))
        assert data.splits["validation"] == full["validation"]
        assert data.splits["test"] == full["test"]
        # vocabularies come from the pairs kept, as they would with a smaller corpus
        kept_words = {token for pair in data.splits["train"] for token in pair.target}
        assert set(data.target_vocab.id_to_token[len(text.RESERVED_TOKENS) :]) == kept_words
    quarter, half = (set(shares[f].splits["train"]) for f in (0.25, 0.5))
    assert quarter < half < set(full["train"])
    for bad in (0, 1.5):
        with pytest.raises(ValueError, match="train_fraction"):
            real_corpus.training_data(corpus_file, "words", train_fraction=bad)
