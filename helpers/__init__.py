"""Shared code of the seq2seq & attention seminar notebooks.

Importing this package sets TensorFlow's logging and determinism environment
variables first, so ``from helpers import runtime`` before anything else is
all a notebook needs: TensorFlow reads these only when it is first imported.

How the code is laid out: one idea per module, imports pointing down this list
(notebooks, benchmarks and tools import any of them; ``tests/test_architecture.py``
fails on a cycle, on a model or data module that draws, and on a module missing here).

    runtime            setup(): seeds, quiet TensorFlow, Hangul font, plot style (every notebook)
    progress           the one-line training progress display and epoch timer (training, forecast)
    shapes             ShapeChecker, the one named-axis tensor check (every tensor-checking module)
    text_files         reading a learner's file: gzip, UTF-8 or CP949, clear refusals (loaders)
    lstm               NumPy LSTM from the gate equations; Keras gates read out (notebooks 01, 02)
    toy_grammar        the English-Korean grammar, lexicon and word roles (corpus)
    corpus             the toy corpus: pairs, gold alignments, length buckets, splits, its file
    parallel_text      the Tatoeba-format loader for a learner's own file (corpus, notebooks)
    subwords           SentencePiece pieces learned from a training split (real_corpus)
    text               tokens, vocabularies, padding, encoding, training_data (translation models)
    real_corpus        a learner's Tatoeba file: split by sentence, words or subwords, encoded
    saved_weights      a trained model's weights as a compressed .npz (seq2seq, forecast)
    seq2seq            Encoder, Decoder, Seq2Seq, source reversal, saved weights (notebooks 03-07)
    attention          Luong, Bahdanau and the forecasters' attention, each with its NumPy reference
    attention_decoders the Luong and Bahdanau decoders that plug into Seq2Seq (notebooks 06, 07)
    transformer        scaled dot-product, multi-head attention, a small Transformer (notebook 11)
    training           the one teacher-forced fit of every translation model (notebooks, benchmarks)
    decoding           greedy and beam search for every decoder, with attention weights (03-10)
    translator         a typed sentence -> translation, attention, beam hypotheses, unknown words
    metrics            exact match, token accuracy, BLEU and chrF, scores by length, AER, NMAE
    experiments        each trained model: settings, seeds, weights and results files; RESULTS_DIR
    attention_study    one sentence's attention, the stepper's steps, runs tables (notebooks 06, 07)
    exercises          the checker of every exercise, hints included (notebooks 00-07, 10; tests)
    price_schema       the competition CSV pattern and its validating loader (notebooks 09, 10)
    synthetic_market   the seeded generator of data/prices_synthetic.csv (python -m ...)
    windows            price windows, scaling, the baseline forecasts (forecast, trees)
    forecast           the three forecasters: build, train, ensemble, evaluate (notebook 09)
    trees              gradient-boosted trees on window summaries (notebook 10, benchmark)
    results            mean ± std text and the result tables of notebooks and README (a leaf)
    plots              figures: gates, heatmaps, curves, accuracy by length (notebooks, widgets)
    forecast_plots     figures of notebooks 09, 10: history, NMAE and gain bars, forecasts
    widgets            ipywidgets explorers, each with a static fallback figure (notebooks)
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
