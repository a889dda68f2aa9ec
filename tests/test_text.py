"""Tokens, vocabularies, padding and encoding: the ids every translation model reads."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.translation import corpus, text


@pytest.fixture(scope="module")
def splits():
    return corpus.load_splits()


def test_vocabulary_reserves_pad_start_end_unknown():
    vocab = text.Vocabulary.from_sentences([["b", "a", "b"], ["c"]])
    assert vocab.id_to_token[:4] == ["<pad>", "<start>", "<end>", "<unk>"]
    assert (text.PAD_ID, text.START_ID, text.END_ID, text.UNKNOWN_ID) == (0, 1, 2, 3)
    # By falling frequency, ties alphabetical.
    assert vocab.id_to_token[4:] == ["b", "a", "c"]
    assert vocab.encode(["a", "zebra"], add_start=True, add_end=True) == [1, 5, 3, 2]


def test_vocabulary_round_trip_and_decode_rules(splits):
    source_vocab, target_vocab = text.build_vocabularies(splits["train"])
    for pair in splits["train"][:200]:
        ids = target_vocab.encode(pair.target, add_start=True, add_end=True)
        assert target_vocab.decode(ids + [0, 0]) == list(pair.target)
        assert source_vocab.decode_text(source_vocab.encode(pair.source)) == pair.english
    assert target_vocab.decode([4, 2, 5]) == [target_vocab.id_to_token[4]]
    assert len(target_vocab.decode([4, 2, 5], stop_at_end=False)) == 3


def test_vocabulary_errors():
    vocab = text.Vocabulary.from_sentences([["a"]])
    with pytest.raises(TypeError, match="tokenize"):
        vocab.encode("a b")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        vocab.decode([99])
    with pytest.raises(TypeError, match="token lists"):
        text.Vocabulary.from_sentences(["a b"])
    with pytest.raises(ValueError, match="reserved tokens"):
        text.Vocabulary(["a", "b"])


def test_pad_sequences():
    batch = text.pad_sequences([[5, 6, 7], [8]])
    np.testing.assert_array_equal(batch, [[5, 6, 7], [8, 0, 0]])
    assert batch.dtype == np.int32
    assert text.pad_sequences([[1]], length=4).shape == (1, 4)
    with pytest.raises(ValueError, match="raise length"):
        text.pad_sequences([[1, 2, 3]], length=2)


def test_encode_pairs_shifts_the_decoder_target_and_reverses_on_request(splits):
    pairs = splits["test"][:50]
    source_vocab, target_vocab = text.build_vocabularies(splits["train"])
    encoded = text.encode_pairs(pairs, source_vocab, target_vocab)
    assert (encoded.decoder_input[:, 0] == text.START_ID).all()
    # Teacher forcing: the decoder reads y_{t-1} and must predict y_t.
    np.testing.assert_array_equal(
        encoded.decoder_input[:, 1:],
        np.where(encoded.decoder_target[:, :-1] == text.END_ID, 0, encoded.decoder_target[:, :-1]),
    )
    for row, pair in enumerate(pairs):
        target_ids = encoded.decoder_target[row]
        assert target_vocab.decode(target_ids) == list(pair.target)
        assert target_ids[len(pair.target)] == text.END_ID
        assert encoded.source_lengths[row] == len(pair.source)
    reversed_ = text.encode_pairs(pairs, source_vocab, target_vocab, reverse_source=True)
    for row, pair in enumerate(pairs):
        n = len(pair.source)
        np.testing.assert_array_equal(reversed_.source[row, :n], encoded.source[row, :n][::-1])
        assert (reversed_.source[row, n:] == text.PAD_ID).all()


def test_tokenize():
    assert text.tokenize("I'm here, Minji!") == ["I'm", "here", ",", "Minji", "!"]
    assert text.tokenize("난 널 사랑해.") == ["난", "널", "사랑해", "."]
    assert text.tokenize("the dog is big") == "the dog is big".split()
    with pytest.raises(TypeError, match="expects a str"):
        text.tokenize(["a"])


def test_training_data_encodes_every_split_with_the_training_vocabulary():
    data = text.training_data()
    assert set(data.encoded) == {"train", "validation", "test"}
    for name, pairs in data.splits.items():
        assert len(data.encoded[name].source) == len(pairs)
    first = data.splits["test"][0]
    row = data.encoded["test"].source[0]
    assert data.source_vocab.decode(row[row != text.PAD_ID].tolist()) == list(first.source)
    assert len(data.source_vocab) == len(text.build_vocabularies(data.splits["train"])[0])


@pytest.fixture
def vocabularies():
    source_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["I", "love", "you"])
    target_vocab = text.Vocabulary(list(text.RESERVED_TOKENS) + ["난", "널", "사랑해"])
    return source_vocab, target_vocab


def test_encode_sentences_pads_and_refuses_unknown_words_and_empty_input(vocabularies):
    source_vocab, _ = vocabularies
    ids = text.encode_sentences(["I love you", "you"], source_vocab)
    assert ids.tolist() == [[4, 5, 6], [6, 0, 0]]
    with pytest.raises(ValueError, match=r"outside the source vocabulary: \['hate'\]"):
        text.encode_sentences(["I hate you"], source_vocab)
    with pytest.raises(ValueError, match="sentence 1 is empty"):
        text.encode_sentences(["I love you", "   "], source_vocab)
    with pytest.raises(ValueError, match="no sentences"):
        text.encode_sentences([], source_vocab)
    with pytest.raises(TypeError, match="list of sentences"):
        text.encode_sentences("I love you", source_vocab)
