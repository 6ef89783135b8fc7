"""What a unit should do about each problem code, in plain Chinese.

Beside the registry (:mod:`perfxl.checks.codes`) rather than in it: the
registry says what a code *means*, this table says what the unit *does* about
it, and only the return lists (退回修改) need it. A test keeps the two tables
in step: every registered code has an action here.
"""

from __future__ import annotations

ACTIONS: dict[str, str] = {
    "file-unreadable": "文件已损坏或不是 Excel 文件，请重新导出后报送",
    "file-encrypted": "请去掉打开密码后重新报送",
    "file-too-large": "文件异常偏大，请只保留自评表、另存为 .xlsx 后重新报送",
    "no-form-found": "请使用下发的自评表模板填写后报送",
    "missing-field": "请填写该单元格",
    "missing-actual": "请填写实际完成值",
    "not-a-number": "请改为数字（不要写文字或单位）",
    "weights-not-100": "请调整各项分值，使预算执行分值与各指标分值合计为 100",
    "score-above-weight": "得分不应超过分值，也不应为负数，请修改得分",
    "level-missing": "请为该指标填写一级指标和二级指标",
    "completed-failed": "无需修改（财政部门处理）",
    "completed-plain-copy": "无需修改（财政部门处理）",
    "unparsable-target": "请把年度指标值写成数值目标（如“≥95%”“100 人”）或明确的定性描述",
    "unit-mismatch": "请使年度指标值与实际完成值使用同一计量单位",
    "level1-weights": "请核对一级指标分值（一般为产出 50、效益 30、满意度 10）",
    "self-score-differs": "请按评分规则重新计算自评得分",
    "total-differs": "请核对总分是否等于各项得分之和",
    "rate-differs": "请按“全年执行数 ÷ 全年预算数”重新计算执行率",
    "over-budget": "请核对全年执行数和全年预算数",
    "sources-not-sum": "请核对各项资金来源之和是否等于年度资金总额",
    "missing-deviation-reason": "请填写偏差原因分析及改进措施",
    "over-achievement": "请核对年度指标值是否设置偏低，并说明超额原因",
    "qualitative-band": "请使定性指标的得分与评价等级相符",
    "qualitative-unknown": "请用“好、较好、一般、较差、差”等评级词填写实际完成值",
    "low-execution": "请在偏差原因中说明预算执行率偏低的原因",
    "duplicate-project": "同一项目报送了多份，请确认以哪一份为准",
    "budget-changed": "无需修改（预算有调整，仅提示）",
    "ambiguous-percent": "请核对该数值是否为百分数，建议写成“95%”",
    "empty-category": "如该二级指标适用，请填写三级指标",
    "archive-unsafe": "请把自评表直接作为附件报送，或重新压缩后报送",
    "archive-unsupported": "请解压后直接报送 Excel 文件，或改用 .zip 压缩",
    "wrong-year": "请确认年度是否填写正确，或报送本年度的自评表",
    "replaced-submission": "无需修改（已收到更新的报送）",
    "skipped-file": "无需修改",
    "missing-execution-reason": "请填写预算执行率偏低的原因",
    "missing-adjustment-reason": "请在原因栏说明年中调整预算的理由",
    "missing-self-score": "请填写自评得分和总分，完成自评",
    "yellow-light": "请说明预算未执行部分的原因和后续安排",
    "red-light": "请核对指标得分是否偏高，与预算执行情况相符",
    "copied-form": "请按本项目的实际情况填写绩效指标，不要照抄其他表",
}

DEFAULT_ACTION = "请核对并修改"


def action_for(code: str) -> str:
    """The "what to do" phrase of a code (a generic one for an unknown code)."""
    return ACTIONS.get(code, DEFAULT_ACTION)
