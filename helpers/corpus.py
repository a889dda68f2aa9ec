"""The toy English→Korean corpus of the series, its vocabulary and a Tatoeba-format loader.

The corpus comes from a small grammar with exactly the two things the seminar
says break a many-to-many LSTM at translation:

* the lengths differ: "I am Jaehyun" (3 tokens) → "나는 재현이야" (2 tokens);
* the word order changes: English is subject-verb-object, Korean is
  subject-object-verb: "I love you" → "난 널 사랑해".

A clause is ``subject verb [object] [place] [time]`` in English and
``subject [time] [place] [object] verb`` in Korean, with the particles
은/는 (topic), 이/가 (subject) and 을/를 (object) chosen by the final consonant
(받침) of the noun. One to four clauses are joined with "and"; in Korean the
verb of every clause but the last takes the connective ending -고.

Because the grammar writes both sides, every pair carries its gold word
alignment: for each Korean token, the tuple of English token positions
(0-based) it translates. Every English token is covered exactly once:
articles go with their noun ("the dog" → "개는"), "am/is/are" and "for/to"
go with the predicate, and the "and" after a clause goes with that clause's
verb (which carries the connective -고). The special start/end/padding tokens
have no gold alignment; metrics skip them.

Regenerate the committed file with::

    python -m helpers.corpus --out data/toy_en_ko.tsv.gz

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
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

DEFAULT_SEED = 42
DEFAULT_PAIR_COUNT = 12_000
MAX_SOURCE_TOKENS = 30

# Inclusive ranges of English (source) length in tokens. The test split holds
# the same number of pairs from each bucket, so accuracy by length is equally
# precise in every bucket.
LENGTH_BUCKETS: tuple[tuple[int, int], ...] = ((2, 8), (9, 16), (17, 24), (25, 30))
TEST_PAIRS_PER_BUCKET = 250
VALIDATION_PAIR_COUNT = 1_000
SPLITS = ("train", "validation", "test")

# Reserved ids: padding must be 0 so that Keras ``mask_zero=True`` masks it.
PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
PAD_ID, START_ID, END_ID, UNKNOWN_ID = 0, 1, 2, 3
RESERVED_TOKENS = (PAD, START, END, UNKNOWN)

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
TOY_CORPUS_PATH = PROJECT_ROOT / "data" / "toy_en_ko.tsv.gz"
TSV_HEADER = ("english", "korean", "alignment", "split")

# The seminar's two examples, exactly as on its slides.
SEMINAR_EXAMPLES = (("I am Jaehyun", "나는 재현이야"), ("I love you", "난 널 사랑해"))


# ---------------------------------------------------------------------------
# Korean particles
# ---------------------------------------------------------------------------


def has_final_consonant(word: str) -> bool:
    """True when the last Hangul syllable of ``word`` ends in a consonant (받침)."""
    if not word:
        raise ValueError("has_final_consonant needs a non-empty Korean word")
    code = ord(word[-1]) - 0xAC00
    if not 0 <= code < 11_172:
        raise ValueError(f"{word!r} does not end in a Hangul syllable (가-힣)")
    return code % 28 != 0


def attach_particle(noun: str, role: str) -> str:
    """``noun`` plus the particle for ``role``: topic 은/는, subject 이/가, object 을/를.

    ``role`` may also be ``"copula"`` (이야/야, "is ...") or ``"copula_and"``
    (이고/고, "is ... and").
    """
    forms = {
        "topic": ("은", "는"),
        "subject": ("이", "가"),
        "object": ("을", "를"),
        "copula": ("이야", "야"),
        "copula_and": ("이고", "고"),
    }
    if role not in forms:
        raise ValueError(f"unknown particle role {role!r}; expected one of {sorted(forms)}")
    with_consonant, without = forms[role]
    return noun + (with_consonant if has_final_consonant(noun) else without)


# ---------------------------------------------------------------------------
# Lexicon
# ---------------------------------------------------------------------------

# English pronoun -> (person class, Korean stem, 3rd person singular?)
SUBJECT_PRONOUNS = {
    "I": ("나", False),
    "you": ("너", False),
    "he": ("그", True),
    "she": ("그녀", True),
    "we": ("우리", False),
    "they": ("그들", False),
}
OBJECT_PRONOUNS = {
    "me": "나",
    "you": "너",
    "him": "그",
    "her": "그녀",
    "us": "우리",
    "them": "그들",
}
SAME_PERSON = {"I": "me", "you": "you", "he": "him", "she": "her", "we": "us", "they": "them"}
# Casual speech contracts 나는/너는 to 난/넌 and 나를/너를 to 날/널; the grammar does
# it when both subject and object are "I"/"you" (the seminar's "난 널 사랑해").
CONTRACTED_TOPIC = {"I": "난", "you": "넌"}
CONTRACTED_OBJECT = {"me": "날", "you": "널"}

NAMES = {
    "Jaehyun": "재현",
    "Minji": "민지",
    "Seojun": "서준",
    "Jiwoo": "지우",
    "Hana": "하나",
    "Junho": "준호",
}
PEOPLE = {
    "teacher": "선생님",
    "student": "학생",
    "child": "아이",
    "friend": "친구",
    "doctor": "의사",
    "baby": "아기",
}
ANIMALS = {"dog": "개", "cat": "고양이", "bird": "새", "rabbit": "토끼"}
# Things by kind; "mass" nouns take no article in English.
THINGS = {
    "food": {"apple": "사과", "cake": "케이크", "sandwich": "샌드위치"},
    "food_mass": {"fish": "생선", "bread": "빵", "rice": "밥"},
    "drink_mass": {"milk": "우유", "coffee": "커피", "water": "물", "tea": "차"},
    "text": {"book": "책", "letter": "편지", "newspaper": "신문"},
    "show": {"movie": "영화", "drama": "드라마"},
    "sound": {"song": "노래"},
    "sound_mass": {"music": "음악"},
}

# English adjective -> (attributive Korean, predicate, predicate + "and", applies to)
ADJECTIVES = {
    "big": ("큰", "커", "크고", {"animal", "food", "text"}),
    "small": ("작은", "작아", "작고", {"animal", "food", "text"}),
    "happy": ("행복한", "행복해", "행복하고", {"person", "animal"}),
    "tired": ("피곤한", "피곤해", "피곤하고", {"person"}),
    "hungry": ("배고픈", "배고파", "배고프고", {"person", "animal"}),
    "kind": ("친절한", "친절해", "친절하고", {"person"}),
    "cute": ("귀여운", "귀여워", "귀엽고", {"person", "animal"}),
    "quiet": ("조용한", "조용해", "조용하고", {"person", "animal"}),
    "busy": ("바쁜", "바빠", "바쁘고", {"person"}),
    "new": ("새로운", "새로워", "새롭고", {"text", "show", "sound"}),
    "sweet": ("달콤한", "달콤해", "달콤하고", {"food"}),
    "old": ("오래된", "오래돼", "오래되고", {"text", "show", "sound"}),
    "funny": ("재미있는", "재미있어", "재미있고", {"show", "text", "person"}),
}

# Verbs: English base, 3rd person singular, particle words that follow
# ("wait for"), Korean final form, Korean form before "and", who may be the
# subject, what may be the object (None: intransitive).
VERBS = (
    ("eat", "eats", (), "먹어", "먹고", {"person", "animal"}, {"food", "food_mass"}),
    ("drink", "drinks", (), "마셔", "마시고", {"person", "animal"}, {"drink_mass"}),
    ("read", "reads", (), "읽어", "읽고", {"person"}, {"text"}),
    ("watch", "watches", (), "봐", "보고", {"person"}, {"show", "animal"}),
    ("love", "loves", (), "사랑해", "사랑하고", {"person"}, {"person", "animal", "food_mass"}),
    ("like", "likes", (), "좋아해", "좋아하고", {"person", "animal"}, {"person", "animal", "food"}),
    ("meet", "meets", (), "만나", "만나고", {"person"}, {"person"}),
    ("help", "helps", (), "도와", "돕고", {"person"}, {"person"}),
    ("wait", "waits", ("for",), "기다려", "기다리고", {"person", "animal"}, {"person"}),
    ("listen", "listens", ("to",), "들어", "듣고", {"person"}, {"sound", "sound_mass"}),
    ("buy", "buys", (), "사", "사고", {"person"}, {"food", "food_mass", "drink_mass", "text"}),
    ("cook", "cooks", (), "요리해", "요리하고", {"person"}, {"food_mass"}),
    ("sleep", "sleeps", (), "자", "자고", {"person", "animal"}, None),
    ("run", "runs", (), "달려", "달리고", {"person", "animal"}, None),
    ("walk", "walks", (), "걸어", "걷고", {"person", "animal"}, None),
    ("sing", "sings", (), "노래해", "노래하고", {"person"}, None),
    ("laugh", "laughs", (), "웃어", "웃고", {"person"}, None),
    ("cry", "cries", (), "울어", "울고", {"person", "animal"}, None),
    ("study", "studies", (), "공부해", "공부하고", {"person"}, None),
    ("work", "works", (), "일해", "일하고", {"person"}, None),
)

TIMES = {
    ("today",): "오늘",
    ("now",): "지금",
    ("every", "day"): "매일",
    ("in", "the", "morning"): "아침에",
    ("in", "the", "evening"): "저녁에",
    ("at", "night"): "밤에",
    ("on", "weekends"): "주말에",
}
PLACES = {
    ("at", "home"): "집에서",
    ("at", "school"): "학교에서",
    ("in", "the", "park"): "공원에서",
    ("in", "the", "kitchen"): "부엌에서",
    ("in", "the", "library"): "도서관에서",
    ("at", "the", "cafe"): "카페에서",
    ("in", "the", "garden"): "정원에서",
}


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


class _Builder:
    """Collects the English tokens of a sentence and Korean tokens aligned to them."""

    def __init__(self):
        self.source: list[str] = []

    def add_english(self, *words: str) -> tuple[int, ...]:
        start = len(self.source)
        self.source.extend(words)
        return tuple(range(start, len(self.source)))


def _article(word: str, definite: bool) -> str:
    if definite:
        return "the"
    return "an" if word[0] in "aeiou" else "a"


def _draw_noun_phrase(rng: random.Random, kind: str):
    """A random noun of ``kind`` ("person", "animal" or a THINGS kind): (English, Korean stem)."""
    if kind == "person":
        nouns = PEOPLE
    elif kind == "animal":
        nouns = ANIMALS
    else:
        nouns = THINGS[kind]
    english = rng.choice(sorted(nouns))
    return english, nouns[english]


def _choose_adjective(rng: random.Random, kind: str, probability: float):
    base_kind = kind.replace("_mass", "")
    options = sorted(a for a, spec in ADJECTIVES.items() if base_kind in spec[3])
    if options and rng.random() < probability:
        return rng.choice(options)
    return None


def _subject(rng: random.Random, builder: _Builder, person_or_animal: str):
    """Draw a subject; return (korean parts as [(token, positions)], english pronoun or None,
    third person singular?)."""
    roll = rng.random()
    if person_or_animal == "person" and roll < 0.4:
        pronoun = rng.choice(list(SUBJECT_PRONOUNS))
        stem, third = SUBJECT_PRONOUNS[pronoun]
        positions = builder.add_english(pronoun)
        return [(stem, positions)], pronoun, third
    if person_or_animal == "person" and roll < 0.6:
        name = rng.choice(list(NAMES))
        positions = builder.add_english(name)
        return [(attach_particle(NAMES[name], "topic"), positions)], None, True
    noun, stem = _draw_noun_phrase(rng, person_or_animal)
    definite = rng.random() < 0.6
    adjective = _choose_adjective(rng, person_or_animal, 0.35)
    first = adjective or noun
    article_pos = builder.add_english(_article(first, definite))
    parts = []
    if adjective:
        parts.append((ADJECTIVES[adjective][0], builder.add_english(adjective)))
    noun_pos = builder.add_english(noun)
    # "the dog" is what the sentence is about (topic 은/는); "a dog" is new (subject 이/가).
    particle = attach_particle(stem, "topic" if definite else "subject")
    parts.append((particle, article_pos + noun_pos))
    return parts, None, True


def _object(rng: random.Random, builder: _Builder, kind: str, subject_pronoun: str | None):
    """Append an object of ``kind`` to the English; return (Korean parts, object pronoun)."""
    if kind == "person" and rng.random() < 0.4:
        excluded = SAME_PERSON.get(subject_pronoun or "")
        pronoun = rng.choice([p for p in OBJECT_PRONOUNS if p != excluded])
        positions = builder.add_english(pronoun)
        return [(attach_particle(OBJECT_PRONOUNS[pronoun], "object"), positions)], pronoun
    if kind == "person" and rng.random() < 0.3:
        name = rng.choice(list(NAMES))
        positions = builder.add_english(name)
        return [(attach_particle(NAMES[name], "object"), positions)], None
    noun, stem = _draw_noun_phrase(rng, kind)
    adjective = _choose_adjective(rng, kind, 0.35)
    article_pos: tuple[int, ...] = ()
    if not kind.endswith("_mass"):
        article_pos = builder.add_english(_article(adjective or noun, rng.random() < 0.5))
    parts = []
    if adjective:
        parts.append((ADJECTIVES[adjective][0], builder.add_english(adjective)))
    noun_pos = builder.add_english(noun)
    parts.append((attach_particle(stem, "object"), article_pos + noun_pos))
    return parts, None


def _adjuncts(rng: random.Random, builder: _Builder, place_probability: float):
    """English "[place] [time]"; Korean wants them as "[time] [place]" (the order swaps)."""
    korean = []
    place = None
    if rng.random() < place_probability:
        words = rng.choice(sorted(PLACES))
        place = (PLACES[words], builder.add_english(*words))
    if rng.random() < 0.4:
        words = rng.choice(sorted(TIMES))
        korean.append((TIMES[words], builder.add_english(*words)))
    if place:
        korean.append(place)
    return korean


def _clause(rng: random.Random, builder: _Builder, last: bool):
    """Append one clause to the English; return its Korean tokens with their alignments.

    The predicate comes back separately (last list item) so the caller can attach
    the following "and" to it.
    """
    subject_class = "person" if rng.random() < 0.7 else "animal"
    subject, subject_pronoun, third = _subject(rng, builder, subject_class)
    roll = rng.random()
    if roll < 0.18:
        # Copula: "is happy" / "am Jaehyun" / "is a teacher".
        be = "am" if subject_pronoun == "I" else ("is" if third else "are")
        if subject_pronoun is not None and rng.random() < 0.5:
            # The seminar's "I am Jaehyun" → "나는 재현이야".
            name = rng.choice(list(NAMES))
            positions = builder.add_english(be, name)
            role = "copula" if last else "copula_and"
            predicate = (attach_particle(NAMES[name], role), positions)
            adjuncts = []
        elif subject_class == "person" and rng.random() < 0.3:
            noun = rng.choice(list(PEOPLE))
            positions = builder.add_english(be, _article(noun, False), noun)
            role = "copula" if last else "copula_and"
            predicate = (attach_particle(PEOPLE[noun], role), positions)
            adjuncts = []
        else:
            adjective = _choose_adjective(rng, subject_class, 1.0)
            positions = builder.add_english(be, adjective)
            _, final, connective, _ = ADJECTIVES[adjective]
            predicate = (final if last else connective, positions)
            adjuncts = _adjuncts(rng, builder, 0.3)
        subject = _pronoun_subject(subject, subject_pronoun, None)
        return subject + adjuncts + [predicate]
    verbs = [v for v in VERBS if subject_class in v[5]]
    transitive = roll < 0.75
    verbs = [v for v in verbs if (v[6] is not None) == transitive]
    base, third_form, particles, final, connective, _, object_kinds = rng.choice(verbs)
    verb_positions = builder.add_english(third_form if third else base, *particles)
    korean_object: list = []
    object_pronoun = None
    if object_kinds is not None:
        korean_object, object_pronoun = _object(
            rng, builder, rng.choice(sorted(object_kinds)), subject_pronoun
        )
    adjuncts = _adjuncts(rng, builder, 0.45)
    predicate = (final if last else connective, verb_positions)
    subject = _pronoun_subject(subject, subject_pronoun, object_pronoun)
    if subject_pronoun in CONTRACTED_TOPIC and object_pronoun in CONTRACTED_OBJECT:
        (_, positions), *_ = korean_object
        korean_object = [(CONTRACTED_OBJECT[object_pronoun], positions)]
    return subject + adjuncts + korean_object + [predicate]


def _pronoun_subject(subject, subject_pronoun, object_pronoun):
    """Give a pronoun subject its topic particle; "난 널" style contraction when both are I/you."""
    if subject_pronoun is None:
        return subject
    (stem, positions), *_ = subject
    if subject_pronoun in CONTRACTED_TOPIC and object_pronoun in CONTRACTED_OBJECT:
        return [(CONTRACTED_TOPIC[subject_pronoun], positions)]
    return [(attach_particle(stem, "topic"), positions)]


def generate_sentence(rng: random.Random, clause_count: int) -> Pair:
    """One pair of ``clause_count`` clauses joined by "and" (no split assigned)."""
    if not 1 <= clause_count <= 4:
        raise ValueError(f"clause_count must be 1 to 4, got {clause_count}")
    builder = _Builder()
    korean: list[tuple[str, tuple[int, ...]]] = []
    for index in range(clause_count):
        last = index == clause_count - 1
        clause = _clause(rng, builder, last)
        if not last:
            # "and" is expressed by the connective ending -고 on this clause's predicate.
            token, positions = clause[-1]
            clause[-1] = (token, positions + builder.add_english("and"))
        korean.extend(clause)
    return Pair(
        source=tuple(builder.source),
        target=tuple(token for token, _ in korean),
        alignment=tuple(tuple(sorted(positions)) for _, positions in korean),
    )


ROLES = ("SUBJ", "VERB", "OBJ", "ADJ", "TIME", "PLACE", "AND")


def _korean_roles() -> dict[str, str]:
    """Every Korean token the grammar can write → the role of the English words it translates."""
    roles: dict[str, str] = {}

    def add(tokens, role):
        for token in tokens:
            if roles.setdefault(token, role) != role:  # pragma: no cover - lexicon guard
                raise RuntimeError(f"Korean token {token!r} is both {roles[token]} and {role}")

    people = list(NAMES.values()) + list(PEOPLE.values())
    beings = people + list(ANIMALS.values())
    things = [stem for kind in THINGS.values() for stem in kind.values()]
    pronouns = [stem for stem, _ in SUBJECT_PRONOUNS.values()]
    add([attach_particle(n, r) for n in beings for r in ("topic", "subject")], "SUBJ")
    add([attach_particle(n, "topic") for n in pronouns] + list(CONTRACTED_TOPIC.values()), "SUBJ")
    objects = beings + things + list(OBJECT_PRONOUNS.values())
    add([attach_particle(n, "object") for n in objects] + list(CONTRACTED_OBJECT.values()), "OBJ")
    add([spec[0] for spec in ADJECTIVES.values()], "ADJ")
    add([form for spec in ADJECTIVES.values() for form in spec[1:3]], "VERB")
    add([form for verb in VERBS for form in verb[3:5]], "VERB")
    add([attach_particle(n, r) for n in people for r in ("copula", "copula_and")], "VERB")
    add(TIMES.values(), "TIME")
    add(PLACES.values(), "PLACE")
    return roles


_KOREAN_ROLES = _korean_roles()


def source_roles(pair: Pair) -> tuple[str, ...]:
    """The grammatical role of every English token of a toy-corpus pair (length S).

    Roles (``ROLES``): SUBJ (subject words, with their article), VERB (the
    predicate: verb, "for"/"to", "am/is/are" and what follows it), OBJ, ADJ
    (an adjective before a noun), TIME, PLACE and AND. They are read off the
    gold alignment: each English token takes the role of the Korean token it
    translates, which the Korean particle makes unambiguous.
    """
    roles = [""] * len(pair.source)
    for token, positions in zip(pair.target, pair.alignment, strict=True):
        if token not in _KOREAN_ROLES:
            raise ValueError(f"{token!r} is not a word of the toy grammar; roles need a toy pair")
        for position in positions:
            is_and = pair.source[position] == "and"
            roles[position] = "AND" if is_and else _KOREAN_ROLES[token]
    return tuple(roles)


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


def length_bucket(source_length: int) -> int:
    """Index into ``LENGTH_BUCKETS`` of the bucket holding ``source_length`` tokens."""
    for index, (low, high) in enumerate(LENGTH_BUCKETS):
        if low <= source_length <= high:
            return index
    raise ValueError(
        f"source length {source_length} is outside every length bucket {LENGTH_BUCKETS}"
    )


def bucket_label(index: int) -> str:
    """Readable label of a length bucket, e.g. ``"9–16"``."""
    low, high = LENGTH_BUCKETS[index]
    return f"{low}–{high}"


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


def load_toy_corpus(path: str | pathlib.Path = TOY_CORPUS_PATH) -> list[Pair]:
    """Read the committed corpus file (see :func:`write_tsv`) back into pairs."""
    path = pathlib.Path(path)
    rows = _read_tsv_rows(path)
    if rows[0][1] != list(TSV_HEADER):
        raise ValueError(f"{path}: line 1 must be the header {TSV_HEADER}, got {rows[0][1]}")
    pairs = []
    for line_number, fields in rows[1:]:
        if len(fields) != len(TSV_HEADER):
            raise ValueError(
                f"{path}: line {line_number} has {len(fields)} tab-separated columns, "
                f"expected {len(TSV_HEADER)} ({', '.join(TSV_HEADER)})"
            )
        english, korean, alignment, split = fields
        try:
            pairs.append(
                Pair(
                    tuple(english.split()), tuple(korean.split()), parse_alignment(alignment), split
                )
            )
        except ValueError as error:
            raise ValueError(f"{path}: line {line_number}: {error}") from error
    return pairs


def load_splits(path: str | pathlib.Path = TOY_CORPUS_PATH) -> dict[str, list[Pair]]:
    """The committed corpus grouped by split (train ≈ 10,000, validation 1,000, test 1,000)."""
    return split_pairs(load_toy_corpus(path))


# ---------------------------------------------------------------------------
# Tatoeba-format loader
# ---------------------------------------------------------------------------


def _read_tsv_rows(path: pathlib.Path) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each non-blank line; clear errors for missing/empty/non-UTF-8."""
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
    for line_number, fields in _read_tsv_rows(path):
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


# ---------------------------------------------------------------------------
# Tokens, vocabulary, padding
# ---------------------------------------------------------------------------

_TOKEN_PATTERN = re.compile(r"\w+(?:'\w+)*|[^\w\s]")


def tokenize(text: str) -> list[str]:
    """Split on whitespace and split punctuation off words ("I'm here." → I'm, here, .).

    Case is kept. The toy corpus has no punctuation, so for it this is ``text.split()``.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str, got {type(text).__name__}")
    return _TOKEN_PATTERN.findall(text)


class Vocabulary:
    """Token ↔ id map with reserved ids <pad>=0, <start>=1, <end>=2, <unk>=3.

    Build one with :meth:`from_sentences`; ids of real tokens follow by
    falling frequency, ties broken alphabetically, so the mapping is
    deterministic.
    """

    def __init__(self, tokens: Sequence[str]):
        tokens = list(tokens)
        if tuple(tokens[: len(RESERVED_TOKENS)]) != RESERVED_TOKENS:
            raise ValueError(f"a vocabulary must start with the reserved tokens {RESERVED_TOKENS}")
        if len(set(tokens)) != len(tokens):
            raise ValueError("vocabulary tokens must be unique")
        self.id_to_token = tokens
        self.token_to_id = {token: index for index, token in enumerate(tokens)}

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[str]], min_count: int = 1) -> Vocabulary:
        """Vocabulary of every token seen at least ``min_count`` times in ``sentences``."""
        counts = Counter()
        for tokens in sentences:
            if isinstance(tokens, str):
                raise TypeError("pass token lists (e.g. pair.source), not raw strings")
            counts.update(tokens)
        for reserved in RESERVED_TOKENS:
            counts.pop(reserved, None)
        kept = sorted(
            (t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t)
        )
        return cls(list(RESERVED_TOKENS) + kept)

    def __len__(self) -> int:
        return len(self.id_to_token)

    def __contains__(self, token: str) -> bool:
        return token in self.token_to_id

    def encode(self, tokens: Sequence[str], add_start: bool = False, add_end: bool = False):
        """Token list → id list; unseen tokens become <unk> (id 3)."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a token list; call tokenize(text) first")
        ids = [self.token_to_id.get(token, UNKNOWN_ID) for token in tokens]
        return ([START_ID] if add_start else []) + ids + ([END_ID] if add_end else [])

    def decode(self, ids: Iterable[int], stop_at_end: bool = True) -> list[str]:
        """Ids → tokens, dropping <pad> and <start> and, by default, everything from <end> on."""
        tokens = []
        for raw in np.asarray(list(ids)).reshape(-1).tolist():
            index = int(raw)
            if not 0 <= index < len(self):
                raise ValueError(f"id {index} is outside the vocabulary (size {len(self)})")
            if index == END_ID and stop_at_end:
                break
            if index in (PAD_ID, START_ID):
                continue
            tokens.append(self.id_to_token[index])
        return tokens

    def decode_text(self, ids: Iterable[int]) -> str:
        """Ids → one space-joined sentence (see :meth:`decode`)."""
        return " ".join(self.decode(ids))


def pad_sequences(sequences: Sequence[Sequence[int]], length: int | None = None) -> np.ndarray:
    """Right-pad id lists with 0 into an int32 array of shape (N, length).

    ``length`` defaults to the longest sequence; a longer sequence raises a
    ValueError instead of being cut.
    """
    longest = max((len(s) for s in sequences), default=0)
    length = longest if length is None else length
    if longest > length:
        raise ValueError(f"a sequence has {longest} ids but length={length}; raise length")
    batch = np.full((len(sequences), length), PAD_ID, dtype=np.int32)
    for row, ids in enumerate(sequences):
        batch[row, : len(ids)] = ids
    return batch


@dataclasses.dataclass
class EncodedPairs:
    """Arrays for teacher-forced training of an encoder-decoder.

    ``source``: (N, S) English ids, right-padded (reversed before padding when asked).
    ``decoder_input``: (N, T+1) ``<start> y_1 … y_T`` padded.
    ``decoder_target``: (N, T+1) ``y_1 … y_T <end>`` padded.
    ``source_lengths``: (N,) English lengths in tokens.
    """

    source: np.ndarray
    decoder_input: np.ndarray
    decoder_target: np.ndarray
    source_lengths: np.ndarray


def encode_pairs(
    pairs: Sequence[Pair],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    source_length: int | None = None,
    target_length: int | None = None,
    reverse_source: bool = False,
) -> EncodedPairs:
    """Encode and pad a list of pairs. ``target_length`` counts the added <start>/<end>.

    ``reverse_source`` reverses each English sentence before padding (Sutskever
    et al.'s trick); padding stays on the right, and gold alignments keep
    referring to the original order.
    """
    sources = [list(p.source)[::-1] if reverse_source else list(p.source) for p in pairs]
    targets = [target_vocab.encode(p.target) for p in pairs]
    return EncodedPairs(
        source=pad_sequences([source_vocab.encode(s) for s in sources], source_length),
        decoder_input=pad_sequences([[START_ID] + t for t in targets], target_length),
        decoder_target=pad_sequences([t + [END_ID] for t in targets], target_length),
        source_lengths=np.array([len(p.source) for p in pairs], dtype=np.int32),
    )


def build_vocabularies(pairs: Iterable[Pair]) -> tuple[Vocabulary, Vocabulary]:
    """(English vocabulary, Korean vocabulary) from the given (usually training) pairs."""
    pairs = list(pairs)
    return (
        Vocabulary.from_sentences(p.source for p in pairs),
        Vocabulary.from_sentences(p.target for p in pairs),
    )


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


@dataclasses.dataclass
class TrainingData:
    """The toy corpus ready to train on: pairs by split, vocabularies, encoded arrays."""

    splits: dict[str, list[Pair]]
    source_vocab: Vocabulary
    target_vocab: Vocabulary
    encoded: dict  # split name -> EncodedPairs (source, decoder_input, decoder_target, ...)


def training_data(path: str | pathlib.Path = TOY_CORPUS_PATH) -> TrainingData:
    """Load the corpus, build the vocabularies from the training split and encode every split.

    The one recipe every translation model of the series (and its benchmark) starts from.
    """
    splits = load_splits(path)
    source_vocab, target_vocab = build_vocabularies(splits["train"])
    encoded = {
        name: encode_pairs(pairs, source_vocab, target_vocab) for name, pairs in splits.items()
    }
    return TrainingData(splits, source_vocab, target_vocab, encoded)
