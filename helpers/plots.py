"""Figures of the series: attention heatmaps, learning curves, accuracy by length.

Every function takes plain arrays, draws on a new or given Axes, labels both
axes and returns the Figure, so notebooks stay one line per figure. Call
``runtime.setup()`` first: it registers the Hangul font and the plot style.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np

from helpers.figure_labels import bilingual


def two_decimals(value: float) -> str:
    """``value`` to two decimals, with no "-0.00" for a small negative number."""
    shown = f"{value:.2f}"
    return "0.00" if shown == "-0.00" else shown


def new_axes(ax=None, figsize=None):
    """Return (fig, ax): the given Axes and its figure, or a fresh pair."""
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def learning_curves(histories: dict, metric: str = "loss", ax=None):
    """Plot ``metric`` per epoch for several runs: ``{label: keras History or dict}``."""
    fig, ax = new_axes(ax)
    for label, history in histories.items():
        values = getattr(history, "history", history)
        if metric not in values:
            raise KeyError(f"history {label!r} has no {metric!r}; it has {sorted(values)}")
        epochs = np.arange(1, len(values[metric]) + 1)
        ax.plot(epochs, values[metric], marker="o", label=bilingual(label))
    ax.set_xlabel("epoch (에포크)")
    ax.set_ylabel(metric)
    ax.legend()
    return fig


def timeline(events: list[tuple[int, str]], ax=None):
    """A horizontal timeline of ``(year, label)`` events, labels alternating above and below."""
    if not events:
        raise ValueError("timeline needs at least one (year, label) event")
    fig, ax = new_axes(ax, figsize=(11, 3.2))
    years = [year for year, _ in events]
    ax.axhline(0, color="0.4", linewidth=2, zorder=1)
    ax.scatter(years, [0] * len(years), s=90, color="tab:blue", zorder=2)
    for index, (year, label) in enumerate(events):
        offset = 1 if index % 2 == 0 else -1
        ax.annotate(
            f"{year}\n{label}",
            xy=(year, 0),
            xytext=(0, 38 * offset),
            textcoords="offset points",
            ha="center",
            va="bottom" if offset > 0 else "top",
            fontsize=12,
            arrowprops={"arrowstyle": "-", "color": "0.6"},
        )
    ax.set_xlim(min(years) - 0.8, max(years) + 0.8)
    ax.set_ylim(-1, 1)
    ax.set_yticks([])
    ax.set_xlabel("year (연도)")
    ax.grid(False)
    ax.spines["left"].set_visible(False)
    return fig


def _gold_matrix(gold, shape) -> np.ndarray:
    """Gold alignment as a (T, S) 0/1 array, from a matrix or one tuple of positions per row."""
    if isinstance(gold, np.ndarray) and gold.ndim == 2:
        matrix = gold
    else:
        matrix = np.zeros(shape)
        for t, positions in enumerate(gold):
            matrix[t, list(positions)] = 1.0
    if matrix.shape != shape:
        raise ValueError(f"gold alignment has shape {matrix.shape}, the weights {shape}")
    return matrix


def attention_heatmap(
    weights,
    source_tokens,
    target_tokens,
    gold=None,
    ax=None,
    title=None,
    source_label="English source (영어 입력)",
    target_label="Korean output (한국어 출력)",
):
    """Attention weights as a heatmap: one row per output token, one column per source token.

    ``weights`` (T, S): row t holds the weights the decoder gave the S source tokens
    while producing ``target_tokens[t]`` (the Korean words, y axis, top to bottom);
    ``source_tokens`` (S) label the x axis. Crop padding first (``weights[:T, :S]``).
    ``gold``: optional gold alignment, a (T, S) 0/1 array or one tuple of source
    positions per target token; its cells get an outline so you can judge the
    learned weights against it. The colour scale is fixed to 0..1 so heatmaps of
    different models compare directly. Returns the Figure.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2:
        raise ValueError(f"weights must be a (T, S) matrix, got shape {weights.shape}")
    rows, columns = len(target_tokens), len(source_tokens)
    if weights.shape != (rows, columns):
        raise ValueError(
            f"weights have shape {weights.shape} but there are {rows} target tokens and "
            f"{columns} source tokens; pass weights[:{rows}, :{columns}] to drop padding"
        )
    # Tick labels stay readable from the back of a room: at least 13 pt, the figure grows instead.
    fontsize = 14 if max(rows, columns) <= 12 else 13
    figsize = (min(15.0, max(5.0, 0.45 * columns + 3.0)), min(10.0, max(3.0, 0.42 * rows + 1.8)))
    fig, ax = new_axes(ax, figsize=figsize)
    image = ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
    if gold is not None:
        gold_rows, gold_columns = np.nonzero(_gold_matrix(gold, weights.shape))
        for t, s in zip(gold_rows, gold_columns, strict=True):
            ax.add_patch(
                plt.Rectangle((s - 0.5, t - 0.5), 1, 1, fill=False, edgecolor="#d95f02", lw=2)
            )
    ax.set_xticks(np.arange(columns), labels=list(source_tokens), fontsize=fontsize)
    ax.set_yticks(np.arange(rows), labels=list(target_tokens), fontsize=fontsize)
    if columns > 6:  # long sentences: slanted English words do not overlap
        plt.setp(ax.get_xticklabels(), rotation=55, ha="right", rotation_mode="anchor")
    ax.set_xlabel(source_label)
    # Upright, above the Korean tick labels: a rotated label beside them collides with the
    # widest Hangul word.
    ax.set_ylabel(target_label, rotation=0, ha="right", va="bottom")
    ax.yaxis.set_label_coords(-0.01, 1.01)
    ax.grid(False)
    if title:
        # From the left edge: a centred title wider than the axes runs into the Korean label.
        # The Korean on a line of its own: one wider line runs into the next panel's y label.
        title += "\n(outlined: gold alignment)\n(테두리: 정답 정렬)" if gold is not None else ""
        ax.set_title(title, pad=12, loc="left")
    colorbar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.03)
    colorbar.set_label("attention weight (어텐션 가중치)")
    return fig


def translation_figure(weights, source_tokens, target_tokens, caption: str, title=None):
    """An attention heatmap with ``caption`` (lines of text) in its own area below it.

    The caption goes under everything the heatmap draws, as measured by the figure's
    renderer after layout (slanted tick labels, axis label, colour bar), so however long
    the sentence, it never lies over them; ``bbox_inches="tight"`` keeps it in the picture.
    English tick labels that would touch each other are slanted. ``weights`` None (a model
    without attention) or no target tokens: the title and the caption alone. Returns the
    Figure; ``fig.caption`` is the caption's Text.
    """
    if weights is not None and len(target_tokens) > 0:
        fig = attention_heatmap(weights, source_tokens, target_tokens, title=title)
        _slant_crowded_labels(fig, fig.axes[0])
    else:
        fig, ax = plt.subplots(figsize=(8, 0.6))
        ax.axis("off")
        ax.text(0, 1, title or "", va="top", ha="left", fontsize=13, transform=ax.transAxes)
    fig.canvas.draw()
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches
    width, height = fig.get_size_inches()
    fig.caption = fig.text(
        drawn.x0 / width, (drawn.y0 - 0.15) / height, caption, va="top", ha="left", fontsize=12
    )
    return fig


def _slant_crowded_labels(fig, ax):
    """Slant the x tick labels (55°) when two neighbours touch, as measured once drawn."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [label.get_window_extent(renderer) for label in ax.get_xticklabels()]
    if any(left.x1 + 2 > right.x0 for left, right in itertools.pairwise(boxes)):
        plt.setp(ax.get_xticklabels(), rotation=55, ha="right", rotation_mode="anchor")


def accuracy_bars(
    accuracies: dict,
    counts: dict | None = None,
    ylabel: str = "token accuracy",
    title: str = "",
    ax=None,
    xlabel: str = "group",
):
    """Bars of accuracies in [0, 1] by group: ``{group label: accuracy}``.

    ``counts`` (optional, same keys) are written under the labels as "n = …".
    Returns the Figure.
    """
    fig, ax = new_axes(ax, figsize=(8, 4.5))
    labels = list(accuracies)
    values = [float(accuracies[label]) for label in labels]
    if any(not 0 <= value <= 1 for value in values):
        raise ValueError(f"accuracies must lie in [0, 1], got {accuracies}")
    ticks = [bilingual(label) for label in labels]
    if counts is not None:
        ticks = [f"{tick}\n(n = {counts[k]:,})" for tick, k in zip(ticks, labels, strict=True)]
    bars = ax.bar(ticks, values, color="#4c72b0")
    for bar, value in zip(bars, values, strict=True):
        ax.annotate(
            f"{value:.0%}",
            (bar.get_x() + bar.get_width() / 2, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=13,
        )
    ax.set_ylim(0, 1.1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:.0%}"))
    if title:
        ax.set_title(title)
    return fig


def accuracy_by_length(
    bucket_labels,
    scores: dict,
    errors: dict | None = None,
    ylabel: str = "exact match (완전 일치)",
    title: str = "",
    ax=None,
    fraction: bool = True,
    floor=None,
    xlabel: str = "source length, English tokens (원문 길이)",
):
    """One line per model of a score by source-length bucket.

    ``bucket_labels``: k labels ("2–8", ...); ``scores``: ``{model label: k
    values}``; ``errors`` (optional, same keys): k spreads drawn as error bars
    (e.g. the standard deviation over seeds). Series are shifted slightly apart
    along x, each with its own marker, so coinciding lines stay visible.
    ``fraction=True``: scores in [0, 1] shown as percent; ``False``: unbounded scores
    (chrF, BLEU: 0-100), the y axis from 0. ``floor`` (optional): k values drawn dashed,
    what a translation that ignores its source scores. Returns the Figure.
    """
    fig, ax = new_axes(ax, figsize=(8, 4.5))
    labels = list(bucket_labels)
    positions = np.arange(len(labels))
    # Lines that coincide (two attention models at 99 %) stay visible: each series is shifted a
    # little sideways and gets its own marker.
    dodge = 0.08 * (np.arange(len(scores)) - (len(scores) - 1) / 2)
    markers = "osD^v<>"
    for index, (name, values) in enumerate(scores.items()):
        values = np.asarray(values, dtype=float)
        if values.shape != (len(labels),):
            raise ValueError(
                f"scores[{name!r}] must have one value per bucket ({len(labels)}), "
                f"got shape {values.shape}"
            )
        if fraction and np.any((values < 0) | (values > 1)):
            raise ValueError(f"scores[{name!r}] must lie in [0, 1], got {values}")
        spread = None if errors is None else np.asarray(errors[name], dtype=float)
        ax.errorbar(
            positions + dodge[index],
            values,
            yerr=spread,
            marker=markers[index % len(markers)],
            markersize=8,
            capsize=4,
            lw=2,
            label=bilingual(name),
        )
    if floor is not None:
        ax.plot(
            positions,
            np.asarray(floor, dtype=float),
            "--",
            color="gray",
            lw=2,
            label="source ignored (shuffled references)",
        )
    ax.set_xticks(positions, labels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if fraction:
        ax.set_ylim(0, 1.05)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:.0%}"))
    else:
        ax.set_ylim(0, None)
    ax.legend()
    if title:
        ax.set_title(title)
    return fig


def context_pca(points, labels, groups, arrows=(), title: str = "", ax=None):
    """Sentences as points of a 2-D projection of their context vectors.

    ``points``: ``(n, 2)`` projected vectors; ``labels``: n sentence texts
    written beside the points; ``groups``: n group names (one colour each,
    e.g. one per meaning); ``arrows``: ``(from index, to index)`` pairs drawn
    as arrows (e.g. a sentence and its subject/object swap); the two ends of an
    arrow that share a label get it once. Returns the Figure.
    """
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    if not len(labels) == len(groups) == len(points):
        raise ValueError(
            f"need one label and one group per point: {len(points)} points, "
            f"{len(labels)} labels, {len(groups)} groups"
        )
    fig, ax = new_axes(ax, figsize=(10, 6.5))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, group in enumerate(dict.fromkeys(groups)):
        members = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(*points[members].T, s=90, color=colours[index % len(colours)], label=group)
    # A sentence and its swap usually lie close and share a label: write it once, centred
    # above the higher of the two points, so the two copies do not overprint each other.
    shared = [(a, b) for a, b in arrows if labels[a] == labels[b]]
    covered = {index for pair in shared for index in pair}
    for a, b in shared:
        top = a if points[a, 1] >= points[b, 1] else b
        ax.annotate(
            labels[a],
            points[top],
            xytext=(0, 9),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=12,
        )
    for index, ((x, y), label) in enumerate(zip(points, labels, strict=True)):
        if index not in covered:
            ax.annotate(label, (x, y), xytext=(6, 5), textcoords="offset points", fontsize=12)
    for start, end in arrows:
        ax.annotate(
            "",
            xy=points[end],
            xytext=points[start],
            arrowprops={"arrowstyle": "->", "color": "gray", "lw": 1.5},
        )
    ax.margins(0.08, 0.14)  # room for the labels above the highest points
    ax.set_xlabel("principal component 1 (주성분 1)")
    ax.set_ylabel("principal component 2 (주성분 2)")
    ax.legend(loc="best", fontsize=11)
    if title:
        ax.set_title(title)
    return fig


def accuracy_against_time(cost, group_column: str = "model", title: str = "", ax=None):
    """Each training run as a point: training wall-clock time (x) against exact match (y).

    ``cost``: a table with columns ``group_column``, ``training seconds`` and
    ``exact match`` (``attention_study.training_cost``), one row per run; each
    group gets one colour and marker, its mean time in the legend. Returns the Figure.
    """
    missing = {group_column, "training seconds", "exact match"} - set(cost.columns)
    if missing:
        raise ValueError(f"cost table lacks columns {sorted(missing)}; use training_cost()")
    fig, ax = new_axes(ax, figsize=(8, 4.5))
    markers = "osD^v"
    for index, (group, part) in enumerate(cost.groupby(group_column, sort=False)):
        minutes = part["training seconds"].to_numpy() / 60
        label = f"{bilingual(group)}, mean {minutes.mean():.1f} min (평균 {minutes.mean():.1f}분)"
        ax.scatter(minutes, part["exact match"], s=90, marker=markers[index % 5], label=label)
    ax.set_xlim(0, None)
    ax.set_xlabel("training wall-clock time, minutes, benchmark machine (학습 시간, 분)")
    ax.set_ylabel("exact match (완전 일치), 1,000 test sentences")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:.1%}"))
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return fig


def alignment_offsets(offsets, group_column: str = "model", span: int = 3, title: str = ""):
    """Where the strongest attention lands when it misses the gold word, one panel per model.

    ``offsets``: the rows of ``attention_offsets.csv`` (columns ``group_column``, ``seed``,
    ``offset``, ``share``; ``metrics.alignment_offsets``). Bars show the share of aligned
    Korean tokens at each offset from -``span`` to +``span`` other than 0 (offsets further
    out are pooled at the ends), one bar per seed. The bars of a seed add up to its share of
    tokens off the gold word, its AER. Returns the Figure.
    """
    missing = {group_column, "seed", "offset", "share"} - set(offsets.columns)
    if missing:
        raise ValueError(
            f"offsets lacks columns {sorted(missing)}; read attention_offsets.csv "
            "(benchmarks/attention_offsets.py)"
        )
    groups = list(dict.fromkeys(offsets[group_column]))
    fig, axes = plt.subplots(
        1,
        len(groups),
        figsize=(5.5 * len(groups), 3.8),
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    shown = [o for o in range(-span, span + 1) if o != 0]
    for ax, group in zip(axes[0], groups, strict=True):
        part = offsets[offsets[group_column] == group].assign(
            offset=lambda frame: frame["offset"].clip(-span, span)
        )
        seeds = sorted(part["seed"].unique())
        width = 0.8 / len(seeds)
        for index, seed in enumerate(seeds):
            shares = part[part["seed"] == seed].groupby("offset")["share"].sum()
            x = np.arange(len(shown)) + (index - (len(seeds) - 1) / 2) * width
            ax.bar(x, [shares.get(o, 0.0) for o in shown], width, label=f"seed {seed}")
        labels = [f"≤{o}" if o == -span else f"≥+{o}" if o == span else f"{o:+d}" for o in shown]
        ax.set_xticks(np.arange(len(shown)), labels)
        ax.set_xlabel("source words from the nearest gold word (+: later)\n정답 단어와의 거리")
        ax.set_title(bilingual(group), loc="left")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda value, _: f"{value:.0%}"))
    axes[0][0].set_ylabel("share of tokens (토큰 비율)")
    axes[0][-1].legend(loc="upper right")
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return fig
