"""What the mail to the leader says: read back from the 汇总表 it carries.

A leader reads the body, not the attachment: the money (全年预算数, 全年执行数,
the overall 执行率), the grade distribution, the projects that need attention
by name (graded 中 or 差, low execution), the units with the most errors, and
who sent it. Everything comes from the workbook's 汇总 and 问题清单 sheets, so
``perfxl mail 汇总表.xlsx`` says the same as the mail ``perfxl run`` sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs ~370 ms to import: only when a frame is needed
    import pandas as pd

GRADES = ("优", "良", "中", "差")
WEAK_GRADES = ("中", "差")
MAX_LISTED = 20  # projects named per list; the rest are counted
MAX_UNITS = 5
MAX_LISTED_PROBLEMS = 10
PROJECT_HEADERS = ("序号", "年度", "主管部门", "实施单位", "项目名称", "全年预算数", "全年执行数")
PROJECT_HEADERS += ("复核总分", "错误数", "警告数", "源文件")
PROBLEM_HEADERS = ("源文件", "工作表", "单元格", "级别", "代码", "说明")
DEFAULT_SUBJECT = "项目支出绩效自评汇总表"


@dataclass(frozen=True)
class Signature:
    """Who sends the mail: from --sender-name/--unit or PERFXL_SENDER_NAME/PERFXL_UNIT."""

    name: str = ""
    unit: str = ""


def read_summary_frames(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 汇总 and 问题清单 sheets of a 汇总表.xlsx, as written by perfxl.

    The totals row (合计) is dropped so counts are per project; a missing
    sheet gives an empty frame with the expected headers.
    """
    import pandas as pd
    from python_calamine import CalamineError, CalamineWorkbook

    from perfxl.write.mail import MailError

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in ("汇总", "问题清单")
            if name in workbook.sheet_names
        }
    except (CalamineError, OSError, ValueError) as exc:
        raise MailError(f"无法读取汇总表 {Path(path).name}：{exc}") from None

    def frame(rows: list[list[object]] | None, headers: tuple[str, ...]) -> pd.DataFrame:
        rows = rows or []
        at = next((i for i, r in enumerate(rows[:10]) if {headers[0], headers[-1]} <= set(r)), None)
        if at is None:
            return pd.DataFrame(columns=list(headers))
        names = [str(h).strip() for h in rows[at]]
        body = [r for r in rows[at + 1 :] if any(v not in ("", None) for v in r)]
        out = pd.DataFrame(body, columns=names)
        return out.loc[:, [c for c in names if c]]

    projects = frame(sheets.get("汇总"), PROJECT_HEADERS)
    if len(projects):
        firsts = projects.iloc[:, : min(5, projects.shape[1])].astype(str)
        totals = firsts.apply(lambda col: col.str.strip().isin(["合计", "总计"])).any(axis=1)
        projects = projects.loc[~totals].reset_index(drop=True)
    return projects, frame(sheets.get("问题清单"), PROBLEM_HEADERS)


def _numbers(df: pd.DataFrame, col: str) -> pd.Series:
    import pandas as pd

    if col not in df:
        return pd.Series(float("nan"), index=df.index, dtype=float)
    return pd.to_numeric(df[col], errors="coerce")


def _texts(df: pd.DataFrame, col: str) -> pd.Series:
    import pandas as pd

    if col not in df:
        return pd.Series("", index=df.index, dtype=str)
    return df[col].fillna("").astype(str).str.strip().replace("nan", "")


def _money(x: float) -> str:
    return f"{x:,.2f} 万元"


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def years_text(projects: pd.DataFrame | None) -> str:
    """ "2023年度", "2022—2023年度" or "" from the 年度 column."""
    if projects is None or "年度" not in projects:
        return ""
    years = sorted({int(y) for y in _numbers(projects, "年度").dropna() if 1900 < y < 3000})
    if not years:
        return ""
    return f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度"


def default_subject(projects: pd.DataFrame | None) -> str:
    """ "2023年度项目支出绩效自评汇总表（共 12 个项目）"."""
    n = 0 if projects is None else len(projects)
    return f"{years_text(projects)}{DEFAULT_SUBJECT}（共 {n} 个项目）"


def _project_label(row: pd.Series) -> str:
    name = str(row.get("项目名称", "") or "").strip() or "（未填写项目名称）"
    unit = str(row.get("实施单位", "") or "").strip() or str(row.get("主管部门", "") or "").strip()
    return f"《{name}》（{unit}）" if unit else f"《{name}》"


def _listed(lines: list[str], title: str, rows: list[str]) -> None:
    lines.append(f"    {title}（{len(rows)} 个）：")
    for i, text in enumerate(rows[:MAX_LISTED], 1):
        lines.append(f"      {i}. {text}")
    if len(rows) > MAX_LISTED:
        lines.append(f"      另有 {len(rows) - MAX_LISTED} 个，详见附件。")


def summary_body(
    projects: pd.DataFrame | None,
    problems: pd.DataFrame | None,
    *,
    signature: Signature = Signature(),
    low_execution: float = 0.9,
) -> str:
    """The Chinese mail body: money, grades, weak projects by name, units with
    the most errors, the worst problems, and the sender's signature."""
    import pandas as pd

    projects = projects if projects is not None else pd.DataFrame(columns=list(PROJECT_HEADERS))
    n = len(projects)
    lines = [
        "您好：",
        "",
        f"附件为{years_text(projects)}项目支出绩效自评汇总表，请查收。主要情况如下：",
        "",
    ]

    budget, executed = _numbers(projects, "全年预算数"), _numbers(projects, "全年执行数")
    b_sum, e_sum = float(budget.fillna(0).sum()), float(executed.fillna(0).sum())
    money = f"一、共汇总项目 {n} 个，全年预算数合计 {_money(b_sum)}，全年执行数合计 {_money(e_sum)}"
    lines.append(money + (f"，总体执行率 {_pct(e_sum / b_sum)}。" if b_sum else "。"))

    grade_col = "复核等级" if "复核等级" in projects else "自评等级"  # older 汇总表: one column
    grades = _texts(projects, grade_col)
    scores = _numbers(projects, "复核总分").dropna()
    if n:
        counts = grades.value_counts()
        shown = list(GRADES) + [g for g in counts.index if g not in GRADES and g]
        line = "二、复核等级：" + "，".join(f"{g} {int(counts.get(g, 0))} 个" for g in shown)
        if len(scores):
            line += f"；复核总分平均 {scores.mean():.2f} 分，最低 {scores.min():.2f} 分"
        lines.append(line + "。")

    review = _numbers(projects, "复核总分")
    weak = [
        f"{_project_label(row)} 复核总分 "
        + (f"{review[i]:.2f} 分" if pd.notna(review[i]) else "无法计算")
        + f"，{grades[i]}"
        for i, row in projects.iterrows()
        if grades[i] in WEAK_GRADES
    ]
    rate = executed / budget.where(budget > 0)
    low = [
        f"{_project_label(projects.loc[i])} 执行率 {_pct(rate[i])}"
        for i in rate.index
        if pd.notna(rate[i]) and rate[i] < low_execution
    ]
    if weak or low:
        lines.append("三、需要关注的项目：")
        if weak:
            _listed(lines, "复核等级为“中”或“差”的项目", weak)
        if low:
            _listed(lines, f"预算执行率低于 {low_execution * 100:g}% 的项目", low)
    elif n:
        lines.append("三、没有复核等级为“中”“差”或执行率偏低的项目。")

    lines += _problem_lines(projects, problems)
    lines += ["", "此致", "敬礼！", ""]
    lines += [s for s in (signature.unit, signature.name) if s]
    lines.append("（本邮件由 perfxl 根据附件自动生成）")
    return "\n".join(lines) + "\n"


def _problem_lines(projects: pd.DataFrame, problems: pd.DataFrame | None) -> list[str]:
    """四、the problem counts, the units with the most errors, the first errors."""
    import pandas as pd

    unit_of = dict(zip(_texts(projects, "源文件"), _texts(projects, "实施单位"), strict=True))
    name_of = dict(zip(_texts(projects, "源文件"), _texts(projects, "项目名称"), strict=True))
    lines: list[str] = []
    errors = pd.DataFrame(columns=list(PROBLEM_HEADERS))
    if problems is not None and len(problems):
        level = _texts(problems, "级别")
        errors = problems.loc[level == "错误"]
        warnings = int((level == "警告").sum())
        lines.append(
            f"四、问题清单共 {len(problems)} 条，其中错误 {len(errors)} 条、警告 {warnings} 条。"
        )
        per_file = _texts(errors, "源文件").value_counts()
    else:  # no problem list: fall back on the per-project counts
        n_errors = int(_numbers(projects, "错误数").fillna(0).sum())
        n_warnings = int(_numbers(projects, "警告数").fillna(0).sum())
        if not (n_errors or n_warnings):
            return ["四、未发现错误和警告。"]
        lines.append(f"四、各项目共有错误 {n_errors} 条、警告 {n_warnings} 条。")
        per_file = pd.Series(
            _numbers(projects, "错误数").fillna(0).to_numpy(), index=_texts(projects, "源文件")
        )
    per_unit: dict[str, int] = {}
    for file, count in per_file.items():
        if count > 0:
            unit = unit_of.get(str(file)) or "（未能识别单位的文件）"
            per_unit[unit] = per_unit.get(unit, 0) + int(count)
    if per_unit:
        ranked = sorted(per_unit.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_UNITS]
        lines.append("    错误最多的单位：" + "；".join(f"{u} {c} 条" for u, c in ranked) + "。")
        lines.append("    存在错误的项目，其复核得分仅供参考。")
    else:
        lines.append("    没有错误级问题。")
    if len(errors):
        lines += ["", f"五、主要问题（错误，列出前 {min(len(errors), MAX_LISTED_PROBLEMS)} 条）："]
        for i, (_, p) in enumerate(errors.head(MAX_LISTED_PROBLEMS).iterrows(), 1):
            file = str(p.get("源文件", "") or "").strip()
            who = unit_of.get(file, "")
            what = f"《{name_of[file]}》" if name_of.get(file) else file
            where = " ".join(s for s in (who, what, str(p.get("单元格", "") or "").strip()) if s)
            lines.append(f"    {i}. {where}：{_clean(p.get('说明', ''))}")
        if len(errors) > MAX_LISTED_PROBLEMS:
            lines.append(
                f"    另有 {len(errors) - MAX_LISTED_PROBLEMS} 条错误，详见附件“问题清单”工作表。"
            )
    return lines


def _clean(value: object) -> str:
    """One line of problem text (cells can hold line breaks)."""
    return re.sub(r"\s+", " ", "" if value is None else str(value)).strip()
