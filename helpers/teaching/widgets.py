"""ipywidgets explorers that also leave a static figure where no widget frontend runs.

Every explorer here is displayed through :func:`with_static_fallback`: the
output carries both the live widget and a PNG of its initial state. JupyterLab,
Notebook 7 and VS Code pick the widget; a rendered HTML page, a static slide
deck or a viewer without widget support shows the PNG instead.
"""

from __future__ import annotations

import base64
import html
import io


def figure_png(fig) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (so it is not shown twice)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


# Under the static picture: before the kernel runs, JupyterLab shows it in the widget's place.
STATIC_NOTE = (
    "A picture of the starting state: run this cell to make the controls live.\n"
    "처음 상태를 찍은 그림입니다. 이 셀을 실행하면 직접 조작할 수 있습니다."
)


def add_static_note(fig, note: str = STATIC_NOTE):
    """Write ``note`` under everything ``fig`` draws (its measured extent), in blue; return it."""
    fig.canvas.draw()  # lays the figure out first (constrained layout moves axes at draw time)
    drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # inches, tick labels included
    width, height = fig.get_size_inches()
    return fig.text(
        drawn.x0 / width,
        (drawn.y0 - 0.15) / height,
        note,
        va="top",
        ha="left",
        fontsize=12,
        color="#1f4e99",
        transform=fig.transFigure,
    )


class with_static_fallback:  # noqa: N801  (reads as a function at the call site)
    """Display ``widget`` live, with ``fig`` (a matplotlib figure) as the static fallback.

    The fallback picture says under it that running the cell makes it live (:data:`STATIC_NOTE`).
    """

    def __init__(self, widget, fig):
        self.widget = widget
        add_static_note(fig)
        self.png = figure_png(fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):  # (data, metadata)
            data, metadata = bundle
        else:
            data, metadata = bundle, {}
        data = dict(data)
        data["image/png"] = base64.b64encode(self.png).decode("ascii")
        data["text/plain"] = STATIC_NOTE
        return data, metadata


def forecast_picker(forecast_for, items, horizons, item=None, horizon=None):
    """Pick an item and a horizon; see the test-year forecasts against the actual prices.

    ``forecast_for(item, horizon)`` returns ``(target_dates, actual, {label: predictions})``
    (arrays of one length); its first forecast is the reference drawn beside each other one.
    Returns :class:`with_static_fallback` showing the first choice.
    """
    import ipywidgets as widgets

    from helpers.forecasting import forecast_plots

    items, horizons = list(items), list(horizons)
    item = items[0] if item is None else item
    horizon = horizons[0] if horizon is None else horizon
    if item not in items or horizon not in horizons:
        raise ValueError(f"initial choice {item!r}, {horizon!r} is not among {items}, {horizons}")

    def draw(chosen_item, chosen_horizon):
        dates, actual, predictions = forecast_for(chosen_item, chosen_horizon)
        title = f"{chosen_item}, {chosen_horizon} days ahead (test year)"
        reference = next(iter(predictions))
        return forecast_plots.forecast_vs_actual(
            dates, actual, predictions, title=title, reference=reference
        )

    item_menu = widgets.Dropdown(options=items, value=item, description="item")
    horizon_menu = widgets.Dropdown(
        options=[(f"{h} days", h) for h in horizons], value=horizon, description="horizon"
    )
    # An Image widget, not an Output widget: see gate_explorer.
    image = widgets.Image(value=figure_png(draw(item, horizon)), format="png")
    status = widgets.Label(value="")  # a redraw may take seconds (a model fitted on demand)

    def redraw(_change=None):
        status.value = "updating …"
        item_menu.disabled = horizon_menu.disabled = True
        try:
            image.value = figure_png(draw(item_menu.value, horizon_menu.value))
        finally:
            status.value = ""
            item_menu.disabled = horizon_menu.disabled = False

    item_menu.observe(redraw, names="value")
    horizon_menu.observe(redraw, names="value")
    panel = widgets.VBox([widgets.HBox([item_menu, horizon_menu, status]), image])
    return with_static_fallback(panel, draw(item, horizon))


def gate_explorer(input_weight: float = 1.0, hidden_weight: float = 1.0):
    """Sliders for one LSTM unit's input x_t, h_{t-1}, c_{t-1} and gate biases; live gate bars.

    Every gate's pre-activation is ``input_weight·x_t + hidden_weight·h_{t-1} + bias``,
    computed by ``helpers.lstm.lstm_step``. Returns :class:`with_static_fallback`
    whose figure shows the initial setting.
    """
    import ipywidgets as widgets
    import numpy as np

    from helpers import gate_plots, lstm

    def weights(b_i, b_f, b_c, b_o):
        return lstm.LSTMWeights(
            kernel=np.full((1, 4), input_weight),
            recurrent_kernel=np.full((1, 4), hidden_weight),
            bias=np.array([b_i, b_f, b_c, b_o]),  # Keras order i, f, c, o
        )

    def draw(x, h_prev, c_prev, b_i, b_f, b_c, b_o):
        step = lstm.lstm_step([[x]], [[h_prev]], [[c_prev]], weights(b_i, b_f, b_c, b_o))
        title = f"x_t = {x:.1f}, h_t−1 = {h_prev:.1f}, c_t−1 = {c_prev:.1f}"
        return gate_plots.gate_bars(step, c_prev, title=title)

    def slider(description, value, low=-5.0, high=5.0):
        return widgets.FloatSlider(
            value=value,
            min=low,
            max=high,
            step=0.1,
            description=description,
            continuous_update=False,
            readout=False,  # the slider's own readout drops "abc" without a word: see readout()
        )

    sliders = {
        "x": slider("x_t", 1.0, -2.0, 2.0),
        "h_prev": slider("h_t−1", 0.0, -1.0, 1.0),
        "c_prev": slider("c_t−1", 0.5, -2.0, 2.0),
        "b_i": slider("bias i", 0.0),
        "b_f": slider("bias f", 1.0),
        "b_c": slider("bias g", 0.0),
        "b_o": slider("bias o", 0.0),
    }
    message = widgets.HTML()  # what was wrong with a typed value; empty otherwise

    def readout(control):
        """A box to type the value in, beside ``control``; bad text gets a message."""
        box = widgets.Text(
            value=f"{control.value:.1f}", continuous_update=False, layout={"width": "5em"}
        )

        def typed(_change):
            if box.value == f"{control.value:.1f}":
                return  # the box showing the slider's value (also after a reset below)
            low, high, name = control.min, control.max, html.escape(control.description)
            try:
                value = float(box.value.replace("−", "-"))
            except ValueError:
                shown = html.escape(box.value)
                box.value = f"{control.value:.1f}"
                message.value = (
                    f"<b>{name}: '{shown}' is not a number; type one from {low:g} to {high:g} "
                    "(숫자를 입력하세요)</b>"
                )
                return
            control.value = min(max(value, low), high)  # clears the message (followed below)
            box.value = f"{control.value:.1f}"
            if not low <= value <= high:
                message.value = (
                    f"<b>{name}: {value:g} is outside {low:g} to {high:g}; set to the nearest "
                    "end (범위 밖의 값은 가까운 끝값으로 바꿉니다)</b>"
                )

        def followed(change):
            box.value, message.value = f"{change.new:.1f}", ""

        box.observe(typed, names="value")
        control.observe(followed, names="value")
        return widgets.HBox([control, box])

    # An Image widget, not an Output widget: nbclient (store_widget_state=False) fails on
    # output captured by an Output widget while a notebook executes headless.
    image = widgets.Image(value=figure_png(draw(**{n: s.value for n, s in sliders.items()})))

    def redraw(_change=None):
        image.value = figure_png(draw(**{name: s.value for name, s in sliders.items()}))

    for control in sliders.values():
        control.observe(redraw, names="value")
    names = list(sliders)
    controls = widgets.HBox(
        [
            widgets.VBox([readout(sliders[n]) for n in names[:3]]),
            widgets.VBox([readout(sliders[n]) for n in names[3:]]),
        ]
    )
    panel = widgets.VBox([controls, message, image])
    return with_static_fallback(panel, draw(**{name: s.value for name, s in sliders.items()}))


def attention_stepper(model, pairs, source_vocab, target_vocab, max_length: int | None = None):
    """Choose a sentence, step through greedy decoding, watch the attention weights move.

    ``model``: a Seq2Seq with an attention decoder; ``pairs``: corpus pairs to
    choose from (their English side is translated; the gold alignment is
    outlined when the model writes exactly the gold Korean tokens). Each step
    reveals one more row of the heatmap and frames the current one. Returns
    :class:`with_static_fallback` whose figure shows the first sentence fully
    decoded.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    from helpers import plots
    from helpers.translation import attention_study

    pairs = list(pairs)
    if not pairs:
        raise ValueError("pairs is empty; pass at least one corpus pair to choose from")
    decoded = {}  # sentence index -> (tokens, weights): decode each sentence once

    def decode(index):
        if index not in decoded:
            decoded[index] = attention_study.decoding_steps(
                model, pairs[index].source, source_vocab, target_vocab, max_length
            )
        return decoded[index]

    def draw(index, step):
        tokens, weights = decode(index)
        pair = pairs[index]
        shown, token, strongest = attention_study.stepper_view(tokens, weights, step)
        gold = pair.alignment if list(tokens) == list(pair.target) else None
        title = f"step {step}/{len(tokens)}: writes {token}  ←  looks at '{pair.source[strongest]}'"
        fig = plots.attention_heatmap(shown, pair.source, tokens, gold=gold, title=title)
        fig.axes[0].add_patch(  # frame the row of the current step
            plt.Rectangle((-0.5, step - 1.5), len(pair.source), 1, fill=False, lw=3, ec="black")
        )
        return fig

    chooser = widgets.Dropdown(
        options=[(pair.english, index) for index, pair in enumerate(pairs)],
        value=0,
        description="sentence",
        layout=widgets.Layout(width="95%"),
    )
    first_length = len(decode(0)[0])
    stepper = widgets.IntSlider(
        value=1, min=1, max=max(first_length, 1), description="step", continuous_update=False
    )
    image = widgets.Image(value=figure_png(draw(0, 1)))  # Image, not Output: see gate_explorer

    def redraw(_change=None):
        image.value = figure_png(draw(chooser.value, stepper.value))

    def new_sentence(_change=None):
        length = max(len(decode(chooser.value)[0]), 1)
        stepper.unobserve(redraw, names="value")
        stepper.value, stepper.max = 1, length  # value first: max may shrink below it
        stepper.observe(redraw, names="value")
        redraw()

    chooser.observe(new_sentence, names="value")
    stepper.observe(redraw, names="value")
    panel = widgets.VBox([chooser, stepper, image])
    return with_static_fallback(panel, draw(0, first_length))


def translation_view(translation, beam_width: int, model_name: str):
    """One :class:`~helpers.translation.translator.Translation`'s heatmap and hypotheses.

    The hypotheses, the unknown words and what the model changed in the typed sentence
    go in the figure's own caption area under the heatmap (``plots.translation_figure``).
    """
    from helpers import plots

    hypotheses = "\n".join(
        f"{rank}. {korean}   (log p = {plots.two_decimals(score)})"
        for rank, (korean, score) in enumerate(translation.hypotheses, start=1)
    )
    notes = [wrap(line) for line in (translation.unknown_note, *translation.notes) if line]
    title = f"{model_name}, beam {beam_width}: {translation.korean}"
    if translation.attention is None or not translation.target_tokens:
        reason = "no attention in this model" if translation.attention is None else "no output"
        title += f"\n({reason})"
    return plots.translation_figure(
        translation.attention,
        translation.source_tokens,
        translation.target_tokens,
        caption="\n".join([f"beam's hypotheses, best first:\n{hypotheses}", *notes]),
        title=title,
    )


def wrap(line: str, width: int = 100) -> str:
    """A long note as lines of at most ``width`` characters."""
    import textwrap

    return textwrap.fill(line, width)


BEAM_WIDTHS = (1, 3, 5)  # the widths notebook 08 measured


def translate_your_own(translators, sentence: str = "I am Jaehyun", beam_width: int = 3):
    """Type an English sentence, pick a model and a beam width; see its translation.

    ``translators``: a non-empty list of :class:`~helpers.translation.translator.Translator`.
    Shows the chosen translation, its attention heatmap and the beam's hypotheses with their
    log-probabilities, names the words the model does not know and says what it changed in
    the typed sentence. A problem with the input (empty, too long, not English) is shown as
    a message in place of the figure; nothing raises while you type.
    """
    import ipywidgets as widgets

    translators = list(translators)
    if not translators:
        raise ValueError(
            "translators is empty; pass at least one helpers.translation.translator.Translator"
        )
    if beam_width not in BEAM_WIDTHS:
        raise ValueError(f"beam_width must be one of {list(BEAM_WIDTHS)}, got {beam_width!r}")
    box = widgets.Text(  # continuous_update=False: translate on Enter or leaving the box
        value=sentence,
        description="English",
        continuous_update=False,
        layout=widgets.Layout(width="70%"),
    )
    chooser = widgets.Dropdown(
        options=[(t.name, index) for index, t in enumerate(translators)], description="model"
    )
    width = widgets.Dropdown(options=BEAM_WIDTHS, value=beam_width, description="beam width")
    status = widgets.HTML()
    image = widgets.Image()

    def draw(text_value, index, beam):
        translator = translators[index]
        translation = translator.translate(text_value, beam_width=beam)
        return translation_view(translation, beam, translator.name)

    def redraw(_change=None):
        status.value = "updating …"
        try:
            image.value = figure_png(draw(box.value, chooser.value, width.value))
            image.layout.display, status.value = None, ""
        except ValueError as error:  # empty, over-long, not English: say so, drop the old figure
            image.value, image.layout.display = b"", "none"
            status.value = f"<b>{html.escape(str(error))}</b>"

    box.observe(redraw, names="value")
    chooser.observe(redraw, names="value")
    width.observe(redraw, names="value")
    redraw()
    panel = widgets.VBox([box, widgets.HBox([chooser, width]), status, image])
    return with_static_fallback(panel, draw(sentence, 0, beam_width))
