SOURCE = "https://www.ynlx.gov.cn/info/2431/148733.htm"
PROVINCE = "云南"
YEAR = 2023
TITLE = "2023年马鹿坑国有林场新建野生动物收容所建设项目支出绩效自评表 — 临沧市临翔区林业和草原局"
NOTES = """Government page (临翔区, 2023-12-01); table rendered with '|' cell separators and empty cells, so cell order
and most empties are reliable; rebuilt on the 9-column national layout, merges INFERRED (一级 cells are rowspans).
Cut: the page ends in the 满意度 row ('满意度指标 | 服务对象满意度指标 | 受益农户满意度 ') -> dropped; no 总分.

What it exercises:
- year line '( 2023年度)' with a space inside the bracket.
- '项目资金 (万元)' with an empty label column; 年初预算数 EMPTY on both rows (only 全年 32.4 / 执行 31.69).
- the source row '其中:当年财政拨款' repeats 分值 10, 执行率 97.80%, 得分 9 of the total row.
- execution below 100%: 31.69/32.4 = 97.81% (form writes 97.80%, within tolerance) -> 9.78; unit wrote 9
  (|9 - 9.78| = 0.78 > 0.5 -> self-score-differs; the unit used a tier rule).
- 二级 '数量指标' written again on the second row instead of merged; 时效指标 listed BEFORE 质量指标.
- deadline with year: '2023年12月' vs '2023年10月' (early -> full).
- money target in 元 inside an indicator ('≥8400元' vs '8400元'); years as a unit ('≥15年' vs '15年').
- reason column filled with '无' on every row (means: no reason given).
Scoring: budget 9.78; indicators all full (产出 50, 效益 30). Weights present 10 + 80 = 90 (cut).
Review total 89.78 -> 良 (just under 90). self_total None (总分 cut; self sum 89)."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["项目支出绩效自评表", _, _, _, _, _, _, _, _],
    ["( 2023年度)", _, _, _, _, _, _, _, _],
    ["项目名称", "2023年马鹿坑国有林场新建野生动物收容所建设项目", _, _, _, _, _, _, _],
    ["主管部门", "临沧市临翔区林业和草原局", _, _, "实施单位", "临沧市临翔区林业和草原局", _, _, _],
    ["项目资金\n(万元)", _, _, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [_, "年度资金总额", _, _, 32.4, 31.69, 10, "97.80%", 9],
    [_, "其中:当年财政拨款", _, _, 32.4, 31.69, 10, "97.80%", 9],
    ["年度\n总体\n目标", "预期目标", _, _, "实际完成情况", _, _, _, _],
    [
        _,
        "支持欠发达国有林场基础设施建设,补齐必要的配套基础设施建设短板,有效保护管理好马鹿坑国有林场的野生动物资源,及时有效救助各类受到伤害的野生动物,新建马鹿坑国有林场临时野生动物收容所1间200平方米,钢结构圈养围栏120米,能同时收容近百头(只)野生动物。",
        _,
        _,
        "完成马鹿坑国有林场临时野生动物收容所1间200平方米,钢结构圈养围栏120米,能同时收容近百头(只)野生动物。",
        _,
        _,
        _,
        _,
    ],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [_, "产出指标", "数量指标", "野生动物收容所", "≥200平方米", "204.46平方米", 10, 10, "无"],
    [_, _, "数量指标", "钢结构圈养围栏", "≥120米", "121.5米", 10, 10, "无"],
    [_, _, "时效指标", "项目完工时限", "2023年12月", "2023年10月", 15, 15, "无"],
    [_, _, "质量指标", "项目竣工验收率", "100%", "100%", 15, 15, "无"],
    [_, "效益指标", "经济效益指标", "务工人员年人均增收", "≥8400元", "8400元", 10, 10, "无"],
    [_, _, "社会效益指标", "提供务工岗位", "≥5个", "5个", 10, 10, "无"],
    [_, _, "可持续影响指标", "项目建成后可持续影响年限", "≥15年", "15年", 10, 10, "无"],
]
del _
MERGES = [
    "A1:I1",
    "A2:I2",
    "B3:I3",
    "B4:D4",
    "F4:I4",
    "A5:A7",
    "B5:C5",
    "B6:C6",
    "B7:C7",
    "A8:A9",
    "B8:D8",
    "E8:I8",
    "B9:D9",
    "E9:I9",
    "A10:A17",
    "B11:B14",
    "B15:B17",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "2023年马鹿坑国有林场新建野生动物收容所建设项目",
    "department": "临沧市临翔区林业和草原局",
    "unit": "临沧市临翔区林业和草原局",
    "year": 2023,
    "budget": {
        "annual": 32.4,
        "executed": 31.69,
        "rate": 0.978086,
        "weight": 10,
        "self_score": 9,
        "review_score": 9.78,
    },  # 31.69/32.4 = 0.97809 -> 9.78
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "野生动物收容所",
            "target": "≥200平方米",
            "actual": "204.46平方米",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 11,
        },
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "钢结构圈养围栏",
            "target": "≥120米",
            "actual": "121.5米",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 12,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "项目完工时限",
            "target": "2023年12月",
            "actual": "2023年10月",
            "weight": 15,
            "self_score": 15,
            "review_score": 15.0,
            "row": 13,
        },  # by 2023-12, done 2023-10 -> on time
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "项目竣工验收率",
            "target": "100%",
            "actual": "100%",
            "weight": 15,
            "self_score": 15,
            "review_score": 15.0,
            "row": 14,
        },
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "务工人员年人均增收",
            "target": "≥8400元",
            "actual": "8400元",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 15,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "提供务工岗位",
            "target": "≥5个",
            "actual": "5个",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 16,
        },
        {
            "level1": "效益指标",
            "level2": "可持续影响指标",
            "name": "项目建成后可持续影响年限",
            "target": "≥15年",
            "actual": "15年",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 17,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": 89.78,  # 9.78 + 50 + 30
    "grade": "良",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md, model.ProjectScore.self_total), not None = 9 + 80 = 89 (89.78 - 89 < 1: no total-differs). 97.80% written vs 97.81% is within the tolerance."""
EXPECTED["self_total"] = 89.0
EXPECTED["problems"] = [
    "weights-not-100@G10",
    "self-score-differs@I6",
]
