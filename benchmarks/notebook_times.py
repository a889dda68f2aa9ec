"""Wall seconds per notebook, each executed top to bottom on a fresh kernel, against a floor.

The floor is what every notebook pays before its first idea: a kernel start, the
TensorFlow import and ``runtime.setup()``, timed in the same run as a one-cell
notebook. Each notebook's seconds are also given as a multiple of it, so runs on
machines of different speed compare (the series' goal: all notebooks together
within 2.5 times their floors, none over 4 times). Prints a table and writes it to
the results folder (notebook_times.csv, read by 00_overview and the README). Outputs are
not written back to the notebooks.

    .venv/bin/python benchmarks/notebook_times.py [notebooks/NN_x.ipynb ...]
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import platform
import sys

import nbformat

from helpers import experiments

ROOT = experiments.PROJECT_ROOT
sys.path.insert(0, str(ROOT / "tools"))  # tools/ is scripts, not an installed package

from execute_notebooks import execute, run  # noqa: E402

FLOOR = "floor"
FLOOR_SOURCE = "from helpers import runtime\n\nruntime.setup()"  # every notebook's first cell
TOTAL_GOAL, EACH_GOAL = 2.5, 4.0  # multiples of the floor

RESULTS = experiments.result_path("notebook times")


def write_merged(path: pathlib.Path, rows: list[dict]) -> None:
    """Write ``rows`` to ``path``, keeping earlier rows of notebooks not timed this run."""
    merged = {}
    if path.is_file():
        with path.open(encoding="utf-8") as handle:
            merged = {row["notebook"]: row for row in csv.DictReader(handle)}
    merged.update({row["notebook"]: row for row in rows})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["notebook", "seconds", "floor_multiple", "cores"]
        )
        writer.writeheader()
        writer.writerows(merged[name] for name in sorted(merged))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path)
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    args = parser.parse_args(argv)
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    cores = os.cpu_count()
    floor_notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    floor = run(floor_notebook, ROOT / "notebooks")
    rows = [{"notebook": FLOOR, "seconds": round(floor, 1), "floor_multiple": 1.0, "cores": cores}]
    print(f"{FLOOR + ' (kernel, TensorFlow, setup)':<40} {floor:>8.1f}", flush=True)
    for path in notebooks:
        seconds = execute(path, write=False)
        rows.append({"notebook": path.name, "seconds": round(seconds, 1), "cores": cores})
        print(f"{path.name:<40} {seconds:>8.1f}", flush=True)
    # The floor again at the end: the mean of the two follows any drift of the machine's speed,
    # and every multiple, printed or written, is taken against that mean.
    floor_after = run(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)]),
        ROOT / "notebooks",
    )
    floor = (floor + floor_after) / 2
    rows[0]["seconds"] = round(floor, 1)
    print(f"\n{'notebook':<40} {'seconds':>8} {'x floor':>8}")
    print(f"{FLOOR + ', the mean of both runs':<40} {floor:>8.1f} {1:>8.1f}")
    for row in rows[1:]:
        row["floor_multiple"] = round(row["seconds"] / floor, 2)
        flag = "  over the goal" if row["seconds"] / floor > EACH_GOAL else ""
        print(f"{row['notebook']:<40} {row['seconds']:>8.1f} {row['floor_multiple']:>8.2f}{flag}")
    total = sum(row["seconds"] for row in rows[1:])
    total_multiple = total / (len(notebooks) * floor)
    print(f"{'total':<40} {total:>8.1f} {total_multiple:>8.2f} (goal {TOTAL_GOAL}, per notebook)")
    print(f"machine: {cores} cores, {platform.processor() or platform.machine()}")
    write_merged(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
