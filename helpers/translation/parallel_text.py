"""Parallel text files: the Tatoeba-format loader for a learner's own corpus.

Tatoeba's Korean–English download (and any file made like it) has one pair
per line, ``English<TAB>Korean[<TAB>attribution]``; :func:`load_parallel_tsv`
reads such a file. :func:`read_tsv_rows` also reads the toy corpus file of
``helpers.corpus``; both read through ``helpers.text_files``, so every loader
gives the same clear errors (missing, empty, binary, broken gzip, an unknown
encoding; UTF-8 and CP949 are both read). Every reader accepts ``.tsv`` and ``.tsv.gz``.
"""

from __future__ import annotations

import difflib
import pathlib
import re

from helpers.text_files import cut_off_hint, read_text, shorten

PARALLEL_FORMAT = "lines of English<TAB>Korean[<TAB>attribution], like Tatoeba's kor.txt"
# A first line of column names (a learner's own export often has one); Tatoeba's has none.
HEADER_NAMES = {"english", "korean", "en", "ko", "eng", "kor", "source", "target", "src", "tgt"}
HANGUL = re.compile("[\u3131-\u318e\uac00-\ud7a3]")


def read_tsv_rows(
    path: str | pathlib.Path,
    expected: str,
    columns: tuple[int, ...],
    header: tuple[str, ...] | None = None,
) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line, every one with a column count in ``columns``.

    ``expected`` says what the file should hold, for the messages. A line with another count
    raises a ValueError naming it, with the likely cause (no tab, a stray tab, a cut-off end).
    With ``header``, the first non-blank line must be exactly those names (it is returned too).
    """
    path = pathlib.Path(path)
    text = read_text(path, expected)
    rows = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if header is not None and not rows and fields != list(header):
            _refuse_header(path, line_number, fields, header, expected)
        if len(fields) not in columns:
            if len(fields) == 1:
                cause = " It has no tab: separate the columns with one tab, not spaces."
            elif len(fields) > max(columns):
                cause = " A stray tab? Remove tabs inside the text."
            else:
                cause = " Add the missing columns."
            allowed = " or ".join(str(count) for count in columns)
            raise ValueError(
                f"{path}: line {line_number} has {len(fields)} tab-separated column"
                f"{'s' * (len(fields) != 1)} ({shorten(line)!r}); expected {allowed}: "
                f"{expected}.{cause}{cut_off_hint(text, line_number)}"
            )
        rows.append((line_number, fields))
    return rows


def _refuse_header(path, line_number: int, fields: list[str], header: tuple[str, ...], expected):
    wrong = []
    for name in fields:
        if name not in header:
            close = difflib.get_close_matches(name.strip().lower(), header, n=1, cutoff=0.6)
            wrong.append(f"{shorten(name)!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    problem = f"unexpected {', '.join(wrong)}" if wrong else "the names in another order"
    raise ValueError(
        f"{path}: line {line_number} must be the header {chr(9).join(header)!r} "
        f"({len(header)} tab-separated names), got {problem}; expected {expected}. "
        "Write that header as the first line."
    )


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
