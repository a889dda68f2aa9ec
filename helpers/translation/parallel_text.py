"""Parallel text files: the Tatoeba-format loader for a learner's own corpus.

Tatoeba's Korean–English download (and any file made like it) has one pair
per line, ``English<TAB>Korean[<TAB>attribution]``; :func:`load_parallel_tsv`
reads such a file through ``helpers.text_files.read_tsv_rows``, as
``helpers.translation.corpus`` reads the toy corpus file, so every loader
gives the same clear errors (missing, empty, binary, broken gzip, an unknown
encoding; UTF-8 and CP949 are both read). Every reader accepts ``.tsv`` and ``.tsv.gz``.
"""

from __future__ import annotations

import pathlib
import re

from helpers.text_files import read_tsv_rows, shorten

PARALLEL_FORMAT = "lines of English<TAB>Korean[<TAB>attribution], like Tatoeba's kor.txt"
# A first line of column names (a learner's own export often has one); Tatoeba's has none.
HEADER_NAMES = {"english", "korean", "en", "ko", "eng", "kor", "source", "target", "src", "tgt"}
HANGUL = re.compile("[\u3131-\u318e\uac00-\ud7a3]")


def load_parallel_tsv(path: str | pathlib.Path) -> list[tuple[str, str]]:
    """Read Tatoeba-style parallel text: ``English<TAB>Korean[<TAB>attribution]`` per line.

    Returns ``[(english, korean), ...]`` in file order. The optional third
    column (Tatoeba's attribution) is checked for shape but not returned.
    UTF-8 or CP949; a first line of column names (``english<TAB>korean``) is skipped.
    Blank lines are skipped; any other line that does not have 2 or 3
    columns, has an empty sentence or has the languages swapped raises a
    ValueError naming its line.
    """
    path = pathlib.Path(path)
    rows = read_tsv_rows(path, PARALLEL_FORMAT, columns=(2, 3))
    if {field.strip().lower() for field in rows[0][1][:2]} <= HEADER_NAMES:
        header_line = rows.pop(0)[0]
        if not rows:
            raise ValueError(
                f"{path}: line {header_line} is a header of column names and no sentence pairs "
                f"follow; expected {PARALLEL_FORMAT}. Add the pairs below it."
            )
    pairs = []
    for line_number, fields in rows:
        english, korean = fields[0].strip(), fields[1].strip()
        for language, sentence in (("English (column 1)", english), ("Korean (column 2)", korean)):
            if not sentence:
                raise ValueError(
                    f"{path}: line {line_number} has an empty {language} sentence; expected "
                    f"{PARALLEL_FORMAT}. Fill it in or delete the line (a stray tab?)."
                )
        if HANGUL.search(english) and not HANGUL.search(korean):
            raise ValueError(
                f"{path}: line {line_number} has Korean in column 1 and none in column 2 "
                f"({shorten(english)!r}); expected {PARALLEL_FORMAT}. Swap the two columns "
                "(e.g. awk -F'\\t' -v OFS='\\t' '{print $2, $1}')."
            )
        pairs.append((english, korean))
    return pairs
