"""Fail early, with the fix, when the Python that builds the venv is too old."""

import sys

MINIMUM = (3, 11)

if sys.version_info < MINIMUM:
    found = ".".join(map(str, sys.version_info[:3]))
    sys.exit(
        f"Python {MINIMUM[0]}.{MINIMUM[1]} or newer is needed; "
        f"`{sys.executable}` is {found}. Install a newer Python and run "
        "`make PYTHON=python3.11 test`, or use the conda route in README.md."
    )
