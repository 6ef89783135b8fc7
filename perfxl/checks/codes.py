"""The one registry of problem codes: code → severity, Chinese title, description.

Every problem perfxl reports carries one of these codes. The README's code
table is generated from (and tested against) this registry, a rules file may
switch a code off or change its severity (``[checks]``), and a return list
shows the Chinese title instead of the English code. Add a code here first;
nothing else may invent one.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfxl.model import SEVERITY_ORDER, SEVERITY_ZH, Problem, Severity
from perfxl.text import cell_sort_key

__all__ = ["CODES", "SEVERITY_ORDER", "CodeInfo", "check_severity", "code_info", "problem",
           "problem_key", "severity_label", "code_table"]  # fmt: skip


@dataclass(frozen=True)
class CodeInfo:
    """What a problem code means: its default severity, a short Chinese title
    (for return lists and tables) and a one-line Chinese description.
    ``milder``: the severity of the code's milder findings, when it has any."""

    severity: Severity
    title: str
    description: str
    milder: Severity | None = None


def _code(
    severity: Severity, title: str, description: str, milder: Severity | None = None
) -> CodeInfo:
    return CodeInfo(severity, title, description, milder)


CODES: dict[str, CodeInfo] = {
    "file-unreadable": _code(
        "error", "文件无法读取", "不是 Excel 文件、压缩结构损坏、被截断、空文件、含 DTD 实体声明"
    ),
    "file-encrypted": _code("error", "文件设置了密码", "设置了打开密码"),
    "file-too-large": _code(
        "error", "文件过大", "解压后过大、压缩比异常（压缩炸弹）、单元格或合并单元格超过上限"
    ),
    "no-form-found": _code("error", "未找到自评表", "没有工作表含有表单标签（说明缺少哪些标签）"),
    "missing-field": _code(
        "error",
        "必填项未填写",
        "项目名称、主管部门、实施单位、全年预算数、全年执行数、三级指标名称、年度指标值、分值未填写",
    ),
    "missing-actual": _code(
        "error", "实际完成值未填写", "实际完成值未填写（或是没有计算结果的公式）"
    ),
    "not-a-number": _code("error", "应填数字", "需要数字的地方填了文字（如“约五万”）"),
    "weights-not-100": _code(
        "error",
        "分值合计不是 100",
        "预算执行分值 + 各指标分值 ≠ 100（总分不按比例折算，错误保持可见）",
    ),
    "score-above-weight": _code("error", "得分超出分值", "自评得分大于分值或为负"),
    "level-missing": _code(
        "error", "缺少一级或二级指标", "展开合并单元格后指标仍没有一级或二级指标"
    ),
    "completed-failed": _code(
        "error", "完成稿无法写出", "该工作簿的完成稿无法写出（复核结果仍在汇总表中）"
    ),
    "completed-plain-copy": _code(
        "info",
        "完成稿改用重新保存",
        "工作簿结构无法安全地直接编辑，完成稿由 openpyxl 重新保存（图片、图形等可能未保留）",
    ),
    "unparsable-target": _code(
        "warning", "指标值无法识别", "年度指标值既不是数值目标也不是定性描述"
    ),
    "unit-mismatch": _code(
        "warning", "计量单位不一致", "目标与实际的单位不可比（家 与 次；万元 与 元 会自动换算）"
    ),
    "level1-weights": _code(
        "warning", "一级指标分值不合常规", "三个一级指标、预算 10 分的表，一级指标分值不是 50/30/10"
    ),
    "self-score-differs": _code(
        "warning", "自评得分与复核得分不符", "自评得分与复核得分相差超过 0.5 分（指标或预算执行）"
    ),
    "total-differs": _code(
        "warning",
        "总分不符",
        "总分与各项自评得分之和不符，或自评总分比复核总分高 1 分以上（低 1 分以上为提示）",
        milder="info",
    ),
    "rate-differs": _code(
        "warning", "执行率计算有误", "填写的执行率与 全年执行数/全年预算数 相差超过 0.5 个百分点"
    ),
    "over-budget": _code("warning", "执行数超过预算数", "全年执行数大于全年预算数"),
    "sources-not-sum": _code("warning", "资金来源合计不符", "其中各项资金之和与年度资金总额不符"),
    "missing-deviation-reason": _code(
        "warning",
        "缺少偏差原因",
        "未得满分或超额完成，却没有填写偏差原因（“0”“无”视为未填）",
    ),
    "over-achievement": _code(
        "warning", "超额完成过多", "“不低于”类指标实际达到目标 1.2 倍以上（目标可能偏低）"
    ),
    "qualitative-band": _code(
        "warning", "定性指标得分不在区间内", "定性指标的自评得分不在评级对应区间内"
    ),
    "qualitative-unknown": _code(
        "warning", "定性完成值无法识别", "定性实际值不在评级词表中，暂按自评得分计"
    ),
    "low-execution": _code("warning", "预算执行率偏低", "预算执行率低于 90%"),
    "missing-self-score": _code(
        "warning",
        "未自评打分",
        "单位没有填写得分或总分（或只留下未计算的公式），即没有完成自评；问题中列出这些单元格",
    ),
    "copied-form": _code(
        "warning",
        "疑似抄袭他表",
        "不同单位或不同项目的两份表，指标表（名称、指标值、完成值、得分）完全相同；列出两个文件",
    ),
    "missing-execution-reason": _code(
        "warning",
        "缺少执行率原因",
        "预算执行率低于规则要求（如四川 90%）却没有填写原因（规则 budget.reason_required_below）",
    ),
    "missing-adjustment-reason": _code(
        "warning",
        "缺少预算调整理由",
        "年中有预算调整（全年预算数与年初预算数不同）却没有说明理由（规则 budget.adjustment_reason_required，如四川）",
    ),
    "red-light": _code(
        "warning",
        "自评预警红灯",
        "指标得分率明显高于预算执行得分率（规则 [warnings] red_light，默认不启用）",
    ),
    "yellow-light": _code(
        "warning",
        "自评预警黄灯",
        "预算未执行部分超过规定比例或预算数为 0（规则 [warnings] yellow_light，默认不启用）",
    ),
    "duplicate-project": _code(
        "warning",
        "项目重复报送",
        "同一项目名称 + 实施单位 + 年度出现多次且无法判断哪份为准"
        "（同一工作簿内，或使用 --keep-all）：都计入并列出",
    ),
    "budget-changed": _code("info", "预算有调整", "全年预算数与年初预算数不同（有预算调整）"),
    "ambiguous-percent": _code("info", "百分数按小数理解", "无百分比格式的 0.95 按 95% 理解"),
    "empty-category": _code("info", "二级指标下无三级指标", "二级指标下没有填写三级指标"),
    "archive-unsafe": _code(
        "error",
        "压缩包不安全",
        "压缩包内有跳出压缩包的路径（../）或绝对路径，或文件数超过上限：整个压缩包未读取",
    ),
    "archive-unsupported": _code(
        "error",
        "压缩包无法打开",
        "没有可用解压程序的 .rar 压缩包，或压缩包内再套压缩包超过一层",
    ),
    "wrong-year": _code("warning", "年度不符", "表单的年度与本次汇总的年度（--year）不同"),
    "replaced-submission": _code(
        "info",
        "已被修改稿替代",
        "同一项目有更新的报送（修改稿、更正、第N版或较新的文件），本份不计入汇总",
    ),
    "skipped-file": _code(
        "info", "已跳过的文件", "收件箱中的非 Excel 文件或 `~$` 锁定文件：列出但不读取"
    ),
}


def code_info(code: str) -> CodeInfo:
    """The registry entry of ``code``; an unknown code is a programming error."""
    return CODES[code]


def check_severity(code: str, milder: bool = False) -> Severity:
    """The registry's severity of ``code`` (of its milder findings when asked)."""
    info = CODES[code]
    return (info.milder or info.severity) if milder else info.severity


def problem(
    code: str, message: str, *, file: str = "", sheet: str = "", cell: str = "", field: str = ""
) -> Problem:
    """A finding of a registered code, at the code's severity: how every
    problem outside the vectorised checks is made (reader, sniff, batch)."""
    return Problem(code, check_severity(code), message, file, sheet, cell, field)


def problem_key(severity: str, file: str, sheet: str, cell: str) -> tuple:
    """Report order of one problem: severity, file, sheet, cell (A2 before A10).
    The one order of every problem list (the runner sorts frames the same way)."""
    return (SEVERITY_ORDER.get(severity, 9), file, sheet, cell_sort_key(cell))


def severity_label(severity: str) -> str:
    """错误 / 警告 / 提示 (an unknown severity as it is)."""
    return SEVERITY_ZH.get(severity, severity)


def code_table() -> str:
    """The README's code table (Markdown), generated from the registry;
    ``python -m perfxl.checks.codes`` prints it."""
    lines = ["| 代码 | 级别 | 名称 | 含义 |", "| --- | --- | --- | --- |"]
    for code, info in CODES.items():
        level = severity_label(info.severity)
        if info.milder:
            level += f"（较轻的为{severity_label(info.milder)}）"
        lines.append(f"| `{code}` | {level} | {info.title} | {info.description} |")
    return "\n".join(lines) + "\n"


TABLE_START = "<!-- 问题代码表：由 perfxl/checks/codes.py 生成（python -m perfxl.checks.codes README.md），勿手改 -->"
TABLE_END = "<!-- 问题代码表结束 -->"


def with_code_table(readme: str) -> str:
    """The README text with the table between its two markers regenerated."""
    start = readme.index(TABLE_START) + len(TABLE_START)
    end = readme.index(TABLE_END, start)
    return readme[:start] + "\n" + code_table() + readme[end:]


if __name__ == "__main__":  # print the table, or rewrite it inside the README given
    import sys
    from pathlib import Path

    if len(sys.argv) > 1:
        readme = Path(sys.argv[1])
        readme.write_text(with_code_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(code_table(), end="")
