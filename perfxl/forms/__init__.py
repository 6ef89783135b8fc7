"""Forms: lay out and render 自评表 workbooks from what they say.

``spec`` is a form's content, ``layout`` places it on a grid in one of the
layout variants, ``formulas`` turns computed cells into formulas with cached
results, ``render`` writes .xlsx/.xlsm/.xls bytes; ``generate`` and
``template`` are the public entry points (``perfxl generate``/``template``).
"""
