"""The reserved tokens every vocabulary of the series starts with, and their ids.

A leaf, so the models (which mask ``PAD_ID``) need not stand on the corpus and its
vocabularies (``helpers.translation.text``, which re-exports these names).
"""

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
# Padding must be 0 so that Keras ``mask_zero=True`` masks it.
PAD_ID, START_ID, END_ID, UNKNOWN_ID = 0, 1, 2, 3
RESERVED_TOKENS = (PAD, START, END, UNKNOWN)
