SOURCE = "http://www.anthempetcare.com/upload_cz/download?id=502367&siteId=2"
PROVINCE = "安徽"
YEAR = 2022
TITLE = "项目支出绩效自评表 (2022年度) 村级补助及运转经费 — 池州市贵池区棠溪镇人民政府（附件，WPS 文件的文本抽取）"
NOTES = """Sister file of anhui_2022_weituo (same town, same WPS template, consecutive download ids). Plain text,
cells separated by spaces: column positions and merges are INFERRED from the standard 2020 national layout (A..I).

Cut: the page ends at '可持续影响' (the 可持续影响指标 row is partial) -> dropped. No 满意度 block, no 总分 row.

What it exercises:
- total row 年度资金总额: 0 0 0 10 0 0 with the money only on 其中:本年财政拨款 (sources-not-sum; use source sum).
- source row read positionally: 年初 202.64, 全年 132.912, 执行 132.912 (budget cut during the year ->
  budget-changed info). NOTE the ambiguity: the goal texts say 申请 2026400元 and 完成 1329120.67元, and the cost
  indicator says ≤202.6万元 / 132.9; a reader that takes 年初 (202.64) as the budget would get 65.6% -> 6.56.
  The spec says 全年预算数 is the budget, so 132.912/132.912 = 100% -> 10.
- the goal texts are in 元 while the funds block is in 万元, and the 预期目标 cell contains a run of dots
  ('.. ......') copied from the source — kept verbatim.
- '=8个' / '=42个' targets with bare actuals 8 / 42; note the actual 8 equals the weight 8 (column mix-up risk).
- qualitative targets '合规', '及时', '严格执行相关制度规定', '效果明显' with actual '达成预期指标'.
- cost '≤202.6万元' with bare actual 132.9 -> at most, achieved.
Scoring: budget 10; 产出 8*5+10 = 50 all full; 效益 10+10 full. Weights present 10+50+20 = 80 (weights-not-100
expected because of the cut). Review total 80.00 -> 良. No 总分 -> self_total None."""
SHEET = "Sheet1"
ROWS = [
    ["附件:", None, None, None, None, None, None, None, None],
    ["项目支出绩效自评表", None, None, None, None, None, None, None, None],
    ["(2022年度)", None, None, None, None, None, None, None, None],
    ["项目名称", "村级补助及运转经费", None, None, None, None, None, None, None],
    [
        "主管部门",
        "219-池州市贵池区棠溪镇人民政府",
        None,
        None,
        "实施单位",
        "219001-池州市贵池区棠溪镇人民政府",
        None,
        None,
        None,
    ],
    [
        "项目资金\n(万元)",
        None,
        None,
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ],
    [None, "年度资金总额:", None, 0, 0, 0, 10, 0, 0],
    [None, "其中:本年财政拨款", None, 202.64, 132.912, 132.912, None, None, None],
    [None, "上年结转资金", None, None, None, None, None, None, None],
    [None, "其他资金", None, None, None, None, None, None, None],
    ["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None, None],
    [
        None,
        "本项目共申请预算资金2026400元,其中村级组织运转400000元,村民组长,党小组长基本报酬252000元,村民监督委员会 工资28000元,村级事务补助960000元,村级工作目标奖励100000元。 .. ..............................................................................................................................",
        None,
        None,
        "本项目共完成预算资金1329120.67元,其中村级组织运转439120.67元,村民组长,党小组长基本报酬152000元,村民监督委员会 工资28000元,村级事务补助660000元,村级工作目标奖励50000元。",
        None,
        None,
        None,
        None,
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
    [None, "产出指标(50分)", "数量指标", "补助村(社区)数量", "=8个", 8, 8, 8, None],
    [None, None, None, "保障村干部人数", "=42个", 42, 8, 8, None],
    [None, None, "质量指标", "补助资格合规性", "合规", "达成预期指标", 8, 8, None],
    [None, None, None, "经费审批流程规范性", "严格执行相关制度规定", "达成预期指标", 8, 8, None],
    [None, None, "时效指标", "补助经费到位及时性", "及时", "达成预期指标", 8, 8, None],
    [None, None, "成本指标", "项目总成本", "≤202.6万元", 132.9, 10, 10, None],
    [
        None,
        "效益指标(30分)",
        "经济效益指标",
        "对保障村(社区)两委机构正常运行的影响程度",
        "效果明显",
        "达成预期指标",
        10,
        10,
        None,
    ],
    [
        None,
        None,
        "社会效益指标",
        "提高村(社区)干部工作积极性的影响程度",
        "效果明显",
        "达成预期指标",
        10,
        10,
        None,
    ],
]
MERGES = [
    "A2:I2",
    "A3:I3",
    "B4:I4",
    "B5:D5",
    "F5:I5",
    "A6:A10",
    "B6:C6",
    "B7:C7",
    "B8:C8",
    "B9:C9",
    "B10:C10",
    "A11:A12",
    "B11:D11",
    "E11:I11",
    "B12:D12",
    "E12:I12",
    "A13:A21",
    "B14:B19",
    "C14:C15",
    "C16:C17",
    "B20:B21",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "村级补助及运转经费",
    "department": "池州市贵池区棠溪镇人民政府",
    "unit": "池州市贵池区棠溪镇人民政府",
    "year": 2022,
    "budget": {
        "annual": 132.912,
        "executed": 132.912,
        "rate": 1.0,
        "weight": 10,
        "self_score": 0,
        "review_score": 10.0,
    },  # total row 0 -> source row: 132.912/132.912 = 100% -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "补助村(社区)数量",
            "target": "=8个",
            "actual": 8,
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 14,
        },  # = 8, actual 8 -> 8
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "保障村干部人数",
            "target": "=42个",
            "actual": 42,
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 15,
        },  # = 42 -> 8
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "补助资格合规性",
            "target": "合规",
            "actual": "达成预期指标",
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 16,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "经费审批流程规范性",
            "target": "严格执行相关制度规定",
            "actual": "达成预期指标",
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "补助经费到位及时性",
            "target": "及时",
            "actual": "达成预期指标",
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 18,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "项目总成本",
            "target": "≤202.6万元",
            "actual": 132.9,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 19,
        },  # 132.9 <= 202.6 -> 10
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "对保障村(社区)两委机构正常运行的影响程度",
            "target": "效果明显",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 20,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "提高村(社区)干部工作积极性的影响程度",
            "target": "效果明显",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 21,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": 80.0,  # 10 + 50 + 20
    "grade": "良",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md 'self 总分 − review 总分', model.ProjectScore.self_total), not None. = 0 + 8*5 + 10 + 10 + 10 = 70 (info total-differs: below the review 80). The written 执行率 0% and 得分 0 of the zero total row differ from the source-row figures (rate-differs, self-score-differs). budget-changed@E7 is reported as the transcriber expected: the check compares the figures the review uses (the zero total row counts as its source rows, 202.64 -> 132.912)."""
EXPECTED["self_total"] = 70.0
EXPECTED["problems"] = [
    "budget-changed@E7",
    "weights-not-100@G13",
    "sources-not-sum@D7",
    "sources-not-sum@E7",
    "sources-not-sum@F7",
    "rate-differs@H7",
    "self-score-differs@I7",
    "total-differs@H13",
]
