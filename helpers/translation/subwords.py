"""Subword tokens learned from a training split with SentencePiece (Kudo & Richardson, 2018).

A word-level vocabulary of real Korean is mostly words seen once: each eojeol carries its
particles ("학교에", "학교로", "학교는"), so a test sentence is full of words the model never
saw. SentencePiece learns pieces from the raw training sentences (no pre-tokenisation, so it
suits Korean and English alike) and can always fall back to single characters, so no test
word is unknown. The model is kept as bytes, small enough to commit beside the weights.
"""

from __future__ import annotations

import dataclasses
import functools
import io
from collections.abc import Sequence

# The unigram language model of Kudo (2018), SentencePiece's default; byte-pair encoding
# ("bpe") is the other standard choice.
MODEL_TYPE = "unigram"
# All Korean syllables of the training text stay in the vocabulary as pieces.
CHARACTER_COVERAGE = 1.0


def _sentencepiece():
    try:
        import sentencepiece
    except ImportError as error:  # a dependency in pyproject.toml; an old environment lacks it
        raise ImportError(
            "subwords need SentencePiece: pip install 'sentencepiece>=0.2' (or pip install -e .)"
        ) from error
    return sentencepiece


@dataclasses.dataclass(frozen=True)
class Subwords:
    """A trained SentencePiece model: text → pieces → text.

    ``model`` is the serialised model (what :func:`learn` returns and what is committed).
    """

    model: bytes

    @functools.cached_property  # loaded once; writes __dict__, so fine on a frozen dataclass
    def _processor(self):
        processor = _sentencepiece().SentencePieceProcessor()
        processor.LoadFromSerializedProto(self.model)
        return processor

    @property
    def size(self) -> int:
        """Number of pieces, the reserved <unk> included."""
        return self._processor.GetPieceSize()

    def pieces(self, sentence: str) -> list[str]:
        """``"I'm home."`` → ``['▁I', "'", 'm', '▁home', '.']`` (▁ marks a word start)."""
        if not isinstance(sentence, str):
            raise TypeError(f"pieces expects a str, got {type(sentence).__name__}")
        return self._processor.EncodeAsPieces(sentence)

    def text(self, pieces: Sequence[str]) -> str:
        """Pieces back to the sentence (the inverse of :meth:`pieces`)."""
        if isinstance(pieces, str):
            raise TypeError("text expects a list of pieces, not a str")
        return self._processor.DecodePieces(list(pieces))


def learn(sentences: Sequence[str], vocabulary_size: int) -> Subwords:
    """Learn at most ``vocabulary_size`` pieces from ``sentences`` (the training split only).

    SentencePiece's own ``<unk>`` is its one reserved piece; the translation vocabulary
    (``text.Vocabulary``) adds the series' <pad>, <start> and <end> around the pieces.
    A small text yields fewer pieces than asked (``size`` tells how many); a vocabulary too
    small to hold every character of the text raises a ValueError.
    """
    sentences = [sentence for sentence in sentences if sentence.strip()]
    if not sentences:
        raise ValueError("no sentences to learn subwords from; pass the training sentences")
    if int(vocabulary_size) < 8:
        raise ValueError(f"vocabulary_size must be at least 8, got {vocabulary_size}")
    model = io.BytesIO()
    try:
        _sentencepiece().SentencePieceTrainer.Train(
            sentence_iterator=iter(sentences),
            model_writer=model,
            vocab_size=int(vocabulary_size),
            hard_vocab_limit=False,  # an upper bound: a small corpus gets the pieces it has
            model_type=MODEL_TYPE,
            character_coverage=CHARACTER_COVERAGE,
            # Only <unk>: the series' Vocabulary reserves its own <pad>, <start> and <end>.
            bos_id=-1,
            eos_id=-1,
            pad_id=-1,
            unk_id=0,
            num_threads=1,  # one thread: the same pieces on every run and machine
            minloglevel=2,  # no training log in a notebook
        )
    except RuntimeError as error:
        if "character_coverage" not in str(error):
            raise
        raise ValueError(
            f"vocabulary_size={vocabulary_size} is too small for the characters of these "
            f"{len(sentences)} sentences (SentencePiece: {str(error).strip()}); choose a "
            "larger vocabulary_size: it must hold every character"
        ) from error
    return Subwords(model.getvalue())
