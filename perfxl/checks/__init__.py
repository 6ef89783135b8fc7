"""Checks: what perfxl finds wrong with a form, as data.

``codes`` is the registry of problem codes (severity, Chinese title,
description); every check is a declaration (table, vectorised condition,
message template) in ``project``, ``indicators``, ``scores``, ``selfeval`` and
``duplicates``, listed in order by ``catalog``; ``runner`` alone turns their
hits into problem rows. Importing this package imports nothing: the reader
uses ``codes`` without pandas.
"""
