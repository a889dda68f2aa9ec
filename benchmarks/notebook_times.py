"""Wall seconds per notebook, each executed top to bottom on a fresh kernel.

Prints a table and writes it to data/results/notebook_times.csv (read by
00_overview and the README). Outputs are not written back to the notebooks.

    .venv/bin/python benchmarks/notebook_times.py [notebooks/NN_x.ipynb ...]
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import platform
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from execute_notebooks import execute  # noqa: E402

RESULTS = ROOT / "data" / "results" / "notebook_times.csv"


def write_merged(path: pathlib.Path, rows: list[dict]) -> None:
    """Write ``rows`` to ``path``, keeping earlier rows of notebooks not timed this run."""
    merged = {}
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            merged = {row["notebook"]: row for row in csv.DictReader(handle)}
    merged.update({row["notebook"]: row for row in rows})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["notebook", "seconds", "cores"])
        writer.writeheader()
        writer.writerows(merged[name] for name in sorted(merged))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    cores = os.cpu_count()
    rows = []
    print(f"{'notebook':<40} {'seconds':>8}")
    for path in notebooks:
        seconds = execute(path, write=False)
        rows.append({"notebook": path.name, "seconds": round(seconds, 1), "cores": cores})
        print(f"{path.name:<40} {seconds:>8.1f}", flush=True)
    total = sum(row["seconds"] for row in rows)
    print(f"{'total':<40} {total:>8.1f}")
    print(f"machine: {cores} cores, {platform.processor() or platform.machine()}")
    write_merged(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
