"""Names as people type them: one normalisation for matching units and
projects (the reader's: NFKC, no whitespace, one kind of bracket), near
matches that are *reported*, never merged, and file names made from names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import lru_cache

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")",
                           "〔": "(", "〕": ")", "《": "", "》": "", "“": "", "”": "", '"': ""})  # fmt: skip
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
NEAR_RATIO = 0.8


@lru_cache(maxsize=65536)
def norm_name(text: str) -> str:
    """Canonical form of a unit or project name: full-width to half-width,
    no whitespace, brackets unified ("（一）" and "(一)" are the same name)."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    s = re.sub(r"\s+", "", s).translate(_BRACKETS)
    return s.lower()


def near(a: str, b: str) -> bool:
    """Two different names that are probably the same (a typo, a missing
    word): similar by ratio, or one containing the other."""
    na, nb = norm_name(a), norm_name(b)
    if not na or not nb or na == nb:
        return False
    if min(len(na), len(nb)) >= 4 and (na in nb or nb in na):
        return True
    return difflib.SequenceMatcher(None, na, nb).ratio() >= NEAR_RATIO


def safe_filename(name: str, fallback: str) -> str:
    """A name usable as a file name on Windows and Linux."""
    s = _UNSAFE.sub("_", str(name or "")).strip(" ._")[:80]
    return s or fallback
