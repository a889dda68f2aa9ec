"""Shared test setup: offline guard, project paths, the real data file when present."""

from __future__ import annotations

import os
import pathlib

import pytest

# Inherited by the nbval kernels: runtime.setup() in each notebook then blocks
# the network too, so a download in a notebook fails the run.
os.environ["SEMINAR_BLOCK_NETWORK"] = "1"

from helpers import runtime  # noqa: E402

runtime.block_network()

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
REAL_PRICE_FILE = PROJECT_ROOT.parent / "shared" / "data" / "train.csv"
REAL_TATOEBA_FILE = PROJECT_ROOT.parent / "shared" / "data" / "tatoeba_kor_eng" / "kor.txt"


@pytest.fixture(scope="session")
def project_root() -> pathlib.Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def real_price_file() -> pathlib.Path:
    """The real competition file beside the project; skips where it is absent."""
    if not REAL_PRICE_FILE.is_file():
        pytest.skip(f"real competition file not found at {REAL_PRICE_FILE}")
    return REAL_PRICE_FILE


@pytest.fixture(scope="session")
def real_tatoeba_file() -> pathlib.Path:
    """Tatoeba's Korean-English file beside the project; skips where it is absent."""
    if not REAL_TATOEBA_FILE.is_file():
        pytest.skip(f"Tatoeba file not found at {REAL_TATOEBA_FILE}")
    return REAL_TATOEBA_FILE


# A Seq2Seq small enough to build in milliseconds, for the model, decoding and training tests;
# a test file that needs another model defines its own `model` fixture.
SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, SMALL_UNITS = 13, 11, 8


@pytest.fixture
def model():
    import numpy as np

    from helpers.translation import seq2seq

    runtime.seed_everything(0)
    model = seq2seq.Seq2Seq(
        SMALL_SOURCE_VOCAB, SMALL_TARGET_VOCAB, embedding_dim=6, units=SMALL_UNITS
    )
    model((np.ones((1, 3), "int32"), np.ones((1, 2), "int32")))  # build the weights
    return model


@pytest.fixture
def close_figures():
    """The notebooks' plot style (Hangul font included) for a test; its figures closed after."""
    import matplotlib.pyplot as plt

    runtime.apply_plot_style()
    yield
    plt.close("all")
