"""Every decimal and percentage in a notebook's prose is one its outputs (or code) show.

Seeds are fixed, so the prose may quote what the cells print, rounded ("about 97 %" for
96.8 %). A number counts as shown when some number in the notebook's outputs or code rounds
to it at the prose's precision; a percentage also matches a printed fraction (0.968). Numbers
that come from elsewhere are listed below with their source. Equations (``$...$``), inline
code, exercises and solutions are not prose.
"""

from __future__ import annotations

import json
import pathlib
import re

import pytest

from helpers import experiments

ROOT = pathlib.Path(__file__).resolve().parents[1]
CHECKED = ["02", "03", "04", "05", "06", "07", "08", "09", "10", "11"]

LEARNING_RATE = (
    f"Adam's learning rate, experiments.Training ({experiments.Training(1).learning_rate})"
)
# Numbers quoted from elsewhere, by notebook: value -> where it comes from.
CITED = {
    "03": {0.003: LEARNING_RATE},
    "08": {99.7: "notebook 07, section 7: the best toy-corpus exact match (attention_runs.csv)"},
    "10": {0.002: "the adoption rule's tolerance, benchmarks/forecast.py (POOLED_SETTINGS notes)"},
    "04": {
        0.003: LEARNING_RATE,
        5.8: "Sutskever et al. (2014), test perplexity in order",
        4.7: "Sutskever et al. (2014), test perplexity reversed",
        25.9: "Sutskever et al. (2014), BLEU in order",
        30.6: "Sutskever et al. (2014), BLEU reversed",
    },
}

NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s?%)?")


def numbers(text: str):
    """(value, decimals, is a percentage) for every number written in ``text``."""
    for match in NUMBER.finditer(text):
        whole, fraction = match.group(1).replace(",", ""), match.group(2) or ""
        yield float(whole + fraction), max(len(fraction) - 1, 0), bool(match.group(3))


def _outputs(cell) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append("".join(output["text"]))
        for kind in ("text/plain", "text/html"):
            parts.append("".join(output.get("data", {}).get(kind, "")))
    return "\n".join(parts)


def prose_numbers(cells):
    """(cell index, value, decimals, is a percentage) of the decimals and percentages in prose."""
    for index, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or text.startswith(("## Exercises", "<details>")):
            continue
        text = re.sub(r"\$[^$]*\$|`[^`]*`", "", text)  # equations and code are not prose
        for value, decimals, percent in numbers(text):
            if decimals or percent:
                yield index, value, decimals, percent


def shown_values(cells) -> set[float]:
    """Every number the code cells print or contain; fractions also as percentages and back."""
    shown = set()
    for cell in cells:
        if cell["cell_type"] == "code":
            for value, _, percent in numbers(_outputs(cell) + "\n" + "".join(cell["source"])):
                shown |= {value, value / 100 if percent else value * 100}
    return shown


def unsupported(number: str) -> list[str]:
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown = shown_values(cells)
    cited = CITED.get(number, {})
    missing = []
    for index, value, decimals, percent in prose_numbers(cells):
        tolerance = 0.5 * 10**-decimals + 1e-9
        if value in cited or any(abs(seen - value) <= tolerance for seen in shown):
            continue
        missing.append(f"cell {index}: {value:g}{' %' if percent else ''}")
    return missing


@pytest.mark.parametrize("number", CHECKED)
def test_every_number_in_the_prose_is_shown(number):
    missing = unsupported(number)
    assert not missing, (
        f"notebook {number} quotes numbers no output shows: {missing}; print the number in a "
        "cell, fix the prose, or cite its source in CITED"
    )


def test_the_check_finds_a_number_no_output_shows():
    cells = [
        {
            "cell_type": "code",
            "source": ["x = 1"],
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": ["exact match 96.8%\n"]}
            ],
        },
        {
            "cell_type": "markdown",
            "source": ["About 97 % exact, 0.968 as a fraction, but 42.5 % here."],
        },
    ]
    found = [value for _, value, _, _ in prose_numbers(cells)]
    assert found == [97.0, 0.968, 42.5]
    shown = shown_values(cells)
    assert any(abs(seen - 97) <= 0.5 for seen in shown)
    assert not any(abs(seen - 42.5) <= 0.05 for seen in shown)
