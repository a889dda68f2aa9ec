"""Where Bahdanau's strongest attention lands, seed by seed: on the gold word, or next to it?

``benchmarks/attention.py --every-seed-weights FOLDER`` keeps each seed's weights; this
script scores them on the test split (teacher forced, like the AER of ``attention_runs.csv``)
and counts, for each aligned Korean token, the signed distance from its strongest source
position to the nearest gold word (``metrics.alignment_offsets``: 0 right, +1 one English
word later). Writes ``attention_offsets.csv`` (``experiments.result_path("attention
offsets")``): one row per (model, seed, offset) with the tokens and their share.

    .venv/bin/python benchmarks/attention.py --models bahdanau bahdanau_bi \\
        --every-seed-weights /tmp/weights
    .venv/bin/python benchmarks/attention_offsets.py /tmp/weights [--models bahdanau bahdanau_bi]
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from attention import EXPERIMENTS, load_data  # noqa: E402  (benchmarks/attention.py)

from helpers import experiments  # noqa: E402


def offset_rows(key: str, seed: int, weights: pathlib.Path, data) -> list[dict]:
    """The offset counts of one saved model on the test split."""
    from helpers import metrics
    from helpers.translation import attention_decoders, models

    encoded, source_vocab, target_vocab, test_pairs = data
    experiment = EXPERIMENTS[key]
    model = models.load(experiment, source_vocab, target_vocab, path=weights)
    test = encoded["test"]
    attention = attention_decoders.teacher_forced_attention(model, test.source, test.decoder_input)
    counts = metrics.alignment_offsets(attention, [pair.alignment for pair in test_pairs])
    total = sum(counts.values())
    return [
        {"model": experiment.name, "seed": seed, "offset": offset, "tokens": n, "share": n / total}
        for offset, n in counts.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("weights", type=pathlib.Path, help="the --every-seed-weights folder")
    parser.add_argument(
        "--models", nargs="+", choices=list(EXPERIMENTS), default=["bahdanau", "bahdanau_bi"]
    )
    parser.add_argument(
        "--out", type=pathlib.Path, default=experiments.result_path("attention offsets")
    )
    args = parser.parse_args(argv)
    import pandas as pd

    from helpers import runtime

    runtime.setup()
    data = load_data()
    rows = []
    for key in args.models:
        stem = EXPERIMENTS[key].key
        found = sorted(args.weights.glob(f"{stem}_seed*.npz"))
        if not found:
            raise SystemExit(
                f"no {stem}_seed*.npz in {args.weights}; train with benchmarks/attention.py "
                f"--models {key} --every-seed-weights {args.weights}"
            )
        for path in found:
            seed = int(path.stem.rsplit("seed", 1)[1])
            rows += offset_rows(key, seed, path, data)
    table = pd.DataFrame(rows)
    table.to_csv(args.out, index=False)
    wide = table.pivot_table(
        index=["model", "seed"], columns="offset", values="share", fill_value=0
    )
    print(wide.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
