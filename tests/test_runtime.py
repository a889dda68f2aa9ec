"""runtime.setup(): reproducible seeds, a clear seed error, Hangul that renders."""

from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import warnings

import numpy as np
import pytest

from helpers import runtime


def _tiny_training_losses(seed: int) -> list[float]:
    import keras

    runtime.setup(seed)
    x = np.random.normal(size=(64, 6, 3)).astype("float32")  # noqa: NPY002
    y = np.random.normal(size=(64, 1)).astype("float32")  # noqa: NPY002
    model = keras.Sequential([keras.Input((6, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    return history.history["loss"]


def test_setup_makes_training_reproducible():
    first = _tiny_training_losses(7)
    second = _tiny_training_losses(7)
    assert first == second


def test_a_different_seed_gives_different_training():
    assert _tiny_training_losses(7) != _tiny_training_losses(8)


@pytest.mark.parametrize("bad_seed", ["42", 4.2, None, True])
def test_setup_rejects_a_non_integer_seed(bad_seed):
    with pytest.raises(ValueError, match="must be a whole number of at least 0"):
        runtime.setup(bad_seed)


def test_setup_rejects_a_negative_seed():
    with pytest.raises(ValueError, match="at least 0"):
        runtime.setup(-1)
    with pytest.raises(ValueError, match="0 <= seed < 2"):
        runtime.setup(2**32)


def test_summary_names_versions_and_device():
    summary = runtime.setup(3)
    assert "TensorFlow" in summary and "Keras" in summary and "seed 3" in summary


def test_tensorflow_chatter_is_silenced_before_import():
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"


def test_korean_title_renders_without_missing_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runtime.setup()
    fig, ax = plt.subplots()
    ax.set_title("배추 가격 예측: 난 널 사랑해")
    ax.set_xlabel("날짜")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" is a UserWarning
        fig.canvas.draw()
    plt.close(fig)


def test_network_is_blocked_in_tests():
    with pytest.raises(ConnectionRefusedError, match="offline"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


# Allocates and frees a 64 MB array ten times; prints the page faults that cost.
_ALLOCATE_AND_FREE = """
import resource, sys
if sys.argv[1] == "helpers":
    import helpers
import numpy as np
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    block = np.ones(8 << 20)
    del block
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="tunes glibc's malloc only")
def test_importing_helpers_keeps_freed_memory_for_reuse():
    def page_faults(first_import: str) -> int:
        command = [sys.executable, "-c", _ALLOCATE_AND_FREE, first_import]
        return int(subprocess.run(command, capture_output=True, text=True, check=True).stdout)

    # glibc's default hands each freed block back, so all ten allocations fault it in again;
    # after importing helpers only the first one does
    assert 4 * page_faults("helpers") < page_faults("numpy only")


def test_minimum_versions_come_from_pyproject(tmp_path):
    assert set(runtime.minimum_versions()) == {"python", "tensorflow", "keras"}
    fake = tmp_path / "pyproject.toml"
    fake.write_text(
        '[project]\nrequires-python = ">=3.12"\n'
        'dependencies = ["tensorflow-cpu>=2.18; sys_platform == \'linux\'", "keras>=3.5"]\n',
        encoding="utf-8",
    )
    assert runtime.minimum_versions(fake) == {
        "python": (3, 12),
        "tensorflow": (2, 18),
        "keras": (3, 5),
    }


def test_environment_report_checks_both_shipped_data_files():
    rows = {row["check"]: row for row in runtime.environment_report()}
    assert rows["data/toy_en_ko.tsv.gz"]["ok"] and rows["data/prices_synthetic.csv"]["ok"]
    assert [row["ok"] for check, row in rows.items() if check.startswith("python >= ")] == [True]
