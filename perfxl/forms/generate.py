"""Write filled 项目支出绩效自评表 workbooks in every layout variant seen in real files.

The reader, the checks and the benchmarks need forms whose true content is
known. A :class:`FormSpec` says what a unit filled in; a variant plus options
say how its spreadsheet looks. Keeping the two apart lets one spec be written
in every layout and with every quirk of real files, and the reader must give
back the same content each time. Every input text is written as text; with
the ``formulas`` option the computed cells (sums, 执行率, budget score, 总分)
are formulas carrying the cached result Excel/WPS would save, so a reader
sees the same values with or without them.

This module is the public API of the generator; the work is done in
:mod:`perfxl.forms.spec` (the spec), :mod:`perfxl.forms.layout` (the grid of each
variant), :mod:`perfxl.forms.render` (xlsx/xlsm/xls bytes) and :mod:`perfxl.testing.corpus`
(random forms for benchmarks and reader tests), whose names are importable
from here as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl.forms.layout import VARIANTS, FormLayout, layout_form
from perfxl.forms.render import FIXED_CREATED, Sheet, render_xls, render_xlsx
from perfxl.forms.spec import (
    FormSpec,
    Formula,
    IndicatorSpec,
    Percent,
    Value,
    num_text,
    split_target,
)
from perfxl.write.atomic import atomic_write_bytes as atomic_write

if TYPE_CHECKING:
    from perfxl.testing.corpus import CorpusItem, generate_corpus, plan_corpus, random_spec

__all__ = [
    "FIXED_CREATED", "FORMATS", "INSTRUCTIONS", "VARIANTS", "CorpusItem", "FormLayout",
    "FormSpec", "Formula", "IndicatorSpec", "Percent", "Sheet", "Value", "adapt_spec",
    "atomic_write", "generate_corpus", "layout_form", "num_text", "plan_corpus", "random_spec",
    "render_xls", "render_xlsx", "split_target", "write_form", "write_workbook",
]  # fmt: skip

FORMATS = ("xlsx", "xlsm", "xls")
INSTRUCTIONS = [
    "填表说明",
    "1. 本表由项目实施单位填写，金额单位为万元，保留两位小数。",
    "2. 一级指标、二级指标按财政部规定的框架填列，三级指标由单位根据项目实际设置。",
    "3. 执行率 = 全年执行数 ÷ 全年预算数；预算执行率得分 = 执行率 × 分值，最高不超过分值。",
    "4. 未完成的指标须在“偏差原因分析及改进措施”中说明原因。",
    "5. 自评总分 90 分（含）以上为优，80–90 分为良，60–80 分为中，60 分以下为差。",
]


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name).strip("'")[:31] or "Sheet"
    candidate, k = base, 2
    while candidate.lower() in used:
        candidate, k = f"{base[:28]}({k})", k + 1
    used.add(candidate.lower())
    return candidate


def write_workbook(
    path: str | Path,
    forms: Sequence[tuple[str, FormSpec, str, dict[str, Any]]],
    *,
    fmt: str | None = None,
    extra_sheets: Sequence[str | tuple[str, list[str]]] = (),
    extra_sheets_first: bool = False,
) -> Path:
    """Several forms (sheet name, spec, variant, options) in one workbook, plus
    sheets that hold no form (``填表说明``), written atomically.

    ``fmt`` defaults to the path's suffix; giving another one writes e.g. an
    .xls under an .xlsx name, as misnamed inbox files are."""
    path = Path(path)
    fmt = fmt or (
        path.suffix.lower().lstrip(".") if path.suffix.lower() in (".xls", ".xlsm") else "xlsx"
    )
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
    used: set[str] = set()
    extras: list[Sheet] = []
    for extra in extra_sheets:
        name, lines = (extra, INSTRUCTIONS) if isinstance(extra, str) else extra
        extras.append((_sheet_name(name, used), list(lines), 0, 0))
    sheets: list[Sheet] = []
    for name, spec, variant, options in forms:
        opts = dict(options)
        grid = layout_form(spec, variant, **opts)
        dr, dc = int(opts.get("shift_rows", 0)), int(opts.get("extra_cols", 0))
        sheets.append((_sheet_name(name, used), grid, dr, dc))
    sheets = extras + sheets if extra_sheets_first else sheets + extras
    data = render_xls(sheets) if fmt == "xls" else render_xlsx(sheets, macro=fmt == "xlsm")
    atomic_write(path, data)
    return path


def write_form(
    path: str | Path, spec: FormSpec, variant: str = "national-2020", **options: Any
) -> Path:
    """One filled form in one workbook. Options: fmt, sheet_name, extra_sheets,
    extra_sheets_first, and the layout quirks of :class:`perfxl.layout._Options`."""
    fmt = options.pop("fmt", None)
    sheet = options.pop("sheet_name", None) or "项目支出绩效自评表"
    extra = options.pop("extra_sheets", ())
    first = options.pop("extra_sheets_first", False)
    return write_workbook(
        path,
        [(sheet, spec, variant, options)],
        fmt=fmt,
        extra_sheets=extra,
        extra_sheets_first=first,
    )


def adapt_spec(spec: FormSpec, variant: str) -> FormSpec:
    """The spec as a form of this variant can hold it: the single-column form has no
    年初预算数 column and no 上年结转 row (a carry-over is counted with 其他资金)."""
    if variant != "single-column":
        return spec
    funds = dict(spec.funds)
    carry = funds.pop("carryover", None)
    if carry and any(carry):
        other = funds.get("other") or (None, None, None)
        funds["other"] = tuple(  # type: ignore[assignment]
            None if a is None and b is None else round((a or 0) + (b or 0), 2)
            for a, b in zip(other, carry, strict=True)
        )
    funds = {k: (None, v[1], v[2]) for k, v in funds.items()}
    return replace(spec, funds=funds)


_CORPUS_NAMES = frozenset({"CorpusItem", "generate_corpus", "plan_corpus", "random_spec"})


def __getattr__(name: str) -> Any:
    """The corpus names, imported on first use: :mod:`perfxl.testing.corpus` builds on
    :func:`write_workbook`, so importing it at the top would be circular."""
    if name in _CORPUS_NAMES:
        from perfxl.testing import corpus

        return getattr(corpus, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
