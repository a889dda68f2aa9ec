"""Text for the translation models: tokens, vocabularies, padding and encoding.

Token ids: ``<pad>`` = 0 (so Keras ``mask_zero=True`` masks it), ``<start>`` = 1,
``<end>`` = 2, ``<unk>`` = 3; real tokens follow. A source row holds only real
tokens, then padding; the teacher-forced decoder input reads
``<start> y1 ... yn PAD ...`` and the expected output ``y1 ... yn <end> PAD ...``
(:func:`encode_pairs` builds all three). :func:`training_data` is the recipe
every translation model of the series (and its benchmark) starts from.
"""

from __future__ import annotations

import dataclasses
import pathlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from helpers.translation.corpus import TOY_CORPUS_PATH, Pair, load_splits
from helpers.translation.tokens import (  # noqa: F401  (text.PAD_ID and the rest, as ever)
    END,
    END_ID,
    PAD,
    PAD_ID,
    RESERVED_TOKENS,
    START,
    START_ID,
    UNKNOWN,
    UNKNOWN_ID,
)

# ---------------------------------------------------------------------------
# Tokens, vocabulary, padding
# ---------------------------------------------------------------------------

_TOKEN_PATTERN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Split on whitespace and split punctuation off words ("I'm here." → I'm, here, .).

    Case is kept. The toy corpus has no punctuation, so for it this is ``text.split()``.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
    return _TOKEN_PATTERN.findall(text)


class Vocabulary:
    """Token ↔ id map with reserved ids <pad>=0, <start>=1, <end>=2, <unk>=3.

    Build one with :meth:`from_sentences`; ids of real tokens follow by
    falling frequency, ties broken alphabetically, so the mapping is
    deterministic.
    """

    def __init__(self, tokens: Sequence[str]):
        tokens = list(tokens)
        if tuple(tokens[: len(RESERVED_TOKENS)]) != RESERVED_TOKENS:
            raise ValueError(f"a vocabulary must start with the reserved tokens {RESERVED_TOKENS}")
        if len(set(tokens)) != len(tokens):
            raise ValueError("vocabulary tokens must be unique")
        self.id_to_token = tokens
        self.token_to_id = {token: index for index, token in enumerate(tokens)}

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[str]], min_count: int = 1) -> Vocabulary:
        """Vocabulary of every token seen at least ``min_count`` times in ``sentences``."""
        counts = Counter()
        for tokens in sentences:
            if isinstance(tokens, str):
                raise TypeError("pass token lists (e.g. pair.source), not raw strings")
            counts.update(tokens)
        for reserved in RESERVED_TOKENS:
            counts.pop(reserved, None)
        kept = sorted(
            (t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t)
        )
        return cls(list(RESERVED_TOKENS) + kept)

    def __len__(self) -> int:
        return len(self.id_to_token)

    def __contains__(self, token: str) -> bool:
        return token in self.token_to_id

    def encode(self, tokens: Sequence[str], add_start: bool = False, add_end: bool = False):
        """Token list → id list; unseen tokens become <unk> (id 3)."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a token list; call tokenize(text) first")
        ids = [self.token_to_id.get(token, UNKNOWN_ID) for token in tokens]
        return ([START_ID] if add_start else []) + ids + ([END_ID] if add_end else [])

    def decode(self, ids: Iterable[int], stop_at_end: bool = True) -> list[str]:
        """Ids → tokens, dropping <pad> and <start> and, by default, everything from <end> on."""
        tokens = []
        for raw in np.asarray(list(ids)).reshape(-1).tolist():
            index = int(raw)
            if not 0 <= index < len(self):
                raise ValueError(f"id {index} is outside the vocabulary (size {len(self)})")
            if index == END_ID and stop_at_end:
                break
            if index in (PAD_ID, START_ID):
                continue
            tokens.append(self.id_to_token[index])
        return tokens

    def decode_text(self, ids: Iterable[int]) -> str:
        """Ids → one space-joined sentence (see :meth:`decode`)."""
        return " ".join(self.decode(ids))


def pad_sequences(sequences: Sequence[Sequence[int]], length: int | None = None) -> np.ndarray:
    """Right-pad id lists with 0 into an int32 array of shape (N, length).

    ``length`` defaults to the longest sequence; a longer sequence raises a
    ValueError instead of being cut.
    """
    longest = max((len(s) for s in sequences), default=0)
    length = longest if length is None else length
    if longest > length:
        raise ValueError(f"a sequence has {longest} ids but length={length}; raise length")
    batch = np.full((len(sequences), length), PAD_ID, dtype=np.int32)
    for row, ids in enumerate(sequences):
        batch[row, : len(ids)] = ids
    return batch


def encode_sentences(sentences, source_vocab) -> np.ndarray:
    """Raw English sentences -> right-padded ids ``(n, longest)``; unknown words raise.

    A word the model never saw would silently become ``<unk>``; here it is an
    error that names the word, so a learner knows to pick a known one.
    """
    if isinstance(sentences, str) or not hasattr(sentences, "__len__"):
        raise TypeError(f"pass a list of sentences, got {type(sentences).__name__}")
    if len(sentences) == 0:
        raise ValueError("no sentences given: pass a non-empty list of sentences")
    rows = []
    for index, sentence in enumerate(sentences):
        tokens = tokenize(sentence)
        if not tokens:
            raise ValueError(f"sentence {index} is empty; give at least one word")
        unknown = [token for token in tokens if token not in source_vocab]
        if unknown:
            raise ValueError(
                f"sentence {index} ({sentence!r}) has words outside the source vocabulary: "
                f"{unknown}; use words from the training corpus (case matters)"
            )
        rows.append(source_vocab.encode(tokens))
    return pad_sequences(rows)


# ---------------------------------------------------------------------------
# Encoding for training and translation
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class EncodedPairs:
    """Arrays for teacher-forced training of an encoder-decoder.

    ``source``: (N, S) English ids, right-padded (reversed before padding when asked).
    ``decoder_input``: (N, T+1) ``<start> y_1 … y_T`` padded.
    ``decoder_target``: (N, T+1) ``y_1 … y_T <end>`` padded.
    ``source_lengths``: (N,) English lengths in tokens.
    """

    source: np.ndarray
    decoder_input: np.ndarray
    decoder_target: np.ndarray
    source_lengths: np.ndarray


def encode_pairs(
    pairs: Sequence[Pair],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    source_length: int | None = None,
    target_length: int | None = None,
    reverse_source: bool = False,
) -> EncodedPairs:
    """Encode and pad a list of pairs. ``target_length`` counts the added <start>/<end>.

    ``reverse_source`` reverses each English sentence before padding (Sutskever
    et al.'s trick); padding stays on the right, and gold alignments keep
    referring to the original order.
    """
    sources = [list(p.source)[::-1] if reverse_source else list(p.source) for p in pairs]
    targets = [target_vocab.encode(p.target) for p in pairs]
    return EncodedPairs(
        source=pad_sequences([source_vocab.encode(s) for s in sources], source_length),
        decoder_input=pad_sequences([[START_ID] + t for t in targets], target_length),
        decoder_target=pad_sequences([t + [END_ID] for t in targets], target_length),
        source_lengths=np.array([len(p.source) for p in pairs], dtype=np.int32),
    )


def build_vocabularies(pairs: Iterable[Pair]) -> tuple[Vocabulary, Vocabulary]:
    """(English vocabulary, Korean vocabulary) from the given (usually training) pairs."""
    pairs = list(pairs)
    return (
        Vocabulary.from_sentences(p.source for p in pairs),
        Vocabulary.from_sentences(p.target for p in pairs),
    )


@dataclasses.dataclass
class TrainingData:
    """The toy corpus ready to train on: pairs by split, vocabularies, encoded arrays."""

    splits: dict[str, list[Pair]]
    source_vocab: Vocabulary
    target_vocab: Vocabulary
    encoded: dict  # split name -> EncodedPairs (source, decoder_input, decoder_target, ...)


def training_data(path: str | pathlib.Path = TOY_CORPUS_PATH) -> TrainingData:
    """Load the corpus, build the vocabularies from the training split and encode every split.

    The one recipe every translation model of the series (and its benchmark) starts from.
    """
    splits = load_splits(path)
    source_vocab, target_vocab = build_vocabularies(splits["train"])
    encoded = {
        name: encode_pairs(pairs, source_vocab, target_vocab) for name, pairs in splits.items()
    }
    return TrainingData(splits, source_vocab, target_vocab, encoded)
