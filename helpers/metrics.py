"""Scores used across the series: translation accuracy, BLEU and chrF, alignment error, NMAE.

Each function documents its inputs' shapes and raises a ValueError that names
what was expected when they do not fit.
"""

from __future__ import annotations

import numpy as np  # noqa: F401


def nmae(y_true, y_pred) -> float:
    """Normalised mean absolute error of the 2021 price competition.

    ``mean(|y - ŷ| / y)`` over the entries whose actual price ``y`` is not zero (days
    without trading are not scored). ``y_true`` and ``y_pred`` have the same shape, any
    number of dimensions; returns a float. Average per-horizon values yourself to get the
    competition's score (mean over 1, 2 and 4 weeks).
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"nmae needs y_true and y_pred of the same shape, got {y_true.shape} and {y_pred.shape}"
        )
    if not (np.all(np.isfinite(y_true)) and np.all(np.isfinite(y_pred))):
        raise ValueError(
            "nmae got NaN or infinite values; select the scored entries first "
            "(e.g. y_true[np.isfinite(y_true)])"
        )
    if np.any(y_true < 0):
        raise ValueError("nmae expects actual prices >= 0; a negative price is a data error")
    scored = y_true != 0
    if not scored.any():
        raise ValueError("nmae has nothing to score: every actual price is zero")
    return float(np.mean(np.abs(y_true[scored] - y_pred[scored]) / y_true[scored]))


# ---------------------------------------------------------------- translation accuracy


def _as_token_lists(sentences, name: str) -> list[list]:
    """Sentences as token lists: each item a str (split on spaces) or a sequence of tokens."""
    if isinstance(sentences, str) or not hasattr(sentences, "__len__"):
        raise TypeError(
            f"{name} must be a list of sentences (each a str or a list of tokens), "
            f"got {type(sentences).__name__}; wrap one sentence as [sentence]"
        )
    token_lists = []
    for sentence in sentences:
        if isinstance(sentence, str):
            token_lists.append(sentence.split())
        elif hasattr(sentence, "__len__"):
            token_lists.append([_plain(token) for token in sentence])
        else:
            raise TypeError(
                f"each item of {name} must be a str or a sequence of tokens, "
                f"got {type(sentence).__name__}"
            )
    return token_lists


def _plain(token):
    """NumPy scalars compare like Python ones, but print and hash more simply as Python values."""
    return token.item() if isinstance(token, np.generic) else token


def _paired(predictions, references) -> tuple[list[list], list[list]]:
    predicted = _as_token_lists(predictions, "predictions")
    expected = _as_token_lists(references, "references")
    if len(predicted) != len(expected):
        raise ValueError(
            f"{len(predicted)} predictions but {len(expected)} references; "
            "pass one prediction per reference sentence"
        )
    if not expected:
        raise ValueError("no sentences to score: predictions and references are empty")
    return predicted, expected


def exact_match(predictions, references) -> float:
    """Sentence accuracy: the share of predictions equal to their reference token for token.

    ``predictions`` and ``references``: lists of n sentences, each a str
    (split on whitespace) or a sequence of tokens (words or ids, without
    padding or ``<end>``). Returns a float in [0, 1].
    """
    predicted, expected = _paired(predictions, references)
    return float(np.mean([p == e for p, e in zip(predicted, expected, strict=True)]))


def token_accuracy(predictions, references) -> float:
    """Position-wise token accuracy, penalising both missing and extra tokens.

    For each pair, position i counts as right when both sentences have a token
    there and the tokens are equal; the denominator is the longer of the two
    lengths. So ``a b`` against ``a b c`` scores 2/3 (a missing token) and
    ``a b c d`` against ``a b c`` scores 3/4 (an extra token). Returns
    ``sum(right positions) / sum(max(len(prediction), len(reference)))`` over
    all n sentences, a float in [0, 1]. Inputs as in :func:`exact_match`.
    """
    predicted, expected = _paired(predictions, references)
    right = sum(
        sum(p == e for p, e in zip(pred, ref, strict=False))
        for pred, ref in zip(predicted, expected, strict=True)
    )
    total = sum(max(len(pred), len(ref)) for pred, ref in zip(predicted, expected, strict=True))
    return float(right / total) if total else 1.0


def accuracy_by_position(predictions, references, positions: int = 12) -> np.ndarray:
    """Token accuracy at each target position 1..``positions``, over the sentences that reach it.

    Position t counts for a sentence whose reference has at least t tokens; it is
    right when the prediction has a t-th token equal to the reference's (a
    prediction too short is wrong there). Inputs as in :func:`exact_match`.
    Returns ``positions`` floats in [0, 1] (NaN where no reference is that long).
    """
    predicted, expected = _paired(predictions, references)
    hits = np.full((len(expected), positions), np.nan)
    for row, (pred, ref) in enumerate(zip(predicted, expected, strict=True)):
        for t in range(min(len(ref), positions)):
            hits[row, t] = t < len(pred) and pred[t] == ref[t]
    reached = ~np.isnan(hits).all(axis=0)
    result = np.full(positions, np.nan)
    result[reached] = np.nanmean(hits[:, reached], axis=0)
    return result


# ---------------------------------------------------------------- BLEU and chrF (sacreBLEU)


def _sacrebleu_streams(predictions, references) -> tuple[list[str], list[list[str]]]:
    """Detokenise for sacreBLEU: a token list is joined with single spaces, a str is kept.

    Word tokens of this series (the toy corpus, ``text.tokenize``) are whole words, so the
    join restores the sentence. Subword pieces must be decoded to words before scoring.
    """
    predicted, expected = _paired(predictions, references)
    hypotheses = [" ".join(str(token) for token in tokens) for tokens in predicted]
    return hypotheses, [[" ".join(str(token) for token in tokens) for tokens in expected]]


def _sacrebleu_metrics():
    try:
        from sacrebleu.metrics import BLEU, CHRF
    except ImportError as error:  # a dependency in pyproject.toml; an old environment lacks it
        raise ImportError(
            "BLEU and chrF need sacreBLEU: pip install 'sacrebleu>=2.4' (or pip install -e .)"
        ) from error
    return BLEU, CHRF


def corpus_bleu(predictions, references, tokenize: str = "13a") -> float:
    """Corpus BLEU (Papineni et al., 2002) as sacreBLEU computes it, from 0 to 100.

    ``predictions`` and ``references``: n sentences each, one reference per prediction,
    each a str or a list of word tokens (joined with spaces). Counts n-grams over the whole
    corpus (not a mean of sentence scores), n = 1..4 (fewer when no prediction is that
    long), with the brevity penalty and sacreBLEU's default exponential smoothing.
    ``tokenize="13a"``, sacreBLEU's default and the field's usual signature, splits
    punctuation off and keeps each Korean eojeol (word with its particles) whole, so
    "학교에" against "학교로" is a miss: word BLEU is harsh on Korean. sacreBLEU's
    "ko-mecab" splits particles off but needs MeCab-ko and its dictionary, which this
    offline project does not install; "char" gives character BLEU. chrF
    (:func:`corpus_chrf`) is the better fit for Korean.
    """
    hypotheses, reference_streams = _sacrebleu_streams(predictions, references)
    bleu, _ = _sacrebleu_metrics()
    if tokenize not in bleu.TOKENIZERS:
        raise ValueError(
            f"unknown BLEU tokenize {tokenize!r}; expected one of {sorted(bleu.TOKENIZERS)} "
            "('13a', the default, suits word tokens; 'char' scores characters)"
        )
    # effective_order: n-gram orders that no prediction is long enough to have are left out,
    # or a corpus of two- and three-word sentences scores 0 even when perfect. It changes
    # nothing once some prediction has four tokens (sacreBLEU signature "eff:yes").
    metric = bleu(tokenize=tokenize, effective_order=True)
    return float(metric.corpus_score(hypotheses, reference_streams).score)


def corpus_chrf(predictions, references, word_order: int = 0) -> float:
    """Corpus chrF (Popović, 2015) as sacreBLEU computes it, from 0 to 100.

    The F-score (beta = 2: recall weighs twice) of character n-grams, n = 1..6, spaces
    left out, averaged over n. Because it matches characters, a Korean word whose
    particle differs ("학교에" / "학교로") still earns partial credit, which word BLEU
    denies; it needs no Korean tokeniser. ``word_order=2`` adds word 1- and 2-grams
    (chrF++). Inputs as in :func:`corpus_bleu`.
    """
    hypotheses, reference_streams = _sacrebleu_streams(predictions, references)
    if word_order not in (0, 1, 2):
        raise ValueError(f"word_order must be 0 (chrF), 1 or 2 (chrF++), got {word_order!r}")
    _, chrf = _sacrebleu_metrics()
    return float(chrf(word_order=word_order).corpus_score(hypotheses, reference_streams).score)


def bucket_labels(buckets) -> list[str]:
    """Labels of inclusive length ranges: ``((2, 8), (9, 16))`` -> ``["2–8", "9–16"]``."""
    buckets = [(int(low), int(high)) for low, high in buckets]
    ordered = all(low <= high for low, high in buckets) and all(
        previous[1] < current[0] for previous, current in zip(buckets, buckets[1:], strict=False)
    )
    if not buckets or not ordered or buckets[0][0] < 1:
        raise ValueError(
            f"buckets must be increasing, non-overlapping (low, high) token counts >= 1, "
            f"got {buckets}"
        )
    return [f"{low}–{high}" for low, high in buckets]


def _bucket_members(source_lengths, buckets, n: int) -> list[np.ndarray]:
    lengths = np.asarray(source_lengths)
    if lengths.shape != (n,):
        raise ValueError(f"source_lengths must have shape (n,) = ({n},), got {lengths.shape}")
    bucket_of = np.full(n, -1)
    for index, (low, high) in enumerate(buckets):
        bucket_of[(lengths >= low) & (lengths <= high)] = index
    if (bucket_of < 0).any():
        outside = sorted(set(lengths[bucket_of < 0].tolist()))
        raise ValueError(
            f"source lengths {outside} fall outside every bucket {list(buckets)}; "
            "pass buckets that cover every sentence"
        )
    return [np.flatnonzero(bucket_of == index) for index in range(len(buckets))]


def scores_by_length(
    predictions,
    references,
    source_lengths,
    buckets,
    attention=None,
    alignments=None,
    bleu_and_chrf: bool = False,
):
    """Exact match, token accuracy and (given attention) alignment error rate by source length.

    The one scoring of translations in the series, for notebooks and benchmarks alike.
    ``source_lengths``: n source token counts (the sentence the model read); ``buckets``:
    inclusive ``(low, high)`` ranges, ``corpus.LENGTH_BUCKETS`` for the toy corpus;
    ``attention`` and ``alignments``: optional, as :func:`alignment_error_rate` takes them.
    Returns a DataFrame indexed by bucket label (``"9–16"``), then ``"all"``, with columns
    ``sentences``, ``exact match``, ``token accuracy`` and, with attention, ``alignment
    error rate``; an empty bucket has 0 sentences and NaN scores. A length outside every
    bucket raises (nothing is dropped silently). ``bleu_and_chrf=True`` adds ``BLEU`` and
    ``chrF`` columns (0-100, :func:`corpus_bleu` and :func:`corpus_chrf` over each bucket's
    sentences as one corpus), the scores for real sentences, where exact match says little.
    """
    import pandas as pd

    predicted, expected = _paired(predictions, references)
    labels = bucket_labels(buckets)
    groups = _bucket_members(source_lengths, buckets, len(expected))
    groups.append(np.arange(len(expected)))
    if (attention is None) != (alignments is None):
        raise ValueError("pass attention and alignments together (or neither)")
    rows = []
    for members in groups:
        row = {"sentences": len(members), "exact match": np.nan, "token accuracy": np.nan}
        if len(members):
            chosen = [predicted[i] for i in members], [expected[i] for i in members]
            row["exact match"] = exact_match(*chosen)
            row["token accuracy"] = token_accuracy(*chosen)
        if bleu_and_chrf:
            row["BLEU"] = corpus_bleu(*chosen) if len(members) else np.nan
            row["chrF"] = corpus_chrf(*chosen) if len(members) else np.nan
        if attention is not None:
            row["alignment error rate"] = np.nan
            if len(members):
                row["alignment error rate"] = alignment_error_rate(
                    [attention[i] for i in members], [alignments[i] for i in members]
                )
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index([*labels, "all"], name="source tokens"))
    return table


# ---------------------------------------------------------------- alignment error rate


def alignment_error_rate(attention_weights, gold_alignments) -> float:
    """Share of aligned target tokens whose strongest attention misses every gold source word.

    Definition. For sentence i and target position t, let ``G[i][t]`` be the gold
    source positions that target token t translates (``Pair.alignment`` from
    ``helpers.translation.corpus``). Target tokens with an empty gold set are skipped. For
    every other (i, t), the prediction is ``argmax_s attention_weights[i][t, s]``
    (the first maximum on ties); it is an error when it is not in ``G[i][t]``::

        AER = #{(i, t) : G[i][t] non-empty and argmax_s α_i[t, s] ∉ G[i][t]}
              / #{(i, t) : G[i][t] non-empty}

    0 means every aligned target token put its largest weight on a word it
    translates; 1 means none did. This is a one-best score, simpler than Och &
    Ney's AER over sure/possible link sets, and it is what the heatmaps show.

    Inputs. ``attention_weights``: n matrices, a list of arrays (T_i', S_i') or
    one array (n, T', S'). Row t is the decoder step that predicts target token t
    (under teacher forcing or greedy decoding), columns are source positions in
    the *original* order (flip the columns of a reversed-input model first).
    ``gold_alignments``: n sequences; ``gold_alignments[i][t]`` is the tuple of
    source positions of target token t, so ``len(gold_alignments[i])`` = T_i,
    the true target length.

    End token and padding. Rows beyond T_i (the step that predicts ``<end>``,
    padded steps) are ignored, so T_i' may exceed T_i but not fall short of it.
    Padded source columns stay in the argmax: a masked model gives them weight
    0, and if padding still wins it counts as an error, never as a match. A
    weight row that is all equal (e.g. all zero) picks position 0.

    Returns a float in [0, 1]. Raises ValueError on mismatched counts, on too few
    rows or columns, or when no target token has a gold link.
    """
    errors = counted = 0
    for best, positions in _strongest_and_gold(attention_weights, gold_alignments):
        counted += 1
        errors += int(best not in positions)
    if counted == 0:
        raise ValueError("no target token has a gold source position; nothing to score")
    return errors / counted


def alignment_offsets(attention_weights, gold_alignments) -> dict[int, int]:
    """How far the strongest attention lands from the gold words: {offset: target tokens}.

    Same inputs and skipped rows as :func:`alignment_error_rate`. The offset of an aligned
    target token is 0 when its strongest source position is one of its gold positions, else
    the signed distance to the nearest gold position (+1: one word to the right, later in the
    source). The tokens with offset 0 are those the AER counts as right.
    """
    offsets: dict[int, int] = {}
    for best, positions in _strongest_and_gold(attention_weights, gold_alignments):
        offset = min((best - p for p in positions), key=lambda d: (abs(d), d))
        offsets[offset] = offsets.get(offset, 0) + 1
    return dict(sorted(offsets.items()))


def _strongest_and_gold(attention_weights, gold_alignments):
    """(argmax source position, gold positions) for every aligned target token, checked."""
    if isinstance(attention_weights, np.ndarray) and attention_weights.ndim == 3:
        attention_weights = list(attention_weights)
    if len(attention_weights) != len(gold_alignments):
        raise ValueError(
            f"{len(attention_weights)} attention matrices but {len(gold_alignments)} gold "
            "alignments; pass one (T, S) matrix per sentence"
        )
    for index, (weights, gold) in enumerate(zip(attention_weights, gold_alignments, strict=True)):
        weights = np.asarray(weights, dtype=float)
        if weights.ndim != 2:
            raise ValueError(
                f"attention matrix {index} must be 2-D (target steps T, source positions S), "
                f"got shape {weights.shape}"
            )
        if weights.shape[0] < len(gold):
            raise ValueError(
                f"attention matrix {index} has {weights.shape[0]} target steps but the gold "
                f"alignment has {len(gold)} target tokens; pass every decoder step"
            )
        best = weights.argmax(axis=1)
        for t, positions in enumerate(gold):
            if len(positions) == 0:
                continue
            if max(positions) >= weights.shape[1]:
                raise ValueError(
                    f"gold alignment {index} points at source position {max(positions)} but "
                    f"attention matrix {index} has only {weights.shape[1]} source positions"
                )
            yield int(best[t]), positions
