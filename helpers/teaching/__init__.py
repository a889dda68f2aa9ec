"""What a learner works with: the exercises' checkers and the interactive widgets.

It stands above both halves and the core; nothing in them imports it.
"""
