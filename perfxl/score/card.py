"""One project's figures for ``perfxl score``: the review of each form in a
file, as data (``as_dict``) and as a console rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from perfxl.batch.run import review_file, run_batch
from perfxl.checks.codes import severity_label
from perfxl.model import ProjectForm, ProjectScore
from perfxl.rules.schema import Rules


@dataclass
class ScoreCard:
    file: str
    reviews: list[tuple[ProjectForm, ProjectScore]]
    problems: list[dict]

    @property
    def has_errors(self) -> bool:
        return any(p["severity"] == "error" for p in self.problems) or not self.reviews

    def as_dict(self) -> dict:
        forms = []
        for form, s in self.reviews:
            forms.append(
                {
                    "sheet": form.sheet,
                    "variant": form.variant,
                    "year": form.year,
                    "project_name": form.project_name.text,
                    "department": form.department.text,
                    "implementer": form.implementer.text,
                    "budget": s.budget,
                    "executed": s.executed,
                    "rate": s.rate,
                    "budget_weight": s.budget_weight,
                    "budget_score": s.budget_score,
                    "budget_explanation": s.budget_explanation,
                    "indicators": [
                        {
                            "level1": i.indicator.level1,
                            "level2": i.indicator.level2,
                            "name": i.indicator.name,
                            "cell": i.indicator.name_cell,
                            "target": i.indicator.target.text,
                            "actual": i.indicator.actual.text,
                            "rule": i.rule,
                            "weight": i.weight,
                            "self_score": i.self_score,
                            "review_score": i.review,
                            "explanation": i.explanation,
                            "achieved": i.achieved,
                        }
                        for i in s.indicators
                    ],
                    "self_total": s.self_total,
                    "review_total": s.total,
                    "total_explanation": s.total_explanation,
                    "grade": s.grade,
                    "level1_count": s.level1_count,
                    "level2_count": s.level2_count,
                    "level3_count": s.level3_count,
                    "achieved_count": s.achieved_count,
                    "completion_rate": s.completion_rate,
                }
            )
        return {"file": self.file, "forms": forms, "problems": self.problems}

    def print(self) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(width=180)
        if not self.reviews:
            for p in self.problems:
                console.print(f"[{severity_label(p['severity'])}] {p['message']}")
            return
        for form, s in self.reviews:
            console.print(
                f"[bold]{form.project_name.text}[/bold]（{form.year or '年度未填'}年度，工作表「{form.sheet}」）"
            )
            rate = "—" if s.rate is None else f"{s.rate * 100:.2f}%"
            console.print(
                f"全年预算数 {_n(s.budget)} 万元，全年执行数 {_n(s.executed)} 万元，执行率 {rate}，预算得分 {s.budget_score:.2f}/{s.budget_weight:g}"
            )
            console.print(f"预算执行计算过程：{s.budget_explanation}", markup=False)
            t = Table()
            for col in (
                "一级",
                "二级",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "自评",
                "复核",
                "完成",
                "计算过程",
            ):
                t.add_column(col, overflow="fold")
            for i in s.indicators:
                done = "不适用" if i.achieved is None else ("是" if i.achieved else "否")
                t.add_row(
                    i.indicator.level1,
                    i.indicator.level2,
                    i.indicator.name,
                    i.indicator.target.text,
                    i.indicator.actual.text,
                    f"{i.weight:g}",
                    _n(i.self_score),
                    f"{i.review:.2f}",
                    done,
                    i.explanation,
                )
            console.print(t)
            if s.total_explanation:
                console.print(f"总分封顶：{s.total_explanation}", markup=False)
            comp = "—" if s.completion_rate is None else f"{s.completion_rate * 100:.0f}%"
            console.print(
                f"复核总分 [bold]{s.total:.2f}[/bold]，等级 [bold]{s.grade}[/bold]；自评总分 {_n(s.self_total)}；"
                f"一级指标 {s.level1_count} 个，二级指标 {s.level2_count} 个，三级指标 {s.level3_count} 个，"
                f"已完成 {s.achieved_count} 个，指标完成率 {comp}"
            )
        if self.problems:
            console.print(f"问题 {len(self.problems)} 个（详见 perfxl check）：")
            for p in self.problems:
                console.print(
                    f"  [{severity_label(p['severity'])}] {p['sheet']}!{p['cell']} {p['code']}：{p['message']}"
                )


def _n(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def score_file(path: Path, rules: Rules) -> ScoreCard:
    batch = run_batch([(path, path.name)], rules=rules, jobs=1)
    _, reviews = review_file(path, path.name, rules)
    probs = batch.problems.fillna("").to_dict(orient="records")
    return ScoreCard(path.name, list(reviews), probs)
