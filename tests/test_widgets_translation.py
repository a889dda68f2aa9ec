"""The translate-your-own widget's figure: the caption's own area, measured with the renderer.

The beam's hypotheses, the unknown-word line and the reading notes must never lie over the
heatmap, its slanted tick labels, its axis labels or the colour bar, whatever the sentence's
length; the static picture's "run this cell" note lies under everything too.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from helpers.teaching import widgets
from helpers.translation import translator

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
    """(caption's window extent, the drawn axes' tight extents, the saved picture's), drawn."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    others = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.axison]
    picture = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # bbox_inches="tight"
    return fig.caption.get_window_extent(renderer), others, picture


@pytest.mark.parametrize("length", [1, 7, 20, 40])
def test_the_caption_never_overlaps_the_heatmap(length, close_figures):
    fig = widgets.translation_view(translation(length), 5, "Luong (dot)")
    caption, others, picture = extents(fig)
    assert len(others) == 2  # the heatmap and its colour bar
    for drawn in others:
        assert not caption.overlaps(drawn), (length, caption, drawn)
        assert caption.y1 < drawn.y0  # below, not beside
    assert picture.y0 <= caption.y0 + 1e-6  # in the saved picture
    assert "5. " in fig.caption.get_text() and "'harbour' is not" in fig.caption.get_text()
    assert "final '.' dropped" in fig.caption.get_text()
    slanted = {label.get_rotation() for label in fig.axes[0].get_xticklabels()}
    assert slanted == ({55.0} if length > 6 else {0.0})  # long sentences: slanted labels


def test_a_model_without_attention_shows_its_caption_alone(close_figures):
    plain = dataclasses.replace(translation(7), attention=None)
    fig = widgets.translation_view(plain, 3, "no attention")
    caption, others, _ = extents(fig)
    assert others == [] and "log p" in fig.caption.get_text()
    title = fig.axes[0].texts[0]
    assert "no attention in this model" in title.get_text()
    assert title.get_window_extent(fig.canvas.get_renderer()).y0 > caption.y1


def test_the_static_picture_says_running_the_cell_makes_it_live(close_figures):
    fig = widgets.translation_view(translation(40), 5, "Luong (dot)")
    note = widgets.add_static_note(fig)
    caption, others, _ = extents(fig)
    below = note.get_window_extent(fig.canvas.get_renderer())
    assert all(below.y1 < drawn.y0 for drawn in [caption, *others])
    assert "run this cell" in note.get_text() and "셀을 실행하면" in note.get_text()


@pytest.mark.parametrize(
    "words, slanted",
    [
        ("i don't know what to do".split(), False),
        ("extraordinary international understanding everywhere".split(), True),
    ],
)
def test_english_labels_that_would_touch_are_slanted(words, slanted, close_figures):
    typed = dataclasses.replace(
        translation(len(words)),
        source_tokens=tuple(words),
        attention=np.full((len(words) // 2 or 1, len(words)), 1 / len(words)),
    )
    fig = widgets.translation_view(typed, 3, "Luong (dot)")
    fig.canvas.draw()
    labels = fig.axes[0].get_xticklabels()
    assert {label.get_rotation() for label in labels} == ({55.0} if slanted else {0.0})
    boxes = [label.get_window_extent(fig.canvas.get_renderer()) for label in labels]
    touching = any(a.x1 + 2 > b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    assert touching == slanted  # upright labels have room; slanted ones did not
