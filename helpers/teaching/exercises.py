"""The checkers of every exercise in the series, one function per exercise.

Each checker takes the learner's answer, plus whatever the notebook computed that the
answer is judged against (passed in, so nothing here reads a notebook's variables), and
returns one line: "Right: ..." with the reason, or "Not yet: ..." with a hint. While an
answer is still the ``...`` placeholder the notebooks start with, the line is "Your turn: ...",
an invitation, so committed outputs and slides do not read as failures. The notebooks'
exercise cells call them; each notebook's collapsed solution cell is run through the same
calls by ``tests/test_exercises.py``.
"""

from __future__ import annotations

import numpy as np

from helpers.teaching.answers import (  # noqa: F401 (RIGHT, Slip ... are read as exercises.*)
    _ROUNDING,
    _UNREADABLE,
    NOT_YET,
    RIGHT,
    YOUR_TURN,
    Slip,
    exercise,
    number,
    same_text,
    text_list,
)

# ---------------------------------------------------------------- 00 overview


@exercise
def check_order(order) -> str:
    """The seminar's four milestones in the order they appeared."""
    expected = ["Seq2Seq", "Attention", "Transformer", "BERT"]
    order = text_list(order, len(expected))
    if order == expected:
        return "Right: 2014, 2015, 2017, 2018."
    for position, name in enumerate(expected):
        if position >= len(order) or not same_text(order[position], name):
            return f"Not yet: position {position + 1} should be {name!r}."
    return f"Not yet: the list has {len(order)} names, the seminar has four."


# ---------------------------------------------------------------- 01 LSTM gates


@exercise
def check_keep_memory(bias_i: float, bias_f: float) -> str:
    """Biases that keep c_t within 0.05 of c_{t-1} = 0.5 in the one-unit cell (x = 1, h = 0)."""
    from helpers import lstm

    one_unit = lstm.LSTMWeights(np.ones((1, 4)), np.ones((1, 4)), [bias_i, bias_f, 0.0, 0.0])
    cell = lstm.lstm_step([[1.0]], [[0.0]], [[0.5]], one_unit)["cell"].item()
    if abs(cell - 0.5) <= 0.05:
        return f"Right: c_t = {cell:.3f}, the memory is kept."
    return f"Not yet: c_t = {cell:.3f}. Which gate must be open, which closed?"


@exercise
def check_forget_slice(forget_kernel, lstm_layer) -> str:
    """The forget gate's input weights, sliced out of a Keras ``LSTM``'s kernel."""
    from helpers import lstm

    expected = lstm.weights_from_keras(lstm_layer).gate("f")[0]
    if np.shape(forget_kernel) == expected.shape and np.allclose(forget_kernel, expected):
        return "Right: the second block of columns is the forget gate (order i, f, c, o)."
    return "Not yet: Keras packs the blocks as i, f, c, o, each `units` columns wide."


@exercise
def check_cell_update(c_t) -> str:
    """The new cell state c_t for f = 0.9, c_{t-1} = 2, i = 0.5, g = -1."""
    if abs(number(c_t) - (0.9 * 2 + 0.5 * -1)) <= 1e-6:
        return "Right: f·c + i·g."
    return "Not yet: c_t = f_t · c_t−1 + i_t · g_t."


# ---------------------------------------------------------------- 02 many-to-one, many-to-many


@exercise
def check_shapes(with_sequences, without_sequences) -> str:
    """The output shapes of LSTM(8, return_sequences=True) and LSTM(8) on (4, 10, 3)."""
    import keras

    layer_input = np.zeros((4, 10, 3), dtype="float32")
    expected = (
        tuple(keras.layers.LSTM(8, return_sequences=True)(layer_input).shape),
        tuple(keras.layers.LSTM(8)(layer_input).shape),
    )
    if (tuple(with_sequences), tuple(without_sequences)) == expected:
        return "Right: one 8-number state per step, or only the last one."
    return "Not yet: (batch, steps, units) with return_sequences, (batch, units) without."


@exercise
def check_later(positions) -> str:
    """The Korean positions of "개는 생선을 먹어" whose English the model has not read yet."""
    from helpers.translation import corpus

    pair = corpus.Pair(
        tuple("the dog eats fish".split()), tuple("개는 생선을 먹어".split()), ((0, 1), (3,), (2,))
    )
    expected = [t for t, later in enumerate(corpus.needs_later_source(pair)) if later]
    if sorted(text_list(positions, len(expected))) == expected:
        return f"Right: positions {expected}: each comes from an English word further right."
    return "Not yet: compare each Korean word's English positions with its own position t."


@exercise
def check_ends(count) -> str:
    """How many ``<end>`` tokens many-to-many writes for "I am Jaehyun" → 나는 재현이야."""
    if number(count) == len("I am Jaehyun".split()) - len("나는 재현이야".split()):
        return "Right: 3 steps, 2 words."
    return "Not yet: one output per English word."


# ---------------------------------------------------------------- 03 Seq2Seq


@exercise
def check_context_shape(shape, units: int) -> str:
    """The shape of the encoder's hidden state for a batch of 5 sentences."""
    if shape is not None and tuple(shape) == (5, units):
        return "Right: one row per sentence, one column per LSTM unit, whatever the length."
    return "Not yet: the context has one vector per sentence, as wide as the LSTM has units."


@exercise
def check_teacher_forcing(decoder_input, decoder_target) -> str:
    """Decoder input and target of 나는 재현이야 under teacher forcing."""
    sentence = ["나는", "재현이야"]
    if text_list(decoder_input, 3) == ["<start>", *sentence] and text_list(decoder_target, 3) == [
        *sentence,
        "<end>",
    ]:
        return "Right: the target is the input shifted one step left."
    return "Not yet: the input starts with <start>, the target ends with <end>."


@exercise
def check_first_failing_bucket(label, buckets) -> str:
    """The first length bucket whose exact match is below 50 %."""
    failing = buckets.index[buckets["exact match"] < 0.5]
    if isinstance(label, str):  # "17-24" typed with a hyphen is the table's "17–24"
        label = label.replace("-", "–").replace(" ", "")
    if len(failing) and same_text(label, failing[0]):
        return f"Right: from {label} tokens on, most translations have at least one error."
    return "Not yet: look at the exact match column of the accuracy-by-length table."


# ---------------------------------------------------------------- 04 reversed input


@exercise
def check_reversal(row) -> str:
    """The row [5, 9, 7, 0, 0] with its real tokens reversed."""
    from helpers.translation import seq2seq

    expected = seq2seq.reverse_tokens([[5, 9, 7, 0, 0]])[0].tolist()
    if text_list(row, len(expected)) == expected:
        return "Right: the real tokens turn around, the padding stays at the end."
    return "Not yet: reverse only the non-zero ids and keep the zeros where they are."


@exercise
def check_lag(lag, expected_lag: int) -> str:
    """The lag of 사랑해 in "I love you" with the source reversed."""
    if number(lag) == expected_lag:
        return "Right: S + t − p with p counted in the reversed order."
    return "Not yet: S = 3, 사랑해 is target position t = 2, and reversed, 'love' is read at p = 1."


@exercise
def check_longest_bucket(order, means, spreads, bucket: str = "25–30") -> str:
    """The order ("in order" or "reversed") with the higher mean exact match at 25–30 words.

    ``means``, ``spreads``: exact match by (order, bucket), mean and std over seeds.
    """
    orders = ("in order", "reversed")
    winner, other = sorted(orders, key=lambda name: -means[name][bucket])
    if not any(same_text(order, name) for name in orders):
        return f"Not yet: answer {orders[0]!r} or {orders[1]!r}, comparing the lines at {bucket}."
    if order != winner:
        return f"Not yet: compare the two lines at {bucket}."
    gap = means[winner][bucket] - means[other][bucket]
    spread = max(spreads[winner][bucket], spreads[other][bucket])
    size = "less" if gap < spread else "more"
    return f"Right: {winner}, by {gap:.1%}, {size} than the spread over seeds ({spread:.1%})."


# ---------------------------------------------------------------- 05 the attention idea


def _softmax(scores):
    exps = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


@exercise
def check_cake_query(my_query, keys, items) -> str:
    """A query that puts at least 0.8 of the weight on 케이크."""
    item_weights = _softmax(np.asarray(keys, dtype=float) @ np.asarray(my_query, dtype=float))
    best = items[int(item_weights.argmax())]
    if best == "케이크" and item_weights.max() >= 0.8:
        return f"Right: 케이크 gets {item_weights.max():.2f} of the weight."
    return f"Not yet: {best} gets the most weight ({item_weights.max():.2f}); aim for 케이크 ≥ 0.8."


@exercise
def check_context(my_context, hidden_states) -> str:
    """The context vector of weights 0.1, 0.1, 0.1, 0.7 over hidden_states.

    To two decimals (±0.005), as the table of products prints them.
    """
    expected = np.array([0.1, 0.1, 0.1, 0.7]) @ np.asarray(hidden_states, dtype=float)
    my_context = np.asarray(text_list(my_context, len(expected)), dtype=float)
    if my_context.shape == expected.shape and np.allclose(
        my_context, expected, rtol=0, atol=0.005 + _ROUNDING
    ):
        return "Right: Σ α_s h̄_s, one hidden state per row, weighted and summed."
    return "Not yet: multiply each row of hidden_states by its weight, then sum the rows."


@exercise
def check_shift(my_answer, scores) -> str:
    """What adding 5 to every score does to the softmax weights."""
    scores = np.asarray(scores, dtype=float)
    truth = "same" if np.allclose(_softmax(scores + 5), _softmax(scores)) else "changed"
    if same_text(my_answer, truth):
        return "Right: e^(s+5) = e^5·e^s, and the e^5 cancels in the softmax's division."
    return "Not yet: compare softmax(keys @ query + 5) with softmax(keys @ query)."


# ---------------------------------------------------------------- 06 Luong attention

# Exercise 1 of notebook 06: three encoder states of three numbers and the decoder state h.
H_SMALL = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0], [2.0, 0.0, -1.0]])
H_QUERY = np.array([1.0, 0.0, 2.0])


@exercise
def check_weights(my_alpha) -> str:
    """The dot-score attention weights of the query h over the rows of H_small.

    To two decimals (±0.005), as the solution's "about 0.24, 0.67, 0.09".
    """
    expected = _softmax(H_SMALL @ H_QUERY)
    my_alpha = np.asarray(text_list(my_alpha, len(expected)), dtype=float)
    if my_alpha.shape != expected.shape:
        return f"Not yet: {my_alpha.size} numbers; there is one weight per row of H_small, three."
    miss = np.abs(my_alpha - expected).max()
    if miss <= 0.005 + _ROUNDING:
        return "Right: softmax of the three dot products."
    if miss <= 0.05:
        return "Not yet: close; give each weight to two decimals (0.24, not 0.2)."
    return "Not yet: score each row of H_small with a dot product, then take a softmax."


@exercise
def check_strongest(my_word, weights, source, target, korean_word: str = "좋아해") -> str:
    """The English word with the largest weight in the heatmap row of 좋아해.

    ``weights`` (T, S) with ``source`` (S) and ``target`` (T) tokens.
    """
    row = np.asarray(weights)[list(target).index(korean_word)]
    strongest = source[int(row.argmax())]
    if same_text(my_word, strongest):
        return f"Right: {korean_word} looks at '{strongest}' ({row.max():.2f} of the weight)."
    return f"Not yet: '{my_word}' is not the darkest cell in the {korean_word} row."


@exercise
def check_no_weights(my_score) -> str:
    """The Luong score that has no trainable weights of its own."""
    from helpers import attention

    if not any(same_text(my_score, name) for name in attention.LUONG_SCORES):
        return f"Not yet: answer one of {attention.LUONG_SCORES}."
    layer = attention.LuongAttention(my_score)
    layer(np.zeros((1, 4), "float32"), np.zeros((1, 3, 4), "float32"))  # builds its weights
    if not layer.trainable_weights:
        return "Right: the dot score compares h_t and h̄_s directly."
    return f"Not yet: {my_score} learns {len(layer.trainable_weights)} weight tensor(s)."


# ---------------------------------------------------------------- 07 Bahdanau attention


@exercise
def check_state(my_state) -> str:
    """Which decoder state the Bahdanau score uses at step t."""
    if same_text(my_state, "s_{t-1}"):
        return "Right: the previous state, before the LSTM step (Luong uses h_t, after it)."
    return (
        "Not yet: Bahdanau scores before the decoder's LSTM step runs; answer 'h_t' or 's_{t-1}'."
    )


@exercise
def check_width(my_width, decoder) -> str:
    """How many numbers the Bahdanau decoder's LSTM cell reads per step."""
    width = decoder.cell.kernel.shape[0]  # rows of the LSTM cell's input kernel
    if number(my_width) == width:
        return f"Right: {decoder.embedding_dim} (the word) + {decoder.units} (the context)."
    return "Not yet: the input is the embedded word concatenated with the context vector."


@exercise
def check_gap(my_points, means, labels, better="Bahdanau", worse="no attention") -> str:
    """The points of exact match Bahdanau gains over no attention in the longest bucket (±1)."""
    gap = 100 * (means[better][-1] - means[worse][-1])
    if abs(number(my_points) - gap) <= 1 + _ROUNDING:
        return f"Right: about {gap:.0f} points in the {labels[-1]} bucket."
    return "Not yet: subtract the last entries of the two lines in `means`, times 100."


# ---------------------------------------------------------------- 08 real sentences


@exercise
def check_fewer_unknowns(my_tokenisation, runs) -> str:
    """Which tokenisation leaves fewer Korean test tokens unknown."""
    shares = runs.groupby("tokenisation")["target_unknown"].first()
    fewer = shares.idxmin()
    if same_text(my_tokenisation, fewer):
        return f"Right: {fewer}, {shares[fewer]:.1%} unknown against {shares.max():.1%}."
    if my_tokenisation in shares.index:
        return "Not yet: compare the target_unknown column of the two tokenisations."
    return f"Not yet: answer one of {sorted(shares.index)}."


@exercise
def check_paraphrase(my_korean, reference) -> str:
    """A Korean sentence other than the reference that chrF still credits (≥ 20)."""
    from helpers import metrics

    if not isinstance(my_korean, str) or not any("가" <= ch <= "힣" for ch in my_korean):
        return "Not yet: write a Korean sentence (in Hangul) between the quotes."
    if my_korean.strip() == reference:
        return "Not yet: that is the reference itself; write another way to say it."
    score = metrics.corpus_chrf([my_korean], [reference])
    if score >= 20:
        return f"Right: exact match 0, chrF {score:.1f}; the characters you share earn credit."
    return f"Not yet: chrF {score:.1f}; keep more of the reference's words (널, 사랑해 …)."


@exercise
def check_beam_gain(my_points, overall, model="Bahdanau, real sentences") -> str:
    """The chrF points that a beam of 5 adds over greedy decoding (±0.1)."""
    gain = overall.loc[(model, 5), "chrF"] - overall.loc[(model, 1), "chrF"]
    # ±0.1: the difference of the table's one-decimal figures is within it.
    if abs(number(my_points) - gain) <= 0.1 + _ROUNDING:
        return f"Right: {gain:.1f} points, small next to the gap to a good translation."
    return "Not yet: subtract the chrF of beam width 1 from that of beam width 5."


# ---------------------------------------------------------------- 09 price forecasting


@exercise
def check_trailing_mean(my_nmae, test, baseline_table) -> str:
    """The NMAE of the trailing 7-day mean, 14 days ahead, on the test year (±0.0005)."""
    from helpers import metrics
    from helpers.forecasting.windows import NAIVE, trailing_mean

    column = 1  # horizons (7, 14, 28): 14 days is the second
    known = np.isfinite(test.actual[:, column])
    answer = metrics.nmae(test.actual[known, column], trailing_mean(test, 3)[known, column])
    if abs(number(my_nmae) - answer) <= 5e-4 + _ROUNDING:
        rows = baseline_table
        naive = rows[(rows["model"] == NAIVE) & (rows["horizon_days"] == 14)]
        return f"Right: {answer:.3f}, against the naive forecast's {naive.nmae.item():.3f}."
    return "Not yet: take column 1 (14 days) of both arrays, known actuals only."


@exercise
def check_dearest_month(my_month, price) -> str:
    """The month (1–12) with the highest median price on trading days (price > 0)."""
    traded = price[price > 0]
    answer = int(traded.groupby(traded.index.month).median().idxmax())
    if number(my_month) == answer:
        return f"Right: month {answer}."
    return "Not yet: keep the days with a price above 0, group by traded.index.month, median."


@exercise
def check_window_count(my_count, market) -> str:
    """How many test windows a 56-day lookback for 무, 28 days ahead only, gives."""
    from helpers.forecasting.windows import PriceWindows

    answer = len(PriceWindows(market, "무", horizons=(28,), lookback=56).arrays("test"))
    if number(my_count) == answer:
        return f"Right: {answer} windows, one per test-year origin with 56 days behind it."
    return "Not yet: PriceWindows(market, '무', horizons=(28,), lookback=56), then len()."


# ---------------------------------------------------------------- 10 the forecasting competition


@exercise
def check_hardest_item(my_item, real_runs) -> str:
    """The item with the highest naive NMAE, mean over the horizons, training "pooled"."""
    from helpers.forecasting.windows import NAIVE

    naive = real_runs[(real_runs["training"] == "pooled") & (real_runs["model"] == NAIVE)]
    answer = naive.groupby("item")["nmae"].mean().idxmax()
    if same_text(my_item, answer):
        return f"Right: {answer}."
    return "Not yet: keep the pooled naive rows, group them by item, mean of nmae, idxmax()."


@exercise
def check_blend_gain(my_gain, real_gains, blend) -> str:
    """How much (a fraction) the blend beats naive at 28 days on the real file (±0.005)."""
    answer = real_gains.loc[blend, "28 days"]
    if abs(number(my_gain) - answer) <= 5e-3 + _ROUNDING:
        return f"Right: {answer:.1%}."
    if abs(number(my_gain) / 100 - answer) <= 5e-3 + _ROUNDING:
        return f"Not yet: {my_gain} reads as a percentage; write it as a fraction (10 % is 0.1)."
    return "Not yet: real_gains.loc[BLEND, '28 days'], a fraction (0.1 = 10 %), not a percentage."


# ---------------------------------------------------------------- 11 toward the Transformer


@exercise
def check_spread(spread_1024) -> str:
    """The spread (std) of q·k for d_k = 1024 with unit-variance entries, unscaled."""
    if abs(number(spread_1024) - np.sqrt(1024)) < 2:
        return "Right: the std of a sum of 1024 unit-variance products is √1024 = 32."
    return "Not yet: q·k sums d_k products of variance 1, so its variance is d_k; take the root."


@exercise
def check_causal_mask(causal_4) -> str:
    """The 4×4 causal mask: step t may see steps 0..t."""
    from helpers.translation import transformer

    expected = transformer.causal_mask(4)
    if causal_4 is not None and np.array_equal(np.asarray(causal_4), expected):
        return "Right: True on and below the diagonal, False above it."
    return "Not yet: row t is True for columns 0..t and False after (np.tril of ones)."


@exercise
def check_still_blind(still_blind) -> str:
    """Whether self-attention is still blind to order once positions are added."""
    if isinstance(still_blind, str) and still_blind.strip().casefold() in ("true", "false"):
        raise Slip(f"{still_blind!r} is text; answer the value True or False, without quotes")
    if still_blind is False:
        return "Right: with positions added, a shuffle changes the inputs, so the outputs differ."
    return (
        "Not yet: shuffle x + P, attend, and compare with the unshuffled result; answer True/False."
    )
