"""The translation half of the series: corpora, vocabularies, the models, training, decoding
and the one front door from a sentence to its translation (``translator``).

It imports the shared core (``helpers.*``); the forecasting half never imports it.
"""
