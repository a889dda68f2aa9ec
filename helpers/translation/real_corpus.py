"""A real Korean–English corpus as training data: a learner's copy of Tatoeba's pairs.

The project ships no real sentences (Tatoeba's are CC-BY and stay with their authors): the
learner points ``PARALLEL_DATA`` (or a path argument) at their own ``kor.txt``. The split is
by English sentence, fixed by a seed: Tatoeba often gives one English sentence several
Korean translations, and all of them land in the same split, so no test sentence was seen
in training. Two tokenisations: whole words (``text.tokenize``) or SentencePiece subwords
(``helpers.translation.subwords``) learned from the training split only.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import random
import re
from collections.abc import Sequence

import numpy as np

from helpers.translation import parallel_text, subwords, text

PARALLEL_DATA_ENV = "PARALLEL_DATA"
SOURCE_HINT = (
    "Tatoeba's Korean–English pairs (CC-BY 2.0 France): download kor-eng.zip from "
    "https://www.manythings.org/anki/ (or the sentence pairs from https://tatoeba.org/downloads), "
    f"unzip kor.txt and pass its path, or set {PARALLEL_DATA_ENV}=/path/to/kor.txt before "
    "starting Jupyter. Without it, the notebook shows the committed results."
)
TOKENISATIONS = ("words", "subwords")
SPLIT_SEED = 42
VALIDATION_FRACTION = 0.1
TEST_FRACTION = 0.1
# Subword vocabulary sizes (pieces per language), chosen on the validation split by
# benchmarks/real_corpus.py.
SUBWORD_SIZES = {"english": 1000, "korean": 2000}
_SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,!?;:])")


def parallel_data_path(path: str | os.PathLike | None = None) -> pathlib.Path:
    """The learner's corpus file: ``path``, else ``$PARALLEL_DATA``; a clear error if neither."""
    chosen = path if path is not None else os.environ.get(PARALLEL_DATA_ENV)
    if not chosen:
        raise FileNotFoundError(f"No real corpus given. {SOURCE_HINT}")
    chosen = pathlib.Path(chosen).expanduser()
    if not chosen.exists():
        raise FileNotFoundError(f"{chosen} does not exist. {SOURCE_HINT}")
    return chosen


@dataclasses.dataclass(frozen=True)
class RealPair:
    """One real sentence pair: the raw sentences and their tokens (words or pieces)."""

    english: str
    korean: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    split: str


def split_by_english(
    pairs: Sequence[tuple[str, str]], seed: int = SPLIT_SEED
) -> dict[str, list[tuple[str, str]]]:
    """Train / validation / test pairs, every translation of one English sentence together.

    English sentences are compared ignoring case and surrounding spaces. Each split keeps
    file order; which sentences go where depends on ``seed`` only.
    """
    if not pairs:
        raise ValueError("no sentence pairs to split; the corpus file is empty")
    keys = sorted({english.strip().lower() for english, _ in pairs})
    if len(keys) < 10:
        raise ValueError(
            f"only {len(keys)} different English sentences; a split into train, validation "
            "and test needs at least 10"
        )
    random.Random(seed).shuffle(keys)
    test_count = max(1, round(TEST_FRACTION * len(keys)))
    validation_count = max(1, round(VALIDATION_FRACTION * len(keys)))
    split_of = {key: "test" for key in keys[:test_count]}
    split_of.update({key: "validation" for key in keys[test_count : test_count + validation_count]})
    splits = {name: [] for name in ("train", "validation", "test")}
    for english, korean in pairs:
        splits[split_of.get(english.strip().lower(), "train")].append((english, korean))
    return splits


class Tokeniser:
    """English and Korean sentences to tokens and Korean tokens back to a sentence.

    ``"words"``: ``text.tokenize`` (punctuation split off), English lower-cased.
    ``"subwords"``: SentencePiece pieces, one model per language, learned by :meth:`learn`.
    """

    def __init__(self, kind: str, english: subwords.Subwords | None = None, korean=None):
        if kind not in TOKENISATIONS:
            raise ValueError(f"unknown tokenisation {kind!r}; expected one of {TOKENISATIONS}")
        if kind == "subwords" and (english is None or korean is None):
            raise ValueError("subword tokenisation needs a SentencePiece model per language")
        self.kind, self.english, self.korean = kind, english, korean

    @classmethod
    def learn(cls, kind: str, training_pairs: Sequence[tuple[str, str]], sizes=None):
        """A tokeniser for ``kind``; subwords are learned from ``training_pairs`` only."""
        if kind != "subwords":
            return cls(kind)
        sizes = SUBWORD_SIZES if sizes is None else sizes
        english = subwords.learn([e for e, _ in training_pairs], sizes["english"])
        korean = subwords.learn([k for _, k in training_pairs], sizes["korean"])
        return cls(kind, english, korean)

    def source_tokens(self, sentence: str) -> list[str]:
        if self.kind == "words":
            return text.tokenize(sentence.lower())
        return self.english.pieces(sentence)

    def target_tokens(self, sentence: str) -> list[str]:
        if self.kind == "words":
            return text.tokenize(sentence)
        return self.korean.pieces(sentence)

    def pair(self, english: str, korean: str, split: str = "") -> RealPair:
        """The pair with its tokens."""
        source, target = self.source_tokens(english), self.target_tokens(korean)
        return RealPair(english, korean, tuple(source), tuple(target), split)

    def target_text(self, tokens: Sequence[str]) -> str:
        """Korean tokens as a sentence, for BLEU and chrF against the raw reference."""
        if self.kind == "words":
            return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(tokens))
        return self.korean.text(tokens)


@dataclasses.dataclass
class RealTrainingData(text.TrainingData):
    """``text.TrainingData`` of the real corpus, with the tokeniser that made its tokens."""

    tokeniser: Tokeniser | None = None


def training_data(
    path: str | os.PathLike | None = None,
    tokenisation: str = "subwords",
    seed: int = SPLIT_SEED,
    sizes: dict | None = None,
    train_fraction: float = 1.0,
) -> RealTrainingData:
    """Load the learner's corpus, split it, tokenise it and encode every split.

    Vocabularies (and subwords) come from the training split only; validation and test
    words outside them become <unk>, as they would for any new sentence.
    ``train_fraction`` below 1 keeps that share of the training pairs, drawn by ``seed``
    (a smaller share is part of a larger one), to measure what less data costs; the
    validation and test splits stay whole.
    """
    if not 0 < train_fraction <= 1:
        raise ValueError(f"train_fraction must be in (0, 1], got {train_fraction}")
    pairs = parallel_text.load_parallel_tsv(parallel_data_path(path))
    raw_splits = split_by_english(pairs, seed)
    if train_fraction < 1:
        order = list(range(len(raw_splits["train"])))
        random.Random(seed).shuffle(order)
        kept = sorted(order[: max(1, round(train_fraction * len(order)))])
        raw_splits["train"] = [raw_splits["train"][index] for index in kept]
    tokeniser = Tokeniser.learn(tokenisation, raw_splits["train"], sizes)
    splits = {
        name: [tokeniser.pair(english, korean, name) for english, korean in split_pairs]
        for name, split_pairs in raw_splits.items()
    }
    source_vocab, target_vocab = text.build_vocabularies(splits["train"])
    encoded = {
        name: text.encode_pairs(split, source_vocab, target_vocab) for name, split in splits.items()
    }
    return RealTrainingData(splits, source_vocab, target_vocab, encoded, tokeniser)


def save_tokens(data: RealTrainingData, path: str | os.PathLike) -> pathlib.Path:
    """Write the tokeniser and both vocabularies, what committed weights need, to ``.npz``.

    No sentence is stored: only the subword models and the token lists of the vocabularies.
    """
    tokeniser = data.tokeniser
    arrays = {
        "kind": np.array(tokeniser.kind),
        "source_tokens": np.array(data.source_vocab.id_to_token),
        "target_tokens": np.array(data.target_vocab.id_to_token),
    }
    if tokeniser.kind == "subwords":
        arrays["english_model"] = np.frombuffer(tokeniser.english.model, dtype=np.uint8)
        arrays["korean_model"] = np.frombuffer(tokeniser.korean.model, dtype=np.uint8)
    path = pathlib.Path(path)
    np.savez_compressed(path, **arrays)
    return path


def load_tokens(path: str | os.PathLike) -> tuple[Tokeniser, text.Vocabulary, text.Vocabulary]:
    """(tokeniser, source vocabulary, target vocabulary) written by :func:`save_tokens`."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no saved real-corpus tokens at {path}; run `.venv/bin/python "
            "benchmarks/real_corpus.py` (it needs the corpus file) to make them"
        )
    with np.load(path) as stored:
        kind = str(stored["kind"])
        models = {
            name: subwords.Subwords(stored[f"{name}_model"].tobytes())
            for name in ("english", "korean")
            if f"{name}_model" in stored.files
        }
        source = text.Vocabulary(stored["source_tokens"].tolist())
        target = text.Vocabulary(stored["target_tokens"].tolist())
    return Tokeniser(kind, models.get("english"), models.get("korean")), source, target
