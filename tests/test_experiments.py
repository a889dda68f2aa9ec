"""helpers.experiments: every committed model loads into the model its settings describe."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import experiments
from helpers.forecasting import forecast
from helpers.translation import attention_decoders, models, real_corpus, seq2seq, text, transformer


@pytest.fixture(scope="module")
def vocabularies():
    data = text.training_data()
    return data.source_vocab, data.target_vocab


def corpus_vocabularies(experiment, toy_vocabularies):
    """The toy corpus's vocabularies, or the committed ones of the real corpus."""
    if experiment.corpus == "toy":
        return toy_vocabularies
    _, source_vocab, target_vocab = real_corpus.load_tokens(
        experiments.result_path("real corpus tokens")
    )
    return source_vocab, target_vocab


def test_every_committed_weights_file_belongs_to_an_experiment():
    named = {
        e.weights_path.name for e in experiments.EXPERIMENTS.values() if e.weights_seed is not None
    }
    named |= {
        experiments.result_path(f"real corpus {kind}").name for kind in ("tokens", "subwords")
    }
    named |= {experiments.explorer_weights_path(name).name for name in forecast.BUILDERS}
    on_disk = {path.name for path in experiments.RESULTS_DIR.glob("*.npz")}
    assert on_disk == named, (
        f"orphaned {sorted(on_disk - named)}, missing {sorted(named - on_disk)}"
    )


@pytest.mark.parametrize(
    "key", [key for key, e in experiments.EXPERIMENTS.items() if e.weights_seed is not None]
)
def test_committed_weights_load_into_the_described_model(key, vocabularies):
    experiment = experiments.experiment(key)
    model = models.load(experiment, *corpus_vocabularies(experiment, vocabularies))
    with np.load(experiment.weights_path) as stored:
        first = stored[sorted(stored.files)[0]]
    np.testing.assert_array_equal(model.get_weights()[0], first)
    assert getattr(model, "reverse_source", False) == experiment.settings.get(
        "reverse_source", False
    )


def test_every_results_file_is_in_the_results_folder():
    files = [e.runs_path for e in experiments.EXPERIMENTS.values()]
    files += [experiments.result_path(name) for name in experiments.RESULT_FILES]
    missing = [path.name for path in files if not path.is_file()]
    assert not missing, f"results files named but absent: {missing}; run make bench"


def test_settings_differ_only_where_the_models_do():
    rnn = [e for e in experiments.EXPERIMENTS.values() if e.architecture != "transformer"]
    for e in rnn:
        assert {k: e.settings[k] for k in experiments.RNN_SIZES} == experiments.RNN_SIZES


def test_unknown_names_are_clear_errors(vocabularies):
    with pytest.raises(ValueError, match="unknown experiment 'luong'.*attention_luong_dot"):
        experiments.experiment("luong")
    with pytest.raises(ValueError, match="unknown results 'curves'"):
        experiments.result_path("curves")
    concat = experiments.experiment("attention_luong_concat")
    with pytest.raises(
        ValueError, match="no committed weights; train it with benchmarks/attention"
    ):
        models.load(concat, *vocabularies)


def test_missing_weights_name_the_benchmark(tmp_path, vocabularies):
    dot = experiments.experiment("attention_luong_dot")
    with pytest.raises(FileNotFoundError, match="benchmarks/attention.py"):
        models.load(dot, *vocabularies, path=tmp_path / "absent.npz")


SMALL = {"embedding_dim": 8, "units": 8}


@pytest.mark.parametrize("score", ["dot", "general", "concat"])
def test_luong_experiments_build_a_luong_decoder_with_their_score(score):
    model = models.build(f"attention_luong_{score}", 30, 20, **SMALL)
    assert isinstance(model.decoder, attention_decoders.LuongDecoder)
    assert model.decoder.score == score
    assert model.decoder.units == 8 and model.decoder.vocab_size == 20


def test_each_architecture_builds_its_model():
    built = {key: models.build(e, 30, 20) for key, e in experiments.EXPERIMENTS.items()}
    assert isinstance(built["attention_bahdanau"].decoder, attention_decoders.BahdanauDecoder)
    assert isinstance(built["transformer"], transformer.Transformer)
    assert built["seq2seq_reversed"].reverse_source and not built["seq2seq_in_order"].reverse_source
    assert type(built["seq2seq_in_order"].decoder) is seq2seq.Decoder
    assert built["seq2seq_in_order"].decoder.units == experiments.RNN_SIZES["units"]


def test_an_unknown_override_names_the_settings():
    with pytest.raises(ValueError, match="has no setting \\['width'\\]; its settings are"):
        models.build("attention_bahdanau", 30, 20, width=8)


def test_weights_file_names_follow_the_benchmarks():
    names = {
        key: e.weights_path.name for key, e in experiments.EXPERIMENTS.items() if e.weights_path
    }
    assert names["attention_luong_dot"] == "attention_luong_dot_seed0.npz"
    assert names["seq2seq_reversed"] == "seq2seq_reversed_seed0.npz"
    assert names["transformer"] == "transformer_seed42.npz"


def test_load_restores_saved_weights(tmp_path, vocabularies):
    source_vocab, target_vocab = vocabularies
    dot = experiments.experiment("attention_luong_dot")
    saved = models.build(dot, len(source_vocab), len(target_vocab))
    seq2seq.save_weights(saved, tmp_path / "dot.npz")
    loaded = models.load(dot, source_vocab, target_vocab, tmp_path / "dot.npz")
    for mine, theirs in zip(saved.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(mine, theirs)


def test_forecast_paths_name_the_data_and_the_study():
    assert experiments.forecast_path("real").name == "forecast_real.csv"
    assert experiments.forecast_path("real", kind="checks").name == "forecast_checks_real.csv"
    assert experiments.forecast_path("synthetic", "inputs").name == "forecast_inputs_synthetic.csv"
    with pytest.raises(ValueError, match="expected one of"):
        experiments.forecast_path("real", kind="check")
    with pytest.raises(ValueError, match="unknown forecast data"):
        experiments.forecast_path("own")
