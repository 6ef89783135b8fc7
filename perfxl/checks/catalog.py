"""Every check, in report order, and the two ways a batch runs them: the
per-form checks block by block, the batch-level ones once over all forms."""

from __future__ import annotations

import pandas as pd

from perfxl.batch.frames import Frames
from perfxl.checks.duplicates import DUPLICATE_PROJECT
from perfxl.checks.indicators import INDICATOR_CHECKS
from perfxl.checks.project import FORM_CHECKS
from perfxl.checks.runner import Check, run_checks
from perfxl.checks.selfeval import SELF_EVALUATION_CHECKS
from perfxl.rules.schema import DEFAULT, Rules

PER_FORM: list[Check] = [*FORM_CHECKS, *INDICATOR_CHECKS, *SELF_EVALUATION_CHECKS]
BATCH: list[Check] = [DUPLICATE_PROJECT]
CHECKS: list[Check] = [*PER_FORM, *BATCH]


def check_forms(frames: Frames, rules: Rules = DEFAULT) -> pd.DataFrame:
    """The per-form checks over a block of forms: one sorted problems frame."""
    return run_checks(frames, rules, PER_FORM)


def check_batch(keys: pd.DataFrame, rules: Rules = DEFAULT) -> pd.DataFrame:
    """The batch-level checks over the key table of every form of the batch."""
    empty = pd.DataFrame()
    return run_checks(Frames(keys, empty, empty, empty), rules, BATCH)


def check_all(frames: Frames, rules: Rules = DEFAULT) -> pd.DataFrame:
    """Every check over one set of frames (a batch checked in one block)."""
    return run_checks(frames, rules, CHECKS)
