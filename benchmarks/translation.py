"""Seq2Seq without attention on the toy corpus: source in order vs reversed, over seeds.

Trains the model of notebooks 03 and 04 (its settings: ``helpers.experiments``) for
the same number of epochs with the English source in order and reversed, for each
seed, then scores greedy translations of the test split. Prints exact match and
token accuracy by source-length bucket (mean ± std over seeds), test perplexity and
seconds per epoch, and writes to ``helpers.experiments.RESULTS_DIR``

* ``seq2seq_runs.csv``: one row per (order, seed, bucket), bucket
  ``all`` included: exact match, token accuracy, test perplexity, seconds/epoch;
* ``seq2seq_curves.csv``: one row per (order, seed, epoch): training
  loss, validation loss and validation token accuracy;
* ``seq2seq_{in_order,reversed}_seed0.npz``: the trained
  weights of seed 0, which notebooks 03 and 04 load instead of training for
  minutes.

Notebook 04 reads both. Regenerate with ``make bench`` or::

    .venv/bin/python benchmarks/translation.py [--seeds 0 1 2] [--epochs 25]

Seconds depend on the machine and on whatever else runs on it; accuracies
shift slightly with the CPU's instruction set.
"""

from __future__ import annotations

import argparse
import csv
import os
import pathlib
import sys
import time

from helpers import experiments  # noqa: E402

RESULTS = experiments.RESULTS_DIR
EXPERIMENTS = {
    "in order": experiments.experiment("seq2seq_in_order"),
    "reversed": experiments.experiment("seq2seq_reversed"),
}
ORDERS = tuple(EXPERIMENTS)
DEFAULT_SEEDS = EXPERIMENTS["in order"].seeds
DEFAULT_EPOCHS = EXPERIMENTS["in order"].training.epochs


def load_data():
    """Training, validation and test arrays of the toy corpus, plus vocabularies and references."""
    from helpers.translation import text

    data = text.training_data()
    references = [list(pair.target) for pair in data.splits["test"]]
    return data.encoded, data.source_vocab, data.target_vocab, references


def train_and_score(
    order: str, seed: int, epochs: int, data, weights_folder: pathlib.Path | None = None
) -> tuple[list[dict], list[dict]]:
    """One run: returns (rows per bucket incl. "all", rows per epoch); saves seed-0 weights."""
    import numpy as np

    from helpers import metrics, results, runtime
    from helpers.progress import EpochTimer
    from helpers.translation import corpus, decoding, models, seq2seq, training

    experiment = EXPERIMENTS[order]
    encoded, source_vocab, target_vocab, references = data
    runtime.seed_everything(seed)
    model = models.build(experiment, len(source_vocab), len(target_vocab))
    timer = EpochTimer()
    train, validation, test = encoded["train"], encoded["validation"], encoded["test"]
    settings = experiment.training
    history = training.fit(
        model,
        train.source,
        train.decoder_input,
        train.decoder_target,
        epochs=epochs,
        batch_size=settings.batch_size,
        learning_rate=settings.learning_rate,
        validation=validation,
        label=f"seed {seed}, {order}",
        seed=seed,
        callbacks=[timer],
    )
    if seed == experiment.weights_seed and weights_folder is not None:
        weights_folder.mkdir(parents=True, exist_ok=True)
        seq2seq.save_weights(model, weights_folder / experiment.weights_path.name)
    test_loss, _ = model.evaluate(
        (test.source, test.decoder_input), test.decoder_target, batch_size=500, verbose=0
    )
    predictions = decoding.predict_tokens(model, test.source, target_vocab)
    table = metrics.scores_by_length(
        predictions, references, test.source_lengths, corpus.LENGTH_BUCKETS
    )
    common = {
        "order": order,
        "seed": seed,
        "epochs": epochs,
        "test_perplexity": round(float(np.exp(test_loss)), 4),
        # The first epoch also traces the graph; later epochs show the steady cost.
        "seconds_per_epoch": round(timer.median_seconds(), 2),
    }
    bucket_rows = results.run_rows(table, **common)
    curve_rows = [
        {
            "order": order,
            "seed": seed,
            "epoch": epoch + 1,
            "loss": round(history.history["loss"][epoch], 5),
            "val_loss": round(history.history["val_loss"][epoch], 5),
            "val_token_accuracy": round(history.history["val_token_accuracy"][epoch], 5),
        }
        for epoch in range(epochs)
    ]
    return bucket_rows, curve_rows


def write_csv(path: pathlib.Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def print_table(rows: list[dict]) -> None:
    """Mean ± std over seeds of each score, per order and bucket."""
    import pandas as pd

    from helpers import results

    frame = pd.DataFrame(rows)
    buckets = list(dict.fromkeys(frame["bucket"]))
    print(f"{'order':<10} {'bucket':<7} {'exact match':>16} {'token accuracy':>16}")
    for order in ORDERS:
        for bucket in buckets:
            part = frame[(frame["order"] == order) & (frame["bucket"] == bucket)]
            if part.empty:
                continue
            cells = [
                results.mean_std_text(part[c].mean(), part[c].std(ddof=1), 1, 100, " %")
                for c in ("exact_match", "token_accuracy")
            ]
            print(f"{order:<10} {bucket:<7} {cells[0]:>16} {cells[1]:>16}")
    overall = frame[frame["bucket"] == "all"].groupby("order")
    for order, part in overall:
        perplexity = part["test_perplexity"]
        print(
            f"{order}: test perplexity "
            f"{results.mean_std_text(perplexity.mean(), perplexity.std(ddof=1), 2)}, "
            f"{part['seconds_per_epoch'].mean():.1f} s/epoch, {len(part)} seeds"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS)
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    args = parser.parse_args(argv)
    from helpers import runtime

    runtime.setup()
    data = load_data()
    bucket_rows, curve_rows = [], []
    for seed in args.seeds:
        for order in ORDERS:
            start = time.perf_counter()
            buckets, curves = train_and_score(order, seed, args.epochs, data, args.out)
            bucket_rows += buckets
            curve_rows += curves
            print(
                f"seed {seed} {order:<9}: exact match {buckets[0]['exact_match']:.1%} "
                f"({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
    write_csv(args.out / EXPERIMENTS["in order"].runs_file, bucket_rows)
    write_csv(args.out / experiments.RESULT_FILES["seq2seq curves"], curve_rows)
    print_table(bucket_rows)
    print(f"machine: {os.cpu_count()} cores; {args.epochs} epochs per run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
