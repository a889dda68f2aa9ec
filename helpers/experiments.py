"""The registry: each trained model's settings, seeds, name, weights and results files, and
the facts every model shares (the splits, the longest input, the output cap).

One home for these facts, and only facts: a leaf that imports no model, so both halves of
the series can read it (``helpers.translation.models`` builds and loads what an
:class:`Experiment` describes). The benchmarks train what an :class:`Experiment` describes and
write its files; the notebooks load the same files through it; ``tools/readme_results.py``
reads the results folder named here. :data:`PROJECT_ROOT` is the one place
the code spells the project's folder, :data:`RESULTS_DIR` the results folder's.
"""

from __future__ import annotations

import dataclasses
import pathlib

PROJECT_ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS_DIR = PROJECT_ROOT / "data/results"

# The parts every data set of the series is cut into, in time order for the prices.
SPLITS = ("train", "validation", "test")

# The longest English sentence a translation model is asked to read: the toy grammar writes
# none longer (its last length bucket ends there) and a typed sentence beyond it is refused.
MAX_SOURCE_TOKENS = 30
# The most tokens a translation model may write before it is stopped: the longest Korean
# target of the toy corpus has 19, so a model that has not ended by then is looping.
MAX_OUTPUT_TOKENS = 30

# Every recurrent translation model of notebooks 03-07: 64-wide embeddings, 128 LSTM units.
RNN_SIZES = {"embedding_dim": 64, "units": 128}
ARCHITECTURES = ("seq2seq", "luong", "bahdanau", "transformer")

# Results that belong to no single model: file name by what it holds.
RESULT_FILES = {
    "seq2seq curves": "seq2seq_curves.csv",  # loss per epoch, benchmarks/translation.py
    "notebook times": "notebook_times.csv",  # benchmarks/notebook_times.py
    # subword models and vocabularies of the real-corpus weights, benchmarks/real_corpus.py
    "real corpus tokens": "real_corpus_tokens.npz",
    # test chrF by the number of training pairs (--sizes), and the subword tokeniser by itself
    "real corpus sizes": "real_corpus_sizes.csv",
    "real corpus subwords": "real_corpus_subwords.npz",
    # where each seed's strongest attention lands against the gold words, attention_offsets.py
    "attention offsets": "attention_offsets.csv",
}
FORECAST_DATA = ("synthetic", "real")  # the shipped file; PRICE_DATA pointing at the real one
# What benchmarks/forecast.py writes: the model tables, its --checks and its --inputs study.
FORECAST_KINDS = {"scores": "", "checks": "checks_", "inputs": "inputs_"}
# The baseline every forecaster is measured against: its row name in those files and tables.
NAIVE = "naive (last price)"
# The pooled forecasters' blend (benchmarks/forecast.py: BLEND_WEIGHTS, and how the weight
# was chosen): the trees' share, the three networks sharing the rest; its row name.
BLEND_TREES_WEIGHT = 0.5
BLEND = f"three networks + trees (weight {BLEND_TREES_WEIGHT:g})"


def explorer_weights_path(network: str) -> pathlib.Path:
    """The weights notebook 10's explorer loads for ``network`` (a key of
    ``helpers.forecasting.forecast.BUILDERS``): the pooled model of seed 0, trained on the
    shipped price file by ``benchmarks/forecast.py --explorer-weights``."""
    return RESULTS_DIR / f"forecast_pooled_{network}_seed0.npz"


def result_path(name: str) -> pathlib.Path:
    """The file in :data:`RESULTS_DIR` that holds ``name`` (a key of :data:`RESULT_FILES`)."""
    if name not in RESULT_FILES:
        raise ValueError(f"unknown results {name!r}; expected one of {sorted(RESULT_FILES)}")
    return RESULTS_DIR / RESULT_FILES[name]


def forecast_path(data: str, kind: str = "scores") -> pathlib.Path:
    """Where ``benchmarks/forecast.py`` writes its tidy scores (``kind`` "scores"), its
    ``--checks`` table ("checks") or its ``--inputs`` study ("inputs").

    ``data`` is ``"synthetic"`` or ``"real"`` (:data:`FORECAST_DATA`).
    """
    if data not in FORECAST_DATA:
        raise ValueError(f"unknown forecast data {data!r}; expected one of {FORECAST_DATA}")
    if kind not in FORECAST_KINDS:
        raise ValueError(
            f"unknown forecast results {kind!r}; expected one of {list(FORECAST_KINDS)}"
        )
    return RESULTS_DIR / f"forecast_{FORECAST_KINDS[kind]}{data}.csv"


@dataclasses.dataclass(frozen=True)
class Training:
    """What ``training.fit`` is given besides the data."""

    epochs: int
    batch_size: int = 64
    learning_rate: float = 3e-3

    def as_kwargs(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Experiment:
    """One trained translation model of the series, as its benchmark trains it.

    ``settings`` are the model's constructor keywords beyond the two vocabulary sizes;
    ``weights_seed`` is the seed whose weights are committed for the notebooks (None: none).
    """

    key: str
    name: str
    architecture: str
    settings: dict
    training: Training
    seeds: tuple[int, ...]
    runs_file: str
    benchmark: str
    weights_seed: int | None = None
    corpus: str = "toy"  # "real": Tatoeba, vocabularies in result_path("real corpus tokens")
    max_output_tokens: int = MAX_OUTPUT_TOKENS  # where its benchmark stops an unended output

    @property
    def runs_path(self) -> pathlib.Path:
        return RESULTS_DIR / self.runs_file

    @property
    def weights_path(self) -> pathlib.Path | None:
        if self.weights_seed is None:
            return None
        return RESULTS_DIR / f"{self.key}_seed{self.weights_seed}.npz"


def _real(key, name, architecture, **settings):
    # At most 40 epochs; benchmarks/real_corpus.py keeps the block best on validation chrF.
    return Experiment(
        key=key,
        name=name,
        architecture=architecture,
        settings={**RNN_SIZES, **settings},
        training=Training(epochs=40),
        seeds=(0,),
        runs_file="real_corpus_runs.csv",
        benchmark="benchmarks/real_corpus.py",
        weights_seed=0,
        corpus="real",
    )


def _attention(key, name, architecture, epochs, weights_seed=None, **settings):
    return Experiment(
        key=key,
        name=name,
        architecture=architecture,
        settings={**RNN_SIZES, **settings},
        training=Training(epochs=epochs),
        seeds=(0, 1, 2),
        runs_file="attention_runs.csv",
        benchmark="benchmarks/attention.py",
        weights_seed=weights_seed,
    )


def _seq2seq(key, name, reverse_source):
    # 25 epochs: at 15 the models were still learning (the short half stayed below 90 %).
    return Experiment(
        key=key,
        name=name,
        architecture="seq2seq",
        settings={**RNN_SIZES, "reverse_source": reverse_source},
        training=Training(epochs=25),
        seeds=(0, 1, 2),
        runs_file="seq2seq_runs.csv",
        benchmark="benchmarks/translation.py",
        weights_seed=0,
    )


# Bahdanau gets more epochs than Luong, the same for every seed. Measured over 3 seeds:
# 8 epochs gave 99.6 % exact match, 98.4 % at worst on 25-30 words, AER 0.10 ± 0.06;
# 20 epochs 99.6 %, 99.2 % at worst on 25-30 words, AER 0.09 ± 0.07. Luong (general)
# after 6 epochs left one seed at 97.3 % (92.4 % on 25-30 words); after 8 its three
# seeds reach 99.3 % ± 0.3 %, 98.7 % on 25-30 words.
EXPERIMENTS = {
    experiment.key: experiment
    for experiment in (
        _seq2seq("seq2seq_in_order", "Seq2Seq, in order", reverse_source=False),
        _seq2seq("seq2seq_reversed", "Seq2Seq, reversed", reverse_source=True),
        _attention("attention_luong_dot", "Luong (dot)", "luong", 6, weights_seed=0, score="dot"),
        _attention("attention_luong_general", "Luong (general)", "luong", 8, score="general"),
        _attention("attention_luong_concat", "Luong (concat)", "luong", 6, score="concat"),
        _attention("attention_bahdanau", "Bahdanau", "bahdanau", 20, weights_seed=0),
        _attention(
            "attention_bahdanau_bi",
            "Bahdanau, bidirectional encoder",
            "bahdanau",
            20,
            weights_seed=0,
            bidirectional=True,
        ),
        _real("real_luong", "Luong (dot), real sentences", "luong", score="dot"),
        _real("real_bahdanau", "Bahdanau, real sentences", "bahdanau"),
        Experiment(
            key="transformer",
            name="Transformer",
            architecture="transformer",
            settings={"width": 64, "heads": 4, "layers": 1},
            training=Training(epochs=6, batch_size=128, learning_rate=2e-3),
            seeds=(42, 43, 44),
            runs_file="transformer_runs.csv",
            benchmark="benchmarks/transformer.py",
            weights_seed=42,
            max_output_tokens=25,
        ),
    )
}


def experiment(key: str) -> Experiment:
    """The experiment named ``key`` (a key of :data:`EXPERIMENTS`), with a clear error."""
    if key not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {key!r}; expected one of {sorted(EXPERIMENTS)}")
    return EXPERIMENTS[key]
