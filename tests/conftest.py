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


def learner_edits(*paths: pathlib.Path, root: pathlib.Path = PROJECT_ROOT) -> str:
    """A sentence naming which of ``paths`` differ from what is committed, or ''.

    A learner who runs a notebook in JupyterLab saves its outputs; the checks that guard the
    committed notebooks then fail on the learner's run, and must say so instead of sounding
    like a broken install.
    """
    import subprocess

    names = [str(path.relative_to(root)) for path in paths]
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", *names],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    changed = [line[3:] for line in status.stdout.splitlines()] if status.returncode == 0 else []
    if not changed:
        return ""
    listed = " ".join(changed)
    return (
        f"\nNote: {listed} differ from the committed version, most likely because you ran them "
        "in JupyterLab, which saves your outputs. These checks guard the notebooks as "
        f"committed. To keep your run: `git stash` (or copy the files elsewhere); to restore "
        f"the committed notebooks: `git checkout -- {listed}`."
    )
