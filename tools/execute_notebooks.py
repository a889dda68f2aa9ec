"""Execute notebooks in place on a fresh kernel, as `make execute` does.

Each notebook runs from its own folder with a clean kernel; widget state is not
stored (a static fallback figure is in every widget's output instead) and the
run fails if a cell writes to stderr, so committed outputs carry no log noise.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

CELL_TIMEOUT_S = 600


def run(notebook: nbformat.NotebookNode, folder: pathlib.Path) -> float:
    """Run ``notebook`` top to bottom on a fresh kernel started in ``folder``; return wall seconds.

    The outputs land in ``notebook``; the run fails if a cell wrote to stderr.
    """
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        # ipykernel warns at start that local TCP is unencrypted; keep that out of every log.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(folder)}},
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    noisy = [
        index
        for index, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and output.get("name") == "stderr"
    ]
    if noisy:
        raise RuntimeError(f"cells {noisy} wrote to stderr; silence them before committing")
    return seconds


def merge_streams(notebook: nbformat.NotebookNode) -> None:
    """Join each cell's back-to-back stream outputs of one name into one, so what a cell
    prints is stored the same way however the kernel happened to flush it."""
    for cell in notebook.cells:
        merged = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.get("output_type") == previous.get("output_type") == "stream"
                and output.get("name") == previous.get("name")
            ):
                previous["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def lab_kernelspec() -> dict:
    """The kernelspec JupyterLab writes into a notebook it opens with the python3 kernel, so
    that opening a committed notebook leaves it unchanged (not dirty, nothing to autosave)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    return {"display_name": spec.display_name, "language": spec.language, "name": "python3"}


def execute(path: pathlib.Path, write: bool = True) -> float:
    """Run ``path`` top to bottom on a fresh kernel; return wall seconds."""
    notebook = nbformat.read(path, as_version=4)
    try:
        seconds = run(notebook, path.parent)
    except RuntimeError as error:
        raise RuntimeError(f"{path}: {error}") from None
    merge_streams(notebook)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = lab_kernelspec()
    if write:
        nbformat.write(notebook, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    args = parser.parse_args(argv)
    for path in args.notebooks:
        seconds = execute(path)
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
