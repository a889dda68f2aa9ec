"""The toy English→Korean grammar: particles, lexicon, sentences and word roles.

A clause is ``subject verb [object] [place] [time]`` in English and
``subject [time] [place] [object] verb`` in Korean, with the particles
은/는 (topic), 이/가 (subject) and 을/를 (object) chosen by the final consonant
(받침) of the noun. One to four clauses are joined with "and"; in Korean the
verb of every clause but the last takes the connective ending -고.

Because the grammar writes both sides, each sentence comes with its gold word
alignment: for each Korean token, the tuple of English token positions
(0-based) it translates. Every English token is covered exactly once:
articles go with their noun ("the dog" → "개는"), "am/is/are" and "for/to"
go with the predicate, and the "and" after a clause goes with that clause's
verb (which carries the connective -고).

:func:`write_sentence` draws one sentence; ``helpers.translation.corpus`` wraps it into a
``Pair``, draws the corpus and its splits and keeps the committed file.
"""

from __future__ import annotations

import random

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
# Sentences
# ---------------------------------------------------------------------------


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


def write_sentence(
    rng: random.Random, clause_count: int
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """One sentence of ``clause_count`` clauses joined by "and".

    Returns ``(source, target, alignment)``: the English tokens (S), the Korean
    tokens (T) and, per Korean token, its ascending tuple of English positions.
    """
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
    return (
        tuple(builder.source),
        tuple(token for token, _ in korean),
        tuple(tuple(sorted(positions)) for _, positions in korean),
    )


# ---------------------------------------------------------------------------
# Word roles
# ---------------------------------------------------------------------------

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


def source_roles(pair) -> tuple[str, ...]:
    """The grammatical role of every English token of a toy-corpus ``Pair`` (length S).

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


# Each name, person and animal → the next one of its kind: a change that keeps the sentence
# grammatical and its length, so only where the change happens differs (notebook 03).
_NEXT_NOUN = {
    noun: nouns[(index + 1) % len(nouns)]
    for nouns in (list(NAMES), list(PEOPLE), list(ANIMALS))
    for index, noun in enumerate(nouns)
}


def noun_substitutions(source) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Two variants of an English sentence: its first noun changed, and its last noun changed.

    ``source``: English tokens (S). Nouns here are the grammar's names, people and
    animals; each is replaced by the next of its kind ("dog" → "cat"). Both
    variants have S tokens and differ from ``source`` in one token. Returns
    ``(first_changed, last_changed)``, or None when the sentence has fewer than
    two such nouns.
    """
    positions = [index for index, token in enumerate(source) if token in _NEXT_NOUN]
    if len(positions) < 2:
        return None
    variants = []
    for position in (positions[0], positions[-1]):
        tokens = list(source)
        tokens[position] = _NEXT_NOUN[tokens[position]]
        variants.append(tuple(tokens))
    return variants[0], variants[1]


_SPELLED_OUT = {
    **{
        short: attach_particle(SUBJECT_PRONOUNS[english][0], "topic")
        for english, short in CONTRACTED_TOPIC.items()
    },
    **{
        short: attach_particle(OBJECT_PRONOUNS[english], "object")
        for english, short in CONTRACTED_OBJECT.items()
    },
}


def spell_out_contractions(tokens) -> tuple[str, ...]:
    """Korean tokens with the casual contractions written in full: 난 → 나는, 널 → 너를, ...

    To a Korean reader 난 is just 나는 said casually; scoring both sides after
    this function counts such a choice as right (notebook 02).
    """
    return tuple(_SPELLED_OUT.get(token, token) for token in tokens)
