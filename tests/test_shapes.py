"""helpers.shapes: one message style for every tensor-shape error."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.shapes import ShapeChecker, static_shape


def test_a_matching_tensor_passes_and_returns_its_shape():
    check = ShapeChecker("demo")
    assert check(np.zeros((2, 5, 8)), "batch, source, units", "values") == (2, 5, 8)
    assert check.sizes == {"batch": 2, "source": 5, "units": 8}


def test_a_wrong_rank_names_the_axes_and_the_fix():
    check = ShapeChecker("LuongAttention")
    with pytest.raises(ValueError) as error:
        check(np.zeros((2, 7)), "batch, source, units", "values", fix="Pass the full sequence.")
    assert str(error.value) == (
        "LuongAttention: values must be (batch, source, units), got shape (2, 7) (rank 2). "
        "Pass the full sequence."
    )


def test_axes_must_agree_across_tensors():
    check = ShapeChecker("demo")
    check(np.zeros((2, 5, 8)), "batch, source, units", "values")
    with pytest.raises(ValueError, match=r"mask has source = 6 .* but values has source = 5"):
        check(np.zeros((2, 6), bool), "batch, source", "mask")


def test_expected_sizes_and_fixed_numbers():
    check = ShapeChecker("Decoder")
    check.expect("units", 128, "the decoder's units")
    with pytest.raises(ValueError, match="the decoder's units has units = 128"):
        check(np.zeros((1, 64)), "batch, units", "hidden_state")
    with pytest.raises(ValueError, match=r"must be \(batch, 3\), got shape \(4, 2\)"):
        ShapeChecker("demo")(np.zeros((4, 2)), "batch, 3", "points")


def test_unknown_sizes_pass_and_non_arrays_are_refused():
    class Symbolic:
        shape = (None, 5)

    assert ShapeChecker("demo")(Symbolic(), "batch, time", "ids") == (None, 5)
    with pytest.raises(TypeError, match="expected an array or tensor, got list"):
        static_shape([1, 2])
