"""How a checker reads a learner's answer: the three verdicts, the ``...`` placeholder, and
the slips (a case slip, text for a number, one string for a list) named as such.

Every checker in :mod:`helpers.teaching.exercises` is wrapped by :func:`exercise` and reads its
answer through :func:`same_text`, :func:`number` or :func:`text_list`.
"""

from __future__ import annotations

import functools

import numpy as np

RIGHT, NOT_YET, YOUR_TURN = "Right", "Not yet", "Your turn"
# What a checker may raise on an answer of the wrong kind ("abc" for a number, a ragged list).
_UNREADABLE = (TypeError, ValueError, IndexError, KeyError, AttributeError)
# Floats that print rounded (0.2447 as 0.24) compare with this slack on top of a tolerance.
_ROUNDING = 1e-9


class Slip(Exception):
    """An answer of the right content in the wrong form (case, a str for a number ...)."""


def exercise(check):
    """Wrap a checker: invite while any argument is ``...``; explain an answer it cannot read."""

    @functools.wraps(check)
    def checked(*args, **kwargs):
        task = check.__doc__.strip().splitlines()[0].replace("``", "").rstrip(".")
        if any(value is Ellipsis for value in (*args, *kwargs.values())):
            return f"{YOUR_TURN}: {task}. Replace the ... above, then run this cell."
        try:
            return check(*args, **kwargs)
        except Slip as slip:
            return f"{NOT_YET}: {slip}"
        except _UNREADABLE as error:
            return f"{NOT_YET}: could not check that answer ({error}); the task: {task}."

    return checked


def same_text(answer, expected: str) -> bool:
    """``answer == expected`` for text; a case slip or a non-str raises :class:`Slip` naming it."""
    if not isinstance(answer, str):
        raise Slip(
            f"{answer!r} is a {type(answer).__name__}, and the answer is text: write it in "
            'quotes, e.g. "..."'
        )
    if answer == expected:
        return True
    if answer.strip().casefold() == expected.casefold():
        raise Slip(
            f"{answer!r} has the right word but not the same case or spacing as {expected!r}; "
            "Python compares text letter by letter, capitals included"
        )
    return False


def number(answer) -> float:
    """``answer`` as a float; text, a list or a bool raises :class:`Slip` naming the slip."""
    if isinstance(answer, str):
        raise Slip(f"{answer!r} is text (a str); write the number without quotes")
    if isinstance(answer, bool) or answer is None or np.ndim(answer) != 0:
        raise Slip(f"{answer!r} is a {type(answer).__name__}; the answer is one number")
    return float(answer)


def text_list(answer, length: int) -> list:
    """``answer`` as a list of ``length`` items; one string raises :class:`Slip`."""
    if isinstance(answer, str):
        raise Slip(
            f"{answer!r} is one string; write a list of {length} items in square brackets, "
            'e.g. ["...", "..."]'
        )
    return list(answer)
