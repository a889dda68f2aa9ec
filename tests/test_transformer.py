"""helpers.translation.transformer: NumPy references equal Keras; masks, positions and errors."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from helpers import runtime
from helpers.translation import transformer as tr


@pytest.fixture(autouse=True)
def _seeded():
    runtime.setup(0)


def _random(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_scaled_dot_product_equals_keras_attention_with_scaled_queries():
    query, key = _random((2, 3, 4), 1), _random((2, 5, 4), 2)
    value = _random((2, 5, 6), 3)
    output, weights = tr.scaled_dot_product_attention_np(query, key, value)
    keras_output, keras_weights = keras.layers.Attention()(
        [query / np.sqrt(4), value, key], return_attention_scores=True
    )
    np.testing.assert_allclose(output, keras_output, atol=1e-5)
    np.testing.assert_allclose(weights, keras_weights, atol=1e-6)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-12)


def test_the_scale_is_one_over_root_d():
    query, key = np.ones((1, 1, 16)), np.eye(16)[None, :2]
    _, weights = tr.scaled_dot_product_attention_np(query, key, key)
    # scores are 1/4 each (1 / sqrt(16)): equal, so the weights are one half each
    np.testing.assert_allclose(weights, [[[0.5, 0.5]]])
    unequal_key = np.stack([np.ones(16), np.zeros(16)])[None]
    _, weights = tr.scaled_dot_product_attention_np(query, unequal_key, unequal_key)
    expected = np.exp(16 / 4) / (np.exp(16 / 4) + 1)
    np.testing.assert_allclose(weights[0, 0, 0], expected)


@pytest.mark.parametrize(
    ("heads", "key_dim", "width", "use_bias"), [(1, 8, 8, True), (2, 4, 8, True), (4, 3, 10, False)]
)
def test_multi_head_attention_equals_keras(heads, key_dim, width, use_bias):
    query, value = _random((2, 3, width), 4), _random((2, 5, width), 5)
    mask = np.ones((2, 3, 5), dtype=bool)
    mask[1, :, 3:] = False  # the second sentence has two padding steps
    layer = keras.layers.MultiHeadAttention(num_heads=heads, key_dim=key_dim, use_bias=use_bias)
    keras_output, keras_weights = layer(
        query, value, attention_mask=mask, return_attention_scores=True
    )
    weights = tr.mha_weights_from_keras(layer)
    output, attention = tr.multi_head_attention_np(query, value, weights, mask=mask)
    np.testing.assert_allclose(output, keras_output, atol=1e-5)
    np.testing.assert_allclose(attention, keras_weights, atol=1e-6)
    assert np.all(attention[1, :, :, 3:] == 0.0)


def test_swapping_query_and_key_projections_is_caught():
    query, value = _random((1, 3, 8), 6), _random((1, 4, 8), 7)
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)
    keras_output = layer(query, value)
    weights = tr.mha_weights_from_keras(layer)
    swapped = dict(weights, W_q=weights["W_k"], W_k=weights["W_q"])
    output, _ = tr.multi_head_attention_np(query, value, swapped)
    assert not np.allclose(output, keras_output, atol=1e-4)


def test_causal_mask_hides_the_future():
    x = _random((1, 4, 6), 8)
    _, weights = tr.scaled_dot_product_attention_np(x, x, x, tr.causal_mask(4))
    assert np.all(np.triu(weights[0], k=1) == 0.0)
    np.testing.assert_allclose(weights[0, 0], [1, 0, 0, 0])


def test_positional_encoding_follows_the_formula():
    encoding = tr.positional_encoding(50, 16)
    assert encoding.shape == (50, 16)
    np.testing.assert_allclose(encoding[0], [0, 1] * 8)
    np.testing.assert_allclose(encoding[:, 0], np.sin(np.arange(50)))
    np.testing.assert_allclose(encoding[7, 3], np.cos(7 / 10_000 ** (2 / 16)))
    assert len({tuple(row.round(6)) for row in encoding}) == 50  # every position differs


@pytest.mark.parametrize(("length", "depth"), [(0, 8), (5, 7), (5, 0)])
def test_positional_encoding_rejects_bad_sizes(length, depth):
    with pytest.raises(ValueError, match="even depth"):
        tr.positional_encoding(length, depth)


def test_shape_errors_name_the_axes():
    with pytest.raises(ValueError, match="share their last axis d"):
        tr.scaled_dot_product_attention_np(
            np.ones((1, 2, 3)), np.ones((1, 2, 4)), np.ones((1, 2, 4))
        )
    layer = keras.layers.MultiHeadAttention(num_heads=1, key_dim=2)
    with pytest.raises(ValueError, match="call the MultiHeadAttention layer once"):
        tr.mha_weights_from_keras(layer)
    layer(np.ones((1, 2, 3), "float32"), np.ones((1, 2, 3), "float32"))
    with pytest.raises(
        ValueError, match=r"query must be \(batch, T, query_features\), got shape \(2, 3\)"
    ):
        tr.multi_head_attention_np(
            np.ones((2, 3)), np.ones((1, 2, 3)), tr.mha_weights_from_keras(layer)
        )


# ---------------------------------------------------------------- the Keras model


def _tiny_model():
    return tr.Transformer(12, 10, width=8, heads=2, hidden=16, layers=1, max_length=16, dropout=0.0)


def _ids(rows, length):
    return np.array([row + [0] * (length - len(row)) for row in rows], dtype="int32")


def test_transformer_shapes_and_probabilities():
    model = _tiny_model()
    source, target = _ids([[4, 5, 6], [7, 8]], 4), _ids([[1, 4, 5], [1, 6]], 3)
    probabilities = np.asarray(model((source, target)))
    assert probabilities.shape == (2, 3, 10)
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, atol=1e-5)


def test_decoder_is_causal():
    model = _tiny_model()
    source = _ids([[4, 5, 6]], 3)
    first = np.asarray(model((source, _ids([[1, 4, 5]], 3))))
    changed_future = np.asarray(model((source, _ids([[1, 4, 9]], 3))))
    np.testing.assert_allclose(first[:, :2], changed_future[:, :2], atol=1e-6)
    assert not np.allclose(first[:, 2], changed_future[:, 2])


def test_source_padding_is_ignored_and_the_source_matters():
    model = _tiny_model()
    target = _ids([[1, 4]], 2)
    short = np.asarray(model((_ids([[4, 5]], 2), target)))
    padded = np.asarray(model((_ids([[4, 5]], 6), target)))
    np.testing.assert_allclose(short, padded, atol=1e-6)
    other = np.asarray(model((_ids([[4, 7]], 2), target)))
    assert not np.allclose(short, other)


def test_cross_attention_is_zero_on_padding_and_sums_to_one():
    model = _tiny_model()
    weights = model.cross_attention(_ids([[4, 5, 6], [7]], 3), _ids([[1, 4], [1, 5]], 2))
    assert weights.shape == (2, 2, 2, 3)  # (batch, heads, target, source)
    assert np.all(weights[1, :, :, 1:] == 0.0)
    np.testing.assert_allclose(weights.sum(-1), 1.0, atol=1e-5)


def test_greedy_decoding_shares_the_seq2seq_decoder_and_returns_attention():
    from helpers.translation import decoding

    model = _tiny_model()
    result = decoding.greedy_decode(model, _ids([[4, 5, 6], [7]], 3), 1, 2, max_length=5)
    assert result.token_ids.shape[0] == 2 and result.token_ids.shape[1] <= 5
    assert result.attention_weights.shape[:1] == (2,) and result.attention_weights.shape[2] == 3
    assert np.all(result.attention_weights[1, :, 1:] == 0.0)


def test_transformer_rejects_heads_that_do_not_divide_the_width():
    with pytest.raises(ValueError, match="divide evenly"):
        tr.Transformer(10, 10, width=10, heads=4)


def test_transformer_names_what_it_expects():
    model = _tiny_model()
    with pytest.raises(ValueError, match="Transformer expects inputs=\\(source_ids"):
        model(_ids([[4, 5]], 2))
    with pytest.raises(ValueError, match="must pair sentence by sentence"):
        model((_ids([[4, 5]], 2), _ids([[1, 4], [1, 5]], 2)))
