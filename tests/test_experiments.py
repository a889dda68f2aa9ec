"""helpers.experiments: every committed model loads into the model its settings describe."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import corpus, experiments


@pytest.fixture(scope="module")
def vocabularies():
    data = corpus.training_data()
    return data.source_vocab, data.target_vocab


def test_every_committed_weights_file_belongs_to_an_experiment():
    named = {
        e.weights_path.name for e in experiments.EXPERIMENTS.values() if e.weights_seed is not None
    }
    on_disk = {path.name for path in experiments.RESULTS_DIR.glob("*.npz")}
    assert on_disk == named, (
        f"orphaned {sorted(on_disk - named)}, missing {sorted(named - on_disk)}"
    )


@pytest.mark.parametrize(
    "key", [key for key, e in experiments.EXPERIMENTS.items() if e.weights_seed is not None]
)
def test_committed_weights_load_into_the_described_model(key, vocabularies):
    experiment = experiments.experiment(key)
    model = experiment.load(*vocabularies)
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
        concat.load(*vocabularies)


def test_missing_weights_name_the_benchmark(tmp_path, vocabularies):
    dot = experiments.experiment("attention_luong_dot")
    with pytest.raises(FileNotFoundError, match="benchmarks/attention.py"):
        dot.load(*vocabularies, path=tmp_path / "absent.npz")
