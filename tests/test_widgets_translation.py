"""The translate-your-own widget's figure: the caption's own area, measured with the renderer.

The beam's hypotheses, the unknown-word line and the reading notes must never lie over the
heatmap, its slanted tick labels, its axis labels or the colour bar, whatever the sentence's
length; the static picture's "run this cell" note lies under everything too.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from helpers import translator, widgets

WORDS = "I don't know what to do when the rain falls on the quiet harbour at night , and".split()


def translation(length: int) -> translator.Translation:
    """A Translation of ``length`` source tokens (long words, a full beam), no model needed."""
    source = tuple((WORDS * 3)[:length])
    target = tuple(f"번역{index}을" for index in range(max(1, length // 2)))
    weights = np.random.default_rng(length).dirichlet(np.ones(length), size=len(target))
    hypotheses = tuple((" ".join(target), -0.7 * rank) for rank in range(5))
    note = "read as the toy corpus writes it, 'the dog' (final '.' dropped; 'The' read as 'the')"
    return translator.Translation(
        "typed", source, ("harbour",), " ".join(target), target, weights, hypotheses, (note,)
    )


def extents(fig):
    """(caption's window extent, the other axes' tight extents), after a draw."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    others = [ax.get_tightbbox(renderer) for ax in fig.axes if ax is not fig.caption.axes]
    return fig.caption.get_window_extent(renderer), others


@pytest.mark.parametrize("length", [1, 7, 20, 40])
def test_the_caption_never_overlaps_the_heatmap(length, close_figures):
    fig = widgets.translation_view(translation(length), 5, "Luong (dot)")
    caption, others = extents(fig)
    assert len(others) == 2  # the heatmap and its colour bar
    for drawn in others:
        assert not caption.overlaps(drawn), (length, caption, drawn)
        assert caption.y1 < drawn.y0  # below, not beside
    assert fig.bbox.y0 <= caption.y0  # inside the figure: its area was measured, not guessed
    assert "5. " in fig.caption.get_text() and "'harbour' is not" in fig.caption.get_text()
    assert "final '.' dropped" in fig.caption.get_text()
    heatmap = next(ax for ax in fig.axes if ax is not fig.caption.axes)
    slanted = [label.get_rotation() for label in heatmap.get_xticklabels()]
    assert all(angle == (55 if length > 6 else 0) for angle in slanted)


def test_a_model_without_attention_shows_its_caption_alone(close_figures):
    plain = dataclasses.replace(translation(7), attention=None)
    fig = widgets.translation_view(plain, 3, "no attention")
    caption, others = extents(fig)
    assert others == [] and "no attention in this model" in fig.caption.get_text()


def test_the_static_picture_says_running_the_cell_makes_it_live(close_figures):
    fig = widgets.translation_view(translation(40), 5, "Luong (dot)")
    note = widgets.add_static_note(fig)
    caption, others = extents(fig)
    below = note.get_window_extent(fig.canvas.get_renderer())
    assert all(below.y1 < drawn.y0 for drawn in [caption, *others])
    assert "run this cell" in note.get_text() and "셀을 실행하면" in note.get_text()
