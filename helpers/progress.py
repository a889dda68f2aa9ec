"""A one-line training progress display for notebooks (instead of a wall of epoch logs).

In a notebook the line updates in place, so the committed output keeps only
the final state; in a plain script it prints one line when training ends.
"""

from __future__ import annotations

import time

import keras

BAR_WIDTH = 12
# A slide (1280 px wide) shows about 120 monospace characters of output before it wraps;
# Model 3's line, the longest, must stay on one line there.
SLIDE_LINE_CHARS = 120


def _format_logs(logs: dict) -> str:
    return "  ".join(f"{name} {value:.4g}" for name, value in sorted(logs.items()))


class CompactProgress(keras.callbacks.Callback):
    """Keras callback: ``label  ━━━━━━────  epoch 3/10  loss 0.41  val_loss 0.52  (4.1 s)``.

    Pass it in ``callbacks=[...]`` with ``verbose=0`` in ``model.fit``.
    """

    def __init__(self, label: str = "training", every: int = 1):
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be a positive number of epochs, got {every}")
        self.label = label
        self.every = every
        self._handle = None
        self._start = 0.0
        self._epochs = 0
        self.last_line = ""

    def _render(self, epoch: int, logs: dict) -> str:
        done = round(BAR_WIDTH * epoch / max(self._epochs, 1))
        bar = "━" * done + "─" * (BAR_WIDTH - done)
        seconds = time.perf_counter() - self._start
        metrics = _format_logs(logs)
        return f"{self.label}  {bar}  epoch {epoch}/{self._epochs}  {metrics}  ({seconds:.1f} s)"

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()
        self._epochs = self.params.get("epochs", 0) if self.params else 0
        self._handle = _display_handle(f"{self.label}  starting…")

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every and epoch + 1 != self._epochs:
            return
        self.last_line = self._render(epoch + 1, logs or {})
        if self._handle is not None:
            self._handle.update(_Text(self.last_line))

    def on_train_end(self, logs=None):
        if self._handle is None and self.last_line:
            print(self.last_line)


class _Text:
    """Plain text for IPython's display machinery (no quotes, unlike a str's repr)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _display_handle(text: str):
    """An updatable IPython display when running in a kernel, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython always ships with the lab extra
        return None
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return None
    return display(_Text(text), display_id=True)


class EpochTimer(keras.callbacks.Callback):
    """Keras callback that records the wall seconds of every epoch in ``seconds``.

    ``median_seconds()`` skips the first epoch when there are more, since it also
    traces the model's graph; benchmarks report that as seconds per epoch.
    """

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []
        self._start = 0.0

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)

    def median_seconds(self) -> float:
        if not self.seconds:
            raise ValueError("no epoch has finished yet; call model.fit with this callback first")
        import statistics

        return float(statistics.median(self.seconds[1:] or self.seconds))
