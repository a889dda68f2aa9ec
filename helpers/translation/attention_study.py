"""Helpers for notebooks 06 and 07: attention models, one sentence's weights, benchmark tables.

- :func:`sentence_attention`: the attention weights of one corpus pair under
  teacher forcing, cropped to its real tokens, ready for ``plots.attention_heatmap``.
- :func:`decoding_steps` / :func:`stepper_view`: greedy decoding of one
  sentence through the translator, step by step (what ``widgets.attention_stepper`` shows).
- :func:`runs_summary`: mean ± std over seeds of a ``*_runs.csv`` file of the results
  folder (by length bucket: ``helpers.results.bucket_scores``); :func:`training_cost`: each run's
  exact match against its training time.
"""

from __future__ import annotations

import numpy as np


def sentence_attention(model, pair, source_vocab, target_vocab) -> np.ndarray:
    """Teacher-forced attention of one corpus ``pair``: weights ``(T, S)``.

    Row t is the decoder step that writes the t-th gold Korean token
    (``pair.target[t]``), column s the English token ``pair.source[s]``; the
    ``<end>`` step is dropped, so the matrix lines up with ``pair.alignment``.
    """
    from helpers.translation import attention_decoders, text

    if not getattr(model.decoder, "attends", False):
        raise ValueError("this model's decoder has no attention; build it with an attention kind")
    encoded = text.encode_pairs([pair], source_vocab, target_vocab)
    weights = attention_decoders.teacher_forced_attention(
        model, encoded.source, encoded.decoder_input
    )[0]
    if getattr(model, "reverse_source", False):
        weights = attention_decoders.to_source_order(weights[None], encoded.source_lengths)[0]
    return weights[: len(pair.target), : len(pair.source)]


def decoding_steps(model, source_tokens, source_vocab, target_vocab, max_length=None):
    """Greedy decoding of one English sentence, one record per output token.

    ``source_tokens``: the English tokens (S). Returns ``(tokens, weights)``:
    the Korean tokens the model writes (``<end>`` excluded, T' of them) and
    their attention weights ``(T', S)``: row t is where the decoder looked
    while choosing ``tokens[t]``; ``max_length`` stops it sooner than the registry's
    ``MAX_OUTPUT_TOKENS``. It goes through the one front door,
    :class:`helpers.translation.translator.Translator`, but refuses words the model
    does not know (the stepper shows only corpus sentences).
    """
    from helpers.translation.translator import Translator

    source_tokens = list(source_tokens)
    if not source_tokens:
        raise ValueError("source_tokens is empty; pass the English tokens of one sentence")
    unknown = [token for token in source_tokens if token not in source_vocab.token_to_id]
    if unknown:
        raise ValueError(f"unknown English tokens {unknown}; use words of the corpus vocabulary")
    door = Translator.for_toy_corpus("the model", model, source_vocab, target_vocab)
    translation = door.translate_tokens(source_tokens, max_length=max_length)
    if translation.attention is None:
        raise ValueError("this model's decoder has no attention; build it with an attention kind")
    return list(translation.target_tokens), translation.attention


def _check_runs(frame, group_column):
    needed = {group_column, "seed", "bucket", "exact_match"}
    missing = needed - set(frame.columns)
    if missing:
        raise ValueError(
            f"the runs table lacks columns {sorted(missing)}; expected a benchmark's "
            f"*_runs.csv file with columns {sorted(needed)}"
        )


def runs_summary(frame, group_column: str = "model", groups=None):
    """Mean and std over seeds, per group, of the "all" bucket and the longest bucket.

    ``frame``: a ``*_runs.csv`` table (one row per group, seed, bucket). Returns
    a DataFrame indexed by group with columns ``seeds``, ``exact match``,
    ``exact match ±``, ``longest bucket``, ``longest bucket ±`` and, where
    present, ``AER``, ``AER ±``, ``s/epoch``. ``groups`` fixes the row order.
    """
    import pandas as pd

    _check_runs(frame, group_column)
    buckets = [label for label in dict.fromkeys(frame["bucket"]) if label != "all"]
    longest = buckets[-1]
    groups = list(dict.fromkeys(frame[group_column])) if groups is None else list(groups)
    rows = {}
    for group in groups:
        part = frame[frame[group_column] == group]
        if part.empty:
            raise ValueError(
                f"no runs of {group!r} in the table; it has {sorted(set(frame[group_column]))}"
            )
        overall, long = part[part["bucket"] == "all"], part[part["bucket"] == longest]
        row = {
            "seeds": overall["seed"].nunique(),
            "exact match": overall["exact_match"].mean(),
            "exact match ±": overall["exact_match"].std(ddof=1),
            "longest bucket": long["exact_match"].mean(),
            "longest bucket ±": long["exact_match"].std(ddof=1),
        }
        if "alignment_error_rate" in part:
            row["AER"] = overall["alignment_error_rate"].mean()
            row["AER ±"] = overall["alignment_error_rate"].std(ddof=1)
        if "seconds_per_epoch" in part:
            row["s/epoch"] = overall["seconds_per_epoch"].mean()
        rows[group] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = f"{group_column} (longest bucket {longest})"
    return table


def readable_summary(summary):
    """:func:`runs_summary`'s table as text, one "mean ± std" column per measure.

    Exact match in percent, AER with three decimals, seconds per epoch whole; a dash where a
    group has no value (no attention, no AER). Plain strings, so the table reads the same in
    JupyterLab, a rendered page and a plain-text front end.
    """
    import pandas as pd

    from helpers.results import mean_std_text

    def column_text(column, digits, scale=1.0, unit=""):
        pairs = zip(summary[column], summary[f"{column} ±"], strict=True)
        return [mean_std_text(mean, spread, digits, scale, unit) for mean, spread in pairs]

    table = pd.DataFrame(index=summary.index)
    table["seeds"] = summary["seeds"]
    table["exact match"] = column_text("exact match", 1, 100, " %")
    table["longest bucket"] = column_text("longest bucket", 1, 100, " %")
    if "AER" in summary:
        table["AER"] = column_text("AER", 3)
    if "s/epoch" in summary:
        table["s/epoch"] = [mean_std_text(v, float("nan"), 0) for v in summary["s/epoch"]]
    return table


def stepper_view(tokens, weights, step: int):
    """What the attention stepper shows after ``step`` output tokens (1 ≤ step ≤ T').

    ``tokens``: the T' Korean tokens written; ``weights`` ``(T', S)``. Returns
    ``(shown, current_token, strongest_source)``: ``shown`` is ``weights`` with
    the rows of steps not taken yet set to 0 (the decoder has not looked yet),
    ``current_token`` the token of this step, ``strongest_source`` the index of
    the source position with the largest weight at this step.
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 2 or weights.shape[0] != len(tokens):
        raise ValueError(
            f"weights must be (T', S) with one row per token ({len(tokens)}), got {weights.shape}"
        )
    if not 1 <= step <= len(tokens):
        raise ValueError(f"step must be between 1 and {len(tokens)}, got {step}")
    shown = weights.copy()
    shown[step:] = 0.0
    return shown, tokens[step - 1], int(weights[step - 1].argmax())


def training_cost(frame, group_column: str = "model", groups=None):
    """Exact match against training wall-clock time, one row per group and seed.

    ``frame``: a ``*_runs.csv`` table with ``epochs`` and ``seconds_per_epoch``
    columns. Returns a DataFrame with columns ``group_column``, ``seed``,
    ``epochs``, ``training seconds`` (epochs × seconds per epoch) and ``exact
    match`` (the "all" bucket). ``groups`` selects and orders the groups.
    """
    _check_runs(frame, group_column)
    missing = {"epochs", "seconds_per_epoch"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"the runs table lacks {sorted(missing)}; training time needs the benchmark's "
            "epochs and seconds_per_epoch columns (benchmarks/attention.py writes them)"
        )
    overall = frame[frame["bucket"] == "all"]
    groups = list(dict.fromkeys(overall[group_column])) if groups is None else list(groups)
    absent = [group for group in groups if group not in set(overall[group_column])]
    if absent:
        known = sorted(set(overall[group_column]))
        raise ValueError(f"no runs of {absent} in the table; it has {known}")
    rows = overall[overall[group_column].isin(groups)].copy()
    rows["training seconds"] = rows["epochs"] * rows["seconds_per_epoch"]
    rows = rows.rename(columns={"exact_match": "exact match"})
    rows["order"] = rows[group_column].map(groups.index)
    rows = rows.sort_values(["order", "seed"])
    return rows[[group_column, "seed", "epochs", "training seconds", "exact match"]].reset_index(
        drop=True
    )
