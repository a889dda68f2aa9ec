"""One named-axis shape check for every helper that validates tensors.

``ShapeChecker`` remembers the size each axis name took the first time it was seen, so
tensors that must agree (the batch of a query and of its values, the source length of
values and mask) are checked against each other, and every error reads the same way::

    check = ShapeChecker("LuongAttention")
    check(query, "batch, units", "query")
    check(values, "batch, source, units", "values")
    check(mask, "batch, source", "mask")

A message names the caller, the tensor, the axes it must have and what it got, then how
to fix it, for example ``LuongAttention: values must be (batch, source, units), got
shape (2, 7) (rank 2). Pass the full sequence from an LSTM with return_sequences=True.``
Axes written as numbers (``"batch, 3"``) must have exactly that size.

:func:`whole_number` is the same discipline for a count a learner sets (epochs, units, a
horizon in days): the message names the setting, what it must be, and what it got.
"""

from __future__ import annotations

import numbers


def whole_number(value, name: str, at_least: int = 1, unit: str = "") -> int:
    """``value`` as an ``int`` when it is a whole number ``>= at_least``; else a ValueError
    that names ``name`` and says what it must be (``unit``: "days", "epochs" ...)."""
    what = f"a whole number of at least {at_least}" + (f" ({unit})" if unit else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be {what}, got {value!r} ({type(value).__name__})")
    if value < at_least:
        raise ValueError(f"{name} must be {what}, got {value}")
    return int(value)


def _axes(axes: str) -> tuple[str, ...]:
    return tuple(axis.strip() for axis in axes.split(",") if axis.strip())


def static_shape(tensor) -> tuple:
    """The shape of an array or tensor as a tuple, ``None`` where it is not known yet."""
    shape = getattr(tensor, "shape", None)
    if shape is None:
        raise TypeError(f"expected an array or tensor, got {type(tensor).__name__}")
    return tuple(None if size is None else int(size) for size in shape)


class ShapeChecker:
    """Check tensors against named axes, keeping each axis's size consistent across calls."""

    def __init__(self, who: str = ""):
        self.who = who
        self.sizes: dict[str, int] = {}
        self._seen_in: dict[str, str] = {}

    def fail(self, message: str, fix: str = "") -> None:
        prefix = f"{self.who}: " if self.who else ""
        raise ValueError(prefix + message + (f" {fix}" if fix else ""))

    def __call__(self, tensor, axes: str, name: str, fix: str = "") -> tuple:
        """Check ``tensor`` is shaped ``axes`` (e.g. ``"batch, source, units"``); return its shape.

        A ``fix`` sentence is appended to the error. Unknown sizes (``None``) pass.
        """
        return self.shape(static_shape(tensor), axes, name, fix)

    def shape(self, shape, axes: str, name: str, fix: str = "") -> tuple:
        """As calling the checker, for a shape alone (a layer's ``build`` sees only shapes)."""
        names = _axes(axes)
        shape = tuple(None if size is None else int(size) for size in shape)
        if len(shape) != len(names):
            self.fail(
                f"{name} must be ({', '.join(names)}), got shape {shape} (rank {len(shape)}).",
                fix,
            )
        for axis, size in zip(names, shape, strict=True):
            if size is None:
                continue
            if axis.isdigit():
                if size != int(axis):
                    self.fail(f"{name} must be ({', '.join(names)}), got shape {shape}.", fix)
                continue
            if axis in self.sizes and self.sizes[axis] != size:
                self.fail(
                    f"{name} has {axis} = {size} (shape {shape}), but {self._seen_in[axis]} "
                    f"has {axis} = {self.sizes[axis]}; they must agree.",
                    fix,
                )
            self.sizes.setdefault(axis, size)
            self._seen_in.setdefault(axis, name)
        return shape

    def expect(self, axis: str, size: int, source: str) -> None:
        """Fix ``axis`` to ``size`` before any tensor is checked (``source`` names why)."""
        self.sizes[axis] = int(size)
        self._seen_in[axis] = source
