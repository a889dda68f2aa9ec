"""The one front door from an English sentence to its translation and attention.

Every path from a sentence to a translation goes through :class:`Translator`: the
"translate your own sentence" widget, the notebooks' translations and heatmaps,
:func:`translate` for a list of sentences, and ``attention_study.decoding_steps`` (the
attention stepper, through :meth:`Translator.translate_tokens`), for a toy-corpus model
(word tokens) and a real-corpus model (``helpers.translation.real_corpus`` tokens) alike.
The longest sentence it reads and the most tokens it writes are the registry's
``MAX_SOURCE_TOKENS`` and ``MAX_OUTPUT_TOKENS``. Words outside the model's vocabulary are
not an error: the model reads them as <unk>, and :class:`Translation` names them.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np

from helpers.experiments import MAX_OUTPUT_TOKENS, MAX_SOURCE_TOKENS
from helpers.translation import decoding, text

FINAL_PUNCTUATION = (".", "!", "?")
# Said for any letter outside the Latin script (Hangul typed by mistake, Cyrillic, kana ...).
ENGLISH_ONLY = (
    "this model reads English; type an English sentence "
    "(이 모델은 영어만 읽습니다. 영어 문장을 입력하세요)"
)


def check_english(sentence: str) -> None:
    """Raise a ValueError naming the script when ``sentence`` has letters outside Latin."""
    for character in sentence:
        if character.isalpha() and not unicodedata.name(character, "").startswith("LATIN"):
            script = unicodedata.name(character, "UNKNOWN").split()[0].title()
            if script == "Cjk":
                script = "Chinese characters"
            raise ValueError(f"{character!r} is {script}: {ENGLISH_ONLY}")


def toy_reading(tokens: Sequence[str], vocab: text.Vocabulary) -> tuple[list[str], list[str]]:
    """Tokens as the toy corpus writes them, and what was changed to get there.

    The toy corpus has no punctuation and lower-case words except "I" and the names, so a
    learner's "The dog sleeps." becomes ``the dog sleeps``; a word the vocabulary knows in
    neither case is left alone (and read as <unk>).
    """
    tokens, changes = list(tokens), []
    while tokens and tokens[-1] in FINAL_PUNCTUATION and tokens[-1] not in vocab:
        changes.append(f"final '{tokens.pop()}' dropped")
    for index, token in enumerate(tokens):
        if token in vocab:
            continue
        for other in (token.lower(), token.capitalize()):
            if other != token and other in vocab:
                tokens[index] = other
                changes.append(f"'{token}' read as '{other}'")
                break
    return tokens, changes


@dataclasses.dataclass(frozen=True)
class Translation:
    """What a model made of one sentence.

    ``source_tokens``: what the model read (unknown ones shown as typed); ``unknown``: the
    tokens it read as <unk>; ``korean``: the chosen translation as text, ``target_tokens``
    its tokens; ``attention``: (len(target_tokens), len(source_tokens)), row t where the
    decoder looked while writing token t (None for a model without attention); ``hypotheses``: the
    beam's (text, log-probability) pairs, best first.
    """

    sentence: str
    source_tokens: tuple[str, ...]
    unknown: tuple[str, ...]
    korean: str
    target_tokens: tuple[str, ...]
    attention: np.ndarray | None
    hypotheses: tuple[tuple[str, float], ...]
    notes: tuple[str, ...] = ()  # what was changed from the typed sentence, and why

    @property
    def unknown_note(self) -> str:
        """ "'Seoul' is not in the vocabulary; the model reads <unk>." (empty when none)."""
        if not self.unknown:
            return ""
        names = ", ".join(f"'{token}'" for token in dict.fromkeys(self.unknown))
        verb = "is" if len(set(self.unknown)) == 1 else "are"
        return f"{names} {verb} not in the vocabulary; the model reads {text.UNKNOWN}."


@dataclasses.dataclass
class Translator:
    """A trained model with the tokens it reads and writes.

    ``source_tokens``: English sentence -> tokens; ``target_text``: Korean tokens -> text.
    Build one with :meth:`for_toy_corpus` or :meth:`for_real_corpus`.
    """

    name: str
    model: object
    source_vocab: text.Vocabulary
    target_vocab: text.Vocabulary
    source_tokens: Callable[[str], list[str]]
    target_text: Callable[[Sequence[str]], str]
    corpus: str = "toy"  # "toy": read as the toy corpus writes; "real": every sentence ends in "."

    @classmethod
    def for_toy_corpus(cls, name, model, source_vocab, target_vocab) -> Translator:
        """Word tokens as ``text.tokenize`` cuts them, then read as the corpus writes them."""
        return cls(name, model, source_vocab, target_vocab, text.tokenize, " ".join, "toy")

    @classmethod
    def for_real_corpus(cls, name, model, tokeniser, source_vocab, target_vocab) -> Translator:
        """The tokens of ``real_corpus.Tokeniser`` (words or subwords)."""
        return cls(
            name,
            model,
            source_vocab,
            target_vocab,
            tokeniser.source_tokens,
            tokeniser.target_text,
            "real",
        )

    def translate(self, sentence: str, beam_width: int = 1, alpha: float = 0.0) -> Translation:
        """Translate ``sentence`` with a beam of ``beam_width`` (1: greedy).

        An empty sentence, one over ``MAX_SOURCE_TOKENS`` tokens or one not in the Latin
        script raises a ValueError that says what to type instead. A toy model reads the
        sentence as its corpus writes it (:func:`toy_reading`); a real-corpus model, whose
        training sentences nearly all end in ".", "?" or "!", says when a missing one changes
        the translation (it translates the sentence again with a "." to know). Both are
        listed in :attr:`Translation.notes`.
        """
        if not isinstance(sentence, str):
            raise TypeError(f"type the sentence as a str, got {type(sentence).__name__}")
        check_english(sentence)
        tokens = self._checked(self.source_tokens(sentence.strip()))
        notes = []
        if self.corpus == "toy":
            tokens, changes = toy_reading(tokens, self.source_vocab)
            if not tokens:
                raise ValueError("the sentence has no words: type an English sentence first")
            if changes:
                notes.append(
                    f"read as the toy corpus writes it, '{' '.join(tokens)}' "
                    f"({'; '.join(changes)}; the toy corpus has no capitals but I and names, "
                    "and no punctuation)"
                )
        target, attention, hypotheses = self._decode(tokens, beam_width, alpha)
        korean = self.target_text(target)
        if self.corpus == "real" and not sentence.strip().endswith(FINAL_PUNCTUATION):
            stopped = self.target_text(
                self._decode(self.source_tokens(sentence.strip() + "."), beam_width, alpha)[0]
            )
            if stopped != korean:
                notes.append(
                    "no final '.', '?' or '!': nearly every training sentence ends with one, so "
                    f"the model reads an ending it rarely saw; with '.' it writes '{stopped}' "
                    "(문장 끝에 마침표가 없어 번역이 달라졌습니다)"
                )
        return Translation(
            sentence=sentence,
            source_tokens=tuple(tokens),
            unknown=tuple(token for token in tokens if token not in self.source_vocab),
            korean=korean,
            target_tokens=tuple(target),
            attention=attention,
            hypotheses=tuple(hypotheses),
            notes=tuple(notes),
        )

    def translate_tokens(
        self, tokens: Sequence[str], beam_width: int = 1, alpha: float = 0.0, max_length=None
    ) -> Translation:
        """:meth:`translate` for a sentence already cut into the model's tokens, read as they
        are (no toy reading, no notes); ``max_length`` stops the output sooner than
        ``MAX_OUTPUT_TOKENS`` (a tiny test model)."""
        tokens = self._checked(list(tokens))
        target, attention, hypotheses = self._decode(tokens, beam_width, alpha, max_length)
        return Translation(
            sentence=" ".join(tokens),
            source_tokens=tuple(tokens),
            unknown=tuple(token for token in tokens if token not in self.source_vocab),
            korean=self.target_text(target),
            target_tokens=tuple(target),
            attention=attention,
            hypotheses=tuple(hypotheses),
        )

    def _checked(self, tokens: list[str]) -> list[str]:
        if not tokens:
            raise ValueError("the sentence is empty: type an English sentence first")
        if len(tokens) > MAX_SOURCE_TOKENS:
            raise ValueError(
                f"the sentence has {len(tokens)} tokens; {self.name} reads at most "
                f"{MAX_SOURCE_TOKENS}: type a shorter one"
            )
        return tokens

    def _decode(self, tokens, beam_width, alpha, max_length=None):
        """Beam search over ``tokens``: the chosen target tokens, attention, hypotheses."""
        # in typed order: a reversed-source model reverses inside itself
        source_ids = np.array([self.source_vocab.encode(tokens)], dtype=np.int32)
        result = decoding.beam_search(
            self.model,
            source_ids,
            text.START_ID,
            text.END_ID,
            max_length=MAX_OUTPUT_TOKENS if max_length is None else max_length,
            beam_width=beam_width,
            alpha=alpha,
        )
        hypotheses = []
        for slot in range(result.beam_token_ids.shape[1]):
            score = float(result.beam_scores[0, slot])
            if np.isfinite(score):
                length = int(result.beam_lengths[0, slot])
                ids = result.beam_token_ids[0, slot, :length]
                words = self.target_vocab.decode(ids)
                hypotheses.append((self.target_text(words), score))
        chosen_length = int(result.beam_lengths[0, 0])
        target = self.target_vocab.decode(result.beam_token_ids[0, 0, :chosen_length])
        attention = None
        if result.attention_weights is not None:
            attention = np.asarray(result.attention_weights[0, : len(target), : len(tokens)])
        return target, attention, hypotheses


def translate(model, sentences, source_vocab, target_vocab, beam_width=1, alpha=0.0) -> list[str]:
    """Each English sentence of ``sentences`` (a list of str) translated by a toy-corpus
    ``model``, through :class:`Translator`: the Korean texts, in order."""
    if isinstance(sentences, str):
        raise TypeError("sentences must be a list of str; wrap one sentence as [sentence]")
    door = Translator.for_toy_corpus("the model", model, source_vocab, target_vocab)
    return [door.translate(sentence, beam_width, alpha).korean for sentence in sentences]
