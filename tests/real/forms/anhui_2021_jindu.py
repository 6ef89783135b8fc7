SOURCE = "https://gaj.xuancheng.gov.cn/OpennessContent/show/2572090.html"
PROVINCE = "安徽"
YEAR = 2021
TITLE = "宣城市公安局禁毒项目绩效支出自评表（项目支出绩效自评表 2021年度，禁毒经费）"
NOTES = """Government page (宣城市公安局, published 2022-03-17); the table is rendered as text lines, cells separated by
spaces -> column positions and merges INFERRED on the 9-column national layout (A..I). Leading spaces of the
source-row labels (' 其中:本年财政拨款', '    上年结转资金', '       其他资金') are kept as shown.

The 一级 cell of the 产出 block reads '\\n\\n\\n\\n(50分)' on the page: the words 产出指标 are missing (vertical
label lost), only the weight remains. EXPECTED level1 = 产出指标 is INFERRED from 二级 数量指标.

Cut: the page ends inside the first 质量指标 row ('指标1:经费支出合规性 严格执行相关财经法规制度 严格执行相关财经法'),
so only the two 数量指标 rows and the '……' placeholder survive.

What it exercises:
- Anhui 2021 wording: '年度总体目标完成情况' as the goals label (variant of 年度总体目标), '年度绩效指标完成情况' instead
  of '绩效指标' as the left label of the indicator table, '一级\\n指标'.
- A/B suffixes: 全年预算数(A), 全年执行数(B), 执行率(B/A).
- '-' placeholders in 分值/得分 of the source rows (not numbers, not zero).
- '指标1:' / '指标2:' prefixes with an ASCII colon (strip them), '……' placeholder row.
- over-achievement: '≥2400份' vs '3200份' (ratio 1.33 >= 1.2 -> over-achievement warning, still full score).
Scoring: budget 100/100 -> 10; 12 + 12. Weights present 10 + 24 = 34 (cut -> weights-not-100).
Review total 34.00 -> 差. No 总分 -> self_total None."""
SHEET = "Sheet1"
ROWS = [
    ["项目支出绩效自评表 ", None, None, None, None, None, None, None, None],
    ["(2021年度)", None, None, None, None, None, None, None, None],
    ["项目名称", "禁毒经费", None, None, None, None, None, None, None],
    ["主管部门", "宣城市公安局", None, None, "实施单位", "禁毒支队", None, None, None],
    [
        "项目资金\n(万元)",
        None,
        None,
        "年初预算数",
        "全年预算数(A)",
        "全年执行数(B)",
        "分值",
        "执行率(B/A)",
        "得分",
    ],
    [None, "年度资金总额:", None, 100, 100, 100, 10, "100%", 10],
    [None, " 其中:本年财政拨款", None, 100, 100, 100, "-", None, "-"],
    [None, "    上年结转资金", None, None, None, None, "-", None, "-"],
    [None, "       其他资金", None, None, None, None, "-", None, "-"],
    ["年度总体目标完成情况", "预期目标", None, None, "实际完成情况", None, None, None, None],
    [
        None,
        "支持公安机关开展禁毒业务工作,补助必须的办案、业务、装备等开支,有效的打击毒品犯罪,遏制毒品蔓延、毒品渗透、毒品制贩和毒品流入非法渠道,进一步巩固禁种铲毒工作成果,进一步增强全民禁毒意识",
        None,
        None,
        "有效的打击了毒品犯罪,遏制了毒品蔓延、毒品渗透、毒品制贩和毒品流入非法渠道,进一步巩固了禁种铲毒工作成果,进一步增强了全民禁毒意识,提升了群众安全感和满意度。",
        None,
        None,
        None,
        None,
    ],
    [
        "年度绩效指标完成情况",
        "一级\n指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    [None, "\n\n\n\n(50分)", "数量指标", "指标1:禁毒舞台剧宣传的场次", "≥1场", "1场", 12, 12, None],
    [None, None, None, "指标2:毛发检查试剂数量", "≥2400份", "3200份", 12, 12, None],
    [None, None, None, "……", None, None, None, None, None],
]
MERGES = [
    "A1:I1",
    "A2:I2",
    "B3:I3",
    "B4:D4",
    "F4:I4",
    "A5:A9",
    "B5:C5",
    "B6:C6",
    "B7:C7",
    "B8:C8",
    "B9:C9",
    "A10:A11",
    "B10:D10",
    "E10:I10",
    "B11:D11",
    "E11:I11",
    "A12:A15",
    "B13:B15",
    "C13:C15",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "禁毒经费",
    "department": "宣城市公安局",
    "unit": "禁毒支队",
    "year": 2021,
    "budget": {
        "annual": 100,
        "executed": 100,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 100/100 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "禁毒舞台剧宣传的场次",
            "target": "≥1场",
            "actual": "1场",
            "weight": 12,
            "self_score": 12,
            "review_score": 12.0,
            "row": 13,
        },  # 1 >= 1 -> 12
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "毛发检查试剂数量",
            "target": "≥2400份",
            "actual": "3200份",
            "weight": 12,
            "self_score": 12,
            "review_score": 12.0,
            "row": 14,
        },  # 3200 >= 2400 -> 12 (1.33x -> over-achievement)
    ],
    "not_indicators": [15],
    "self_total": None,
    "review_total": 34.0,  # 10 + 12 + 12
    "grade": "差",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md 'self 总分 − review 总分', model.ProjectScore.self_total), not None. = 10 + 12 + 12 = 34. Problems: weights-not-100 points at the 分值 header G12 (no 总分 row survives the cut); 3200/2400 = 1.33 >= 1.2 gives over-achievement and, with the reason cell empty, missing-deviation-reason."""
EXPECTED["self_total"] = 34.0
EXPECTED["problems"] = [
    "weights-not-100@G12",
    "over-achievement@F14",
    "missing-deviation-reason@I14",
]
