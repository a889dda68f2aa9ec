"""helpers.translation.translator and the translate-your-own widget, on the toy-corpus models."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import experiments
from helpers.teaching import widgets
from helpers.translation import decoding, models, text, translator


@pytest.fixture(scope="module")
def toy():
    data = text.training_data()
    model = models.load("attention_luong_dot", data.source_vocab, data.target_vocab)
    return translator.Translator.for_toy_corpus(
        "Luong (dot)", model, data.source_vocab, data.target_vocab
    )


def test_greedy_translation_matches_greedy_decoding_of_the_encoded_sentence(toy):
    result = toy.translate("I am Jaehyun", beam_width=1)
    source_ids = text.encode_sentences(["I am Jaehyun"], toy.source_vocab)
    expected = decoding.predict_tokens(toy.model, source_ids, toy.target_vocab)
    assert result.korean == " ".join(expected[0])
    assert translator.translate(toy.model, ["I am Jaehyun"], *vocabularies_of(toy)) == [
        result.korean
    ]
    assert result.source_tokens == ("I", "am", "Jaehyun") and result.unknown == ()
    assert result.attention.shape == (len(result.target_tokens), 3)
    np.testing.assert_allclose(result.attention.sum(axis=1), 1.0, atol=1e-5)


def test_beam_hypotheses_come_best_first_and_the_first_is_the_translation(toy):
    result = toy.translate("I love you", beam_width=3)
    assert len(result.hypotheses) == 3
    assert result.hypotheses[0][0] == result.korean
    scores = [score for _, score in result.hypotheses]
    assert scores == sorted(scores, reverse=True) and all(s <= 0 for s in scores)


def test_unknown_words_are_read_as_unk_and_named(toy):
    result = toy.translate("I am Seoul", beam_width=1)
    assert result.unknown == ("Seoul",)
    assert result.unknown_note == "'Seoul' is not in the vocabulary; the model reads <unk>."
    assert toy.translate("I am Jaehyun").unknown_note == ""


def vocabularies_of(door):
    return door.source_vocab, door.target_vocab


def test_bad_sentences_get_a_message_saying_what_to_type(toy):
    with pytest.raises(ValueError, match="empty"):
        toy.translate("   ")
    longest = experiments.MAX_SOURCE_TOKENS
    with pytest.raises(ValueError, match=f"at most {longest}: type a shorter one"):
        toy.translate("I " * (longest + 1))
    with pytest.raises(TypeError, match="str"):
        toy.translate(["I am Jaehyun"])


def test_a_toy_model_reads_a_sentence_as_a_learner_types_it(toy):
    typed = toy.translate("The dog sleeps.", beam_width=3)
    assert typed.source_tokens == ("the", "dog", "sleeps") and typed.unknown == ()
    assert typed.korean == toy.translate("the dog sleeps", beam_width=3).korean
    assert "final '.' dropped" in typed.notes[0] and "'The' read as 'the'" in typed.notes[0]
    assert toy.translate("i am jaehyun").source_tokens == ("I", "am", "Jaehyun")
    assert toy.translate("the dog sleeps").notes == ()  # as the corpus writes it: nothing said
    with pytest.raises(ValueError, match="no words"):
        toy.translate("?")


@pytest.mark.parametrize("typed", ["나는 고양이를 좋아해", "I love 고양이", "Я тебя люблю"])
def test_another_script_is_told_the_model_reads_english(toy, typed):
    with pytest.raises(ValueError, match="this model reads English; type an English sentence"):
        toy.translate(typed)


def test_widget_shows_a_message_in_place_of_the_old_figure(toy):
    shown = widgets.translate_your_own([toy], sentence="I am Jaehyun", beam_width=1)
    box, _, status, image = shown.widget.children
    assert status.value == "" and len(image.value) > 0 and len(shown.png) > 0
    box.value = ""
    assert "empty" in status.value
    assert image.value == b"" and image.layout.display == "none"  # not the last sentence's
    box.value = "I am Seoul"
    assert status.value == "" and len(image.value) > 0 and image.layout.display is None
    box.value = "나는 고양이를 좋아해"
    assert "this model reads English" in status.value and "영어 문장을 입력하세요" in status.value
    assert image.value == b""
    box.value = "I " * (experiments.MAX_SOURCE_TOKENS + 1)
    assert f"at most {experiments.MAX_SOURCE_TOKENS}" in status.value and image.value == b""
    with pytest.raises(ValueError, match="translators is empty"):
        widgets.translate_your_own([])


def test_chrf_by_length_draws_one_line_per_model_and_the_floor(close_figures):
    from helpers import plots

    scores = {"greedy": [10.0, 20.0], "beam 3": [12.0, 18.0]}
    fig = plots.accuracy_by_length(
        ["1–3", "4–5"], scores, ylabel="chrF", fraction=False, floor=[5, 6]
    )
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_ydata()) == 2]
    assert [list(line.get_ydata()) for line in lines] == [[10, 20], [12, 18], [5, 6]]
    assert fig.axes[0].get_ylim()[0] == 0
    with pytest.raises(ValueError, match="must lie in"):
        plots.accuracy_by_length(["1–3"], {"greedy": [20.0]}, ylabel="chrF")


@pytest.fixture(scope="module")
def every_model(toy):
    """The four translators of notebook 08's widget, from committed weights only."""
    from helpers.translation import real_corpus

    data = text.training_data()
    bahdanau = models.load("attention_bahdanau", data.source_vocab, data.target_vocab)
    toy_bahdanau = translator.Translator.for_toy_corpus(
        "Bahdanau", bahdanau, data.source_vocab, data.target_vocab
    )
    tokens, source, target = real_corpus.load_tokens(experiments.result_path("real corpus tokens"))
    real = [
        translator.Translator.for_real_corpus(
            key, models.load(key, source, target), tokens, source, target
        )
        for key in ["real_luong", "real_bahdanau"]
    ]
    return [toy, toy_bahdanau, *real]


def test_each_model_translates_a_typed_sentence_and_names_its_unknown_word(every_model):
    # the toy grammar has no full stop; every real training sentence ends with one
    sentences = ["I am Zorblax"] * 2 + ["I am Zorblax."] * 2
    for model, sentence in zip(every_model, sentences, strict=True):
        result = model.translate(sentence, beam_width=3)
        assert result.korean and result.attention.shape == (
            len(result.target_tokens),
            len(result.source_tokens),
        ), model.name
        assert [t.lower() for t in result.unknown] == ["zorblax"], (model.name, result.unknown)
        assert "not in the vocabulary" in result.unknown_note


def test_a_real_model_says_when_a_missing_full_stop_changes_its_translation(every_model):
    for model in every_model[2:]:
        stopped = model.translate("I love you.", beam_width=3)
        bare = model.translate("I love you", beam_width=3)
        assert stopped.notes == ()
        if bare.korean != stopped.korean:
            assert bare.notes == (
                "no final '.', '?' or '!': nearly every training sentence ends with one, so the "
                f"model reads an ending it rarely saw; with '.' it writes '{stopped.korean}' "
                "(문장 끝에 마침표가 없어 번역이 달라졌습니다)",
            )
        else:
            assert bare.notes == ()
    assert any(model.translate("I love you").notes for model in every_model[2:])


def test_the_widget_switches_between_every_model(every_model):
    shown = widgets.translate_your_own(every_model, sentence="I love you.", beam_width=3)
    _, choices, status, image = shown.widget.children
    chooser, width = choices.children
    for index in range(1, len(every_model)):
        image.value = b""
        chooser.value = index
        assert status.value == "" and len(image.value) > 0, every_model[index].name
    width.value = 5
    assert status.value == "" and len(image.value) > 0
