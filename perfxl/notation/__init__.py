"""Notation: how units write targets and actuals (``≥15家``, ``１００％``,
``2023年12月底前``), reduced to one :class:`~perfxl.notation.parse.Reading`.
``vocabulary`` holds the word tables, ``parse`` the logic."""
