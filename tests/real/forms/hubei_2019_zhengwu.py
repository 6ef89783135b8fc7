SOURCE = "https://czj.ezhou.gov.cn/ztzl/czyjsgk/202008/t20200825_350895.html"
PROVINCE = "湖北"
YEAR = 2019
TITLE = "市财政局2019年度项目支出绩效自评表 — 财政政务管理（鄂州市财政局，页面中第 2 张表）"
NOTES = """Second form on the same page as hubei_2019_disanfang (same extraction style, same 8-column layout, merges
INFERRED). Cut: the page ends at '满' (the 满意度 row) -> dropped; no 总分 row.

What it exercises:
- execution 100/202 = 49.50% (form: 50%, 得分 5) -> 4.95; low-execution warning.
- shortfall on an exact percent: 项目合格率 90% vs 60% -> 20 × 60/90 = 13.33 (unit wrote 10; |10-13.33| > 0.5).
- YEAR-ONLY deadline that is late: '2019年' vs '2020年'. notation.md reads deadlines as month+year; a bare year is
  not covered. My choice: unparsable -> the unit's own score (10, within 0..20) with a warning, NOT a numeric
  comparison (2020 vs 2019 as plain numbers would wrongly give ~full marks) and NOT a guessed month. Spec gap to
  decide (e.g. year-only target = December of that year; year-only actual later than the target year = late by
  >= 1 month).
- reason column filled ('部分项目延续至下年') on the under-scored rows; 一级/二级 both written for 效益 here
  (unlike table 1 on the same page).
Scoring: 4.95 + 13.33 + 10 + 20 + 20 = 68.28 -> 中. Weights present 10 + 80 = 90 (cut). self_total None."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["项目支出绩效自评表", _, _, _, _, _, _, _],
    ["2019年度)", _, _, _, _, _, _, _],
    ["项目名称", "财政政务管理", _, _, _, _, _, _],
    ["主管部门", "市财政局", _, _, "实施单位", "市财政局", _, _],
    ["项目资金\n(万元)", _, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [_, "年度资金总额", 202, 202, 100, 10, "50%", 5],
    [_, "其中:当年财政拨款", 202, 202, 100, _, _, _],
    [_, "上年结转资金", _, _, _, _, _, _],
    [_, "其他资金", _, _, _, _, _, _],
    ["年度总体目标", "预期目标", _, _, "实际完成情况", _, _, _],
    [_, 202, _, _, 100, _, _, _],
    [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度\n指标值",
        "实际\n完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
    ["产出指标", "质量指标", "项目合格率", "90%", "60%", 20, 10, "部分项目延续至下年"],
    [_, "时效指标", "完成时限", "2019年", "2020年", 20, 10, "部分项目延续至下年"],
    [_, "成本指标", "成本控制率", "90%", "90%", 20, 20, _],
    ["效益指标", "社会效益指标", "财政工作运行效率", "≥80%", "≥80%", 20, 20, _],
]
del _
MERGES = [
    "A1:H1",
    "A2:H2",
    "B3:H3",
    "B4:D4",
    "F4:H4",
    "A5:A9",
    "A10:A11",
    "B10:D10",
    "E10:H10",
    "B11:D11",
    "E11:H11",
    "A13:A15",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "财政政务管理",
    "department": "市财政局",
    "unit": "市财政局",
    "year": 2019,
    "budget": {
        "annual": 202,
        "executed": 100,
        "rate": 0.495050,
        "weight": 10,
        "self_score": 5,
        "review_score": 4.95,
    },  # 100/202 = 0.49505 -> 4.95
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "项目合格率",
            "target": "90%",
            "actual": "60%",
            "weight": 20,
            "self_score": 10,
            "review_score": 13.33,
            "row": 13,
        },  # exactly 90%: 20 * 60/90 = 13.33
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "完成时限",
            "target": "2019年",
            "actual": "2020年",
            "weight": 20,
            "self_score": 10,
            "review_score": 10.0,
            "row": 14,
        },  # year-only deadline unreadable -> unit's own score (see NOTES)
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "成本控制率",
            "target": "90%",
            "actual": "90%",
            "weight": 20,
            "self_score": 20,
            "review_score": 20.0,
            "row": 15,
        },  # at most 90%, 90% -> 20
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "财政工作运行效率",
            "target": "≥80%",
            "actual": "≥80%",
            "weight": 20,
            "self_score": 20,
            "review_score": 20.0,
            "row": 16,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": 68.28,  # 4.95 + 13.33 + 10 + 20 + 20
    "grade": "中",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md, model.ProjectScore.self_total), not None = 5 + 10 + 10 + 20 + 20 = 65 (info total-differs: below the review 68.28). '50%' vs 49.50% is within 0.5 points; 2020年 as an actual of a year-only deadline is not in the grade table: qualitative-unknown, scored with the unit's own 10."""
EXPECTED["self_total"] = 65.0
EXPECTED["problems"] = [
    "weights-not-100@F12",
    "low-execution@G6",
    "self-score-differs@G13",
    "qualitative-unknown@E14",
    "total-differs@G12",
]
