SOURCE = "http://www.anthempetcare.com/upload_cz/download?id=502364&siteId=2"
PROVINCE = "安徽"
YEAR = 2022
TITLE = "项目支出绩效自评表 (2022年度) 委托业务项目 — 池州市贵池区棠溪镇人民政府（附件，WPS 文件的文本抽取）"
NOTES = """Source: text extraction of a WPS-saved attachment (docProps metadata visible at the start of the page:
'2052-11.1.0.11691', modified 2022-05-16), re-hosted under a download URL. The page is plain text with cells
separated by spaces, so every column position is INFERRED from the standard 2020 national layout (9 columns A..I,
like samples/2018-喀什...xlsx); merges are inferred likewise. Punctuation is as returned (the corpus shows ASCII ':' '(' ')').

Cut: the page stops inside the 满意度 row ('满意度指标(10分) 满意度指标 公众满'); that partial row is dropped,
so the form ends after the empty 经济效益指标 row. No 总分 row survives.

What it exercises:
- department / unit written with a numeric code prefix: '219-池州市贵池区棠溪镇人民政府',
  '219001-池州市贵池区棠溪镇人民政府' (code must be kept apart from the name).
- total row 年度资金总额: all zeros (0 0 0, 分值 10, 执行率 0, 得分 0) while the source row
  其中:本年财政拨款 holds the money -> spec: use the sum of source rows, report sources-not-sum.
  Source-row numbers read positionally as 年初 90 / 全年 89.974 / 执行 89.974 (the page gives three numbers
  for three columns). Alternative reading (全年 90, 执行 89.974) would give 99.97% -> 10.00 either way.
- label with trailing colon '年度资金总额:'; '其中:本年财政拨款' (Anhui wording).
- weights inside 一级 labels: '产出指标(50分)', '效益指标(30分)'.
- '≥100百分比' target with bare actual 100; '≤90万元' with bare actual 90 (unit from target).
- qualitative actual '达成预期指标' against free-text targets (严格执行相关制度规定 / 效果明显 / 在项目计划完成时间内完成).
- time indicator whose target is text, not a month ('在项目计划完成时间内完成') -> qualitative.
- an empty 二级 row '经济效益指标' placed AFTER 可持续影响指标 (out of the usual order), no 三级 -> empty-category.
- self budget score 0 on the form while the review gives 10 (because of the zero total row).
Scoring: budget 89.974/89.974 = 100% -> 10; every indicator full. Weights present: 10 + 50 + 30 = 90
(weights-not-100 is expected because the 满意度 block is cut). Review total 90.00 -> 优 (90 <= total).
No 总分 row -> self_total None (sum of the indicator self scores on the form is 80, budget self 0)."""
SHEET = "Sheet1"
ROWS = [
    ["附件:", None, None, None, None, None, None, None, None],
    ["项目支出绩效自评表", None, None, None, None, None, None, None, None],
    ["(2022年度)", None, None, None, None, None, None, None, None],
    ["项目名称", "委托业务项目", None, None, None, None, None, None, None],
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
    [None, "其中:本年财政拨款", None, 90, 89.974, 89.974, None, None, None],
    [None, "上年结转资金", None, None, None, None, None, None, None],
    [None, "其他资金", None, None, None, None, None, None, None],
    ["年度总体目标", "预期目标", None, None, "实际完成情况", None, None, None, None],
    [
        None,
        "本项目共申请预算资金90万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;30万元用于基建工程项目设计、规划、测绘。",
        None,
        None,
        "本项目共完成预算资金89.97万元。其中:30万元用于基建工程项目预算编制;30万元用于基建工程项目审计;29.99万元用于基建工程项目设计、规划、测绘。",
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
    [None, "产出指标(50分)", "数量指标", "基建工程委托业务项目数量", "≥50个", 50, 8, 8, None],
    [None, None, "质量指标", "委托业务报告合格率", "≥100百分比", 100, 8, 8, None],
    [None, None, None, "经费支出合规性", "严格执行相关制度规定", "达成预期指标", 8, 8, None],
    [
        None,
        None,
        "时效指标",
        "提交报告及时性",
        "在项目计划完成时间内完成",
        "达成预期指标",
        8,
        8,
        None,
    ],
    [None, None, "成本指标", "项目总成本", "≤90万元", 90, 8, 8, None],
    [None, None, None, "单项业务成本", "符合相关规定", "达成预期指标", 10, 10, None],
    [
        None,
        "效益指标(30分)",
        "社会效益指标",
        "对维护基建市场公平的影响程度",
        "效果明显",
        "达成预期指标",
        10,
        10,
        None,
    ],
    [
        None,
        None,
        "生态效益指标",
        "对控制基建项目成本影响程度",
        "效果明显",
        "达成预期指标",
        10,
        10,
        None,
    ],
    [
        None,
        None,
        "可持续影响指标",
        "对推动基建项目“四项制度”健全和落实的持续性影响",
        "效果明显",
        "达成预期指标",
        10,
        10,
        None,
    ],
    [None, None, "经济效益指标", None, None, None, None, None, None],
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
    "A13:A23",
    "B14:B19",
    "C15:C16",
    "C18:C19",
    "B20:B23",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "委托业务项目",
    "department": "池州市贵池区棠溪镇人民政府",
    "unit": "池州市贵池区棠溪镇人民政府",
    "year": 2022,
    # total row is 0/0/0 -> sum of the source rows: 全年 89.974, 执行 89.974
    "budget": {
        "annual": 89.974,
        "executed": 89.974,
        "rate": 1.0,
        "weight": 10,
        "self_score": 0,
        "review_score": 10.0,
    },  # min(89.974/89.974, 1) * 10 = 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "基建工程委托业务项目数量",
            "target": "≥50个",
            "actual": 50,
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 14,
        },  # 50 >= 50 -> 8
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "委托业务报告合格率",
            "target": "≥100百分比",
            "actual": 100,
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 15,
        },  # 100% >= 100% -> 8
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "经费支出合规性",
            "target": "严格执行相关制度规定",
            "actual": "达成预期指标",
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 16,
        },  # 达成 -> 8
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "提交报告及时性",
            "target": "在项目计划完成时间内完成",
            "actual": "达成预期指标",
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 17,
        },  # qualitative 达成 -> 8
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "项目总成本",
            "target": "≤90万元",
            "actual": 90,
            "weight": 8,
            "self_score": 8,
            "review_score": 8.0,
            "row": 18,
        },  # 90 <= 90 -> 8
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "单项业务成本",
            "target": "符合相关规定",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 19,
        },  # 达成 -> 10
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "对维护基建市场公平的影响程度",
            "target": "效果明显",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 20,
        },
        {
            "level1": "效益指标",
            "level2": "生态效益指标",
            "name": "对控制基建项目成本影响程度",
            "target": "效果明显",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 21,
        },
        {
            "level1": "效益指标",
            "level2": "可持续影响指标",
            "name": "对推动基建项目“四项制度”健全和落实的持续性影响",
            "target": "效果明显",
            "actual": "达成预期指标",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 22,
        },
    ],
    "not_indicators": [23],
    "self_total": None,
    "review_total": 90.0,  # 10 + (8*5 + 10) + 30 = 90.00
    "grade": "优",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md 'self 总分 − review 总分', model.ProjectScore.self_total), not None. = 0 + 80 = 80 (info total-differs). As in cunji: rate-differs and self-score-differs on the zero total row, and budget-changed@E7 (90 -> 89.974 on the source row, which the zero total row stands for)."""
EXPECTED["self_total"] = 80.0
EXPECTED["problems"] = [
    "budget-changed@E7",
    "weights-not-100@G13",
    "sources-not-sum@D7",
    "sources-not-sum@E7",
    "sources-not-sum@F7",
    "rate-differs@H7",
    "self-score-differs@I7",
    "total-differs@H13",
    "empty-category@C23",
]
