"""Luong, Bahdanau and the forecasters' attention against their NumPy equations and Keras'."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import attention
from helpers.attention import (
    AttentionalVector,
    BahdanauAttention,
    HiddenStateAttention,
    LuongAttention,
    attention_weights_np,
    bahdanau_attention_np,
    context_vector_np,
    hidden_state_attention_np,
    luong_attention_np,
    luong_attentional_vector_np,
    luong_output_np,
    luong_scores_np,
)

TOLERANCE = {"rtol": 1e-5, "atol": 1e-5}


@pytest.fixture
def batch():
    """query (2, 3, 4), values (2, 5, 4), mask with two padded positions in the first row."""
    rng = np.random.default_rng(7)
    # Scaled up so the softmax is far from uniform and a wrong score shows.
    query = (2.0 * rng.normal(size=(2, 3, 4))).astype("float32")
    values = rng.normal(size=(2, 5, 4)).astype("float32")
    mask = np.array([[True, True, True, False, False], [True] * 5])
    return query, values, mask


def randomise(layer, seed=0, scale=1.0):
    """Give every weight of a built layer random normal values (initialisers may hide bugs)."""
    rng = np.random.default_rng(seed)
    for weight in layer.weights:
        weight.assign((scale * rng.normal(size=weight.shape)).astype("float32"))


# ----------------------------------------------------------------------------
# Each layer equals its NumPy reference, with the layer's own weights
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("score", attention.LUONG_SCORES)
def test_luong_layer_equals_numpy_reference(batch, score):
    query, values, mask = batch
    layer = LuongAttention(score)
    layer(query, values, mask=mask)
    randomise(layer)
    context, weights = layer(query, values, mask=mask)
    ref_context, ref_weights = luong_attention_np(
        query, values, score, mask=mask, **layer.reference_weights()
    )
    assert context.shape == (2, 3, 4) and weights.shape == (2, 3, 5)
    np.testing.assert_allclose(weights, ref_weights, **TOLERANCE)
    np.testing.assert_allclose(context, ref_context, **TOLERANCE)


@pytest.mark.parametrize("score", attention.LUONG_SCORES)
def test_luong_single_query_equals_first_step_of_sequence(batch, score):
    query, values, mask = batch
    layer = LuongAttention(score)
    sequence_context, sequence_weights = layer(query, values, mask=mask)
    context, weights = layer(query[:, 0], values, mask=mask)
    assert context.shape == (2, 4) and weights.shape == (2, 5)
    np.testing.assert_allclose(weights, sequence_weights[:, 0], **TOLERANCE)
    np.testing.assert_allclose(context, sequence_context[:, 0], **TOLERANCE)
    ref_context, ref_weights = luong_attention_np(
        query[:, 0], values, score, mask=mask, **layer.reference_weights()
    )
    np.testing.assert_allclose(weights, ref_weights, **TOLERANCE)
    np.testing.assert_allclose(context, ref_context, **TOLERANCE)


def test_luong_concat_with_other_sizes_equals_reference():
    rng = np.random.default_rng(1)
    query = rng.normal(size=(3, 2, 6)).astype("float32")
    values = rng.normal(size=(3, 4, 5)).astype("float32")
    for score in ("general", "concat"):
        layer = LuongAttention(score, units=7)
        layer(query, values)
        randomise(layer, seed=3)
        context, weights = layer(query, values)
        ref_context, ref_weights = luong_attention_np(
            query, values, score, **layer.reference_weights()
        )
        assert context.shape == (3, 2, 5)
        np.testing.assert_allclose(weights, ref_weights, **TOLERANCE)
        np.testing.assert_allclose(context, ref_context, **TOLERANCE)


@pytest.mark.parametrize("use_bias", [False, True])
def test_bahdanau_layer_equals_numpy_reference(batch, use_bias):
    query, values, mask = batch
    layer = BahdanauAttention(6, use_bias=use_bias)
    layer(query, values, mask=mask)
    randomise(layer, seed=2)
    for q in (query, query[:, 1]):
        context, weights = layer(q, values, mask=mask)
        ref_context, ref_weights = bahdanau_attention_np(
            q, values, mask=mask, **layer.reference_weights()
        )
        np.testing.assert_allclose(weights, ref_weights, **TOLERANCE)
        np.testing.assert_allclose(context, ref_context, **TOLERANCE)
    assert len(layer.trainable_weights) == (5 if use_bias else 3)


def test_attentional_vector_layer_equals_reference(batch):
    query, values, _ = batch
    context, _ = LuongAttention("dot")(query, values)
    layer = AttentionalVector(8)
    attentional = layer(context, query)
    assert attentional.shape == (2, 3, 8)
    expected = luong_attentional_vector_np(context, query, **layer.reference_weights())
    np.testing.assert_allclose(attentional, expected, **TOLERANCE)
    # [c_t; h_t] and [h_t; c_t] give different vectors: the order is part of the equation.
    swapped = luong_attentional_vector_np(query, context, **layer.reference_weights())
    assert not np.allclose(attentional, swapped, atol=1e-3)


def test_luong_output_is_softmax_of_dense_layer():
    rng = np.random.default_rng(4)
    attentional = rng.normal(size=(2, 3, 8)).astype("float32")
    output_layer = keras.layers.Dense(11, activation="softmax")
    probabilities = output_layer(attentional)
    kernel, bias = (keras.ops.convert_to_numpy(w) for w in output_layer.weights)
    expected = luong_output_np(attentional, kernel, bias)
    np.testing.assert_allclose(probabilities, expected, **TOLERANCE)
    np.testing.assert_allclose(expected.sum(axis=-1), 1.0, **TOLERANCE)


# ----------------------------------------------------------------------------
# Agreement with Keras' built-in attention layers
# ----------------------------------------------------------------------------


def test_luong_dot_equals_keras_attention(batch):
    query, values, mask = batch
    context, weights = LuongAttention("dot")(query, values, mask=mask)
    keras_context, keras_weights = keras.layers.Attention(use_scale=False)(
        [query, values], mask=[None, mask], return_attention_scores=True
    )
    np.testing.assert_allclose(weights, keras_weights, **TOLERANCE)
    np.testing.assert_allclose(context, keras_context, **TOLERANCE)


@pytest.mark.parametrize("use_scale", [False, True])
def test_bahdanau_with_identity_projections_equals_keras_additive_attention(batch, use_scale):
    """Keras' AdditiveAttention scores sum(scale * tanh(q + k)): no projections at all.

    That is Bahdanau's v_aᵀ tanh(W_b s + W_c h) with W_b = W_c = I and v_a = 1
    (``use_scale=False``) or v_a = its learned ``scale`` vector (``use_scale=True``).
    So the two agree exactly with identity projections; what AdditiveAttention
    lacks is W_b and W_c, i.e. a learned space in which to compare the states.
    """
    query, values, mask = batch
    keras_layer = keras.layers.AdditiveAttention(use_scale=use_scale)
    keras_context, keras_weights = keras_layer(
        [query, values], mask=[None, mask], return_attention_scores=True
    )
    layer = BahdanauAttention(4)
    layer(query, values, mask=mask)
    layer.W_b.kernel.assign(np.eye(4, dtype="float32"))
    layer.W_c.kernel.assign(np.eye(4, dtype="float32"))
    scale = keras.ops.convert_to_numpy(keras_layer.scale) if use_scale else np.ones(4)
    layer.v_a.kernel.assign(scale.reshape(4, 1).astype("float32"))
    context, weights = layer(query, values, mask=mask)
    np.testing.assert_allclose(weights, keras_weights, **TOLERANCE)
    np.testing.assert_allclose(context, keras_context, **TOLERANCE)
    # With learned (non-identity) projections the two differ.
    randomise(layer, seed=5)
    _, projected_weights = layer(query, values, mask=mask)
    assert not np.allclose(projected_weights, keras_weights, atol=1e-3)


# ----------------------------------------------------------------------------
# The tests above can fail: wrong wiring gives different numbers
# ----------------------------------------------------------------------------


def test_reference_catches_swapped_concat_halves(batch):
    query, values, mask = batch
    layer = LuongAttention("concat")
    layer(query, values, mask=mask)
    randomise(layer)
    _, weights = layer(query, values, mask=mask)
    W_a = layer.reference_weights()["W_a"]
    swapped = np.concatenate([W_a[4:], W_a[:4]])  # [h̄_s; h_t] instead of [h_t; h̄_s]
    v_a = layer.reference_weights()["v_a"]
    _, wrong = luong_attention_np(query, values, "concat", mask=mask, W_a=swapped, v_a=v_a)
    assert not np.allclose(weights, wrong, atol=1e-3)


def test_reference_catches_swapped_bahdanau_projections(batch):
    query, values, mask = batch
    layer = BahdanauAttention(4)
    layer(query, values, mask=mask)
    randomise(layer, seed=6)
    _, weights = layer(query, values, mask=mask)
    ref = layer.reference_weights()
    _, wrong = bahdanau_attention_np(
        query, values, W_b=ref["W_c"], W_c=ref["W_b"], v_a=ref["v_a"], mask=mask
    )
    assert not np.allclose(weights, wrong, atol=1e-3)


@pytest.mark.parametrize(
    "make_layer", [lambda: LuongAttention("dot"), lambda: BahdanauAttention(4)]
)
def test_weights_follow_the_query(batch, make_layer):
    query, values, _ = batch
    layer = make_layer()
    _, weights = layer(query, values)
    # Different decoder steps look at different source positions.
    assert not np.allclose(weights[:, 0], weights[:, 1], atol=1e-3)


# ----------------------------------------------------------------------------
# Masking
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda: LuongAttention("dot"),
        lambda: LuongAttention("general"),
        lambda: LuongAttention("concat"),
        lambda: BahdanauAttention(5),
    ],
)
def test_padding_gets_exactly_zero_weight_and_is_ignored(batch, make_layer):
    query, values, mask = batch
    layer = make_layer()
    context, weights = layer(query, values, mask=mask)
    weights = keras.ops.convert_to_numpy(weights)
    assert np.all(weights[0, :, 3:] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, **TOLERANCE)
    # Whatever sits in the padded positions cannot change the result.
    noisy_values = values.copy()
    noisy_values[0, 3:] = 100.0
    noisy_context, noisy_weights = layer(query, noisy_values, mask=mask)
    np.testing.assert_allclose(noisy_weights, weights, **TOLERANCE)
    np.testing.assert_allclose(noisy_context, context, **TOLERANCE)
    # Without the mask the padding does get weight.
    _, unmasked = layer(query, values)
    assert np.all(keras.ops.convert_to_numpy(unmasked)[0, :, 3:] > 0.0)


def test_fully_padded_row_gives_zero_weights_not_nan(batch):
    query, values, _ = batch
    mask = np.array([[False] * 5, [True] * 5])
    context, weights = LuongAttention("dot")(query, values, mask=mask)
    assert np.all(keras.ops.convert_to_numpy(weights)[0] == 0.0)
    assert np.all(keras.ops.convert_to_numpy(context)[0] == 0.0)
    np.testing.assert_allclose(attention_weights_np(np.ones((2, 5)), mask)[0], 0.0)


def test_mask_from_embedding_in_a_functional_model():
    """Inside a model the mask comes from Embedding(mask_zero=True); padding id 0 gets weight 0."""
    source = keras.Input(shape=(None,), dtype="int32")
    target_state = keras.Input(shape=(None, 8))
    embedded = keras.layers.Embedding(20, 8, mask_zero=True)(source)
    encoded = keras.layers.LSTM(8, return_sequences=True)(embedded)
    source_mask = keras.ops.not_equal(source, 0)
    context, weights = LuongAttention("general")(target_state, encoded, mask=source_mask)
    model = keras.Model([source, target_state], [context, weights])
    ids = np.array([[5, 6, 7, 0, 0], [1, 2, 3, 4, 5]])
    states = np.random.default_rng(0).normal(size=(2, 2, 8)).astype("float32")
    _, weights = model.predict([ids, states], verbose=0)
    assert np.all(weights[0, :, 3:] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, **TOLERANCE)


# ----------------------------------------------------------------------------
# Bad input: clear errors
# ----------------------------------------------------------------------------


def test_unknown_score_lists_the_valid_ones():
    with pytest.raises(ValueError, match="dot, general, concat"):
        LuongAttention("dott")
    with pytest.raises(ValueError, match="valid scores"):
        luong_scores_np(np.ones((1, 2)), np.ones((1, 3, 2)), score="additive")


@pytest.mark.parametrize(
    "make_layer", [lambda: LuongAttention("dot"), lambda: BahdanauAttention(4)]
)
def test_shape_errors_name_the_axes(make_layer):
    values = np.ones((2, 5, 4), "float32")
    with pytest.raises(ValueError, match=r"\(batch, S, units\)"):
        make_layer()(np.ones((2, 4), "float32"), np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"\(batch, T, units\)"):
        make_layer()(np.ones((2, 1, 3, 4), "float32"), values)
    with pytest.raises(ValueError, match="query has batch = 3 .* but values has batch = 2"):
        make_layer()(np.ones((3, 4), "float32"), values)
    with pytest.raises(ValueError, match="mask has S = 4 .* but values has S = 5"):
        make_layer()(np.ones((2, 4), "float32"), values, mask=np.ones((2, 4), bool))


def test_dot_score_with_different_sizes_suggests_general():
    with pytest.raises(ValueError, match="score='general'"):
        LuongAttention("dot")(np.ones((2, 3), "float32"), np.ones((2, 5, 4), "float32"))


@pytest.mark.parametrize("bad_units", [0, -3, 2.5, True, "8"])
def test_bad_units_are_refused(bad_units):
    with pytest.raises(ValueError, match=r"BahdanauAttention\(units\) must be a whole number"):
        BahdanauAttention(bad_units)
    with pytest.raises(ValueError, match=r"AttentionalVector\(units\) must be a whole number"):
        AttentionalVector(bad_units)


def test_attentional_vector_refuses_mismatched_steps():
    with pytest.raises(ValueError, match="leading axes"):
        AttentionalVector(4)(np.ones((2, 3, 4), "float32"), np.ones((2, 2, 4), "float32"))


# ----------------------------------------------------------------------------
# NumPy helpers on their own, and config round trips
# ----------------------------------------------------------------------------


def test_context_vector_is_the_weighted_sum_of_hidden_states():
    weights = np.array([[0.1, 0.2, 0.7]])
    values = np.arange(6, dtype=float).reshape(1, 3, 2)
    expected = 0.1 * values[0, 0] + 0.2 * values[0, 1] + 0.7 * values[0, 2]
    np.testing.assert_allclose(context_vector_np(weights, values)[0], expected)


def test_layer_configs_round_trip():
    for layer in (LuongAttention("concat", units=3), BahdanauAttention(5, use_bias=True)):
        clone = type(layer).from_config(layer.get_config())
        assert clone.get_config() == layer.get_config()


# ----------------------------------------------------------------------------
# The price forecasters' attention over their own hidden states (notebook 09)
# ----------------------------------------------------------------------------


def test_hidden_state_attention_matches_numpy_reference():
    rng = np.random.default_rng(0)
    states = rng.normal(size=(4, 6, 5)).astype("float32")
    layer = HiddenStateAttention(3)
    context, weights = layer(states)
    reference_context, reference_weights = hidden_state_attention_np(
        states,
        layer.query_projection.kernel.numpy(),
        layer.key_projection.kernel.numpy(),
        layer.key_projection.bias.numpy(),
        layer.score_vector.kernel.numpy(),
    )
    np.testing.assert_allclose(weights.numpy(), reference_weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(context.numpy(), reference_context, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(weights.numpy().sum(axis=1), 1.0, rtol=1e-6)
    assert context.shape == (4, 5) and weights.shape == (4, 6)


def test_hidden_state_attention_query_is_the_last_state():
    rng = np.random.default_rng(1)
    states = rng.normal(size=(1, 6, 4)).astype("float32")
    layer = HiddenStateAttention(8)
    _, before = layer(states)
    changed_last = states.copy()
    changed_last[0, -1] += 3.0
    _, after_last = layer(changed_last)
    # Changing only the query changes every weight, not just the last day's.
    assert not np.allclose(before.numpy()[0, :-1], after_last.numpy()[0, :-1])
    # Swapping two earlier days swaps their weights (keys are read per day).
    swapped = states.copy()
    swapped[0, [1, 2]] = swapped[0, [2, 1]]
    _, after_swap = layer(swapped)
    np.testing.assert_allclose(after_swap.numpy()[0, [1, 2]], before.numpy()[0, [2, 1]], rtol=1e-5)


def test_hidden_state_attention_rejects_flat_input():
    with pytest.raises(ValueError, match="batch, steps, hidden"):
        HiddenStateAttention(4)(np.zeros((2, 5), "float32"))


def test_hidden_state_attention_keeps_its_registered_name():
    # Saved forecasters name the layer "seminar>HiddenStateAttention"; it must still resolve,
    # also from a config written when the class lived in helpers.forecasting.forecast.
    layer = HiddenStateAttention(6, name="attention")
    config = keras.saving.serialize_keras_object(layer)
    assert config["registered_name"] == "seminar>HiddenStateAttention"
    clone = keras.saving.deserialize_keras_object(
        {**config, "module": "helpers.forecasting.forecast"}
    )
    assert isinstance(clone, HiddenStateAttention) and clone.units == 6


# ----------------------------------------------------------------------------
# The attention heatmap (helpers.plots.attention_heatmap)
# ----------------------------------------------------------------------------


def test_attention_heatmap_labels_tokens_axes_and_colorbar():
    from helpers import plots

    weights = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1]])
    fig = plots.attention_heatmap(
        weights, ["I", "love", "you"], ["난", "널", "사랑해"], gold=((0,), (2,), (1,))
    )
    heatmap_axes, colorbar_axes = fig.axes
    assert [t.get_text() for t in heatmap_axes.get_xticklabels()] == ["I", "love", "you"]
    assert [t.get_text() for t in heatmap_axes.get_yticklabels()] == ["난", "널", "사랑해"]
    assert "English" in heatmap_axes.get_xlabel() and "Korean" in heatmap_axes.get_ylabel()
    assert colorbar_axes.get_ylabel() == "attention weight (어텐션 가중치)"
    np.testing.assert_allclose(heatmap_axes.images[0].get_array(), weights)
    fig_titled = plots.attention_heatmap(
        weights, ["I", "love", "you"], ["난", "널", "사랑해"], gold=((0,), (2,), (1,)), title="t"
    )
    assert "정답 정렬" in fig_titled.axes[0].get_title(loc="left")  # what the outline means
    # One outline per gold link, on the gold cell.
    outlined = sorted((p.get_y() + 0.5, p.get_x() + 0.5) for p in heatmap_axes.patches)
    assert outlined == [(0, 0), (1, 2), (2, 1)]


def test_attention_heatmap_stays_readable_on_long_sentences(close_figures):
    from helpers import plots

    source = [f"word{i}" for i in range(30)]
    target = ["공원에서", "그녀는", "노래를"] * 8  # 24 rows of wide Hangul words
    fig = plots.attention_heatmap(np.full((24, 30), 1 / 30), source, target, title="long")
    ax = fig.axes[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    label_box = ax.yaxis.label.get_window_extent(renderer)
    tick_boxes = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    assert not any(label_box.overlaps(box) for box in tick_boxes), "y label hits a tick label"
    title_box = ax.title.get_window_extent(renderer)
    assert not label_box.overlaps(title_box), "y label hits the title"
    sizes = {t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()}
    assert min(sizes) >= 13, f"tick labels of {min(sizes)} pt are too small for a projector"


def test_attention_heatmaps_side_by_side_keep_the_gold_note_off_the_next_panel(close_figures):
    # Notebooks 06 and 07 draw the two seminar sentences side by side (12 × 3.8 in): the note
    # on the outlines, in English and Korean, stays left of the right panel's y label.
    import matplotlib.pyplot as plt

    from helpers import plots, runtime

    runtime.apply_plot_style()
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
    for ax in axes:
        plots.attention_heatmap(
            np.full((2, 3), 1 / 3), ["I", "am", "Jaehyun"], ["나는", "재현이야"],
            gold=((0,), (2,)), ax=ax, title="Luong (dot): I am Jaehyun",
        )  # fmt: skip
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    note = axes[0].get_title(loc="left")
    assert "gold alignment" in note and "정답 정렬" in note
    title_box = axes[0]._left_title.get_window_extent(renderer)
    assert not title_box.overlaps(axes[1].yaxis.label.get_window_extent(renderer))


def test_attention_heatmap_refuses_padding_left_in():
    from helpers import plots

    with pytest.raises(ValueError, match=r"weights\[:2, :3\]"):
        plots.attention_heatmap(np.ones((4, 5)) / 5, ["a", "b", "c"], ["가", "나"])


def test_bahdanau_projected_values_shortcut_gives_the_same_result(batch):
    query, values, mask = batch
    layer = BahdanauAttention(6)
    context, weights = layer(query[:, 0], values, mask=mask)
    projected = layer.project_values(values)
    fast_context, fast_weights = layer(query[:, 0], values, mask=mask, projected_values=projected)
    np.testing.assert_allclose(fast_weights, weights, **TOLERANCE)
    np.testing.assert_allclose(fast_context, context, **TOLERANCE)
    with pytest.raises(ValueError, match="projected_values is for BahdanauAttention"):
        LuongAttention("dot")(query, values, projected_values=projected)


def test_alignment_offsets_figure_draws_a_panel_per_model_and_a_bar_per_seed_and_offset():
    import pandas as pd

    from helpers import plots

    rows = [
        ("one way", 0, -1, 0.02), ("one way", 0, 0, 0.90), ("one way", 0, 1, 0.05),
        ("one way", 0, 7, 0.03), ("one way", 1, 0, 1.0), ("both ways", 0, 0, 0.99),
        ("both ways", 0, 1, 0.01),
    ]  # fmt: skip
    table = pd.DataFrame(rows, columns=["model", "seed", "offset", "share"])
    fig = plots.alignment_offsets(table, span=3)
    one_way, both_ways = fig.axes[:2]
    assert [ax.get_title(loc="left") for ax in (one_way, both_ways)] == ["one way", "both ways"]
    titles = [
        ax.get_title(loc="left")
        for ax in plots.alignment_offsets(table.replace({"one way": "Bahdanau"}), span=3).axes[:2]
    ]
    assert titles == ["Bahdanau (바다나우 어텐션)", "both ways"]
    heights = [bar.get_height() for bar in one_way.patches]
    assert len(heights) == 2 * 6  # two seeds, offsets -3..-1 and +1..+3
    assert heights[:6] == pytest.approx([0, 0, 0.02, 0.05, 0, 0.03])  # +7 pooled at +3
    assert [bar.get_height() for bar in both_ways.patches] == pytest.approx([0, 0, 0, 0.01, 0, 0])
    with pytest.raises(ValueError, match="lacks columns"):
        plots.alignment_offsets(table.drop(columns="seed"))
