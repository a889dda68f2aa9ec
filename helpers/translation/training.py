"""Training: the one teacher-forced ``fit`` every translation model of the series uses.

Seq2Seq with or without attention and the Transformer train through :func:`fit`:
Adam on cross-entropy over real target tokens (:func:`compile_model`, padding
ignored), batches of similar source length (:class:`LengthBucketedBatches`) and
the compact one-line progress display. The benchmarks use the same compile and
batches with their own epoch timer, so a training fix lands everywhere at once.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from helpers.progress import CompactProgress
from helpers.shapes import whole_number
from helpers.translation.seq2seq import Seq2Seq, check_token_ids
from helpers.translation.tokens import PAD_ID


def check_teacher_forcing(decoder_input, decoder_target) -> tuple[np.ndarray, np.ndarray]:
    """Check the teacher-forcing arrays of ``text.encode_pairs`` and return them as arrays.

    ``decoder_input`` ``(batch, target_time)`` reads ``<start> y1..yn PAD..``
    and ``decoder_target`` the same shape ``y1..yn <end> PAD..``: the target
    is the input shifted one step left, so both must pad the same positions.
    """
    decoder_input, decoder_target = np.asarray(decoder_input), np.asarray(decoder_target)
    check_token_ids(decoder_input, "decoder_input", "(batch, target_time)")
    check_token_ids(decoder_target, "decoder_target", "(batch, target_time)")
    if decoder_input.shape != decoder_target.shape:
        raise ValueError(
            f"decoder_input {decoder_input.shape} and decoder_target {decoder_target.shape} "
            "must have the same shape (batch, target_time)"
        )
    misaligned = np.flatnonzero(((decoder_input == PAD_ID) != (decoder_target == PAD_ID)).any(1))
    if len(misaligned):
        raise ValueError(
            f"rows {misaligned[:5].tolist()} pad decoder_input and decoder_target at different "
            "places; build them with text.encode_pairs (<start> y.. / y.. <end>)"
        )
    return decoder_input, decoder_target


class MaskedTokenAccuracy(keras.metrics.Metric):
    """Share of real target tokens (not padding) whose argmax prediction is right."""

    def __init__(self, pad_id: int = PAD_ID, name: str = "token_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.pad_id = pad_id
        self.correct = self.add_variable(shape=(), initializer="zeros", name="correct")
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.cast(y_true, tf.int64)
        is_real = tf.cast(tf.not_equal(y_true, self.pad_id), self.dtype)
        hits = tf.cast(tf.equal(tf.argmax(y_pred, axis=-1), y_true), self.dtype)
        self.correct.assign_add(tf.reduce_sum(hits * is_real))
        self.total.assign_add(tf.reduce_sum(is_real))

    def result(self):
        return tf.math.divide_no_nan(self.correct, self.total)


def compile_model(model: Seq2Seq, learning_rate: float = 3e-3) -> Seq2Seq:
    """Adam + cross-entropy averaged over real target tokens (``ignore_class`` drops PAD)."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(ignore_class=PAD_ID),
        metrics=[MaskedTokenAccuracy()],
    )
    return model


class LengthBucketedBatches:
    """Training batches of similar source length, each padded only to its own longest row.

    Sorting by length (with random tie-breaks) and cutting the padding off
    each batch saves about half the LSTM steps on a corpus whose lengths vary
    from 2 to 30 tokens; the masks make the result the same as with full
    padding. Batch order and membership are reshuffled every epoch from
    ``seed``, so a run is reproducible. Yields ``((source, decoder_input),
    decoder_target)`` with shapes ``(batch, longest source)`` and ``(batch,
    longest target)``; :meth:`dataset` wraps them for ``model.fit``.
    """

    def __init__(self, source_ids, decoder_input, decoder_target, batch_size: int, seed: int = 0):
        if batch_size < 1:
            raise ValueError(f"batch_size must be a positive number of sentences, got {batch_size}")
        self.source_ids = np.asarray(source_ids)
        self.decoder_input = np.asarray(decoder_input)
        self.decoder_target = np.asarray(decoder_target)
        self.source_lengths = (self.source_ids != PAD_ID).sum(axis=1)
        self.target_lengths = (np.asarray(decoder_target) != PAD_ID).sum(axis=1)
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self._shuffle()

    def _shuffle(self):
        # Random tie-breaks mix sentences of equal length differently each epoch.
        jitter = self.rng.uniform(0.0, 1.0, size=len(self.source_lengths))
        order = np.argsort(self.source_lengths + jitter, kind="stable")
        batches = [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        self.batches = [batches[i] for i in self.rng.permutation(len(batches))]

    def __len__(self) -> int:
        return len(self.batches)

    def __getitem__(self, index: int):
        rows = self.batches[index]
        source_time = self.source_lengths[rows].max()
        target_time = self.target_lengths[rows].max()
        return (
            (
                self.source_ids[rows, :source_time].astype(np.int32),
                self.decoder_input[rows, :target_time].astype(np.int32),
            ),
            self.decoder_target[rows, :target_time].astype(np.int32),
        )

    def on_epoch_end(self):
        self._shuffle()

    def _one_epoch(self):
        for index in range(len(self)):
            yield self[index]
        self.on_epoch_end()

    def dataset(self) -> tf.data.Dataset:
        """A ``tf.data.Dataset`` of one epoch of batches, reshuffled each time it is iterated.

        Its shapes are declared ``(None, None)`` so that Keras traces the
        training step once for every batch length.
        """
        ids = tf.TensorSpec(shape=(None, None), dtype=tf.int32)
        batches = tf.data.Dataset.from_generator(
            self._one_epoch, output_signature=((ids, ids), ids)
        )
        return batches.apply(tf.data.experimental.assert_cardinality(len(self)))


def fit(
    model: Seq2Seq,
    source_ids,
    decoder_input,
    decoder_target,
    epochs: int,
    batch_size: int = 64,
    validation=None,
    label: str = "seq2seq",
    learning_rate: float = 3e-3,
    seed: int = 0,
    callbacks=(),
):
    """Teacher-forced training through ``model.fit`` with a one-line progress display.

    ``source_ids`` ``(batch, source_time)``; ``decoder_input`` and
    ``decoder_target`` ``(batch, target_time)`` as ``text.encode_pairs``
    makes them; ``validation`` an optional ``(source_ids, decoder_input,
    decoder_target)`` triple (an ``EncodedPairs`` works too). Compiles the
    model when it is not compiled yet. Batches group sentences of similar
    length (:class:`LengthBucketedBatches`, shuffled from ``seed``). Extra Keras
    ``callbacks`` (a benchmark's epoch timer) run beside the progress line. Returns
    the Keras ``History``.
    """
    epochs = whole_number(epochs, "epochs", unit="passes over the training pairs")
    source_ids = np.asarray(source_ids)
    check_token_ids(source_ids, "source_ids", "(batch, source_time)")
    decoder_input, decoder_target = check_teacher_forcing(decoder_input, decoder_target)
    if len(source_ids) != len(decoder_input):
        raise ValueError(
            f"{len(source_ids)} source rows but {len(decoder_input)} target rows; "
            "they must pair sentence by sentence"
        )
    if not getattr(model, "compiled", False):
        compile_model(model, learning_rate)
    validation_data = None
    if validation is not None:
        if hasattr(validation, "decoder_input"):
            validation = (validation.source, validation.decoder_input, validation.decoder_target)
        val_source, val_input, val_target = validation
        val_input, val_target = check_teacher_forcing(val_input, val_target)
        validation_data = ((np.asarray(val_source), val_input), val_target)
    batches = LengthBucketedBatches(source_ids, decoder_input, decoder_target, batch_size, seed)
    return model.fit(
        batches.dataset(),
        epochs=epochs,
        shuffle=False,  # the batches reshuffle themselves every epoch
        validation_data=validation_data,
        validation_batch_size=500,
        verbose=0,
        callbacks=[CompactProgress(label), *callbacks],
    )
