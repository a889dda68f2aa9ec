"""Which installed versions differ from requirements.lock: the drift a learner without it gets.

    python tools/lock_drift.py requirements.lock

Run by ``make drift`` inside its scratch venv of the newest allowed versions. Prints one line
per package whose installed version is not the locked one (and locked packages that are
missing); always exits 0, because the unit tests that follow are the verdict.
"""

from __future__ import annotations

import importlib.metadata
import pathlib
import re
import sys

from packaging.markers import Marker
from packaging.utils import canonicalize_name

# `name==version ; marker \` as uv and pip-compile write them; hash lines and comments follow.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]*?))?\s*\\?$")


def lock_pins(text: str) -> list[tuple[str, str, str | None]]:
    """(canonical name, version, marker or None) for each pin of a requirements lock."""
    pins = []
    for line in text.splitlines():
        if match := PIN.match(line):
            name, version, marker = match.groups()
            pins.append((canonicalize_name(name), version, marker or None))
    return pins


def pins_here(pins: list[tuple[str, str, str | None]]) -> dict[str, str]:
    """name -> version for the pins whose marker holds in the running interpreter."""
    return {
        name: version for name, version, marker in pins if not marker or Marker(marker).evaluate()
    }


def drift(locked: dict[str, str], installed: dict[str, str]) -> list[str]:
    """'name: lock 1.0 -> 1.1' lines, sorted by name; '-> not installed' for missing ones."""
    lines = []
    for name in sorted(locked):
        have = installed.get(name)
        if have != locked[name]:
            lines.append(f"{name}: lock {locked[name]} -> {have or 'not installed'}")
    return lines


def main(argv: list[str]) -> int:
    lock = pathlib.Path(argv[0] if argv else "requirements.lock")
    locked = pins_here(lock_pins(lock.read_text(encoding="utf-8")))
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in importlib.metadata.distributions()
    }
    lines = drift(locked, installed)
    print(f"{len(lines)} of {len(locked)} locked packages differ from {lock}:")
    for line in lines:
        print(f"  {line}")
    new = sorted(
        set(installed) - set(locked) - {"pip", canonicalize_name("seq2seq-attention-seminar")}
    )
    if new:
        print(f"installed but not in the lock (new dependencies): {', '.join(new)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
