"""Score: perfxl's review (复核) of one form, recomputed from raw amounts,
targets and actuals; ``card`` renders one workbook's review for ``perfxl score``."""
