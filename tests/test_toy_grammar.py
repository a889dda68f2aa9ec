"""The toy grammar: particles by final consonant, pronoun contraction, word roles."""

from __future__ import annotations

import random

import pytest

from helpers.translation import corpus, toy_grammar

PARTICLES = {"은": "topic", "는": "topic", "이": "subject", "가": "subject"}
PARTICLES |= {"을": "object", "를": "object"}


@pytest.fixture(scope="module")
def pairs():
    return corpus.generate_pairs()


def test_write_sentence_aligns_every_korean_token():
    source, target, alignment = toy_grammar.write_sentence(random.Random(0), 2)
    assert len(alignment) == len(target) and "and" in source
    assert sorted(p for group in alignment for p in group) == list(range(len(source)))


def test_particles_follow_the_final_consonant_rule(pairs):
    stems = (
        set(toy_grammar.NAMES.values())
        | set(toy_grammar.PEOPLE.values())
        | set(toy_grammar.ANIMALS.values())
    )
    for kind in toy_grammar.THINGS.values():
        stems |= set(kind.values())
    checked = 0
    for token in (token for pair in pairs for token in pair.target):
        stem, particle = token[:-1], token[-1]
        if stem in stems and particle in PARTICLES:
            assert token == toy_grammar.attach_particle(stem, PARTICLES[particle]), token
            checked += 1
    assert checked > 20_000


@pytest.mark.parametrize(
    ("noun", "role", "expected"),
    [
        ("재현", "topic", "재현은"),
        ("민지", "topic", "민지는"),
        ("책", "subject", "책이"),
        ("고양이", "subject", "고양이가"),
        ("빵", "object", "빵을"),
        ("우유", "object", "우유를"),
        ("재현", "copula", "재현이야"),
        ("민지", "copula", "민지야"),
        ("선생님", "copula_and", "선생님이고"),
    ],
)
def test_attach_particle(noun, role, expected):
    assert toy_grammar.attach_particle(noun, role) == expected


def test_particle_errors_are_clear():
    with pytest.raises(ValueError, match="unknown particle role 'genitive'"):
        toy_grammar.attach_particle("책", "genitive")
    with pytest.raises(ValueError, match="Hangul"):
        toy_grammar.has_final_consonant("book")


def test_definite_subjects_take_the_topic_particle_and_indefinite_the_subject_one(pairs):
    for pair in pairs:
        for token, group in zip(pair.target, pair.alignment, strict=True):
            words = [pair.source[i] for i in group]
            if words[0] == "the" and words[-1] in toy_grammar.ANIMALS and token[-1] in "은는이가":
                assert token[-1] in "은는", pair
            if words[0] == "a" and words[-1] in toy_grammar.ANIMALS and token[-1] in "은는이가":
                assert token[-1] in "이가", pair


def test_pronoun_contraction_only_between_i_and_you(pairs):
    contracted = [p for p in pairs if {"난", "넌"} & set(p.target)]
    assert contracted
    for pair in contracted:
        assert {"날", "널"} & set(pair.target), pair


def test_source_roles_read_the_grammar_off_the_alignment(pairs):
    love = next(p for p in pairs if p.english == "I love you")
    assert toy_grammar.source_roles(love) == ("SUBJ", "VERB", "OBJ")
    pair = corpus.Pair(
        tuple("the happy dog waits for you in the park and I am Jaehyun".split()),
        tuple("행복한 개는 공원에서 너를 기다리고 나는 재현이야".split()),
        ((1,), (0, 2), (6, 7, 8), (5,), (3, 4, 9), (10,), (11, 12)),
    )
    assert toy_grammar.source_roles(pair) == (
        ("SUBJ", "ADJ", "SUBJ", "VERB", "VERB", "OBJ", "PLACE", "PLACE", "PLACE", "AND")
        + ("SUBJ", "VERB", "VERB")
    )
    # "you" is a subject or an object depending on where it stands.
    roles_of_you = {
        role
        for p in pairs[:2000]
        for word, role in zip(p.source, toy_grammar.source_roles(p), strict=True)
        if word == "you"
    }
    assert roles_of_you == {"SUBJ", "OBJ"}
    assert all(set(toy_grammar.source_roles(p)) <= set(toy_grammar.ROLES) for p in pairs)
    with pytest.raises(ValueError, match="not a word of the toy grammar"):
        toy_grammar.source_roles(corpus.Pair(("Hi",), ("안녕",), ((0,),)))


def test_noun_substitutions_change_one_noun_at_the_start_or_at_the_end():
    source = ("the", "dog", "likes", "Minji", "and", "a", "baby", "sleeps")
    first, last = toy_grammar.noun_substitutions(source)
    assert first == ("the", "cat", "likes", "Minji", "and", "a", "baby", "sleeps")
    assert last == ("the", "dog", "likes", "Minji", "and", "a", "teacher", "sleeps")
    assert toy_grammar.noun_substitutions(("I", "love", "you")) is None
    assert toy_grammar.noun_substitutions(("the", "rabbit", "sleeps")) is None


def test_spell_out_contractions_writes_the_casual_forms_in_full():
    assert toy_grammar.spell_out_contractions(("난", "널", "사랑해")) == ("나는", "너를", "사랑해")
    assert toy_grammar.spell_out_contractions(("넌", "날", "좋아해")) == ("너는", "나를", "좋아해")
    assert toy_grammar.spell_out_contractions(("그녀는", "매일")) == ("그녀는", "매일")
