"""Fail early, with the fix, when the Python that builds the venv is too old.

The minimum is pyproject.toml's ``requires-python`` (its one home), read with a regular
expression: this runs on any Python, before tomllib (3.11) can be assumed.
"""

import pathlib
import re
import sys

PYPROJECT = pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml"
match = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)', PYPROJECT.read_text(), re.M)
MINIMUM = (int(match.group(1)), int(match.group(2)))

if sys.version_info < MINIMUM:
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(
        f"Python {MINIMUM[0]}.{MINIMUM[1]} or newer is needed; "
        f"`{sys.executable}` is {found}. Install a newer Python and run "
        f"`make PYTHON=python{MINIMUM[0]}.{MINIMUM[1]} test`, or use the conda route in README.md."
    )
