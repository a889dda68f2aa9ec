"""Luong and Bahdanau attention on real Korean–English sentences (Tatoeba), words or subwords.

Trains the attention models of notebooks 06 and 07 (same sizes, same ``training.fit``) on a
learner's copy of Tatoeba's ``kor.txt`` (``helpers.translation.real_corpus``: split by English
sentence, seed 42), once with whole words and once with SentencePiece subwords learned
from the training split. Each run trains in blocks of ``--block`` epochs up to
``--max-epochs``, stops once ``--patience`` blocks bring no better validation chrF (greedy)
and keeps the weights of the best block, so the epoch count is chosen without the test split.
Then it translates the test split greedily and with beams of 3 and 5 and scores chrF and
BLEU (sacreBLEU) by English length.
Writes, in ``experiments.RESULTS_DIR``:

* ``real_corpus_runs.csv``: one row per (model, tokenisation, seed, beam width, bucket),
  bucket ``all`` included: sentences, chrF, BLEU, unknown-token shares, the chosen epochs,
  seconds per epoch; plus a ``shuffled references`` row per tokenisation, the score of
  a translation that ignores its source (each test sentence scored against another's
  reference), the floor any model must clear;
* ``real_{luong,bahdanau}_seed0.npz`` and ``real_corpus_tokens.npz``: seed 0's weights of
  the tokenisation with the better mean validation chrF, and its subword models and
  vocabularies (no sentences), which the notebook loads when the learner has no corpus file;
* ``real_corpus_subwords.npz``: the subword models and vocabularies learned from the training
  split (whichever tokenisation is kept), which the notebook shows without the corpus file.

With ``--sizes`` it measures what more data buys instead: the model and tokenisation the
benchmark adopted (the tokenisation with the better mean validation chrF in
``real_corpus_runs.csv``, and there the model with the better validation chrF) are trained
the same way on a quarter, a half and all of the training pairs (``--fractions``; a smaller
share is part of a larger one, vocabularies come from the pairs kept, validation and test stay
whole), and ``real_corpus_sizes.csv`` gets one row per run (``weights`` "trained"): pairs,
chosen epochs, chrF on the first 500 training pairs (seen sentences) and chrF and BLEU on the
test split (greedy), scored with the weights rounded to float16 as the committed files hold
them; a row for the committed weights themselves (``weights`` "committed", what notebook 08
loads), scored the same way, since a rerun of the same settings need not give the same model;
and the shuffled-references floor.

Regenerate with::

    PARALLEL_DATA=/path/to/kor.txt .venv/bin/python benchmarks/real_corpus.py \\
        [--models luong bahdanau] [--tokenisations words subwords] [--seeds 0]
    PARALLEL_DATA=/path/to/kor.txt .venv/bin/python benchmarks/real_corpus.py --sizes

Without ``PARALLEL_DATA`` it reads the shared copy ``../shared/data/tatoeba_kor_eng/kor.txt``
beside the project, if there is one.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

from helpers import experiments  # noqa: E402

RESULTS = experiments.RESULTS_DIR
SHARED_COPY = experiments.PROJECT_ROOT.parent / "shared/data/tatoeba_kor_eng/kor.txt"
EXPERIMENTS = {
    "luong": experiments.experiment("real_luong"),
    "bahdanau": experiments.experiment("real_bahdanau"),
}
RUNS_FILE = EXPERIMENTS["luong"].runs_file
TOKENS_PATH = experiments.result_path("real corpus tokens")
SIZES_FILE = experiments.RESULT_FILES["real corpus sizes"]
SUBWORDS_FILE = experiments.RESULT_FILES["real corpus subwords"]  # the tokeniser, kept or not
TRAIN_FRACTIONS = (0.25, 0.5, 1.0)
SIZE_COLUMNS = (
    "model weights tokenisation seed train_fraction train_pairs validation_pairs test_pairs epochs "
    "seconds_per_epoch validation_chrF train_chrF source_unknown target_unknown chrF BLEU"
).split()
SEEN_SAMPLE = 500  # training pairs scored as seen sentences, as notebook 08 does
# English words per sentence: most of Tatoeba's sentences are short everyday ones.
LENGTH_BUCKETS = ((1, 3), (4, 5), (6, 7), (8, 40))
BEAM_WIDTHS = (1, 3, 5)  # 1 = greedy


def corpus_path() -> pathlib.Path:
    from helpers.translation import real_corpus

    given = os.environ.get(real_corpus.PARALLEL_DATA_ENV)
    return real_corpus.parallel_data_path(given or SHARED_COPY)


def english_lengths(pairs):
    import numpy as np

    return np.array([min(len(p.english.split()), 40) for p in pairs])


def translations(model, data, split, beam_width, count=None):
    """Korean sentences for ``split``'s sources, the first ``count`` if given (greedy when
    ``beam_width`` is 1)."""
    from helpers.translation import decoding

    encoded = data.encoded[split]
    max_length = encoded.decoder_target.shape[1] + 5
    tokens = decoding.predict_tokens(
        model,
        encoded.source[:count],
        data.target_vocab,
        max_length,
        batch_size=100,
        beam_width=beam_width,
    )
    return [data.tokeniser.target_text(sentence) for sentence in tokens]


def validation_chrf(model, data) -> float:
    from helpers import metrics

    references = [pair.korean for pair in data.splits["validation"]]
    return metrics.corpus_chrf(translations(model, data, "validation", 1), references)


def train(key, data, seed, block, max_epochs, patience):
    """Train in blocks, stopping after ``patience`` blocks without a better validation chrF;
    return the model at its best validation chrF, its epochs, s/epoch, that chrF."""
    from helpers import runtime
    from helpers.progress import EpochTimer
    from helpers.translation import models, training

    experiment = EXPERIMENTS[key]
    runtime.seed_everything(seed)
    model = models.build(experiment, len(data.source_vocab), len(data.target_vocab))
    train_split, timer = data.encoded["train"], EpochTimer()
    best = (-1.0, 0, None)
    seconds = []
    for start in range(0, max_epochs, block):
        training.fit(
            model,
            train_split.source,
            train_split.decoder_input,
            train_split.decoder_target,
            epochs=block,
            batch_size=experiment.training.batch_size,
            learning_rate=experiment.training.learning_rate,
            label=f"{experiment.name}, {data.tokeniser.kind}, seed {seed}",
            seed=seed + start,
            callbacks=[timer],
        )
        seconds += timer.seconds
        score = validation_chrf(model, data)
        print(f"  epochs {start + block}: validation chrF {score:.1f}", flush=True)
        if score > best[0]:
            best = (score, start + block, model.get_weights())
        elif start + block - best[1] >= patience * block:
            break
    model.set_weights(best[2])
    return model, best[1], sorted(seconds)[len(seconds) // 2], best[0]


def unknown_shares(data) -> dict:
    from helpers.translation import text

    test = data.encoded["test"]
    return {
        "source_unknown": round(
            float((test.source == text.UNKNOWN_ID).mean() / (test.source > 0).mean()), 4
        ),
        "target_unknown": round(
            float((test.decoder_target == text.UNKNOWN_ID).sum() / (test.decoder_target > 0).sum()),
            4,
        ),
    }


def score_rows(predictions, data, **common) -> list[dict]:
    from helpers import metrics, results

    pairs = data.splits["test"]
    references = [pair.korean for pair in pairs]
    table = metrics.scores_by_length(
        predictions, references, english_lengths(pairs), LENGTH_BUCKETS, bleu_and_chrf=True
    )
    table = table.drop(columns=["exact match", "token accuracy"])
    return results.run_rows(table, **common, **unknown_shares(data))


def adopted(runs_path) -> tuple[str, str]:
    """(model key, tokenisation) that the benchmark kept, read from its runs file."""
    import pandas as pd

    runs = pd.read_csv(runs_path)
    scored = runs[(runs["model"] != "shuffled references") & (runs["bucket"] == "all")]
    scored = scored[scored["beam_width"] == 1]  # one row per trained model
    kind = scored.groupby("tokenisation")["validation_chrF"].mean().idxmax()
    by_model = scored[scored["tokenisation"] == kind].groupby("model")["validation_chrF"].mean()
    return next(k for k, e in EXPERIMENTS.items() if e.name == by_model.idxmax()), kind


def as_committed(model):
    """The model with its weights rounded to float16, as the committed weight files hold them."""
    import numpy as np

    model.set_weights([np.asarray(w, np.float16).astype(w.dtype) for w in model.get_weights()])
    return model


def chrf_and_bleu(hypotheses, references) -> dict:
    from helpers import metrics

    return {
        "chrF": round(metrics.corpus_chrf(hypotheses, references), 4),
        "BLEU": round(metrics.corpus_bleu(hypotheses, references), 4),
    }


def seen_and_unseen(model, data) -> dict:
    """chrF on the first training pairs (seen), chrF and BLEU on the test split, greedy."""
    from helpers import metrics

    seen = [pair.korean for pair in data.splits["train"][:SEEN_SAMPLE]]
    seen_chrf = metrics.corpus_chrf(translations(model, data, "train", 1, SEEN_SAMPLE), seen)
    references = [pair.korean for pair in data.splits["test"]]
    test = chrf_and_bleu(translations(model, data, "test", 1), references)
    return {"train_chrF": round(seen_chrf, 4), **unknown_shares(data), **test}


def size_rows(args, path) -> list[dict]:
    """The --sizes runs, one row each (and the floor first), saved as each run ends."""
    from helpers.translation import models, real_corpus

    adopted_key, adopted_kind = adopted(RESULTS / RUNS_FILE)
    rows = []
    for kind in args.tokenisations or [adopted_kind]:
        for fraction in sorted(args.fractions):
            data = real_corpus.training_data(path, kind, train_fraction=fraction)
            common = {"tokenisation": kind, "train_fraction": fraction}
            common |= {f"{name}_pairs": len(split) for name, split in data.splits.items()}
            if fraction == min(args.fractions):  # the floor ignores the model and its data
                references = [pair.korean for pair in data.splits["test"]]
                floor = {"model": "shuffled references", "tokenisation": kind}
                floor |= {"test_pairs": len(references)}
                rows.append(floor | chrf_and_bleu(references[1:] + references[:1], references))
            for key in args.models or [adopted_key]:
                experiment = EXPERIMENTS[key]
                if fraction == 1 and kind == adopted_kind and experiment.weights_path.is_file():
                    # The weights notebook 08 loads (float16), scored the same way: a rerun of
                    # the same settings need not give the same model, so both are shown.
                    model = models.load(experiment, data.source_vocab, data.target_vocab)
                    run = {"model": experiment.name, "weights": "committed"}
                    run |= {"seed": experiment.weights_seed}
                    run |= {"validation_chrF": round(validation_chrf(model, data), 4)}
                    rows.append(common | run | seen_and_unseen(model, data))
            for seed, key in [(s, k) for s in args.seeds for k in args.models or [adopted_key]]:
                start = time.perf_counter()
                model, epochs, per_epoch, chosen = train(
                    key, data, seed, args.block, args.max_epochs, args.patience
                )
                run = {"model": EXPERIMENTS[key].name, "weights": "trained", "seed": seed}
                run |= {"epochs": epochs, "seconds_per_epoch": round(per_epoch, 2)}
                run |= {"validation_chrF": round(chosen, 4)}
                rows.append(common | run | seen_and_unseen(as_committed(model), data))
                print(f"{rows[-1]}, {time.perf_counter() - start:.0f} s", flush=True)
                write_sizes(rows, args.out / SIZES_FILE)
    write_sizes(rows, args.out / SIZES_FILE)
    return rows


def write_sizes(rows, path) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=SIZE_COLUMNS)
    counted = ["seed", "train_pairs", "validation_pairs", "test_pairs", "epochs"]
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.astype(dict.fromkeys(counted, "Int64")).to_csv(path, index=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # default: both models and tokenisations; with --sizes, the ones the benchmark adopted
    parser.add_argument("--models", nargs="+", choices=list(EXPERIMENTS))
    parser.add_argument("--tokenisations", nargs="+", choices=["words", "subwords"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--block", type=int, default=5, help="epochs between validation scores")
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument(
        "--patience", type=int, default=2, help="blocks without a better validation chrF"
    )
    parser.add_argument("--out", type=pathlib.Path, default=RESULTS)
    parser.add_argument(
        "--sizes", action="store_true", help=f"train on shares of the pairs; write {SIZES_FILE}"
    )
    parser.add_argument("--fractions", type=float, nargs="+", default=list(TRAIN_FRACTIONS))
    args = parser.parse_args(argv)
    import pandas as pd

    from helpers import runtime
    from helpers.translation import real_corpus, seq2seq

    runtime.setup()
    path = corpus_path()
    if args.sizes:
        start = time.perf_counter()
        print(pd.DataFrame(size_rows(args, path)).drop(columns=["validation_pairs"]))
        print(f"{time.perf_counter() - start:.0f} s on {os.cpu_count()} cores")
        return 0
    args.models = args.models or list(EXPERIMENTS)
    args.tokenisations = args.tokenisations or ["words", "subwords"]
    rows, kept = [], {}  # kept: tokenisation -> (data, {key: seed-0 model}, validation chrFs)
    for kind in args.tokenisations:
        data = real_corpus.training_data(path, kind)
        references = [pair.korean for pair in data.splits["test"]]
        rows += score_rows(
            references[1:] + references[:1],
            data,
            model="shuffled references",
            tokenisation=kind,
            seed=None,
            beam_width=None,
            epochs=None,
            seconds_per_epoch=None,
            validation_chrF=None,
        )
        kept[kind] = (data, {}, [])
        for seed in args.seeds:
            for key in args.models:
                start = time.perf_counter()
                model, epochs, per_epoch, chosen_chrf = train(
                    key, data, seed, args.block, args.max_epochs, args.patience
                )
                experiment = EXPERIMENTS[key]
                kept[kind][2].append(chosen_chrf)
                if seed == experiment.weights_seed:
                    kept[kind][1][key] = model
                for width in BEAM_WIDTHS:
                    rows += score_rows(
                        translations(model, data, "test", width),
                        data,
                        model=experiment.name,
                        tokenisation=kind,
                        seed=seed,
                        beam_width=width,
                        epochs=epochs,
                        seconds_per_epoch=round(per_epoch, 2),
                        validation_chrF=round(chosen_chrf, 2),
                    )
                print(
                    f"{experiment.name}, {kind}, seed {seed}: {epochs} epochs, validation chrF "
                    f"{chosen_chrf:.1f}, {time.perf_counter() - start:.0f} s",
                    flush=True,
                )
    # The tokenisation kept for the notebook is chosen on validation, never on test.
    best_kind = max(kept, key=lambda kind: sum(kept[kind][2]) / max(len(kept[kind][2]), 1))
    data, models, _ = kept[best_kind]
    args.out.mkdir(parents=True, exist_ok=True)
    real_corpus.save_tokens(data, args.out / TOKENS_PATH.name)
    if "subwords" in kept:  # notebook 08 cuts the seminar's sentences with them
        real_corpus.save_tokens(kept["subwords"][0], args.out / SUBWORDS_FILE)
    for key, model in models.items():
        # float16: a word vocabulary's output layer is large; the committed files stay small
        seq2seq.save_weights(model, args.out / EXPERIMENTS[key].weights_path.name, "float16")
    print(f"kept {best_kind} (better mean validation chrF)")
    frame = pd.DataFrame(rows)
    frame.to_csv(args.out / RUNS_FILE, index=False)
    overall = frame[frame["bucket"] == "all"]
    print(overall[["model", "tokenisation", "seed", "beam_width", "epochs", "chrF", "BLEU"]])
    print(f"machine: {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
