"""Build or load the translation model an :class:`~helpers.experiments.Experiment` describes.

``helpers.experiments`` holds the facts (settings, seeds, files) and imports no model, so the
forecasting half can read it; building a model from those facts lives here, beside the
models.
"""

from __future__ import annotations

import pathlib

from helpers import experiments
from helpers.experiments import Experiment
from helpers.shapes import whole_number
from helpers.translation import attention_decoders, seq2seq, transformer


def build(model: Experiment | str, source_vocab_size: int, target_vocab_size: int, **overrides):
    """A new, untrained ``model`` (an :class:`Experiment` or its key) with its settings;
    ``overrides`` replace some of them.

    ``overrides`` are for trying a change (``units=32``) or a tiny test model; the
    committed weights fit only the settings as they are.
    """
    experiment = _experiment(model)
    sizes = (source_vocab_size, target_vocab_size)
    unknown = set(overrides) - set(experiment.settings)
    if unknown:
        raise ValueError(
            f"{experiment.name} has no setting {sorted(unknown)}; its settings are "
            f"{sorted(experiment.settings)}"
        )
    for name, value in overrides.items():  # a size stays a whole number (flags are bools)
        default = experiment.settings[name]
        if isinstance(default, int) and not isinstance(default, bool):
            whole_number(value, name)
    settings = {**experiment.settings, **overrides}
    if experiment.architecture == "transformer":
        return transformer.Transformer(*sizes, **settings)
    reverse_source = settings.pop("reverse_source", False)
    bidirectional = settings.pop("bidirectional", False)  # the encoder's, not the decoder's
    score = settings.pop("score", None)
    decoder = None  # the Seq2Seq's own plain decoder
    if experiment.architecture == "luong":
        decoder = attention_decoders.LuongDecoder(target_vocab_size, **settings, score=score)
    elif experiment.architecture == "bahdanau":
        decoder = attention_decoders.BahdanauDecoder(target_vocab_size, **settings)
    return seq2seq.Seq2Seq(
        *sizes,
        **settings,
        reverse_source=reverse_source,
        bidirectional=bidirectional,
        decoder=decoder,
    )


def load(model: Experiment | str, source_vocab, target_vocab, path=None):
    """:func:`build`, then the committed weights (or those at ``path``)."""
    experiment = _experiment(model)
    path = experiment.weights_path if path is None else pathlib.Path(path)
    if path is None:
        raise ValueError(
            f"{experiment.name} has no committed weights; train it with {experiment.benchmark}"
        )
    if not path.is_file():
        raise FileNotFoundError(
            f"no trained weights of {experiment.name} at {path}; run "
            f"`.venv/bin/python {experiment.benchmark}` (or `make bench`) to train and save them"
        )
    model = build(experiment, len(source_vocab), len(target_vocab))
    return seq2seq.load_weights(model, path)


def _experiment(model: Experiment | str) -> Experiment:
    return model if isinstance(model, Experiment) else experiments.experiment(model)
