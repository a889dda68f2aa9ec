"""widgets.attention_stepper: sentence choice, step slider and redraws."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.teaching import widgets
from helpers.translation import corpus, models, text


@pytest.fixture(scope="module")
def stepper_setup():
    pairs = corpus.load_splits()["test"][:20]
    source_vocab, target_vocab = text.build_vocabularies(pairs)
    model = models.build(
        "attention_luong_dot", len(source_vocab), len(target_vocab), embedding_dim=8, units=8
    )
    model((np.array([[4, 5]]), np.array([[text.START_ID]])))  # build the weights
    bias = model.decoder.output_layer.bias
    silenced = np.asarray(bias).copy()
    silenced[text.END_ID] = -100.0  # never stop early: every sentence decodes max_length tokens
    bias.assign(silenced)
    chosen = [pairs[0], pairs[1]]
    return model, chosen, source_vocab, target_vocab


def controls(shown):
    chooser, stepper, image = shown.widget.children
    return chooser, stepper, image


def test_stepper_starts_at_step_one_of_the_first_sentence(stepper_setup):
    model, pairs, source_vocab, target_vocab = stepper_setup
    shown = widgets.attention_stepper(model, pairs, source_vocab, target_vocab, max_length=4)
    chooser, stepper, image = controls(shown)
    assert chooser.value == 0 and [label for label, _ in chooser.options] == [
        p.english for p in pairs
    ]
    assert (stepper.value, stepper.min, stepper.max) == (1, 1, 4)
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    data, _ = shown._repr_mimebundle_()
    assert "image/png" in data  # the static fallback


def test_moving_the_step_redraws_and_changing_sentence_resets_the_step(stepper_setup):
    model, pairs, source_vocab, target_vocab = stepper_setup
    chooser, stepper, image = controls(
        widgets.attention_stepper(model, pairs, source_vocab, target_vocab, max_length=4)
    )
    first = image.value
    stepper.value = 3
    after_step = image.value
    assert after_step != first
    chooser.value = 1
    assert stepper.value == 1 and stepper.max == 4
    assert image.value not in (first, after_step)


def test_stepper_needs_pairs(stepper_setup):
    model, _, source_vocab, target_vocab = stepper_setup
    with pytest.raises(ValueError, match="at least one"):
        widgets.attention_stepper(model, [], source_vocab, target_vocab)
