"""One call that makes a notebook reproducible, quiet and Hangul-capable."""

from __future__ import annotations

import logging
import os
import platform
import random
import sys
import warnings

import helpers  # noqa: F401  (sets TensorFlow's environment before its import)
from helpers.shapes import whole_number

_QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

KOREAN_FONT = "NanumGothic"

PLOT_STYLE = {
    "figure.figsize": (8.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "font.size": 13,
    "axes.titlesize": 15,
    "axes.labelsize": 13,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "axes.unicode_minus": False,  # NanumGothic has no U+2212 minus glyph
}


def _check_seed(seed) -> int:
    seed = whole_number(seed, "setup(seed=...)", at_least=0, unit="such as 42")
    if seed >= 2**32:
        raise ValueError(f"setup(seed=...) expects 0 <= seed < 2**32, got {seed}.")
    return seed


def _warn_if_tensorflow_was_first() -> None:
    if "tensorflow" in sys.modules and any(os.environ.get(k) != v for k, v in _QUIET_ENV.items()):
        warnings.warn(
            "TensorFlow was imported before helpers, so its log settings could not be "
            "applied; restart the kernel and run `from helpers import runtime` first.",
            stacklevel=3,
        )


def use_korean_font() -> str:
    """Register the NanumGothic files shipped by koreanize-matplotlib and make it the default.

    The package's own import hook uses deprecated distutils code, so the font
    files are registered directly instead.
    """
    import importlib.util
    import pathlib

    import matplotlib as mpl
    from matplotlib import font_manager

    # find_spec locates the package without importing (and so running) it.
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "koreanize-matplotlib is missing, so Korean text would render as boxes; "
            "run `pip install -e .` (or `make lab`) to install it."
        )
    font_dir = pathlib.Path(spec.submodule_search_locations[0]) / "fonts"
    registered = {entry.name for entry in font_manager.fontManager.ttflist}
    if KOREAN_FONT not in registered:
        for font_file in sorted(font_dir.iterdir()):
            if font_file.name.endswith(".ttf"):
                font_manager.fontManager.addfont(str(font_file))
    mpl.rcParams["font.family"] = [KOREAN_FONT, "DejaVu Sans"]
    return KOREAN_FONT


def apply_plot_style() -> None:
    """The one plot style of the series: large fonts readable from the back of a room."""
    import matplotlib as mpl

    mpl.rcParams.update(PLOT_STYLE)
    use_korean_font()


def seed_everything(seed: int = 42) -> int:
    """Seed Python, NumPy and TensorFlow/Keras and make TensorFlow ops deterministic."""
    seed = _check_seed(seed)
    import numpy as np
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002  (learners call the legacy global API)
    tf.keras.utils.set_random_seed(seed)
    try:
        tf.config.experimental.enable_op_determinism()
    except AttributeError:  # pragma: no cover - TensorFlow older than 2.9
        pass
    return seed


def device_summary() -> str:
    """One line: Python, TensorFlow and Keras versions and the devices TensorFlow sees."""
    import keras
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    device = f"{len(gpus)} GPU" if gpus else f"CPU ({os.cpu_count()} cores)"
    return (
        f"Python {platform.python_version()} | TensorFlow {tf.__version__} | "
        f"Keras {keras.__version__} | {device}"
    )


class Summary(str):
    """A string that a notebook shows as plain text (no quotes) when it is a cell's value."""

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def setup(seed: int = 42) -> Summary:
    """Prepare a notebook: seeds, determinism, quiet logs, Hangul font, plot style.

    Returns a one-line summary of versions and devices, which a notebook shows
    when ``runtime.setup()`` is the last line of its cell.
    """
    seed = _check_seed(seed)
    _warn_if_tensorflow_was_first()
    if os.environ.get("SEMINAR_BLOCK_NETWORK") == "1":
        block_network()
    for name in ("tensorflow", "absl", "h5py"):
        logging.getLogger(name).setLevel(logging.ERROR)
    seed_everything(seed)
    apply_plot_style()
    return Summary(f"{device_summary()} | seed {seed}")


def _is_loopback(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (
        host in ("localhost", "::1") or host.startswith("127.") or host.startswith("/")
    )


def block_network() -> None:
    """Refuse every outgoing connection that is not to this machine.

    The series promises to run offline; tests and the nbval run call this (the
    latter through ``SEMINAR_BLOCK_NETWORK=1``) so a hidden download fails loudly.
    """
    import socket

    if getattr(socket.socket.connect, "_seminar_guard", False):
        return
    original_connect = socket.socket.connect

    def guarded_connect(sock, address):
        if sock.family != getattr(socket, "AF_UNIX", None) and not _is_loopback(address):
            raise ConnectionRefusedError(
                f"network access to {address!r} is blocked: the seminar notebooks must run "
                "offline (ship the data in data/ instead of downloading it)."
            )
        return original_connect(sock, address)

    guarded_connect._seminar_guard = True
    socket.socket.connect = guarded_connect


# Files the notebooks read, and the helpers module that generates each.
SHIPPED_DATA = {
    "toy_en_ko.tsv.gz": "helpers.translation.corpus",
    "prices_synthetic.csv": "helpers.forecasting.synthetic_market",
}


def minimum_versions(pyproject=None) -> dict[str, tuple[int, ...]]:
    """The oldest Python, TensorFlow and Keras the series runs on, read from the one list of
    them: pyproject.toml's ``requires-python`` and ``dependencies``."""
    import re
    import tomllib

    from helpers.experiments import PROJECT_ROOT

    path = PROJECT_ROOT / "pyproject.toml" if pyproject is None else pyproject
    with open(path, "rb") as handle:
        project = tomllib.load(handle)["project"]
    found = {"python": project["requires-python"]}
    for requirement in project["dependencies"]:
        name = re.match(r"[\w-]+", requirement).group()
        for wanted in ("tensorflow", "keras"):
            if name in (wanted, f"{wanted}-cpu"):
                found.setdefault(wanted, requirement)
    return {
        name: _version_tuple(re.search(r">=\s*([\d.]+)", spec).group(1))
        for name, spec in found.items()
    }


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def environment_report() -> list[dict]:
    """Checks a learner's setup: versions, Hangul font, widgets, the shipped data.

    Returns one dict per check with keys ``check``, ``ok`` and ``detail``.
    """

    import keras
    import matplotlib as mpl
    import tensorflow as tf
    from matplotlib import font_manager

    found = {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    rows = []
    for name, minimum in minimum_versions().items():
        ok = _version_tuple(found[name]) >= minimum
        wanted = ".".join(map(str, minimum))
        rows.append({"check": f"{name} >= {wanted}", "ok": ok, "detail": found[name]})
    fonts = {entry.name for entry in font_manager.fontManager.ttflist}
    rows.append(
        {
            "check": "Hangul font for plots",
            "ok": KOREAN_FONT in fonts and KOREAN_FONT in mpl.rcParams["font.family"],
            "detail": KOREAN_FONT if KOREAN_FONT in fonts else "missing: run runtime.setup()",
        }
    )
    try:
        import ipywidgets

        rows.append({"check": "ipywidgets", "ok": True, "detail": ipywidgets.__version__})
    except ImportError:
        rows.append({"check": "ipywidgets", "ok": False, "detail": "pip install -e ."})
    from helpers.experiments import PROJECT_ROOT

    for file_name, generator in SHIPPED_DATA.items():
        present = (PROJECT_ROOT / "data" / file_name).is_file()
        detail = "present" if present else f"missing: regenerate it with python -m {generator}"
        rows.append({"check": f"data/{file_name}", "ok": present, "detail": detail})
    return rows
