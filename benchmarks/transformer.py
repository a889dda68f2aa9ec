"""The small Transformer of notebook 11 on the toy corpus, over several seeds.

Trains with the settings of ``helpers.experiments.EXPERIMENTS["transformer"]`` and
prints exact match by source length, the alignment error rate of its cross-attention
(mean of heads) and seconds per epoch, as mean ± std over seeds. Writes the runs file
(one row per seed and length bucket, bucket "all" for the whole test split, the
columns of seq2seq_runs.csv plus the alignment error rate) and the weights of the
experiment's weights seed, which notebook 11 loads instead of training for a minute.

    .venv/bin/python benchmarks/transformer.py [--seeds 42 43 44]
"""

from __future__ import annotations

import argparse
import sys
import time

from helpers import experiments  # noqa: E402

EXPERIMENT = experiments.experiment("transformer")


def run(seed: int) -> list[dict]:
    """Train one seed; return one row per length bucket plus one for the whole test split."""
    from helpers import metrics, results, runtime
    from helpers.translation import corpus, decoding, models, seq2seq, text, training

    runtime.setup(seed)
    data = text.training_data()
    splits, source_vocab, target_vocab = data.splits, data.source_vocab, data.target_vocab
    train, test = data.encoded["train"], data.encoded["test"]
    model = models.build(EXPERIMENT, len(source_vocab), len(target_vocab))
    start = time.perf_counter()
    training.fit(
        model,
        train.source,
        train.decoder_input,
        train.decoder_target,
        label=f"seed {seed}",
        **EXPERIMENT.training.as_kwargs(),
    )
    seconds_per_epoch = (time.perf_counter() - start) / EXPERIMENT.training.epochs
    if seed == EXPERIMENT.weights_seed:
        seq2seq.save_weights(model, EXPERIMENT.weights_path)
    test_pairs = splits["test"]
    predictions = decoding.predict_tokens(
        model, test.source, target_vocab, EXPERIMENT.max_output_tokens
    )
    scores = metrics.scores_by_length(
        predictions,
        [list(pair.target) for pair in test_pairs],
        test.source_lengths,
        corpus.LENGTH_BUCKETS,
        attention=model.cross_attention(test.source, test.decoder_input).mean(axis=1),
        alignments=[pair.alignment for pair in test_pairs],
    )
    common = {
        "model": EXPERIMENT.name,
        "seed": seed,
        "epochs": EXPERIMENT.training.epochs,
        "seconds_per_epoch": round(seconds_per_epoch, 2),
    }
    return results.run_rows(scores, **common)


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from helpers import results

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(EXPERIMENT.seeds))
    args = parser.parse_args(argv)
    runs = pd.DataFrame([row for seed in args.seeds for row in run(seed)])
    EXPERIMENT.runs_path.parent.mkdir(parents=True, exist_ok=True)
    runs.to_csv(EXPERIMENT.runs_path, index=False, float_format="%.4f")

    def mean_std(series):  # the sample std (ddof=1), as everywhere in the series
        return results.mean_std_text(series.mean(), series.std(ddof=1), 3)

    overall = runs[runs["bucket"] == "all"]
    print(f"\nTransformer over seeds {args.seeds}: exact match by source length")
    print(runs.groupby("bucket", sort=False)["exact_match"].agg(mean_std).to_string())
    print(f"alignment error rate   {mean_std(overall['alignment_error_rate'])}")
    print(f"seconds per epoch      {mean_std(overall['seconds_per_epoch'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
