"""Shared code of the seq2seq & attention seminar notebooks.

Importing this package sets TensorFlow's logging and determinism environment
variables first, so ``from helpers import runtime`` before anything else is
all a notebook needs: TensorFlow reads these only when it is first imported.
"""

import os

# TensorFlow reads these once, at its first import; setting them here means any
# helpers import (which every notebook does first) wins the race.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning chatter
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN banner; bit-stable sums
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

__all__ = ["runtime"]
