"""CompactProgress reports the final epoch on one line and checks its argument."""

from __future__ import annotations

import time

import keras
import numpy as np
import pytest

from helpers import runtime
from helpers.progress import CompactProgress


def test_compact_progress_prints_one_final_line(capsys):
    runtime.setup(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((8, 3), dtype="float32")
    progress = CompactProgress("toy", every=2)
    model.fit(x, x[:, :1], epochs=3, verbose=0, callbacks=[progress])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("toy") and "epoch 3/3" in lines[0] and "loss" in lines[0]


def test_compact_progress_rejects_a_bad_interval():
    with pytest.raises(ValueError, match="positive number of epochs"):
        CompactProgress(every=0)


def test_epoch_timer_records_every_epoch():
    from helpers.progress import EpochTimer

    runtime.setup(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    timer = EpochTimer()
    with pytest.raises(ValueError, match="no epoch has finished"):
        timer.median_seconds()
    x = np.ones((8, 3), dtype="float32")
    model.fit(x, x[:, :1], epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
    later = sorted(timer.seconds[1:])  # the first epoch also traces the graph
    assert timer.median_seconds() == pytest.approx((later[0] + later[1]) / 2)


def test_the_longest_progress_line_fits_a_slide():
    from helpers.forecasting import forecast
    from helpers.progress import SLIDE_LINE_CHARS

    label = max(forecast.MODEL_NAMES.values(), key=len) + " (seed 0)"
    progress = CompactProgress(label)
    progress._epochs, progress._start = 60, time.perf_counter() - 12.3
    line = progress._render(60, {"loss": 0.123456, "val_loss": 0.987654})
    assert len(line) < SLIDE_LINE_CHARS - 2, line  # room for the seconds to grow
