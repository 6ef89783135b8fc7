"""Forms and inboxes for the loop's tests (return lists, rounds, roster,
archives, incremental runs): real workbooks written by perfxl.forms.generate,
whose problems are known exactly."""

from __future__ import annotations

from pathlib import Path

from perfxl.forms.generate import FormSpec, IndicatorSpec, write_form


def spec(
    project: str,
    unit: str,
    *,
    department: str = "某市财政局",
    year: int = 2023,
    served: str = "100人",
    reason: str | None = None,
    filler: str | None = None,
    phone: str | None = None,
    budget: float = 10,
    rate: float = 1.0,
) -> FormSpec:
    """A clean form; ``served="90人"`` makes one shortfall (45 of 50 points),
    which without a ``reason`` is exactly one missing-deviation-reason; a
    ``rate`` other than 1.0 is exactly one rate-differs."""
    short = served != "100人"
    rows = [
        IndicatorSpec("产出指标", "数量指标", "服务人数", "≥100人", served, 50,
                      45 if short else 50, reason),
        # named after the project: two units' forms never look copied from each other
        IndicatorSpec("效益指标", "社会效益指标", f"{project}成效", "明显改善", "明显改善", 30, 30),
        IndicatorSpec("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", 10, 10),
    ]  # fmt: skip
    return FormSpec(
        year=year,
        project_name=project,
        department=department,
        implementer=unit,
        funds={"total": (budget, budget, budget), "fiscal": (budget, budget, budget)},
        rate_written=rate,
        budget_self_score=10,
        goal_expected="完成年度目标",
        goal_actual="已完成",
        indicators=rows,
        total_self=95 if short else 100,
        grade="优",
        filler=filler,
        phone=phone,
    )


def form(path: Path, project: str, unit: str, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_form(path, spec(project, unit, **kw))
