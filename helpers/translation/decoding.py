"""Decoding: turn a trained encoder-decoder's probabilities into translations.

Greedy decoding feeds each step's most likely token back in until ``<end>``;
beam search keeps the ``beam_width`` most likely hypotheses instead, ranked with
GNMT's length penalty. Both work on any model with the interface of
``helpers.translation.seq2seq.Seq2Seq``: ``model.encode(source_ids)`` returns
``(encoder_outputs, state, source_mask)`` and ``model.decoder.step(token_ids, state,
encoder_outputs, source_mask)`` returns a ``DecoderStep``; the attention decoders and
the Transformer share it, so the same step (and its attention weights) serves every
model of the series. Beam search only reorders ``state`` row by row
(``tf.gather`` over its tensors), so a state may be any nest of ``(rows, ...)`` tensors:
an LSTM's ``[hidden, cell]`` or the Transformer's prefix of ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np
import tensorflow as tf

from helpers.experiments import MAX_OUTPUT_TOKENS
from helpers.shapes import whole_number
from helpers.translation.seq2seq import Seq2Seq, check_token_ids
from helpers.translation.tokens import END_ID, PAD_ID, START_ID


@dataclass
class GreedyResult:
    """What :func:`greedy_decode` produced for a batch.

    * ``token_ids`` ``(batch, steps)``: predicted ids, ``<end>`` excluded, PAD after it;
    * ``lengths`` ``(batch,)``: number of predicted tokens before ``<end>``;
    * ``finished`` ``(batch,)``: True where ``<end>`` was produced within ``max_length``;
    * ``step_probabilities`` ``(batch, steps, target_vocab)``: each step's distribution;
    * ``attention_weights`` ``(batch, steps, source_time)`` or None (no attention).
    """

    token_ids: np.ndarray
    lengths: np.ndarray
    finished: np.ndarray
    step_probabilities: np.ndarray
    attention_weights: np.ndarray | None

    def sequences(self) -> list[list[int]]:
        """The predicted ids of each sentence as a list, without padding or ``<end>``."""
        rows = zip(self.token_ids, self.lengths, strict=True)
        return [row[:length].tolist() for row, length in rows]


def _check_max_length(max_length) -> None:
    whole_number(max_length, "max_length", unit="tokens")


def _encode(model: Seq2Seq, source_ids, max_length: int):
    """Check what every decoding loop is given, then encode: the checks greedy and beam share."""
    source_ids = np.asarray(source_ids)
    check_token_ids(source_ids, "source_ids", "(batch, source_time)")
    _check_max_length(max_length)
    empty_rows = np.flatnonzero((source_ids != PAD_ID).sum(axis=1) == 0)
    if len(empty_rows):
        raise ValueError(f"source rows {empty_rows.tolist()} are empty (only padding)")
    return model.encode(source_ids)


def choosable_log_probabilities(probabilities, start_id: int) -> np.ndarray:
    """Log-probabilities ``(rows, target_vocab)`` (float64) with ``<pad>`` and ``<start>`` at -inf.

    Neither is ever a training target, yet an untrained decoder may rank one first; a
    ``<pad>`` fed back is masked out by teacher forcing but not by ``step``, so the two
    would score it differently. Greedy and beam search both choose among the rest.
    """
    with np.errstate(divide="ignore"):  # a probability that underflowed to 0 is log 0 = -inf
        log_probabilities = np.log(np.asarray(probabilities, dtype=np.float64))
    log_probabilities[:, [PAD_ID, start_id]] = -np.inf
    return log_probabilities


def greedy_decode(
    model: Seq2Seq, source_ids, start_id: int, end_id: int, max_length: int
) -> GreedyResult:
    """Translate a batch by feeding each step's most likely token back in.

    ``source_ids`` ``(batch, source_time)``. Decoding starts from ``<start>``,
    a sentence stops at its first ``<end>``, and every sentence stops after
    ``max_length`` tokens at the latest. ``<pad>`` and ``<start>`` are never
    chosen (:func:`choosable_log_probabilities`). Returns a :class:`GreedyResult`.
    """
    encoder_outputs, state, source_mask = _encode(model, source_ids, max_length)
    batch = len(source_ids)
    tokens = tf.fill([batch], tf.constant(start_id, tf.int32))
    finished = np.zeros(batch, dtype=bool)
    lengths = np.zeros(batch, dtype=np.int64)
    step_ids, step_probabilities, step_attention = [], [], []
    for _ in range(max_length):
        step = model.decoder.step(tokens, state, encoder_outputs, source_mask)
        probabilities = step.probabilities.numpy()
        predicted = choosable_log_probabilities(probabilities, start_id).argmax(axis=-1)
        newly_ended = (predicted == end_id) & ~finished
        emitted = np.where(finished | newly_ended, PAD_ID, predicted)
        lengths += ~(finished | newly_ended)
        finished |= newly_ended
        step_ids.append(emitted)
        step_probabilities.append(probabilities)
        if step.attention_weights is not None:
            step_attention.append(np.asarray(step.attention_weights))
        if finished.all():
            break
        state = step.state
        tokens = tf.constant(predicted, tf.int32)
    return GreedyResult(
        token_ids=np.stack(step_ids, axis=1),
        lengths=lengths,
        finished=finished,
        step_probabilities=np.stack(step_probabilities, axis=1),
        attention_weights=np.stack(step_attention, axis=1) if step_attention else None,
    )


# ---------------------------------------------------------------- beam search


def length_penalty(lengths, alpha: float) -> np.ndarray:
    """GNMT's length penalty lp(n) = ((5 + n) / 6) ** alpha (Wu et al., 2016, eq. 14).

    ``n`` counts a hypothesis's tokens, its ``<end>`` included. Beam search ranks
    hypotheses by log P(y) / lp(n): ``alpha = 0`` gives lp = 1 (plain log-probability,
    which favours short outputs); GNMT used alpha between 0.6 and 1.
    """
    return ((5.0 + np.asarray(lengths, dtype=np.float64)) / 6.0) ** alpha


@dataclass
class BeamResult:
    """What :func:`beam_search` produced for a batch of sentences with ``width`` beams.

    Hypotheses are ranked best first by ``beam_ranking``; slot 0 is the chosen one.

    * ``beam_token_ids`` ``(batch, width, steps)``: ids, ``<end>`` excluded, PAD after it;
    * ``beam_lengths`` ``(batch, width)``: tokens before ``<end>``;
    * ``beam_finished`` ``(batch, width)``: True where ``<end>`` came within ``max_length``;
    * ``beam_scores`` ``(batch, width)``: log-probability, the sum of log p of each token
      (and of ``<end>`` when finished); -inf marks an empty slot (a tiny vocabulary);
    * ``beam_ranking`` ``(batch, width)``: ``beam_scores / length_penalty(n, alpha)``;
    * ``attention_weights`` ``(batch, steps, source_time)`` of the chosen hypothesis,
      row t the step that chose token t (or ``<end>``), zero after it; None without attention.
    """

    beam_token_ids: np.ndarray
    beam_lengths: np.ndarray
    beam_finished: np.ndarray
    beam_scores: np.ndarray
    beam_ranking: np.ndarray
    attention_weights: np.ndarray | None

    @property
    def token_ids(self) -> np.ndarray:
        """The chosen hypothesis's ids ``(batch, steps)``, as ``GreedyResult.token_ids``."""
        return self.beam_token_ids[:, 0]

    @property
    def lengths(self) -> np.ndarray:
        return self.beam_lengths[:, 0]

    @property
    def finished(self) -> np.ndarray:
        return self.beam_finished[:, 0]

    @property
    def scores(self) -> np.ndarray:
        """Log-probability of the chosen hypothesis of each sentence, ``(batch,)``."""
        return self.beam_scores[:, 0]

    def sequences(self) -> list[list[int]]:
        """The chosen ids of each sentence as a list, without padding or ``<end>``."""
        rows = zip(self.token_ids, self.lengths, strict=True)
        return [row[:length].tolist() for row, length in rows]

    def hypotheses(self, row: int) -> list[tuple[list[int], float]]:
        """Sentence ``row``'s hypotheses best first, as ``(ids, log-probability)``; none empty."""
        return [
            (ids[:length].tolist(), float(score))
            for ids, length, score in zip(
                self.beam_token_ids[row], self.beam_lengths[row], self.beam_scores[row], strict=True
            )
            if np.isfinite(score)
        ]


# Beyond this many distinct outputs no beam could be too wide; counting stops there.
_COUNT_CAP = 10**6


def _count_hypotheses(words: int, max_length: int) -> int:
    """Distinct outputs of at most ``max_length`` tokens over ``words`` choosable non-end ids:
    sum of words^n for n < max_length (ended) plus words^max_length (unended), capped at
    :data:`_COUNT_CAP` so that a real vocabulary costs nothing to count."""
    total, power = 0, 1
    for _ in range(max_length):
        total += power  # the outputs that end after this many words
        power *= words
        if total + power >= _COUNT_CAP:
            return _COUNT_CAP
    return total + power


def _check_beam_settings(model, beam_width, alpha, start_id, end_id, max_length) -> None:
    _check_max_length(max_length)
    vocab = model.decoder.vocab_size
    for name, value in (("start_id", start_id), ("end_id", end_id)):
        if not 0 < value < vocab:  # 0 is <pad>
            raise ValueError(
                f"{name}={value} is not an id of the target vocabulary (1..{vocab - 1})"
            )
    words = vocab - len({PAD_ID, start_id, end_id})
    widest = _count_hypotheses(words, max_length)
    valid = f"from 1 to {widest}" if widest < _COUNT_CAP else "of at least 1"
    whole_number(beam_width, "beam_width", unit="hypotheses")
    if beam_width > widest:
        raise ValueError(
            f"beam_width must be {valid}, got {beam_width}: there are only {widest} distinct "
            f"outputs of at most max_length={max_length} tokens over this model's {words} "
            "choosable tokens, so wider beams would stay empty"
        )
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.floating, np.integer)):
        raise TypeError(f"alpha must be a number >= 0 (0: no length penalty), got {alpha!r}")
    if not (np.isfinite(alpha) and alpha >= 0):
        raise ValueError(f"alpha must be a finite number >= 0 (0: no length penalty), got {alpha}")


def beam_search(
    model: Seq2Seq,
    source_ids,
    start_id: int,
    end_id: int,
    max_length: int,
    beam_width: int,
    alpha: float = 0.0,
) -> BeamResult:
    """Translate a batch keeping the ``beam_width`` best hypotheses at each step.

    ``source_ids`` ``(batch, source_time)``; the model is any of the series (it steps
    through ``model.decoder.step``, as :func:`greedy_decode` does). All sentences ×
    beams run as one batch of ``batch * beam_width`` rows per step. Each step extends
    every live hypothesis by every choosable token, ranks the candidates by
    log P / :func:`length_penalty` (n, ``alpha``) and keeps the best ``beam_width`` per
    sentence. A hypothesis that produced ``<end>`` keeps its slot and score unchanged
    (it competes on equal terms with the live ones and is never extended); decoding
    stops when every slot has ended, or after ``max_length`` tokens, where unended
    hypotheses are ranked as they are. ``beam_width=1`` is greedy decoding.
    Returns a :class:`BeamResult`.
    """
    _check_beam_settings(model, beam_width, alpha, start_id, end_id, max_length)
    encoder_outputs, state, source_mask = _encode(model, source_ids, max_length)
    batch, width, vocab = len(encoder_outputs), int(beam_width), model.decoder.vocab_size

    def per_beam(tensor):  # sentence i's rows become i*width .. i*width + width-1
        return tf.repeat(tensor, width, axis=0)

    encoder_outputs, source_mask = per_beam(encoder_outputs), per_beam(source_mask)
    state = tf.nest.map_structure(per_beam, state)
    rows = np.arange(batch)[:, None]
    # The beams start identical: only slot 0 may expand, or the first step would
    # fill every slot with copies of the same hypotheses.
    scores = np.full((batch, width), -np.inf)
    scores[:, 0] = 0.0
    finished = np.zeros((batch, width), dtype=bool)
    lengths = np.zeros((batch, width), dtype=np.int64)  # tokens before <end>
    tokens = np.full(batch * width, start_id)
    parents, step_tokens, step_attention = [], [], []
    for _ in range(max_length):
        step = model.decoder.step(
            tf.constant(tokens, tf.int32), state, encoder_outputs, source_mask
        )
        log_p = choosable_log_probabilities(step.probabilities, start_id)
        log_p = log_p.reshape(batch, width, vocab)
        # An ended hypothesis has one continuation, PAD, at no cost: it keeps its score.
        log_p[finished] = -np.inf
        log_p[finished, PAD_ID] = 0.0
        candidates = (scores[:, :, None] + log_p).reshape(batch, width * vocab)
        # Every candidate has one more token than its parent (an ended one counts its <end>).
        penalty = np.repeat(length_penalty(lengths + 1, alpha), vocab, axis=1)
        best = np.argsort(-(candidates / penalty), axis=1, kind="stable")[:, :width]
        parent, token = np.divmod(best, vocab)
        scores = np.take_along_axis(candidates, best, axis=1)
        finished = finished[rows, parent] | (token == end_id)
        lengths = lengths[rows, parent] + ~finished
        parents.append(parent)
        step_tokens.append(np.where(finished, PAD_ID, token))
        if step.attention_weights is not None:
            weights = np.asarray(step.attention_weights).reshape(batch, width, -1)
            step_attention.append(weights[rows, parent])
        if (finished | np.isneginf(scores)).all():
            break
        flat_parent = (rows * width + parent).reshape(-1)
        state = tf.nest.map_structure(partial(tf.gather, indices=flat_parent), step.state)
        # Ended and empty slots feed <end> (a harmless input; their scores are fixed).
        dead = finished | np.isneginf(scores)
        tokens = np.where(dead, end_id, token).reshape(-1)
    return _ranked_result(parents, step_tokens, step_attention, scores, lengths, finished, alpha)


def _ranked_result(parents, step_tokens, step_attention, scores, lengths, finished, alpha):
    """Rank the final slots, then follow the parent pointers back to read each one's ids."""
    batch, width = scores.shape
    rows = np.arange(batch)[:, None]
    ranking = scores / length_penalty(lengths + finished, alpha)
    order = np.argsort(-ranking, axis=1, kind="stable")
    steps = len(parents)
    token_ids = np.zeros((batch, width, steps), dtype=np.int64)
    attention = None
    if step_attention:
        attention = np.zeros((batch, steps, step_attention[0].shape[-1]), dtype=np.float32)
    slot = order
    for t in reversed(range(steps)):
        token_ids[:, :, t] = step_tokens[t][rows, slot]
        if attention is not None:
            attention[:, t] = step_attention[t][np.arange(batch), slot[:, 0]]
        slot = parents[t][rows, slot]
    lengths, finished = (
        np.take_along_axis(lengths, order, 1),
        np.take_along_axis(finished, order, 1),
    )
    if attention is not None:  # rows after the chosen hypothesis's last step are not its own
        taken = np.arange(steps)[None, :] < (lengths[:, 0] + finished[:, 0])[:, None]
        attention *= taken[:, :, None]
    return BeamResult(
        beam_token_ids=token_ids,
        beam_lengths=lengths,
        beam_finished=finished,
        beam_scores=np.take_along_axis(scores, order, 1),
        beam_ranking=np.take_along_axis(ranking, order, 1),
        attention_weights=attention,
    )


# ---------------------------------------------------------------- encoded splits


def predict_tokens(
    model: Seq2Seq,
    source_ids,
    target_vocab,
    max_length: int = MAX_OUTPUT_TOKENS,
    batch_size: int = 500,
    beam_width: int = 1,
    alpha: float = 0.0,
) -> list[list[str]]:
    """Translations of ``source_ids`` ``(n, source_time)`` as n Korean token lists, each
    stopped after ``max_length`` tokens (default: the registry's ``MAX_OUTPUT_TOKENS``).

    A whole encoded split in one call (the benchmarks' and notebooks' test sets); one typed
    sentence goes through ``helpers.translation.translator.Translator`` instead.

    ``beam_width=1`` decodes greedily; wider runs :func:`beam_search` with ``alpha``.
    ``batch_size`` sentences decode at a time (times ``beam_width`` rows in a beam),
    shortest sources first and each batch cut to its own longest source, so a few long
    sentences (or a translation that never ends) hold up only their own batch. The
    translations come back in the order of ``source_ids``.
    """
    source_ids = np.asarray(source_ids)
    check_token_ids(source_ids, "source_ids", "(batch, source_time)")
    positions = np.arange(1, source_ids.shape[1] + 1)
    lengths = np.where(source_ids != PAD_ID, positions, 0).max(axis=1)  # up to the last token
    order = np.argsort(lengths, kind="stable")
    translations = [None] * len(source_ids)
    for first in range(0, len(order), batch_size):
        rows = order[first : first + batch_size]
        batch = source_ids[rows, : lengths[rows].max()]
        if beam_width == 1:
            result = greedy_decode(model, batch, START_ID, END_ID, max_length)
        else:
            result = beam_search(
                model, batch, START_ID, END_ID, max_length, beam_width=beam_width, alpha=alpha
            )
        for row, ids in zip(rows, result.sequences(), strict=True):
            translations[row] = target_vocab.decode(ids)
    return translations
