"""One review as plain records: the rows the batch tables are made of.

Pure Python on purpose: pool workers build these (no pandas there, so a
worker costs no import and no per-chunk DataFrame work); the parent turns
the records of a whole batch into frames once (frames.py) and runs the
vectorised checks over them (:mod:`perfxl.checks`).
"""

from __future__ import annotations

import hashlib

from perfxl.model import CellValue, ProjectForm, ProjectScore
from perfxl.notation.parse import parse_number
from perfxl.rules.schema import DEFAULT, Rules
from perfxl.score.compute import amount


def _num(v: object) -> float | None:
    return parse_number(v)


def _is_marker(v: object, rules: Rules) -> bool:
    return isinstance(v, str) and v.strip() in rules.words.not_applicable


def form_record(form: ProjectForm, score: ProjectScore, rules: Rules = DEFAULT) -> dict:
    total = form.fund("total")
    weights = [s.weight for s in score.indicators]
    level1_weights: dict[str, float] = {}
    for s in score.indicators:
        level1_weights[s.indicator.level1] = level1_weights.get(s.indicator.level1, 0.0) + s.weight
    rate_written = None
    if total and not total.rate.empty:
        n = _num(total.rate.value)  # "86%" -> 0.86; a cell 0.86 -> 0.86; 86 -> 86
        if n is not None:
            rate_written = n / 100 if abs(n) > 2 else n
    return {
        "file": form.file,
        "sheet": form.sheet,
        "variant": form.variant,
        "year": form.year,
        "year_cell": form.year_cell,
        "project_name": form.project_name.text,
        "project_cell": form.project_name.cell,
        "department": form.department.text,
        "department_code": form.department_code,
        "department_cell": form.department.cell,
        "implementer": form.implementer.text,
        "implementer_cell": form.implementer.cell,
        "initial_budget": score.budget_initial,
        "budget": score.budget,
        "executed": score.executed,
        "budget_cell": total.budget.cell if total else "",
        "executed_cell": total.executed.cell if total else "",
        "has_total_row": total is not None,
        "rate": score.rate,
        "rate_written": rate_written,
        "rate_cell": total.rate.cell if total else "",
        "budget_weight": score.budget_weight,
        "budget_score": score.budget_score,
        "budget_self": score.budget_self,
        "budget_self_raw": total.score.value if total else None,
        "budget_score_cell": total.score.cell if total else "",
        "weights_sum": score.budget_weight + sum(weights),
        "weights_cell": (form.indicator_columns.get("weight", "") + str(form.total_row))
        if form.total_row and form.indicator_columns.get("weight")
        else form.total_self.cell,
        "level1_weights": level1_weights,
        "level1_count": score.level1_count,
        "level2_count": score.level2_count,
        "level3_count": score.level3_count,
        "achieved_count": score.achieved_count,
        "applicable_count": score.applicable_count,
        "completion_rate": score.completion_rate,
        "self_total": score.self_total,
        "self_total_written": _num(form.total_self.value),
        "self_total_cell": form.total_self.cell,
        "self_sum": _self_sum(score),
        "review_total": score.total,
        "indicator_total": score.indicator_total,
        "grade": score.grade,
        "filler": form.filler,
        "phone": form.phone,
        "budget_explanation": score.budget_explanation,
        "budget_reason": total.reason.text if total else "",
        "budget_reason_cell": total.reason.cell if total else "",
        "missing_self_cells": _missing_self_cells(form, score),
        "indicator_digest": _digest(form),
    }


def _unfilled(cv: CellValue) -> bool:
    """A self-score cell the unit left empty, or with a formula never computed."""
    return bool(cv.cell) and (cv.formula is not None or cv.empty)


def _missing_self_cells(form: ProjectForm, score: ProjectScore) -> str:
    """The 得分 / 总分 cells the unit did not fill ('' when it did its self-evaluation).
    Not-applicable indicators need no score."""
    total = form.fund("total")
    cells = [total.score] if total else []
    cells += [s.indicator.score for s in score.indicators if s.rule != "na"]
    cells.append(form.total_self)
    return "、".join(cv.cell for cv in cells if _unfilled(cv))


def _digest(form: ProjectForm) -> str:
    """A fingerprint of the indicator table (names, targets, actuals, self scores):
    equal fingerprints on forms of different units or projects mean a copied form.
    '' for a form with fewer than 3 indicators (too little to tell)."""
    if len(form.indicators) < 3:
        return ""
    rows = [(i.name, i.target.text, i.actual.text, i.score.text) for i in form.indicators]
    return hashlib.sha1(repr(rows).encode("utf-8")).hexdigest()


def _self_sum(score: ProjectScore) -> float | None:
    parts = [s.self_score for s in score.indicators if s.rule != "na"]
    if score.budget_self is None or any(p is None for p in parts):
        return None
    return score.budget_self + sum(p for p in parts if p is not None)


def indicator_records(form: ProjectForm, score: ProjectScore, rules: Rules = DEFAULT) -> list[dict]:
    out = []
    for pos, s in enumerate(score.indicators):
        i = s.indicator
        out.append(
            {
                "file": form.file,
                "sheet": form.sheet,
                "project_name": form.project_name.text,
                "pos": pos,
                "row": i.row,
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "name_cell": i.name_cell,
                "level1_cell": i.level1_cell,
                "level2_cell": i.level2_cell,
                "target": i.target.text,
                "target_cell": i.target.cell,
                "actual": i.actual.text,
                "actual_cell": i.actual.cell,
                "actual_formula": bool(i.actual.formula),
                "weight_raw": i.weight.text,
                "weight_cell": i.weight.cell,
                "self_raw": i.score.text,
                "self_marker": _is_marker(i.score.value, rules),
                "score_cell": i.score.cell,
                "reason": i.reason.text,
                "reason_cell": i.reason.cell,
                "rule": s.rule,
                "op": s.target_op,
                "target_kind": s.target_kind,
                "actual_kind": s.actual_kind,
                "target_number": s.target_number,
                "actual_number": s.actual_number,
                "target_unit": s.target_unit,
                "actual_unit": s.actual_unit,
                "unit": s.unit,
                "band": s.band,
                "weight": s.weight,
                "effective_weight": s.effective_weight,
                "self_score": s.self_score,
                "review_score": s.review,
                "achieved": s.achieved,
                "over_achieved": s.over_achieved,
                "ambiguous_percent": s.ambiguous_percent,
                "explanation": s.explanation,
            }
        )
    return out


def fund_records(form: ProjectForm, rules: Rules = DEFAULT) -> list[dict]:
    out = []
    for f in form.funds:
        rec = {
            "file": form.file,
            "sheet": form.sheet,
            "kind": f.kind,
            "label": f.label,
            "row": f.row,
        }
        for attr in ("initial", "budget", "executed"):
            cv = getattr(f, attr)
            n = _num(cv.value)
            rec[attr] = amount(cv, form.money_factor)
            rec[f"{attr}_cell"] = cv.cell
            rec[f"{attr}_bad"] = (
                not cv.empty and n is None and not _is_marker(cv.value, rules) and not cv.formula
            )
            rec[f"{attr}_text"] = cv.text
            rec[f"{attr}_formula"] = bool(cv.formula)
        out.append(rec)
    return out


def category_records(form: ProjectForm, score: ProjectScore) -> list[dict]:
    filled = {(s.indicator.level1, s.indicator.level2) for s in score.indicators}
    cells = form.category_cells or ("",) * len(form.categories)
    return [
        {
            "file": form.file,
            "sheet": form.sheet,
            "level1": l1,
            "level2": l2,
            "cell": cell,
            "filled": (l1, l2) in filled,
        }
        for (l1, l2), cell in zip(form.categories, cells, strict=True)
    ]


FRAME_NAMES = ("forms", "indicators", "funds", "categories")


def review_records(
    reviews: list[tuple[ProjectForm, ProjectScore]], rules: Rules = DEFAULT
) -> dict[str, list[dict]]:
    """The records of reviewed forms, by frame name."""
    out: dict[str, list[dict]] = {name: [] for name in FRAME_NAMES}
    for form, score in reviews:
        out["forms"].append(form_record(form, score, rules))
        out["indicators"].extend(indicator_records(form, score, rules))
        out["funds"].extend(fund_records(form, rules))
        out["categories"].extend(category_records(form, score))
    return out


def columns(records: list[dict]) -> dict[str, list]:
    """Records (all with the same keys) as one list per key: what pickles
    small and what pandas builds a frame from fastest."""
    if not records:
        return {}
    return {k: [r[k] for r in records] for k in records[0]}
