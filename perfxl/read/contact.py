"""The unit's contact from a form's footer: 填报人 and 联系电话.

Personal data: it travels only to the unit's own return list (退回修改), never
into the 汇总表 (the template notes: names and phone numbers in the footer are
personal data). Kept apart from the form reader so that
the footer labels the reader already knows (``footer`` in labels.py) are the
only thing both share.
"""

from __future__ import annotations

import re

from perfxl.read.grid import Grid

FILLER_LABELS = frozenset({"填报人", "填表人", "联系人", "经办人"})
PHONE_LABELS = frozenset({"联系电话", "电话", "联系方式"})
_INLINE = re.compile(r"^(填报人|填表人|联系人|经办人|联系电话|电话)[:：]\s*(\S.*)$")


def find_contact(grid: Grid) -> tuple[str, str]:
    """(填报人, 联系电话) as written in the footer; '' for what is not there."""
    filler = phone = ""
    for r, c in grid.find("footer"):
        label = grid.norm(r, c)
        if label in FILLER_LABELS and not filler:
            filler = grid.right_of(r, c).text
        elif label in PHONE_LABELS and not phone:
            phone = grid.right_of(r, c).text
    if filler and phone:
        return filler, phone
    for r in range(max(0, grid.nrows - 6), grid.nrows):  # "填报人：张三" in one cell
        for c in range(grid.ncols):
            m = _INLINE.match(grid.text(r, c))
            if not m:
                continue
            if m.group(1) in PHONE_LABELS:
                phone = phone or m.group(2).strip()
            else:
                filler = filler or m.group(2).strip()
    return filler, phone
