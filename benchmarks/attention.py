"""Seq2Seq with attention on the toy corpus: Luong (dot, general, concat) and Bahdanau, over seeds.

Trains the attention models of notebooks 06 and 07 (their settings and epochs are
``helpers.experiments.EXPERIMENTS``; the same ``training.fit`` as the no-attention model
of ``benchmarks/translation.py``) for a fixed number of epochs per seed, then
scores greedy translations of the test split and the teacher-forced attention
weights against the corpus's gold alignments. Writes

* ``attention_runs.csv`` (in ``experiments.RESULTS_DIR``): one row per (model, seed, bucket),
  bucket ``all`` included: exact match, token accuracy, alignment error rate
  (``metrics.alignment_error_rate``) and seconds per epoch;
* ``attention_{luong_dot,bahdanau,bahdanau_bi}_seed0.npz``: the trained
  weights of seed 0, which notebooks 06 and 07 load for their heatmaps and the
  attention stepper instead of training for minutes.

Rows of a run replace that run's earlier rows, so several invocations (say one
per model, in parallel) fill one file. Regenerate with ``make bench`` or::

    .venv/bin/python benchmarks/attention.py [--models dot general concat bahdanau bahdanau_bi]
        [--seeds 0 1 2] [--epochs N]   # default: 6 for Luong, 20 for Bahdanau
        [--every-seed-weights /tmp/weights]  # each seed's weights too, to study them

Seconds depend on the machine and on whatever else runs on it; accuracies
shift slightly with the CPU's instruction set.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

from helpers import experiments  # noqa: E402

RESULTS = experiments.RESULTS_DIR
# Command-line key -> the experiment it trains (settings, epochs, weights: helpers.experiments).
EXPERIMENTS = {
    "dot": experiments.experiment("attention_luong_dot"),
    "general": experiments.experiment("attention_luong_general"),
    "concat": experiments.experiment("attention_luong_concat"),
    "bahdanau": experiments.experiment("attention_bahdanau"),
    # The paper's encoder: does reading both ways make the weights align (issue 20)?
    "bahdanau_bi": experiments.experiment("attention_bahdanau_bi"),
}
MODELS = {key: experiment.name for key, experiment in EXPERIMENTS.items()}
RUNS_FILE = EXPERIMENTS["dot"].runs_file
COLUMNS = (
    "model",
    "seed",
    "epochs",
    "seconds_per_epoch",
    "bucket",
    "sentences",
    "exact_match",
    "token_accuracy",
    "alignment_error_rate",
)
DEFAULT_SEEDS = EXPERIMENTS["dot"].seeds
DEFAULT_EPOCHS = {key: experiment.training.epochs for key, experiment in EXPERIMENTS.items()}


def load_data():
    """Encoded splits, vocabularies and the test pairs."""
    from helpers.translation import text

    data = text.training_data()
    return data.encoded, data.source_vocab, data.target_vocab, data.splits["test"]


def score_table(model, test, test_pairs, target_vocab):
    """Exact match, token accuracy and AER per length bucket and overall."""
    from helpers import metrics
    from helpers.translation import attention_decoders, corpus, decoding

    predictions = decoding.predict_tokens(model, test.source, target_vocab)
    return metrics.scores_by_length(
        predictions,
        [list(pair.target) for pair in test_pairs],
        test.source_lengths,
        corpus.LENGTH_BUCKETS,
        attention=attention_decoders.teacher_forced_attention(
            model, test.source, test.decoder_input
        ),
        alignments=[pair.alignment for pair in test_pairs],
    )


def train_and_score(
    key: str, seed: int, epochs: int, data, weights_folder=None, every_seed_folder=None
) -> list[dict]:
    """One run: the rows of ``attention_runs.csv`` for (model, seed); saves seed-0 weights
    into ``weights_folder`` and, for a closer look, every seed's into ``every_seed_folder``."""
    from helpers import results, runtime
    from helpers.progress import EpochTimer
    from helpers.translation import models, seq2seq, training

    experiment = EXPERIMENTS[key]
    encoded, source_vocab, target_vocab, test_pairs = data
    runtime.seed_everything(seed)
    model = models.build(experiment, len(source_vocab), len(target_vocab))
    timer = EpochTimer()
    train = encoded["train"]
    training.fit(
        model,
        train.source,
        train.decoder_input,
        train.decoder_target,
        epochs=epochs,
        batch_size=experiment.training.batch_size,
        learning_rate=experiment.training.learning_rate,
        label=f"seed {seed}, {experiment.name}",
        seed=seed,
        callbacks=[timer],
    )
    if seed == experiment.weights_seed and weights_folder is not None:
        weights_folder.mkdir(parents=True, exist_ok=True)
        seq2seq.save_weights(model, weights_folder / experiment.weights_path.name)
    if every_seed_folder is not None:
        every_seed_folder.mkdir(parents=True, exist_ok=True)
        seq2seq.save_weights(model, every_seed_folder / f"{experiment.key}_seed{seed}.npz")
    common = {
        "model": experiment.name,
        "seed": seed,
        "epochs": epochs,
        # The first epoch also traces the graph; later epochs show the steady cost.
        "seconds_per_epoch": round(timer.median_seconds(), 2),
    }
    return results.run_rows(score_table(model, encoded["test"], test_pairs, target_vocab), **common)


def merge_rows(path: pathlib.Path, rows: list[dict]) -> None:
    """Write ``rows`` into the CSV at ``path``, replacing earlier rows of the same (model, seed)."""
    import pandas as pd

    new = pd.DataFrame(rows, columns=list(COLUMNS))
    if path.is_file():
        old = pd.read_csv(path)
        replaced = set(zip(new["model"], new["seed"], strict=True))
        old_runs = zip(old["model"], old["seed"], strict=True)
        keep = [(model, seed) not in replaced for model, seed in old_runs]
        new = pd.concat([old[keep], new], ignore_index=True)
    order = {name: index for index, name in enumerate(MODELS.values())}
    new = new.sort_values(  # stable: buckets keep their order within a run
        ["model", "seed"],
        key=lambda column: column.map(order) if column.name == "model" else column,
        kind="stable",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".tmp{os.getpid()}")
    new.to_csv(temporary, index=False)
    temporary.replace(path)  # atomic: a parallel run never reads half a file


def summary(frame) -> str:
    """Mean ± std over seeds per model: exact match (all, longest bucket), AER, s/epoch."""
    from helpers import results

    longest = frame["bucket"][frame["bucket"] != "all"].iloc[-1] if len(frame) else "25–30"
    lines = [
        f"{'model':<16} {'seeds':>5} {'exact match':>15} {'EM ' + longest:>15} "
        f"{'AER':>15} {'s/epoch':>8}"
    ]
    for model in MODELS.values():
        part = frame[frame["model"] == model]
        if part.empty:
            continue
        overall = part[part["bucket"] == "all"]
        long = part[part["bucket"] == longest]

        def cell(values, percent=True):
            spread = values.std(ddof=1) if len(values) > 1 else float("nan")
            if percent:
                return results.mean_std_text(values.mean(), spread, 1, 100, " %")
            return results.mean_std_text(values.mean(), spread, 3)

        lines.append(
            f"{model:<16} {len(overall):>5} {cell(overall['exact_match']):>15} "
            f"{cell(long['exact_match']):>15} "
            f"{cell(overall['alignment_error_rate'], percent=False):>15} "
            f"{overall['seconds_per_epoch'].mean():8.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", choices=list(MODELS), default=list(MODELS))
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument(
        "--epochs", type=int, default=None, help="epochs for every model (default: per model)"
    )
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    parser.add_argument(
        "--every-seed-weights",
        type=pathlib.Path,
        default=None,
        help="also save each seed's weights here (to study them; not committed)",
    )
    args = parser.parse_args(argv)
    import pandas as pd

    from helpers import runtime

    runtime.setup()
    data = load_data()
    for seed in args.seeds:
        for key in args.models:
            start = time.perf_counter()
            epochs = args.epochs or DEFAULT_EPOCHS[key]
            rows = train_and_score(key, seed, epochs, data, args.out, args.every_seed_weights)
            merge_rows(args.out / RUNS_FILE, rows)
            print(
                f"seed {seed} {MODELS[key]:<16}: exact match {rows[0]['exact_match']:.1%}, "
                f"longest bucket {rows[-1]['exact_match']:.1%}, "
                f"AER {rows[0]['alignment_error_rate']:.3f} ({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    print(summary(pd.read_csv(args.out / RUNS_FILE)))
    print(f"machine: {os.cpu_count()} cores; epochs per run: {args.epochs or DEFAULT_EPOCHS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
