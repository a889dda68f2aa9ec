"""Shared code of the seq2seq & attention seminar notebooks.

Importing this package sets TensorFlow's logging and determinism environment
variables first, so ``from helpers import runtime`` before anything else is
all a notebook needs: TensorFlow reads these only when it is first imported.

How the code is laid out: one idea per module, the shared core at the top of ``helpers/``,
a wing for each half of the seminar beside it, and what a learner handles above both.
Imports point one way: teaching -> wings -> core; the forecasting wing never imports the
translation wing (notebooks, benchmarks and tools import any module;
``tests/test_architecture.py`` fails on a cycle, on a wing importing the other, on more than
8 floors, on a model or data module that draws, and on a module missing here).

    runtime                       setup(): seeds, quiet TensorFlow, Hangul font, plot style
    progress                      the one-line training progress display and epoch timer
    shapes                        ShapeChecker and whole_number: named-axis and count checks
    text_files                    reading a learner's file: gzip, UTF-8 or CP949, clear refusals
    lstm                          NumPy LSTM from the gate equations; Keras gates read out (01, 02)
    saved_weights                 a trained model's weights as a compressed .npz (seq2seq, forecast)
    attention                     Luong, Bahdanau and the forecasters' attention, NumPy references
    metrics                       exact match, token accuracy, BLEU and chrF, by length, AER, NMAE
    experiments                   the registry: models' settings, seeds, files, caps (a leaf)
    results                       mean ± std text, result tables, scores by length bucket
    plots                         figures: heatmaps, curves, accuracy by length
    gate_plots                    figures of one LSTM unit: gates over time, one step as bars
    figure_labels                 Korean beside the names a figure shows (bilingual)

    translation.toy_grammar       the English-Korean grammar, lexicon and word roles (corpus)
    translation.corpus            the toy corpus: pairs, gold alignments, length buckets, splits
    translation.parallel_text     the Tatoeba-format loader for a learner's own file
    translation.subwords          SentencePiece pieces learned from a training split
    translation.tokens            the reserved tokens and their ids (a leaf: the models mask PAD)
    translation.text              tokens, vocabularies, padding, encoding, training_data
    translation.real_corpus       a learner's Tatoeba file: split by sentence, words or subwords
    translation.seq2seq           Encoder, Decoder, Seq2Seq, source reversal, saved weights (03-07)
    translation.attention_decoders  the Luong and Bahdanau decoders that plug into Seq2Seq (06, 07)
    translation.transformer       scaled dot-product, multi-head attention, a small Transformer (11)
    translation.models            build or load the model an experiments.Experiment describes
    translation.training          the one teacher-forced fit of every translation model
    translation.decoding          greedy and beam search for every decoder, with attention weights
    translation.translator        the one front door: a sentence -> translation, attention
    translation.attention_study   one sentence's attention, the stepper's steps, runs tables

    forecasting.price_schema      the competition CSV pattern and its validating loader (09, 10)
    forecasting.synthetic_market  the seeded generator of data/prices_synthetic.csv (python -m ...)
    forecasting.windows           price windows, scaling, the baseline forecasts (forecast, trees)
    forecasting.forecast          the three forecasters: build, train, ensemble, evaluate (09)
    forecasting.trees             gradient-boosted trees on window summaries (10, benchmark)
    forecasting.forecast_plots    figures of notebooks 09, 10: history, NMAE and gain bars

    teaching.answers              how a checker reads an answer: verdicts, placeholder, named slips
    teaching.exercises            the checker of every exercise, hints included (notebooks, tests)
    teaching.widgets              ipywidgets explorers, each with a static fallback figure
"""

import ctypes
import os
import platform
import sys


def _keep_freed_memory() -> None:
    """Let glibc's malloc keep freed memory for reuse instead of handing it back at once.

    By default it unmaps large freed blocks and trims the heap, so every training step's
    tensors are page-faulted in afresh: in the real-corpus benchmark on 2 cores, about a
    third of the time went to the kernel. A no-op where malloc is not glibc's.
    """
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    trim_threshold, top_pad, mmap_max = -1, -2, -4  # glibc's M_* option numbers
    mallopt(mmap_max, 0)  # every block from the heap, where freed memory is reused
    mallopt(trim_threshold, 1 << 30)
    mallopt(top_pad, 64 << 20)


_keep_freed_memory()

# TensorFlow reads these once, at its first import; setting them here means any
# helpers import (which every notebook does first) wins the race.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning chatter
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN banner; bit-stable sums
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

__all__ = ["runtime"]
