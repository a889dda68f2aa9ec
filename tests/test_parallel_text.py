"""The Tatoeba-format loader: two or three columns, gzip, and errors that name the line."""

from __future__ import annotations

import gzip

import pytest

from helpers import parallel_text


def test_load_parallel_tsv_reads_two_and_three_columns(tmp_path):
    path = tmp_path / "kor.txt"
    path.write_text(
        "I love you.\t사랑해.\tCC-BY 2.0 (France) Attribution: tatoeba.org #1\nHi.\t안녕.\n\n",
        encoding="utf-8",
    )
    assert parallel_text.load_parallel_tsv(path) == [("I love you.", "사랑해."), ("Hi.", "안녕.")]
    gz = tmp_path / "kor.txt.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    assert parallel_text.load_parallel_tsv(gz) == parallel_text.load_parallel_tsv(path)


def test_load_parallel_tsv_errors_name_the_line(tmp_path):
    empty = tmp_path / "empty.tsv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="is empty"):
        parallel_text.load_parallel_tsv(empty)
    columns = tmp_path / "columns.tsv"
    columns.write_text("Hi.\t안녕.\nno tab here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2 has 1 tab-separated columns"):
        parallel_text.load_parallel_tsv(columns)
    cp949 = tmp_path / "cp949.tsv"
    cp949.write_bytes("Hi.\t안녕.\n".encode() + "Bye.\t잘 가.\n".encode("cp949"))
    with pytest.raises(ValueError, match="line 2 is not valid UTF-8"):
        parallel_text.load_parallel_tsv(cp949)
    blank = tmp_path / "blank.tsv"
    blank.write_text("Hi.\t \n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1 has an empty"):
        parallel_text.load_parallel_tsv(blank)
    with pytest.raises(FileNotFoundError, match="no file at"):
        parallel_text.load_parallel_tsv(tmp_path / "missing.tsv")
    broken_gz = tmp_path / "broken.tsv.gz"
    broken_gz.write_bytes(b"not gzip")
    with pytest.raises(ValueError, match="not a valid gzip file"):
        parallel_text.load_parallel_tsv(broken_gz)
