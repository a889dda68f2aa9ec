"""Every loader, one discipline: each bad file a learner can bring gets a clear answer.

One battery runs against the three loaders a learner can point the series at: the price file
(``PRICE_DATA``), parallel text in Tatoeba's format and the toy corpus file. A refused file
raises exactly ValueError (or FileNotFoundError, IsADirectoryError): never a pandas or codec
error, whose types subclass ValueError and would slip through ``pytest.raises(ValueError)``.
Its message names the file, the line where one applies, what was expected and a fix. A Korean
encoding (CP949), a UTF-8 byte-order mark or Windows line ends are read, not refused.
"""

from __future__ import annotations

import dataclasses
import gzip
import random
import re
from collections.abc import Callable

import pandas as pd
import pytest

from helpers.forecasting import price_schema
from helpers.translation import corpus, parallel_text


@dataclasses.dataclass(frozen=True)
class Loader:
    load: Callable
    good: str  # a small valid file, broken by each case below
    header: str  # a file's first line when it has nothing else
    separator: str


def _first_lines(text: str, count: int) -> str:
    return "\n".join(text.splitlines()[:count]) + "\n"


PRICES = _first_lines(price_schema.SYNTHETIC_PATH.read_text(encoding="utf-8"), 11)
TOY = _first_lines(gzip.decompress(corpus.TOY_CORPUS_PATH.read_bytes()).decode("utf-8"), 4)
PARALLEL = "I love you.\t사랑해.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nHi.\t안녕.\n"

LOADERS = {
    "prices": Loader(price_schema.load_prices, PRICES, PRICES.split("\n")[0], ","),
    "parallel text": Loader(parallel_text.load_parallel_tsv, PARALLEL, "english\tkorean", "\t"),
    "toy corpus": Loader(corpus.load_toy_corpus, TOY, TOY.split("\n")[0], "\t"),
}

# A fix is an instruction; a message with none of these verbs tells the learner nothing to do.
FIX = re.compile(
    r"\b(save|re-save|rename|remove|delete|add|point|pass|swap|separate|write|check|copy|"
    r"complete|fill|open|regenerate|export|convert|decompress|fix|sort|keep)\b",
    re.IGNORECASE,
)


def _lines(text: str) -> list[str]:
    return text.rstrip("\n").split("\n")


def _join(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _with_line_2(loader: Loader, change: Callable[[str], str]) -> bytes:
    lines = _lines(loader.good)
    lines[1] = change(lines[1])
    return _join(lines)


# Each case: loader -> (file bytes, the line the message must name or None).
def empty(loader):
    return b"", None


def only_blank_lines(loader):
    return b"\n  \n\n", None


def header_only(loader):
    return (loader.header + "\n").encode("utf-8"), 1


def misspelled_columns(loader):
    if loader.separator == ",":
        return loader.good.replace("무_가격(원/kg)", "무_가격(원/kg", 1).encode("utf-8"), None
    if loader.load is corpus.load_toy_corpus:
        return loader.good.replace("english", "englsh", 1).encode("utf-8"), 1
    # Parallel text has no column names: its wrong columns are the two languages swapped.
    return _with_line_2(loader, lambda line: "\t".join(reversed(line.split("\t")))), 2


def another_separator(loader):
    other = "\t" if loader.separator == "," else ","
    return loader.good.replace(loader.separator, other).encode("utf-8"), 1


def utf8_and_cp949_mixed(loader):
    lines = _lines(loader.good)
    encoded = [
        line.encode("cp949" if number == 2 else "utf-8")
        for number, line in enumerate(lines, start=1)
    ]
    return b"\n".join(encoded) + b"\n", 2


def last_line_cut_off(loader):
    lines = _lines(loader.good)
    lines[-1] = lines[-1][: lines[-1].rfind(loader.separator)]
    return "\n".join(lines).encode("utf-8"), len(lines)


def cut_inside_a_korean_character(loader):
    raw = loader.good.rstrip("\n").encode("utf-8")
    last_lead_byte = max(index for index, byte in enumerate(raw) if byte >= 0xC0)
    return raw[: last_lead_byte + 2], raw.count(b"\n") + 1  # Hangul takes 3 bytes


def one_column_line(loader):
    return _with_line_2(loader, lambda line: line.split(loader.separator)[0]), 2


def stray_tab(loader):
    return _with_line_2(loader, lambda line: line[:4] + "\t" + line[4:]), 2


def very_long_line(loader):
    return _with_line_2(loader, lambda line: line[:2] + "9" * 20_000 + line[2:]), 2


def binary_garbage(loader):
    return random.Random(19).randbytes(4096), None


def nul_bytes(loader):
    return loader.good.encode("utf-8").replace(b"\n", b"\n\x00\x00", 1), 2


def excel_workbook(loader):
    return b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), None


def broken_gzip(loader):
    return gzip.compress(loader.good.encode("utf-8"))[:-20], None


REFUSED = {  # case -> what its message must also say, per loader or for all ("*")
    empty: {"*": "is empty"},
    only_blank_lines: {"*": "is empty"},
    header_only: {
        "prices": "right header on line 1 but no rows",
        "parallel text": "is a header of column names and no sentence pairs follow",
        "toy corpus": "is the header and no pairs follow",
    },
    misspelled_columns: {
        "prices": r"'무_가격\(원/kg' \(did you mean '무_가격\(원/kg\)'\?\)",
        "parallel text": "Korean in column 1 and none in column 2",
        "toy corpus": "'englsh' \\(did you mean 'english'\\?\\)",
    },
    another_separator: {
        "prices": "separated by tabs",
        "parallel text": "has 1 tab-separated column .*It has no tab",
        "toy corpus": "must be the header",
    },
    utf8_and_cp949_mixed: {"*": "mixes two encodings"},
    last_line_cut_off: {"*": "was it cut off"},
    cut_inside_a_korean_character: {"*": "middle of a character"},
    one_column_line: {"prices": "has 1 field ", "*": "has 1 tab-separated column "},
    stray_tab: {
        "prices": "unparseable dates at line 2",
        "parallel text": "empty Korean",
        "toy corpus": "stray tab",
    },
    very_long_line: {"*": "characters long"},
    binary_garbage: {"*": "neither UTF-8 nor CP949|binary file"},
    nul_bytes: {"*": "control character '\\\\x00'"},
    excel_workbook: {"*": r"\.xlsx"},
    broken_gzip: {"*": "not a complete gzip file"},
}

READ = {  # case -> the bytes of the good file in another form that must read the same
    "CP949": lambda text: text.encode("cp949"),
    "UTF-8 with a byte-order mark": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "Windows line ends": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "old Mac line ends": lambda text: text.replace("\n", "\r").encode("utf-8"),
}


def _write(tmp_path, raw: bytes, gz: bool = False):
    path = tmp_path / ("learner.txt.gz" if gz else "learner.txt")
    path.write_bytes(raw)
    return path


def _check_message(error: BaseException, path, line: int | None, pattern: str) -> None:
    message = str(error)
    assert type(error) in (ValueError, FileNotFoundError, IsADirectoryError), (
        f"{type(error).__name__} escaped: {message}"
    )
    assert str(path) in message, f"the message does not name the file: {message}"
    if line is not None:
        assert re.search(rf"\bline {line}\b", message), f"no 'line {line}' in: {message}"
    assert "expected" in message, f"the message does not say what was expected: {message}"
    assert FIX.search(message), f"the message gives no fix: {message}"
    assert re.search(pattern, message), f"{pattern!r} not in: {message}"


@pytest.mark.parametrize("loader_name", LOADERS)
@pytest.mark.parametrize("case", REFUSED, ids=lambda case: case.__name__.replace("_", " "))
def test_a_bad_file_is_refused_naming_file_line_expectation_and_fix(tmp_path, loader_name, case):
    loader = LOADERS[loader_name]
    raw, line = case(loader)
    path = _write(tmp_path, raw, gz=case is broken_gzip)
    patterns = REFUSED[case]
    with pytest.raises(Exception) as error:
        loader.load(path)
    _check_message(error.value, path, line, patterns.get(loader_name, patterns.get("*")))


@pytest.mark.parametrize("loader_name", LOADERS)
def test_a_missing_path_says_so_and_what_was_expected(tmp_path, loader_name):
    path = tmp_path / "no_such_file.txt"
    with pytest.raises(FileNotFoundError) as error:
        LOADERS[loader_name].load(path)
    _check_message(error.value, path, None, "no file at")


@pytest.mark.parametrize("loader_name", LOADERS)
def test_a_directory_is_refused_with_the_files_it_holds(tmp_path, loader_name):
    (tmp_path / "kor.txt").write_text("Hi.\t안녕.\n", encoding="utf-8")
    with pytest.raises(IsADirectoryError) as error:
        LOADERS[loader_name].load(tmp_path)
    _check_message(error.value, tmp_path, None, r"is a directory \(it holds kor\.txt\)")


@pytest.mark.parametrize("loader_name", LOADERS)
@pytest.mark.parametrize("form", READ)
def test_a_korean_encoding_or_other_line_ends_read_the_same(tmp_path, loader_name, form):
    loader = LOADERS[loader_name]
    expected = loader.load(_write(tmp_path / "..", loader.good.encode("utf-8")))
    raw = READ[form](loader.good)
    assert raw != loader.good.encode("utf-8")  # really another form of the file
    found = loader.load(_write(tmp_path, raw))
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(found, expected)
    else:
        assert found == expected
