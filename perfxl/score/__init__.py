"""Score: perfxl's review (复核) of one form, recomputed from raw amounts,
targets and actuals. ``compute`` picks the rule for each indicator and sums the
parts; ``formulas`` holds each formula with the 计算过程 line it writes;
``card`` renders one workbook's review for ``perfxl score``."""
