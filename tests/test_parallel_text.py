"""The Tatoeba-format loader: two or three columns, gzip, and errors that name the line."""

from __future__ import annotations

import gzip

import pytest

from helpers.translation import parallel_text


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


def test_a_first_line_of_column_names_is_skipped(tmp_path):
    path = tmp_path / "own.tsv"
    path.write_text("English\tKorean\nHi.\t안녕.\n", encoding="utf-8")
    assert parallel_text.load_parallel_tsv(path) == [("Hi.", "안녕.")]


def test_an_empty_sentence_is_named_by_language_and_line(tmp_path):
    path = tmp_path / "blank.tsv"
    path.write_text("Hi.\t안녕.\n \t잘 가.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2 has an empty English \(column 1\) sentence"):
        parallel_text.load_parallel_tsv(path)


def test_the_real_tatoeba_file_loads_whole(real_tatoeba_file):
    pairs = parallel_text.load_parallel_tsv(real_tatoeba_file)
    assert len(pairs) == 5749  # the count its README gives
    assert pairs[0] == ("Go.", "가.")
