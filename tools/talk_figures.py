"""The seminar talk's figures, drawn for a 1280 x 720 slide from committed results only.

Each figure is one function ``draw_<name>(label)`` that returns a matplotlib Figure; it is called
once per language, with ``label`` looking words up in presenter/labels.toml (the Korean deck's
figures carry Korean only, the English deck's English only). The data: data/results/*.csv, the
committed .npz weights run forward (the two attention heatmaps), and, where a number lives only
there, a committed notebook output. Nothing is trained here.

Sizes are for a room: a figure is drawn at the pixels it fills on the slide (100 px an inch,
saved at twice that for sharpness), so 16 pt tick labels are 22 px on the 1280 px canvas. A
"below" figure is 1160 px wide (91% of the slide) under at most three lines of text; a "right"
figure is 800 px wide (62%) beside a column of text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import pathlib
import re
import struct
import sys
import tomllib
from collections.abc import Callable

import numpy as np
import pandas as pd

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import notebook_rules  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"
LABELS = ROOT / "presenter" / "labels.toml"
NOTEBOOKS = ROOT / "notebooks"
PX_PER_INCH = 100  # one inch of figure is 100 px of the 1280 px slide
SCALE = 2  # saved at 200 dpi: sharp on a projector, shown at 100 px an inch
SIZES = {"below": (11.6, 3.9), "right": (8.0, 5.4)}
STYLE = {
    "font.size": 16,
    "axes.labelsize": 18,
    "axes.titlesize": 18,
    "xtick.labelsize": 16,
    "ytick.labelsize": 16,
    "legend.fontsize": 16,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,  # NanumGothic has no U+2212
    "figure.dpi": PX_PER_INCH,
    "savefig.dpi": PX_PER_INCH * SCALE,
}
BLUE, ORANGE, GREEN, GREY, RED = "#1f77b4", "#ff7f0e", "#2ca02c", "#7f7f7f", "#d62728"


class Labels:
    """Words of one language from presenter/labels.toml: ``label("exact_match")``."""

    def __init__(self, language: str, path: pathlib.Path = LABELS):
        if language not in ("ko", "en"):
            raise ValueError(f"unknown language {language!r}; expected 'ko' or 'en'")
        with path.open("rb") as handle:
            self.table = tomllib.load(handle)
        self.language = language

    def __call__(self, key: str) -> str:
        if key not in self.table:
            raise KeyError(f"{LABELS.name} has no label {key!r}; add [{key}] with ko and en")
        return self.table[key][self.language]


@dataclasses.dataclass(frozen=True)
class Figure:
    draw: Callable  # (Labels) -> matplotlib Figure
    place: str  # "below" (under the text) or "right" (beside it)
    reads: tuple[str, ...] = ()  # committed files it reads, relative to the project


def use_style() -> None:
    """The room's sizes and NanumGothic (from koreanize-matplotlib) for Hangul."""
    import matplotlib as mpl
    from matplotlib import font_manager

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None:
        raise RuntimeError("koreanize-matplotlib is missing, so Hangul would be boxes")
    fonts = pathlib.Path(spec.submodule_search_locations[0]) / "fonts"
    if "NanumGothic" not in {entry.name for entry in font_manager.fontManager.ttflist}:
        for font_file in sorted(fonts.glob("*.ttf")):
            font_manager.fontManager.addfont(str(font_file))
    mpl.rcParams.update(STYLE)
    mpl.rcParams["font.family"] = ["NanumGothic", "DejaVu Sans"]


def new_figure(place: str, **subplots):
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=SIZES[place], layout="constrained", **subplots)


def percent(value: float, decimals: int = 1) -> str:
    return shown(f"{100 * value:.{decimals}f}%")


# ---------------------------------------------------------------------------
# Data: the committed results, as the figures show them
# ---------------------------------------------------------------------------

BUCKETS = ["2–8", "9–16", "17–24", "25–30"]


def seq2seq_by_length() -> pd.DataFrame:
    """Exact match of Seq2Seq without attention by source length: rows bucket, columns
    (order, seed)."""
    runs = pd.read_csv(RESULTS / "seq2seq_runs.csv")
    runs = runs[runs.bucket.isin(BUCKETS)]
    return runs.pivot_table(index="bucket", columns=["order", "seed"], values="exact_match").loc[
        BUCKETS
    ]


def attention_by_length() -> pd.DataFrame:
    """Mean exact match over seeds by source length: no attention, Luong (dot), Bahdanau,
    Transformer (rows bucket)."""
    seq2seq = seq2seq_by_length()["in order"].mean(axis=1)
    attention = pd.read_csv(RESULTS / "attention_runs.csv")
    attention = attention[attention.bucket.isin(BUCKETS)]
    mean = attention.groupby(["model", "bucket"]).exact_match.mean().unstack(0).loc[BUCKETS]
    transformer = pd.read_csv(RESULTS / "transformer_runs.csv")
    transformer = transformer[transformer.bucket.isin(BUCKETS)]
    return pd.DataFrame(
        {
            "no_attention": seq2seq,
            "luong": mean["Luong (dot)"],
            "bahdanau": mean["Bahdanau"],
            "transformer": transformer.groupby("bucket").exact_match.mean().loc[BUCKETS],
        }
    )


FORECAST_MODELS = {
    "model_1": "Model 1: LSTM",
    "model_2": "Model 2: LSTM + attention",
    "model_3": "Model 3: CNN + BiLSTM + attention",
}


def cabbage_forecasts() -> tuple[pd.DataFrame, float]:
    """배추 on the shipped synthetic file, one week ahead, one network per item: NMAE mean and
    sd over the three seeds of each model (rows model_1..3), and the naive forecast's NMAE."""
    runs = pd.read_csv(RESULTS / "forecast_synthetic.csv")
    runs = runs[(runs["item"] == "배추") & (runs.horizon_days == 7) & (runs.training == "per item")]
    rows = {
        key: runs[runs.model == name].nmae.agg(["mean", "std", "count"])
        for key, name in FORECAST_MODELS.items()
    }
    naive = runs[runs.model == "naive (last price)"].nmae.item()
    return pd.DataFrame(rows).T, naive


def real_item_gains() -> pd.Series:
    """The real file, 21 items, one week ahead, one network for all items (pooled): how much
    lower Model 2's NMAE (mean over seeds) is than the naive forecast's, in percent, per item."""
    runs = pd.read_csv(RESULTS / "forecast_real.csv")
    runs = runs[(runs.horizon_days == 7) & (runs.training == "pooled")]
    model = runs[runs.model == FORECAST_MODELS["model_2"]].groupby("item", sort=False).nmae.mean()
    naive = runs[runs.model == "naive (last price)"].set_index("item").nmae
    return (100 * (1 - model / naive.loc[model.index])).sort_values(ascending=False)


def notebook_output(name: str, cell_id: str) -> str:
    """The text a committed notebook cell printed (for numbers that live only there)."""
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    cell = next((c for c in cells if c.get("id") == cell_id), None)
    if cell is None:
        raise LookupError(f"{name} has no cell {cell_id!r}; the talk's figure reads its output")
    return notebook_rules.printed(cell, html=False)


MANY_TO_MANY = ("02_many_to_one_many_to_many.ipynb", "026a4ccf")
COFFEE = ("05_attention_idea.ipynb", "57d9beaa")


def many_to_many_scores() -> dict[str, tuple[float, float]]:
    """Test-split (exact match, token accuracy): the many-to-many translator (notebook output)
    and Seq2Seq in order, seed 0 (seq2seq_runs.csv)."""
    text = notebook_output(*MANY_TO_MANY)
    found = re.search(r"test sentences:\s+exact match ([\d.]+)%, token accuracy ([\d.]+)%", text)
    if not found:
        raise LookupError(f"{MANY_TO_MANY}: no 'test sentences: exact match ...' line")
    runs = pd.read_csv(RESULTS / "seq2seq_runs.csv")
    seq2seq = runs[(runs.order == "in order") & (runs.seed == 0) & (runs.bucket == "all")]
    return {
        "many_to_many": (float(found.group(1)) / 100, float(found.group(2)) / 100),
        "seq2seq": (seq2seq.exact_match.item(), seq2seq.token_accuracy.item()),
    }


def coffee_table() -> pd.DataFrame:
    """The coffee example's items with their score and softmax weight (notebook output)."""
    rows = []
    for line in notebook_output(*COFFEE).splitlines():
        if not line.strip() or "score" in line:
            continue
        item, score, weight = line.split()
        rows.append((item, float(score), float(weight)))
    return pd.DataFrame(rows, columns=["item", "score", "weight"])


_SHOWN: list[str] = []


def shown(text: str) -> str:
    """Record ``text``, which a figure writes, so the talk may quote its numbers; return it."""
    _SHOWN.append(text)
    return text


def figure_numbers(figures_dir: pathlib.Path, figure: str = "*") -> set[str]:
    """The numbers (decimals and percentages) the figures drawn into ``figures_dir`` write
    (only ``figure``'s, where it names one)."""
    paths = figures_dir.glob(f"**/{figure}.shown.txt")
    texts = [path.read_text(encoding="utf-8") for path in paths]
    return set(re.findall(r"\d+(?:\.\d+)?%|\d+\.\d+", "\n".join(texts)))


# ---------------------------------------------------------------------------
# Figures: one function each, called once per language
# ---------------------------------------------------------------------------


def draw_timeline(label):
    fig, ax = new_figure("below")
    events = [
        (1997, "event_lstm"),
        (2014, "event_seq2seq"),
        (2015, "event_attention"),
        (2017, "event_transformer"),
        (2018, "event_gpt_bert"),
    ]
    positions = np.arange(len(events))  # evenly spaced: 1997 is far from the rest
    ax.axhline(0, color="0.5", linewidth=3, zorder=1)
    ax.scatter(positions, [0] * len(events), s=260, color=BLUE, zorder=2)
    for position, (year, key) in zip(positions, events, strict=True):
        ax.text(position, 0.28, str(year), ha="center", va="bottom", fontsize=24, weight="bold")
        ax.text(position, -0.28, label(key), ha="center", va="top", fontsize=22)
    ax.set_xlim(-0.6, len(events) - 0.4)
    ax.set_ylim(-1.3, 0.9)
    ax.axis("off")
    return fig


def _box(ax, x, y, text, width=1.0, height=0.6, color="#dbe8f5", fontsize=20, edge="0.3"):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=color,
            edgecolor=edge,
            linewidth=1.5,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, color="0.3", width=1.8):
    ax.annotate(
        "", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "color": color, "lw": width}
    )


def draw_lstm_gates(label):
    from matplotlib.patches import Circle

    fig, ax = new_figure("below")
    ax.set_xlim(-0.4, 11.6)
    ax.set_ylim(0, 3.9)
    ax.axis("off")
    # the cell state runs along the top; the gates act on it from below
    ax.plot([0.6, 10.4], [3.2, 3.2], color="0.25", linewidth=3)
    _arrow(ax, (10.0, 3.2), (10.9, 3.2), width=3)
    ax.text(0.55, 3.2, "$c_{t-1}$", ha="right", va="center", fontsize=24)
    ax.text(11.0, 3.2, "$c_t$", ha="left", va="center", fontsize=24)
    gates = [
        (2.4, "gate_forget", "$f_t$", "#f6d5d5", "×"),
        (5.2, "gate_input", "$i_t \\odot \\tilde g_t$", "#d7ecd9", "+"),
        (8.2, "gate_output", "$o_t$", "#fbe7c6", None),
    ]
    for x, key, symbol, color, operation in gates:
        _box(ax, x, 1.4, f"{label(key)}\n{symbol}", width=2.5, height=1.2, color=color)
        if operation:
            ax.add_patch(
                Circle((x, 3.2), 0.28, facecolor="white", edgecolor="0.25", linewidth=2, zorder=3)
            )
            ax.text(x, 3.2, operation, ha="center", va="center", fontsize=24, zorder=4)
            _arrow(ax, (x, 2.0), (x, 2.9))
    _arrow(ax, (8.2, 3.2), (8.2, 2.0))  # the output gate reads the cell state
    _arrow(ax, (9.45, 1.4), (10.6, 1.4))
    ax.text(10.7, 1.4, "$h_t$", ha="left", va="center", fontsize=24)
    ax.text(0.3, 0.35, f"{label('gate_inputs')}: $h_{{t-1}}, x_t$", fontsize=20, va="center")
    return fig


def draw_many_to_one_vs_many(label):
    fig, axes = new_figure("below", ncols=2)
    for ax, key, every_step in [(axes[0], "many_to_one", False), (axes[1], "many_to_many", True)]:
        ax.set_xlim(-0.6, 4.6)
        ax.set_ylim(-0.2, 3.4)
        ax.axis("off")
        for step in range(5):
            _box(ax, step, 1.4, "", width=0.7, height=0.6)
            ax.text(step, 0.25, f"$x_{step + 1}$", ha="center", fontsize=22)
            _arrow(ax, (step, 0.55), (step, 1.1))
            if step < 4:
                _arrow(ax, (step + 0.35, 1.4), (step + 0.65, 1.4))
            if every_step or step == 4:
                _arrow(ax, (step, 1.7), (step, 2.3))
                ax.text(
                    step,
                    2.45,
                    f"$y_{step + 1}$" if every_step else "$y$",
                    ha="center",
                    va="bottom",
                    fontsize=22,
                    color=RED,
                )
        ax.set_title(f"{label(key)}: {label(key + '_uses')}", fontsize=22, pad=4)
    return fig


def lstm_hidden_states(inputs: np.ndarray, units: int = 32, seed: int = 0) -> np.ndarray:
    """Hidden states (steps, units) of a freshly initialised LSTM (Glorot-uniform input
    weights, orthogonal recurrent weights, forget bias 1, as Keras starts one) on ``inputs``."""
    rng = np.random.default_rng(seed)
    limit = np.sqrt(6 / (inputs.shape[1] + 4 * units))
    kernel = rng.uniform(-limit, limit, (inputs.shape[1], 4 * units))
    recurrent, _ = np.linalg.qr(rng.normal(size=(4 * units, units)))
    recurrent = recurrent.T
    bias = np.zeros(4 * units)
    bias[units : 2 * units] = 1.0

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    h, c, states = np.zeros(units), np.zeros(units), []
    for x in inputs:
        z = x @ kernel + h @ recurrent + bias
        i, f = sigmoid(z[:units]), sigmoid(z[units : 2 * units])
        g, o = np.tanh(z[2 * units : 3 * units]), sigmoid(z[3 * units :])
        c = f * c + i * g
        h = o * np.tanh(c)
        states.append(h)
    return np.array(states)


def draw_hidden_states(label):
    fig, ax = new_figure("below")
    inputs = np.random.default_rng(1).uniform(size=(5, 1))  # like tf.random.uniform((1, 5, 1))
    states = lstm_hidden_states(inputs)
    image = ax.imshow(states, cmap="RdBu_r", vmin=-0.3, vmax=0.3, aspect="auto")
    ax.set_yticks(range(5), [f"{label('step')} {t + 1}" for t in range(5)])
    ax.set_xticks([0, 7, 15, 23, 31], ["1", "8", "16", "24", "32"])
    ax.set_xlabel(label("hidden_units"))
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, pad=0.01, fraction=0.03)
    return fig


def draw_word_order(label):
    from helpers.translation import corpus  # the seminar's two pairs, gold alignments

    fig, axes = new_figure("below", ncols=2)
    for ax, pair in zip(axes, corpus.seminar_pairs(), strict=True):
        ax.set_xlim(-0.6, 2.6)
        ax.set_ylim(-0.4, 1.5)
        ax.axis("off")
        for s, word in enumerate(pair.source):
            ax.text(s, 1.15, word, ha="center", va="center", fontsize=26)
        offset = (len(pair.source) - len(pair.target)) / 2
        for t, (word, positions) in enumerate(zip(pair.target, pair.alignment, strict=True)):
            ax.text(t + offset, 0.0, word, ha="center", va="center", fontsize=26, color=BLUE)
            for s in positions:
                crossing = s != t
                ax.plot([s, t + offset], [0.95, 0.2], color=RED if crossing else "0.5", linewidth=3)
    axes[0].set_title(label("problem_length"), fontsize=22)
    axes[1].set_title(label("problem_order"), fontsize=22)
    return fig


def draw_many_to_many_fails(label):
    scores = many_to_many_scores()
    fig, ax = new_figure("right")
    width = 0.36
    x = np.arange(2)
    for offset, key, color in [(-width / 2, "many_to_many", GREY), (width / 2, "seq2seq", BLUE)]:
        values = scores[key]
        bars = ax.bar(x + offset, values, width, color=color, label=label(key))
        ax.bar_label(bars, [percent(v) for v in values], fontsize=18, padding=4)
    ax.set_xticks(x, [label("exact_match"), label("token_accuracy")])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")
    ax.set_title(label("test_sentences"), fontsize=20)
    ax.legend(loc="upper left", frameon=False)
    return fig


def draw_seq2seq_diagram(label):
    fig, ax = new_figure("below")
    ax.set_xlim(-0.5, 11.1)
    ax.set_ylim(-0.3, 3.6)
    ax.axis("off")
    source, target = ["I", "am", "Jaehyun"], ["<sos>", "나는", "재현이야"]
    outputs = ["나는", "재현이야", "<eos>"]
    for step, word in enumerate(source):
        x = 0.6 + 1.5 * step
        _box(ax, x, 1.5, "LSTM", width=1.1, height=0.7)
        ax.text(x, 0.25, word, ha="center", fontsize=22)
        _arrow(ax, (x, 0.55), (x, 1.12))
        if step:
            _arrow(ax, (x - 0.95, 1.5), (x - 0.57, 1.5))
    ax.text(2.1, 3.35, label("encoder"), ha="center", fontsize=22, weight="bold")
    _box(ax, 5.55, 1.5, label("context_vector"), width=1.7, height=0.9, color="#fbe7c6")
    _arrow(ax, (4.15, 1.5), (4.68, 1.5))
    for step, (word, out) in enumerate(zip(target, outputs, strict=True)):
        x = 7.4 + 1.5 * step
        _box(ax, x, 1.5, "LSTM", width=1.1, height=0.7, color="#d7ecd9")
        ax.text(x, 0.25, word, ha="center", fontsize=22)
        _arrow(ax, (x, 0.55), (x, 1.12))
        _arrow(ax, (x, 1.88), (x, 2.45))
        ax.text(x, 2.55, out, ha="center", va="bottom", fontsize=22, color=RED)
        _arrow(ax, (x - 0.95 if step else 6.42, 1.5), (x - 0.57, 1.5))
    ax.text(8.9, 3.35, label("decoder"), ha="center", fontsize=22, weight="bold")
    return fig


def _bucket_axes(ax, label):
    ax.set_xticks(range(len(BUCKETS)), BUCKETS)
    ax.set_xlabel(label("source_length"))
    ax.set_ylabel(label("exact_match"))
    ax.set_ylim(0, 1.08)
    ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}%")


def draw_reversal_seeds(label):
    table = seq2seq_by_length()
    fig, ax = new_figure("below")
    width = 0.38
    for offset, order, key, color in [
        (-0.2, "in order", "in_order", GREY),
        (0.2, "reversed", "reversed", BLUE),
    ]:
        runs = table[order]
        x = np.arange(len(BUCKETS)) + offset
        ax.bar(x, runs.mean(axis=1), width, color=color, alpha=0.85, label=label(key))
        for position, mean, top in zip(x, runs.mean(axis=1), runs.max(axis=1), strict=True):
            ax.text(position, top + 0.03, percent(mean, 0), ha="center", va="bottom", fontsize=16)
        for seed in runs.columns:
            ax.scatter(x, runs[seed], color="black", s=28, zorder=3)
    _bucket_axes(ax, label)
    ax.legend(title=label("seed_runs"), title_fontsize=16, frameon=False, loc="upper right")
    return fig


def draw_bottleneck_by_length(label):
    mean = seq2seq_by_length()["in order"].mean(axis=1)
    fig, ax = new_figure("below")
    ax.plot(range(len(BUCKETS)), mean, marker="o", markersize=12, linewidth=4, color=BLUE)
    for x, value in enumerate(mean):
        ax.annotate(
            percent(value, 0),
            (x, value),
            textcoords="offset points",
            xytext=(0, 14),
            ha="center",
            fontsize=20,
        )
    _bucket_axes(ax, label)
    ax.set_xlim(-0.4, len(BUCKETS) - 0.6)
    return fig


def draw_fixed_vs_dynamic(label):
    fig, axes = new_figure("below", ncols=2)
    for ax, dynamic in zip(axes, [False, True], strict=True):
        ax.set_xlim(-0.5, 4.5)
        ax.set_ylim(-0.2, 3.3)
        ax.axis("off")
        for s in range(4):
            _box(ax, s * 1.3, 0.3, f"$h_{s + 1}$", width=0.8, height=0.5)
        for t in range(3):
            x = 0.6 + t * 1.4
            _box(ax, x, 2.7, f"$s_{t + 1}$", width=0.8, height=0.5, color="#d7ecd9")
            if dynamic:
                ax.text(
                    x,
                    1.55,
                    f"$c_{t + 1}$",
                    ha="center",
                    va="center",
                    fontsize=22,
                    color=RED,
                    bbox={"facecolor": "white", "edgecolor": RED},
                )
                _arrow(ax, (x, 1.8), (x, 2.42), color=RED)
                for s in range(4):
                    weight = 3.2 if s == t + (1 if t else 0) else 0.6
                    ax.plot([s * 1.3, x], [0.58, 1.3], color=RED, linewidth=weight, alpha=0.7)
            else:
                _arrow(ax, (1.95, 1.8), (x, 2.42))
        if not dynamic:
            ax.text(
                1.95,
                1.55,
                "$c$",
                ha="center",
                va="center",
                fontsize=22,
                bbox={"facecolor": "#fbe7c6", "edgecolor": "0.3"},
            )
            _arrow(ax, (3.9, 0.58), (2.1, 1.3))
        ax.set_title(label("dynamic_context" if dynamic else "fixed_context"), fontsize=22)
    return fig


def draw_coffee_weights(label):
    table = coffee_table()
    names = {label.table[key]["ko"]: label(key) for key in label.table if key.startswith("item_")}
    fig, ax = new_figure("right")
    colors = [ORANGE if i == 0 else GREY for i in range(len(table))]
    bars = ax.bar([names[item] for item in table["item"]], table["weight"], color=colors)
    ax.bar_label(bars, [shown(f"{w:.3f}") for w in table["weight"]], fontsize=18, padding=4)
    ax.set_ylabel(label("attention_weight"))
    ax.set_ylim(0, 1.08)
    ax.set_title(label("query_hot_drink"), fontsize=20)
    return fig


def _trained_attention(key: str, pair_index: int):
    """Teacher-forced attention weights of a committed toy-corpus model on one of the
    seminar's two sentences (weights run forward, nothing trained)."""
    from helpers.translation import attention_study, corpus, models, text

    pair = corpus.seminar_pairs()[pair_index]
    vocabularies = text.build_vocabularies(corpus.load_splits()["train"])
    model = models.load(key, *vocabularies)
    return pair, attention_study.sentence_attention(model, pair, *vocabularies)


def _heatmap(label, pair, weights):
    fig, ax = new_figure("right")
    image = ax.imshow(weights, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(pair.source)), pair.source, fontsize=22)
    ax.set_yticks(range(len(pair.target)), pair.target, fontsize=22)
    ax.xaxis.tick_top()
    for (t, s), value in np.ndenumerate(weights):
        ax.text(
            s,
            t,
            shown(f"{value:.2f}"),
            ha="center",
            va="center",
            fontsize=20,
            color="white" if value > 0.6 else "black",
        )
    ax.set_xlabel(label("english_words"))
    ax.xaxis.set_label_position("top")
    ax.set_ylabel(label("korean_words"))
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, label=label("attention_weight"))
    return fig


def draw_luong_heatmap(label):
    return _heatmap(label, *_trained_attention("attention_luong_dot", 0))


def draw_bahdanau_heatmap(label):
    return _heatmap(label, *_trained_attention("attention_bahdanau", 1))


def _length_lines(ax, label, table, lines):
    """Exact match by length, one line per model, the longest bucket's value written."""
    for (key, color, marker), lift in zip(lines, [0, 10, -10], strict=True):
        values = table[key]
        ax.plot(
            range(len(BUCKETS)),
            values,
            marker=marker,
            markersize=12,
            linewidth=4,
            color=color,
            label=label(key),
        )
        ax.annotate(
            percent(values.iloc[-1]),
            (len(BUCKETS) - 1, values.iloc[-1]),
            textcoords="offset points",
            xytext=(16, lift),
            va="center",
            fontsize=18,
            color=color,
        )
    _bucket_axes(ax, label)
    ax.set_xlim(-0.3, len(BUCKETS) - 0.2)


def _exact_match_by_length(label, lines):
    """Exact match by English length, one line per (model key, colour, marker) of ``lines``."""
    fig, ax = new_figure("below")
    _length_lines(ax, label, attention_by_length(), lines)
    ax.legend(frameon=False, loc="lower left")
    return fig


def draw_attention_vs_none(label):
    lines = [("no_attention", GREY, "o"), ("luong", BLUE, "s"), ("bahdanau", ORANGE, "^")]
    return _exact_match_by_length(label, lines)


def draw_cabbage_prices(label):
    prices = pd.read_csv(ROOT / "data" / "prices_synthetic.csv", parse_dates=["date"])
    fig, ax = new_figure("below")
    price = prices["배추_가격(원/kg)"].where(lambda p: p > 0)  # 0 on days without trading
    ax.plot(prices["date"], price, color=GREEN, linewidth=1.6)
    ax.set_ylabel(label("price"))
    ax.set_title(label("cabbage_synthetic"), fontsize=20)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    return fig


def draw_forecast_models(label):
    table, naive = cabbage_forecasts()
    fig, ax = new_figure("right")
    keys = list(FORECAST_MODELS)
    ax.bar(
        [label(k) for k in keys],
        table["mean"],
        yerr=table["std"],
        capsize=10,
        color=[BLUE, ORANGE, GREEN],
        error_kw={"linewidth": 2},
    )
    for x, (mean, sd) in enumerate(zip(table["mean"], table["std"], strict=True)):
        ax.text(
            x,
            mean / 2,
            shown(f"{mean:.4f}\n± {sd:.4f}"),
            ha="center",
            va="center",
            fontsize=18,
            color="white",
            weight="bold",
        )
    ax.axhline(naive, color=RED, linestyle="--", linewidth=3)
    ax.text(
        -0.45,
        naive + 0.004,
        shown(f"{label('naive')} {naive:.4f}"),
        color=RED,
        ha="left",
        va="bottom",
        fontsize=18,
    )
    ax.set_ylabel(label("nmae"))
    ax.set_ylim(0, naive * 1.25)
    return fig


def draw_real_items(label):
    gains = real_item_gains()
    names = {label.table[key]["ko"]: label(key) for key in label.table if key.startswith("crop_")}
    fig, ax = new_figure("right")
    rows = np.arange(len(gains))
    ax.barh(rows, gains, color=[BLUE if g > 0 else RED for g in gains], height=0.7)
    ax.set_yticks(rows, [names[item] for item in gains.index], fontsize=15)
    ax.invert_yaxis()  # the biggest cut on top
    ax.axvline(0, color="0.3", linewidth=1.5)
    for row in [0, 1, 2, len(gains) - 3, len(gains) - 2, len(gains) - 1]:  # the ends, in numbers
        value = gains.iloc[row]
        ax.text(
            value + (1 if value > 0 else -1),
            row,
            shown(f"{value:.1f}%"),
            va="center",
            ha="left" if value > 0 else "right",
            fontsize=16,
        )
    ax.set_xlim(gains.min() - 12, gains.max() + 12)
    ax.set_xlabel(label("gain_over_naive"))
    ax.spines["left"].set_visible(False)
    return fig


def draw_transformer_runs(label):
    lines = [("no_attention", GREY, "o"), ("bahdanau", ORANGE, "^"), ("transformer", GREEN, "D")]
    return _exact_match_by_length(label, lines)


def forecast_day_weights():
    """Model 2's attention over the 28 days before each forecast origin (windows, 28), oldest
    day first: the committed pooled network of seed 0, run on 배추's test windows of the shipped
    synthetic file."""
    from helpers import experiments
    from helpers.forecasting import forecast, price_schema
    from helpers.forecasting.windows import PriceWindows

    market = price_schema.load_prices(price_schema.SYNTHETIC_PATH)
    test = PriceWindows(market, "배추", item_one_hot=True).arrays("test")
    path = experiments.explorer_weights_path("lstm_attention")
    model = forecast.load_forecaster("lstm_attention", test, path)
    return forecast.attention_weights(model, test.inputs)


def draw_attention_over_days(label):
    weights = forecast_day_weights()
    days = weights.shape[1]
    relative = weights * days  # 1 = every day the same weight
    x = np.arange(-days + 1, 1)
    fig, ax = new_figure("below")
    low, high = np.percentile(relative, [10, 90], axis=0)
    ax.fill_between(x, low, high, color=BLUE, alpha=0.2, label=label("middle_80"))
    ax.plot(x, relative.mean(axis=0), color=BLUE, linewidth=4, marker="o", label=label("mean"))
    ax.axhline(1, color=GREY, linestyle="--", linewidth=2.5, label=label("uniform"))
    ax.set_xlabel(label("days_before_origin"))
    ax.set_ylabel(label("weight_vs_uniform"))
    ax.legend(frameon=False, loc="upper left", ncols=3)
    last, first = weights[:, -7:].sum(axis=1).mean(), weights[:, :7].sum(axis=1).mean()
    ax.set_title(
        shown(
            f"{label('last_7_days')} {percent(last, 0)}, {label('first_7_days')} "
            f"{percent(first, 0)} ({label('uniform')} 25%)"
        ),
        fontsize=20,
    )
    return fig


SEQ2SEQ = ("data/results/seq2seq_runs.csv",)
ATTENTION = (*SEQ2SEQ, "data/results/attention_runs.csv", "data/results/transformer_runs.csv")
FIGURES: dict[str, Figure] = {
    "timeline": Figure(draw_timeline, "below"),
    "lstm_gates": Figure(draw_lstm_gates, "below"),
    "many_to_one_vs_many": Figure(draw_many_to_one_vs_many, "below"),
    "hidden_states": Figure(draw_hidden_states, "below"),
    "word_order": Figure(draw_word_order, "below", ("helpers/translation/corpus.py",)),
    "many_to_many_fails": Figure(
        draw_many_to_many_fails, "right", (*SEQ2SEQ, "notebooks/" + MANY_TO_MANY[0])
    ),
    "seq2seq_diagram": Figure(draw_seq2seq_diagram, "below"),
    "reversal_seeds": Figure(draw_reversal_seeds, "below", SEQ2SEQ),
    "bottleneck_by_length": Figure(draw_bottleneck_by_length, "below", SEQ2SEQ),
    "fixed_vs_dynamic": Figure(draw_fixed_vs_dynamic, "below"),
    "coffee_weights": Figure(draw_coffee_weights, "right", ("notebooks/" + COFFEE[0],)),
    "luong_heatmap": Figure(
        draw_luong_heatmap, "right", ("data/results/attention_luong_dot_seed0.npz",)
    ),
    "attention_vs_none": Figure(draw_attention_vs_none, "below", ATTENTION),
    "bahdanau_heatmap": Figure(
        draw_bahdanau_heatmap, "right", ("data/results/attention_bahdanau_seed0.npz",)
    ),
    "cabbage_prices": Figure(draw_cabbage_prices, "below", ("data/prices_synthetic.csv",)),
    "forecast_models": Figure(
        draw_forecast_models, "right", ("data/results/forecast_synthetic.csv",)
    ),
    "real_items": Figure(draw_real_items, "right", ("data/results/forecast_real.csv",)),
    "transformer_runs": Figure(draw_transformer_runs, "below", ATTENTION),
    "attention_over_days": Figure(
        draw_attention_over_days,
        "below",
        ("data/prices_synthetic.csv", "data/results/forecast_pooled_lstm_attention_seed0.npz"),
    ),
}


def _fingerprint(name: str, language: str) -> str:
    """A hash of everything a figure depends on: this file, the labels, the files it reads."""
    digest = hashlib.sha256(f"{name} {language}".encode())
    for path in [pathlib.Path(__file__), LABELS, *(ROOT / p for p in FIGURES[name].reads)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def draw(names, language: str, out_dir: pathlib.Path) -> dict[str, pathlib.Path]:
    """Draw the figures ``names`` in ``language`` into ``out_dir`` (PNG); a figure whose
    inputs have not changed since it was drawn is kept. Returns {name: path}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    label = Labels(language)
    paths = {}
    for name in names:
        if name not in FIGURES:
            raise KeyError(f"unknown figure {name!r}; talk_figures.FIGURES has {sorted(FIGURES)}")
        path = out_dir / f"{name}.png"
        stamp = out_dir / f"{name}.stamp"
        fingerprint = _fingerprint(name, language)
        if not (path.is_file() and stamp.is_file() and stamp.read_text() == fingerprint):
            use_style()
            _SHOWN.clear()
            fig = FIGURES[name].draw(label)
            fig.savefig(path)
            plt.close(fig)
            (out_dir / f"{name}.shown.txt").write_text("\n".join(_SHOWN), encoding="utf-8")
            stamp.write_text(fingerprint)
        paths[name] = path
    return paths


def pixel_size(path: pathlib.Path) -> tuple[int, int]:
    """The (width, height) in slide pixels at which the PNG ``path`` is shown."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width // SCALE, height // SCALE


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="figures to draw (default: all)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "build" / "talk_figures")
    args = parser.parse_args(argv)
    for language in ("ko", "en"):
        for name, path in draw(args.names or FIGURES, language, args.out / language).items():
            print(f"{language} {name}: {path} {pixel_size(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
