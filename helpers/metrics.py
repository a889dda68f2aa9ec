"""Scores used across the series: translation accuracy, alignment error, NMAE.

Each function documents its inputs' shapes and raises a ValueError that names
what was expected when they do not fit.
"""

from __future__ import annotations

import numpy as np  # noqa: F401
