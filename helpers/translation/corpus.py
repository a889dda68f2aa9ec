"""The toy English→Korean corpus of the series: pairs, gold alignments, splits, the file.

The corpus comes from a small grammar (``helpers.translation.toy_grammar``) with exactly the
two things the seminar says break a many-to-many LSTM at translation:

* the lengths differ: "I am Jaehyun" (3 tokens) → "나는 재현이야" (2 tokens);
* the word order changes: English is subject-verb-object, Korean is
  subject-object-verb: "I love you" → "난 널 사랑해".

Because the grammar writes both sides, every pair carries its gold word
alignment: for each Korean token, the tuple of English token positions
(0-based) it translates. The special start/end/padding tokens of
``helpers.translation.text`` have no gold alignment; metrics skip them.

Regenerate the committed file with::

    python -m helpers.translation.corpus --out data/toy_en_ko.tsv.gz

It is gzip-compressed TSV (12,000 pairs are 2.5 MB as plain text, 0.5 MB
compressed); ``zcat data/toy_en_ko.tsv.gz | head`` shows it, and every reader
here accepts both ``.tsv`` and ``.tsv.gz``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import pathlib
import random
import re
import sys
from collections.abc import Iterable, Sequence

import numpy as np

from helpers.experiments import MAX_SOURCE_TOKENS, PROJECT_ROOT, SPLITS
from helpers.metrics import bucket_labels
from helpers.text_files import read_tsv_rows
from helpers.translation.toy_grammar import write_sentence

DEFAULT_SEED = 42
DEFAULT_PAIR_COUNT = 12_000

# Inclusive ranges of English (source) length in tokens. The test split holds
# the same number of pairs from each bucket, so accuracy by length is equally
# precise in every bucket.
LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((2, 8), (9, 16), (17, 24), (25, MAX_SOURCE_TOKENS))
TEST_PAIRS_PER_BUCKET = 250
VALIDATION_PAIR_COUNT = 1_000

TOY_CORPUS_PATH = PROJECT_ROOT / "data" / "toy_en_ko.tsv.gz"
TSV_HEADER = ("english", "korean", "alignment", "split")
TOY_CORPUS_FORMAT = "the header english<TAB>korean<TAB>alignment<TAB>split, then one pair a line"

# The seminar's two examples, exactly as on its slides.
SEMINAR_EXAMPLES = (("I am Jaehyun", "나는 재현이야"), ("I love you", "난 널 사랑해"))


# ---------------------------------------------------------------------------
# Pairs
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Pair:
    """One sentence pair with its gold word alignment.

    ``source``: English tokens, length S. ``target``: Korean tokens, length T.
    ``alignment``: length T; ``alignment[t]`` is the tuple of source positions
    (0-based, ascending) that target token t translates. ``split``: one of
    ``SPLITS`` (or ``""`` before splitting).
    """

    source: tuple[str, ...]
    target: tuple[str, ...]
    alignment: tuple[tuple[int, ...], ...]
    split: str = ""

    def __post_init__(self):
        if len(self.alignment) != len(self.target):
            raise ValueError(
                f"alignment has {len(self.alignment)} entries but the target has "
                f"{len(self.target)} tokens ({' '.join(self.target)!r}); give one tuple "
                "of source positions per target token"
            )
        for positions in self.alignment:
            for position in positions:
                if not 0 <= position < len(self.source):
                    raise ValueError(
                        f"alignment position {position} is outside the source "
                        f"{' '.join(self.source)!r} (length {len(self.source)})"
                    )

    @property
    def english(self) -> str:
        return " ".join(self.source)

    @property
    def korean(self) -> str:
        return " ".join(self.target)

    def alignment_matrix(self) -> np.ndarray:
        """Gold alignment as a 0/1 float32 array of shape (T, S): [t, s] = 1 if t translates s."""
        matrix = np.zeros((len(self.target), len(self.source)), dtype=np.float32)
        for t, positions in enumerate(self.alignment):
            matrix[t, list(positions)] = 1.0
        return matrix


def generate_sentence(rng: random.Random, clause_count: int) -> Pair:
    """One pair of ``clause_count`` clauses joined by "and" (no split assigned)."""
    return Pair(*write_sentence(rng, clause_count))


def needs_later_source(pair: Pair) -> tuple[bool, ...]:
    """For each target position t: does target token t translate a source token after position t?

    A left-to-right many-to-many LSTM emits target token t right after reading
    source token t, so where this is True it has to name a word it has not read
    yet ("I love you" → "난 널 사랑해": "널" at step 1 translates "you" at step 2).
    Returns a tuple of T booleans.
    """
    return tuple(max(positions, default=-1) > t for t, positions in enumerate(pair.alignment))


def _seminar_pairs() -> list[Pair]:
    return [
        Pair(("I", "am", "Jaehyun"), ("나는", "재현이야"), ((0,), (1, 2))),
        Pair(("I", "love", "you"), ("난", "널", "사랑해"), ((0,), (2,), (1,))),
    ]


def seminar_pairs() -> list[Pair]:
    """The seminar's two examples with their gold alignments, as in the corpus (training split).

    "I am Jaehyun" → 나는 재현이야 (three words in, two out) and "I love you" →
    난 널 사랑해 (the verb moves to the end). The grammar speaks casual Korean, so
    the seminar's polite 재현입니다 is not one of its words.
    """
    return [dataclasses.replace(pair, split="train") for pair in _seminar_pairs()]


def length_bucket(source_length: int) -> int:
    """Index into ``LENGTH_BUCKETS`` of the bucket holding ``source_length`` tokens."""
    for index, (low, high) in enumerate(LENGTH_BUCKETS):
        if low <= source_length <= high:
            return index
    raise ValueError(
        f"source length {source_length} is outside every length bucket {LENGTH_BUCKETS}"
    )


def bucket_label(index: int) -> str:
    """Readable label of a length bucket, e.g. ``"9–16"`` (``metrics.bucket_labels``)."""
    return bucket_labels(LENGTH_BUCKETS)[index]


def generate_pairs(pair_count: int = DEFAULT_PAIR_COUNT, seed: int = DEFAULT_SEED) -> list[Pair]:
    """The toy corpus: ``pair_count`` distinct pairs with their splits assigned.

    Deterministic for ``seed`` (it uses Python's ``random.Random``, whose
    sequence is stable across versions). The seminar's two examples are
    always included, in the training split. English sentences are unique,
    so no test sentence appears in training.
    """
    minimum = TEST_PAIRS_PER_BUCKET * len(LENGTH_BUCKETS) + VALIDATION_PAIR_COUNT + 100
    if pair_count < minimum:
        raise ValueError(f"pair_count must be at least {minimum} to fill the splits")
    rng = random.Random(seed)
    pairs = _seminar_pairs()
    seen = {pair.source for pair in pairs}
    # Many clauses are favoured so the long buckets fill up.
    clause_counts, weights = (1, 2, 3, 4), (0.22, 0.26, 0.26, 0.26)
    attempts = 0
    while len(pairs) < pair_count:
        attempts += 1
        if attempts > 50 * pair_count:  # pragma: no cover - the grammar is far larger
            raise RuntimeError("the grammar cannot produce enough distinct sentences")
        pair = generate_sentence(rng, rng.choices(clause_counts, weights)[0])
        if len(pair.source) > MAX_SOURCE_TOKENS or pair.source in seen:
            continue
        seen.add(pair.source)
        pairs.append(pair)
    return _assign_splits(pairs, rng)


def _assign_splits(pairs: list[Pair], rng: random.Random) -> list[Pair]:
    seminar = {pair.source for pair in _seminar_pairs()}
    candidates = [i for i, pair in enumerate(pairs) if pair.source not in seminar]
    split_of = {}
    for bucket in range(len(LENGTH_BUCKETS)):
        members = [i for i in candidates if length_bucket(len(pairs[i].source)) == bucket]
        if len(members) < TEST_PAIRS_PER_BUCKET * 2:
            raise ValueError(
                f"only {len(members)} pairs of length {bucket_label(bucket)}; the test split "
                f"needs {TEST_PAIRS_PER_BUCKET} (generate more pairs)"
            )
        for i in rng.sample(members, TEST_PAIRS_PER_BUCKET):
            split_of[i] = "test"
    rest = [i for i in candidates if i not in split_of]
    for i in rng.sample(rest, VALIDATION_PAIR_COUNT):
        split_of[i] = "validation"
    return [
        dataclasses.replace(pair, split=split_of.get(i, "train")) for i, pair in enumerate(pairs)
    ]


def split_pairs(pairs: Iterable[Pair]) -> dict[str, list[Pair]]:
    """Group pairs by split: ``{"train": [...], "validation": [...], "test": [...]}``."""
    groups: dict[str, list[Pair]] = {name: [] for name in SPLITS}
    for pair in pairs:
        if pair.split not in groups:
            raise ValueError(f"pair {pair.english!r} has split {pair.split!r}; expected {SPLITS}")
        groups[pair.split].append(pair)
    return groups


# ---------------------------------------------------------------------------
# The committed TSV file
# ---------------------------------------------------------------------------


def format_alignment(alignment: Sequence[Sequence[int]]) -> str:
    """``((0,), (1, 2))`` → ``"0 1,2"``: one group per target token, source positions by commas."""
    return " ".join(",".join(str(p) for p in positions) or "-" for positions in alignment)


def parse_alignment(text: str) -> tuple[tuple[int, ...], ...]:
    """Inverse of :func:`format_alignment` (``"-"`` is a token with no source)."""
    groups = []
    for group in text.split(" "):
        if group == "-":
            groups.append(())
        elif re.fullmatch(r"\d+(,\d+)*", group):
            groups.append(tuple(int(p) for p in group.split(",")))
        else:
            raise ValueError(f"bad alignment group {group!r} in {text!r}; expected e.g. '0 1,2'")
    return tuple(groups)


def tsv_bytes(pairs: Iterable[Pair]) -> bytes:
    """UTF-8 TSV with header ``english korean alignment split`` and '\\n' line endings."""
    lines = ["\t".join(TSV_HEADER)]
    lines += [
        "\t".join((p.english, p.korean, format_alignment(p.alignment), p.split)) for p in pairs
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_tsv(pairs: Iterable[Pair], path: str | pathlib.Path) -> pathlib.Path:
    """Write :func:`tsv_bytes` to ``path``, gzip-compressed when it ends in ``.gz``.

    The gzip header carries no time stamp or file name, so the same pairs
    always give the same bytes.
    """
    path = pathlib.Path(path)
    data = tsv_bytes(pairs)
    if path.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def load_toy_corpus(path: str | pathlib.Path = TOY_CORPUS_PATH) -> list[Pair]:
    """Read the committed corpus file (see :func:`write_tsv`) back into pairs."""
    path = pathlib.Path(path)
    rows = read_tsv_rows(path, TOY_CORPUS_FORMAT, columns=(len(TSV_HEADER),), header=TSV_HEADER)
    if len(rows) == 1:
        raise ValueError(
            f"{path}: line {rows[0][0]} is the header and no pairs follow; expected "
            f"{TOY_CORPUS_FORMAT}. Regenerate the file with "
            f"python -m helpers.translation.corpus --out {path}"
        )
    pairs = []
    for line_number, fields in rows[1:]:
        english, korean, alignment, split = fields
        try:
            if not english.strip() or not korean.strip():
                raise ValueError("the English or Korean sentence is empty")
            if split not in SPLITS:
                raise ValueError(f"the split is {split!r}, expected one of {', '.join(SPLITS)}")
            pairs.append(
                Pair(
                    tuple(english.split()), tuple(korean.split()), parse_alignment(alignment), split
                )
            )
        except ValueError as error:
            raise ValueError(
                f"{path}: line {line_number}: {error}; expected {TOY_CORPUS_FORMAT}. Fix the "
                f"line, or regenerate the file with "
                f"python -m helpers.translation.corpus --out {path}"
            ) from error
    return pairs


def load_splits(path: str | pathlib.Path = TOY_CORPUS_PATH) -> dict[str, list[Pair]]:
    """The committed corpus grouped by split (train ≈ 10,000, validation 1,000, test 1,000)."""
    return split_pairs(load_toy_corpus(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the toy English→Korean corpus as TSV.")
    parser.add_argument("--out", type=pathlib.Path, default=TOY_CORPUS_PATH)
    parser.add_argument("--pairs", type=int, default=DEFAULT_PAIR_COUNT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    path = write_tsv(generate_pairs(args.pairs, args.seed), args.out)
    print(f"wrote {args.pairs} pairs to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
