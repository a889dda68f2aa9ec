"""Reading a file a learner brings: one set of checks and one wording for every loader.

Every loader of the series (prices, parallel text, the toy corpus) reads its file through
:func:`read_text`, so each gives the same clear answer for a missing path, a directory, an
empty file, a binary file, a broken gzip, an unknown encoding or a line that is far too long.
Korean files often come in CP949 rather than UTF-8 (Excel's default "CSV" on a Korean
Windows): both are read, with or without a UTF-8 byte-order mark. Messages name the file, the
line where one applies, what was expected and how to fix it. :func:`read_tsv_rows` splits a
tab-separated file into checked rows (the toy corpus and a learner's parallel text).
"""

from __future__ import annotations

import difflib
import gzip
import pathlib
import re

# Tatoeba's longest line is under 1,000 characters and a price row about 550; a line a hundred
# times longer is a file without line breaks or not the file meant.
MAX_LINE_CHARS = 10_000
MAX_SHOWN_CHARS = 40  # how much of an offending value a message quotes

# Files that are not text, told apart by their first bytes, with the fix for each.
SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?)", "save it from Excel as CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook", "save it from Excel as CSV UTF-8"),
    (b"%PDF", "a PDF document", "export the table as CSV instead"),
    (b"\x1f\x8b", "gzip-compressed", "rename it to end in .gz, or decompress it with gunzip"),
    (b"\xff\xfe", "UTF-16 text", "save it as UTF-8 (Excel: CSV UTF-8; or iconv -f utf-16)"),
    (b"\xfe\xff", "UTF-16 text", "save it as UTF-8 (Excel: CSV UTF-8; or iconv -f utf-16)"),
)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # never in text; tab, CR, LF, FF, VT are


def shorten(value: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """``value`` cut to ``limit`` characters with '…', so a message stays one readable line."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def line_of(raw: bytes, offset: int) -> int:
    """1-based line number of byte ``offset`` in ``raw``."""
    return raw.count(b"\n", 0, offset) + 1


def _first_non_ascii_line(raw: bytes) -> int:
    return line_of(raw, next(index for index, byte in enumerate(raw) if byte >= 0x80))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _mixed(path, expected: str, utf8_line: int, other_line: int) -> ValueError:
    return ValueError(
        f"{path} mixes two encodings: line {utf8_line} is UTF-8 and line {other_line} is not; "
        f"expected {expected} in one encoding. Re-save the whole file as UTF-8 (a CP949 part "
        "converts with iconv -f cp949 -t utf-8)."
    )


def read_text_bytes(
    path: str | pathlib.Path, expected: str = "a text file", missing_hint: str = ""
) -> bytes:
    """The bytes of ``path``, decompressed when it ends in ``.gz``; clear errors otherwise."""
    path = pathlib.Path(path)
    if path.is_dir():
        inside = sorted(child.name for child in path.iterdir() if child.is_file())[:5]
        listing = f" (it holds {', '.join(inside)})" if inside else " (it holds no files)"
        raise IsADirectoryError(
            f"{path} is a directory{listing}; expected {expected}. Pass the path of the file "
            "itself, e.g. directory/kor.txt."
        )
    if not path.is_file():
        raise FileNotFoundError(
            f"no file at {path}; expected {expected}. Check the path (a relative path starts "
            f"from the current folder, a notebook's own). {missing_hint}".rstrip()
        )
    raw = path.read_bytes()
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise ValueError(
                f"{path} ends in .gz but is not a complete gzip file ({error}); expected {expected}"
                " compressed with gzip. Copy the file again, or rename it if it is not compressed."
            ) from error
    return raw


def decode_text(raw: bytes, path: str | pathlib.Path, expected: str = "a text file") -> str:
    """UTF-8 (with or without BOM) or else CP949 text, line endings made ``\\n``.

    Refuses binary files, a file that switches encoding part way, and lines over
    ``MAX_LINE_CHARS``, each with a ValueError naming the file, the line and the fix.
    """
    if not raw.strip():
        raise ValueError(
            f"{path} is empty ({len(raw)} bytes); expected {expected}. Check that the file "
            "was saved (or copied) completely."
        )
    for signature, kind, fix in SIGNATURES:
        if raw.startswith(signature):
            raise ValueError(
                f"{path} is {kind}, neither UTF-8 nor CP949 text; expected {expected}: {fix}."
            )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        line = line_of(raw, utf8_error.start)
        if utf8_error.end == len(raw) and utf8_error.reason == "unexpected end of data":
            raise ValueError(
                f"{path}: line {line} stops in the middle of a character, so the file was cut "
                f"off; expected {expected}. Copy or download the file again."
            ) from utf8_error
        # A valid UTF-8 line with non-ASCII text means the rest is another encoding, which
        # CP949 would "read" as mojibake (or not at all): refuse instead of guessing.
        utf8_line = next(
            (
                number
                for number, line_bytes in enumerate(raw.split(b"\n"), start=1)
                if not line_bytes.isascii() and _is_utf8(line_bytes)
            ),
            None,
        )
        if utf8_line is not None:
            other_line = line if utf8_line < line else _first_non_ascii_line(raw)
            raise _mixed(path, expected, utf8_line, other_line) from utf8_error
        try:
            text = raw.decode("cp949")
        except UnicodeDecodeError as cp949_error:
            raise ValueError(
                f"{path} is neither UTF-8 nor CP949 text (line {line}, byte "
                f"0x{raw[utf8_error.start]:02x}); expected {expected}. If it is a spreadsheet, "
                "save it as CSV UTF-8; if it is text in another encoding, re-save it as UTF-8."
            ) from cp949_error
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line ends
    if control := CONTROL.search(text):
        raise ValueError(
            f"{path}: line {text.count(chr(10), 0, control.start()) + 1} holds the control "
            f"character {control.group()!r}, so this is a binary file; expected {expected}. Point "
            "the loader at the text file itself (a spreadsheet must be saved as CSV)."
        )
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ValueError(
                f"{path}: line {number} is {len(line):,} characters long; expected {expected}, "
                f"whose lines are under {MAX_LINE_CHARS:,}. The file may lack line breaks or "
                "not be the file meant; open it in an editor to check."
            )
    return text


def read_text(
    path: str | pathlib.Path, expected: str = "a text file", missing_hint: str = ""
) -> str:
    """:func:`read_text_bytes` then :func:`decode_text`: the checked text of a learner's file."""
    return decode_text(read_text_bytes(path, expected, missing_hint), path, expected)


def cut_off_hint(text: str, line_number: int) -> str:
    """A note for a short last line of a file without a final line break, else ''."""
    if not text.endswith("\n") and line_number == text.count("\n") + 1:
        return " It is the last line and the file has no final line break: was it cut off?"
    return ""


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
