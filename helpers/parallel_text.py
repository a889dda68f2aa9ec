"""Parallel text files: the Tatoeba-format loader for a learner's own corpus.

Tatoeba's Korean–English download (and any file made like it) has one pair
per line, ``English<TAB>Korean[<TAB>attribution]``; :func:`load_parallel_tsv`
reads such a file. The low-level readers here
(:func:`read_text_bytes`, :func:`read_tsv_rows`) also read the toy corpus file
of ``helpers.corpus``, so both give the same clear errors for a missing, empty,
broken-gzip or non-UTF-8 file. Every reader accepts ``.tsv`` and ``.tsv.gz``.
"""

from __future__ import annotations

import gzip
import pathlib


def read_text_bytes(path: str | pathlib.Path) -> bytes:
    """The bytes of ``path``, decompressed when it ends in ``.gz``."""
    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}; check the path (it is read as UTF-8 TSV)")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(f"{path} ends in .gz but is not a valid gzip file: {error}") from error
    return raw


def read_tsv_rows(path: str | pathlib.Path) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line; clear errors for missing/empty/non-UTF-8."""
    path = pathlib.Path(path)
    raw = read_text_bytes(path)
    rows = []
    for line_number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            text = line.decode("utf-8-sig" if line_number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"{path}: line {line_number} is not valid UTF-8 (byte {error.start}); "
                "re-save the file as UTF-8 (e.g. iconv -f cp949 -t utf-8)"
            ) from error
        text = text.rstrip("\r")
        if text.strip():
            rows.append((line_number, text.split("\t")))
    if not rows:
        raise ValueError(f"{path} is empty; expected lines of English<TAB>Korean[<TAB>attribution]")
    return rows


def load_parallel_tsv(path: str | pathlib.Path) -> list[tuple[str, str]]:
    """Read Tatoeba-style parallel text: ``English<TAB>Korean[<TAB>attribution]`` per line.

    Returns ``[(english, korean), ...]`` in file order. The optional third
    column (Tatoeba's attribution) is checked for shape but not returned.
    Blank lines are skipped; any other line that does not have 2 or 3
    columns, or has an empty sentence, raises a ValueError naming its line.
    """
    path = pathlib.Path(path)
    pairs = []
    for line_number, fields in read_tsv_rows(path):
        if len(fields) not in (2, 3):
            raise ValueError(
                f"{path}: line {line_number} has {len(fields)} tab-separated columns; expected "
                "2 or 3: English<TAB>Korean[<TAB>attribution]"
            )
        english, korean = fields[0].strip(), fields[1].strip()
        if not english or not korean:
            raise ValueError(f"{path}: line {line_number} has an empty English or Korean sentence")
        pairs.append((english, korean))
    return pairs
