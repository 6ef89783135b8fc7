"""What the 说明 sheet of 汇总表.xlsx says: every column of every sheet, and the
rules used, in Chinese sentences a leader can read without the TOML file.

Kept apart from the sheet writers so the words live in one place; a test
checks that every header the workbook writes is explained here.
"""

from __future__ import annotations

from typing import Any

from perfxl.rules.schema import Rules

_MONEY = "单位：万元（原表以元等填写的已折算），保留两位小数"

# sheet -> [(column, meaning)]; the order is the sheet's column order
COLUMN_NOTES: dict[str, list[tuple[str, str]]] = {
    "汇总（打印）": [
        (
            "序号",
            "项目在本表中的顺序号，按主管部门、实施单位、项目名称排序，与“汇总”工作表的序号相同。",
        ),
        ("主管部门", "自评表中填写的主管部门。"),
        ("项目名称", "自评表中填写的项目名称；表中未填写时为空。"),
        ("全年预算数", f"年度资金总额行的全年预算数，{_MONEY}。"),
        ("执行率", "全年执行数 ÷ 全年预算数，由 perfxl 按金额重新计算（不取表中填写的执行率）。"),
        ("自评总分", "单位自评的总分：表中填写的总分，未填写时为各项自评得分之和。"),
        ("复核总分", "perfxl 按规则重新计算的总分（预算执行得分 + 各三级指标复核得分）。"),
        ("复核等级", "按复核总分和等级线评定的等级（见下文“规则”）。"),
        ("问题数", "该项目的错误数与警告数之和，明细见“问题清单”工作表。"),
    ],
    "汇总": [
        ("序号", "项目顺序号，与“汇总（打印）”相同；“指标明细”的项目序号指向它。"),
        ("年度", "自评表中的年度。"),
        ("主管部门", "自评表中填写的主管部门。"),
        ("实施单位", "自评表中填写的实施单位。"),
        ("项目名称", "自评表中填写的项目名称。"),
        ("年初预算数", f"年度资金总额行的年初预算数，{_MONEY}。"),
        ("全年预算数", f"年度资金总额行的全年预算数，{_MONEY}。"),
        ("全年执行数", f"年度资金总额行的全年执行数，{_MONEY}。"),
        ("执行率", "全年执行数 ÷ 全年预算数（按金额重新计算）；低于低执行率线的以红字显示。"),
        ("预算得分", "预算执行的复核得分，按规则中的预算执行计分方式由执行率计算。"),
        ("一级指标数", "表中出现的一级指标个数。"),
        ("二级指标数", "表中出现的二级指标个数。"),
        ("三级指标数", "表中填写的三级指标个数（不含空白模板行）。"),
        ("已完成三级指标数", "复核认定已达到年度指标值的三级指标个数。"),
        ("指标完成率", "已完成三级指标数 ÷ 适用的三级指标数（不适用的指标不计入分母）。"),
        ("自评总分", "单位自评的总分：表中填写的总分，未填写时为各项自评得分之和。"),
        ("复核总分", "perfxl 重新计算的总分：预算执行得分 + 各三级指标复核得分。"),
        ("差值", "自评总分 − 复核总分；正数表示单位自评偏高，绝对值大于 1 分的以底色标出。"),
        ("自评等级", "按单位的自评总分和等级线评定的等级（不是复核等级）。"),
        ("复核等级", "按复核总分和等级线评定的等级。"),
        ("错误数", "该项目错误级问题的条数（错误会影响复核得分的可信度）。"),
        ("警告数", "该项目警告级问题的条数。"),
        ("源文件", "自评表所在的文件，路径相对于收件箱。"),
    ],
    "部门汇总": [
        ("主管部门", "主管部门名称；未填写的归入“（未填写）”。"),
        ("项目数", "该部门的项目个数。"),
        ("年初预算数", f"该部门各项目年初预算数之和，{_MONEY}。"),
        ("全年预算数", f"该部门各项目全年预算数之和，{_MONEY}。"),
        ("全年执行数", f"该部门各项目全年执行数之和，{_MONEY}。"),
        ("执行率", "该部门全年执行数合计 ÷ 全年预算数合计。"),
        ("平均复核得分", "该部门各项目复核总分的算术平均。"),
        (
            "加权平均复核得分",
            "以全年预算数为权重的复核总分平均：Σ(复核总分 × 全年预算数) ÷ Σ全年预算数，预算大的项目影响更大。",
        ),
        ("优", "复核等级为“优”的项目数。"),
        ("良", "复核等级为“良”的项目数。"),
        ("中", "复核等级为“中”的项目数。"),
        ("差", "复核等级为“差”的项目数。"),
    ],
    "指标明细": [
        ("项目序号", "该指标所属项目在“汇总”工作表中的序号。"),
        ("项目名称", "该指标所属项目的名称。"),
        ("一级指标", "一级指标（产出指标、效益指标、满意度指标等）。"),
        ("二级指标", "二级指标（数量指标、质量指标、时效指标等）。"),
        ("三级指标", "三级指标名称。"),
        ("年度指标值", "表中填写的年度目标；百分比目标以百分数显示。"),
        ("实际完成值", "表中填写的全年实际完成值；百分比以百分数显示。"),
        ("指标方向", "目标的比较方式：≥ 不低于、≤ 不高于、= 等于、时限、定性或不适用。"),
        ("单位", "目标与实际值换算后的计量单位。"),
        ("分值", "表中该指标的分值（权重）。"),
        ("自评得分", "单位填写的得分。"),
        ("复核得分", "perfxl 按规则计算的得分。"),
        ("是否完成", "复核认定是否达到年度指标值：是、否或不适用。"),
        ("偏差原因", "表中填写的偏差原因分析及改进措施。"),
        ("计算过程", "复核得分的计算过程（用表中的数字写出的算式）。"),
    ],
    "问题清单": [
        ("源文件", "问题所在的文件，路径相对于收件箱。"),
        ("工作表", "问题所在的工作表。"),
        ("单元格", "问题所在的单元格（如 F23），打开源文件可直接定位。"),
        ("级别", "错误：必须改正，复核得分仅供参考；警告：需要核实；提示：供参考。"),
        ("代码", "问题的英文代码，含义见 README 的问题代码表。"),
        ("说明", "问题的中文说明。"),
    ],
    "图表": [
        ("复核等级", "各复核等级及其项目数（柱形图“各等级项目数”的数据）。"),
        ("项目数", "相应等级或得分段的项目个数。"),
        ("主管部门", "各主管部门及其预算执行率（条形图的数据）。"),
        ("执行率", "该部门全年执行数合计 ÷ 全年预算数合计，以百分数显示。"),
        ("复核得分", "复核总分的分段（柱形图“复核得分分布”的数据）。"),
    ],
}


def _num(x: Any) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _pct(x: Any) -> str:
    return f"{float(x) * 100:g}%"


def rules_name(rules: Rules) -> str:
    """The rule set's name as shown: the named set and its file or base."""
    return rules.title


def rules_sentences(rules: Rules) -> list[str]:
    """The rules that decide the figures of this workbook, one Chinese sentence each."""
    b, ind, tol = rules.budget, rules.indicators, rules.tolerances
    out = [f"使用的规则：{rules_name(rules)}。"]
    if rules.description:
        out.append(rules.description.rstrip("。") + "。")
    level1 = "、".join(f"{k} {_num(v)} 分" for k, v in rules.weights.level1.items())
    weight = (
        f"预算执行的分值未填写时按 {_num(b.default_weight)} 分计"
        if b.weight_source == "form"
        else f"预算执行的分值固定为 {_num(b.default_weight)} 分"
    )
    split = (
        f"三个一级指标的表，标准分值为 {level1}"
        if rules.weights.check_level1_split
        else "不检查一级指标之间的分值比例"
    )
    out.append(
        f"分值：满分 {_num(rules.weights.total)} 分；{weight}；{split}；"
        f"各项分值之和与满分相差超过 {_num(rules.weights.tolerance)} 分即报错。"
    )
    basis = "全年执行数 ÷ 年初预算数" if b.rate_basis == "initial" else "全年执行数 ÷ 全年预算数"
    if b.rule == "tiers":
        tiers = []
        for t in b.tiers:
            if t.factor is not None:
                tiers.append(f"执行率 {_pct(t.min_rate)} 以上按 执行率 × 分值 × {_num(t.factor)}")
            else:
                tiers.append(f"执行率 {_pct(t.min_rate)} 以上得分值的 {_pct(t.share or 0)}")
        out.append(
            f"执行率 = {basis}；预算执行得分按分档计算："
            + "；".join(tiers)
            + "（从高到低取第一个满足的档）。"
        )
    else:
        out.append(
            f"执行率 = {basis}；预算执行得分 = 分值 × 执行率"
            + (
                "（执行率超过 100% 按 100% 计）。"
                if b.cap_at_weight
                else "（执行率超过 100% 也按实际计）。"
            )
        )
    out.append(
        f"执行率低于 {_pct(b.low_execution)} 报“低执行率”；表中填写的执行率与计算值"
        f"相差超过 {_pct(b.rate_tolerance)} 报“执行率不符”。"
    )
    if b.reason_required_below:
        out.append(
            f"执行率低于 {_pct(b.reason_required_below)} 须填写原因，未填报“缺少执行率原因”。"
        )
    red, yellow = rules.warnings.red_light, rules.warnings.yellow_light
    if red.enabled or yellow.enabled:
        out.append(
            "自评预警："
            + (
                f"指标得分率高于预算执行得分率超过 {_pct(red.gap)}（相对）亮红灯；"
                if red.enabled
                else ""
            )
            + (
                f"预算未执行超过 {_pct(yellow.unspent_share)} 或预算数为 0 亮黄灯。"
                if yellow.enabled
                else ""
            )
        )
    reverse = (
        "“不超过”类指标超出目标时按 分值 × 目标 ÷ 实际 计分"
        if ind.reverse_rule == "ratio"
        else "“不超过”类指标超出目标时按超出比例线性扣分，达到目标 2 倍得 0 分"
    )
    out.append(
        "三级指标：数值指标按实际完成值与年度指标值之比得分；"
        f"{reverse}；时限指标每延迟一个月扣分值的 {_pct(ind.late_share_per_month)}；实际值达到目标的 "
        f"{_num(ind.over_achievement_ratio)} 倍以上视为超额完成（得满分，提示目标可能偏低）。"
    )
    if ind.not_applicable == "redistribute":
        out.append("不适用的指标：其分值按比例分给同一一级指标下的其他指标。")
    else:
        out.append("不适用的指标：记 0 分。")
    bands = "、".join(f"{k} 得分值的 {_pct(v)}" for k, v in ind.band_scores.items())
    out.append(f"定性指标按评级得分：{bands}。")
    for cap in rules.totals.caps:
        out.append(
            f"总分封顶：执行率低于 {_pct(cap.below_rate)} 的项目，复核总分最高 {_num(cap.max_total)} 分。"
        )
    out.append(
        f"容差：某项自评得分与复核得分相差超过 {_num(tol.self_score)} 分报“自评得分不符”；"
        f"自评总分比复核总分高出 {_num(tol.total_high)} 分以上报“总分不符”；"
        f"自评总分与各项自评得分之和相差超过 {_num(tol.total_sum)} 分报“总分与合计不符”。"
    )
    lines = [f"{_num(t)} 分及以上为“{name}”" for t, name in rules.grade_thresholds]
    out.append(
        f"等级线：{'，'.join(lines)}，其余为“{rules.grades.lowest}”；自评等级和复核等级用同一等级线。"
    )
    return out
