"""The small Transformer of notebook 09 on the toy corpus, over several seeds.

Trains with exactly the notebook's settings and prints exact match by source
length, the alignment error rate of its cross-attention (mean of heads) and
seconds per epoch, as mean ± std over seeds. Writes data/results/transformer_runs.csv
with the columns of seq2seq_runs.csv (one row per seed and length bucket, bucket
"all" for the whole test split) plus the alignment error rate.

    .venv/bin/python benchmarks/transformer.py [--seeds 42 43 44]
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / "data" / "results"

# The notebook's model and training settings (09_toward_transformers).
MODEL = {"width": 64, "heads": 4, "layers": 1}
TRAINING = {"epochs": 6, "batch_size": 128, "learning_rate": 2e-3}


def run(seed: int) -> list[dict]:
    """Train one seed; return one row per length bucket plus one for the whole test split."""
    from helpers import corpus, decoding, metrics, runtime, text, training
    from helpers import transformer as tr

    runtime.setup(seed)
    data = text.training_data()
    splits, source_vocab, target_vocab = data.splits, data.source_vocab, data.target_vocab
    train, test = data.encoded["train"], data.encoded["test"]
    model = tr.Transformer(len(source_vocab), len(target_vocab), **MODEL)
    start = time.perf_counter()
    training.fit(
        model,
        train.source,
        train.decoder_input,
        train.decoder_target,
        label=f"seed {seed}",
        **TRAINING,
    )
    seconds_per_epoch = (time.perf_counter() - start) / TRAINING["epochs"]
    test_pairs = splits["test"]
    predictions = decoding.predict_tokens(model, test.source, target_vocab, max_length=25)
    references = [list(pair.target) for pair in test_pairs]
    lengths = [len(pair.source) for pair in test_pairs]
    by_length = metrics.accuracy_by_length(predictions, references, lengths, corpus.LENGTH_BUCKETS)
    weights = model.cross_attention(test.source, test.decoder_input).mean(axis=1)
    common = {
        "model": "Transformer",
        "seed": seed,
        "epochs": TRAINING["epochs"],
        "seconds_per_epoch": round(seconds_per_epoch, 2),
        "alignment_error_rate": metrics.alignment_error_rate(
            weights, [pair.alignment for pair in test_pairs]
        ),
    }
    rows = [
        {
            **common,
            "bucket": "all",
            "sentences": len(test_pairs),
            "exact_match": metrics.exact_match(predictions, references),
            "token_accuracy": metrics.token_accuracy(predictions, references),
        }
    ]
    for bucket, scores in by_length.iterrows():
        rows.append(
            {
                **common,
                "bucket": bucket,
                "sentences": int(scores["sentences"]),
                "exact_match": scores["exact match"],
                "token_accuracy": scores["token accuracy"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    args = parser.parse_args(argv)
    runs = pd.DataFrame([row for seed in args.seeds for row in run(seed)])
    RESULTS.mkdir(parents=True, exist_ok=True)
    runs.to_csv(RESULTS / "transformer_runs.csv", index=False, float_format="%.4f")

    def mean_std(series):
        return f"{series.mean():.3f} ± {series.std(ddof=0):.3f}"

    overall = runs[runs["bucket"] == "all"]
    print(f"\nTransformer over seeds {args.seeds}: exact match by source length")
    print(runs.groupby("bucket", sort=False)["exact_match"].agg(mean_std).to_string())
    print(f"alignment error rate   {mean_std(overall['alignment_error_rate'])}")
    print(f"seconds per epoch      {mean_std(overall['seconds_per_epoch'])}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
