"""Decoding: turn a trained encoder-decoder's probabilities into translations.

Greedy decoding feeds each step's most likely token back in until ``<end>``.
It works on any model with the interface of ``helpers.seq2seq.Seq2Seq``:
``model.encode(source_ids)`` returns ``(encoder_outputs, state, source_mask)``
and ``model.decoder.step(token_ids, state, encoder_outputs, source_mask)``
returns a ``DecoderStep``; the attention decoders and the Transformer share it,
so the same loop (and its attention weights) serves every model of the series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import tensorflow as tf

from helpers.seq2seq import Seq2Seq, check_token_ids
from helpers.text import END_ID, PAD_ID, START_ID, encode_sentences


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


def _encode(model: Seq2Seq, source_ids, max_length: int):
    """Check what every decoding loop is given, then encode: the checks greedy and beam share."""
    source_ids = np.asarray(source_ids)
    check_token_ids(source_ids, "source_ids", "(batch, source_time)")
    if isinstance(max_length, bool) or not isinstance(max_length, (int, np.integer)):
        raise TypeError(f"max_length must be a whole number of tokens, got {max_length!r}")
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
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


# ---------------------------------------------------------------- raw sentences


def predict_tokens(
    model: Seq2Seq, source_ids, target_vocab, max_length: int, batch_size: int = 500
) -> list[list[str]]:
    """Greedy translations of ``source_ids`` ``(n, source_time)`` as n Korean token lists."""
    source_ids = np.asarray(source_ids)
    check_token_ids(source_ids, "source_ids", "(batch, source_time)")
    translations = []
    for first in range(0, len(source_ids), batch_size):
        result = greedy_decode(
            model,
            source_ids[first : first + batch_size],
            START_ID,
            END_ID,
            max_length,
        )
        translations += [target_vocab.decode(ids) for ids in result.sequences()]
    return translations


def translate(
    model: Seq2Seq, sentences, source_vocab, target_vocab, max_length: int | None = None
) -> list[str]:
    """Translate raw English sentences to raw Korean sentences by greedy decoding.

    ``sentences``: a list of str. ``max_length`` caps the output tokens
    (default: twice the longest source, plus 2). Returns a list of str.
    """
    source_ids = encode_sentences(sentences, source_vocab)
    if max_length is None:
        max_length = 2 * source_ids.shape[1] + 2
    return [
        " ".join(tokens) for tokens in predict_tokens(model, source_ids, target_vocab, max_length)
    ]
