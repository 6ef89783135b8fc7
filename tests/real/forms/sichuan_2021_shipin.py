SOURCE = "https://www.scanju.gov.cn/gongkai/show/1e8c35c4e0ae4aaf81ef392897c56b63.html"
PROVINCE = "四川"
YEAR = 2021
TITLE = "食品监管补助资金区域绩效目标自评表 — 遂宁市安居区市场监管局（发布 2022-08-15）"
NOTES = """Government page (遂宁市安居区). Not the department-budget 自评表 but the CENTRAL-TRANSFER '区域绩效目标自评表'
variant; included because it is a real, filled self-evaluation that perfxl will meet in the same inboxes.
Page text is one cell per paragraph; I rebuilt it on 7 columns (A..G) with the self-score column in G, merges
INFERRED. The year is NOT written anywhere in the title or header: 2021 is inferred from the time indicator
'2021年12月31日' (page published 2022-08-15). Indicator 4's name is truncated on the page itself
('…科普宣传活'), kept as shown. Cut: the page ends inside '可持续影响指标 | 指标1:技…' -> dropped.

Layout facts: '自评得分' heads column G (row 2) and the project total 100 sits under it (G3); the budget block
('预算执行情况 | 预算数: | 2.38 | 执行数: | 2.38 | 20') puts LABELS and VALUES side by side in one row instead of a
header row; block totals 20 (预算执行), 20 (年度目标完成情况) and 50 (年度绩效指标完成情况, in the header row) sit in
G; each indicator row has ONE number in G. There is NO 分值/权重 column and no header over the per-indicator numbers
except the block's '50'. My reading: G holds the unit's SELF SCORES (the column is headed 自评得分 and the values
add up: 20 + 20 + 50(+10 cut) -> 100); the weights are not on the form.

What it exercises: no-weights (error, indicators listed but not scored); missing year (no '年度' anywhere -> year
must come from the data or be reported); '专项名称' (project-name label variant), '中央主管部门'/'省级主管部门' instead
of 主管部门/实施单位; money with units inside cells ('2.38  万元', '2.38万元'); '已完成' actuals; a deadline written
as a full date string '2021年12月31日'; '0次' zero target; '逐步提高' equal-text qualitative.
Scoring choice: budget weight not written -> spec default 10 -> review 10.00 (the form's own scale for this
block is evidently 20). Indicators: weight None, review None (no-weights). review_total None, grade None."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["食品监管补助资金区域绩效目标自评表", _, _, _, _, _, _],
    ["专项名称", "食品监管补助资金", _, "中央主管部门", "市场监管总局", _, "自评得分"],
    ["省级财政部门", "四川省财政厅", _, "省级主管部门", "四川省市场监管局", _, 100],
    ["预算执行情况", "预算数:", 2.38, "执行数:", 2.38, _, 20],
    [_, "其中:中央补助", "2.38  万元", "其中:中央补助", "2.38万元", _, _],
    [_, "地方资金/其他", "万元", "地方资金/其他", "万元", _, _],
    ["年度目标完成情况", "预期目标", _, "目标实际完成情况", _, _, 20],
    [_, "目标1:深入开展食品风险隐患排查整治。", _, "目标1:深入开展食品风险隐患排查整治。", _, _, _],
    [_, "目标2:加大违法行为打击力度。", _, "目标2:加大违法行为打击力度。", _, _, _],
    [_, "目标3:加强基层监管人员监管业务培训。", _, "目标3:加强基层监管人员监管业务培训。", _, _, _],
    [_, "目标4:加大食品安全宣传力度。", _, "目标4:加大食品安全宣传力度。", _, _, _],
    [
        "年度绩效指标完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成指标值",
        50,
    ],
    [_, "产出指标", "质量指标", "指标1:食品安全监管人员培训", "已完成", "已完成", 5],
    [_, _, _, "指标2:违法案件查办率", "100%", "100%", 4],
    [_, _, _, "指标3:食品经营环节风险分级", "100%", "100%", 5],
    [_, _, _, "指标4:开展食品安全宣传周等科普宣传活", "已完成", "已完成", 3],
    [_, _, _, "指标5:进口冷链食品新冠肺炎疫情应急处置示范演练", "已完成", "已完成", 3],
    [_, _, _, "指标6:食品安全投诉举报处置率", "100%", "100%", 3],
    [_, _, "时效指标", "指标1:食品监管专项工作整体完成时间", "2021年12月31日", "2021年12月31日", 5],
    [
        _,
        "效益指标",
        "社会效益指标",
        "指标1:辖区内与补助资金相关的重大食品安全监管责任事故发生数",
        "0次",
        "0次",
        3,
    ],
    [_, _, _, "指标2:辖区内公众食品安全科普知识素养", "逐步提高", "逐步提高", 3],
]
del _
MERGES = [
    "A1:G1",
    "B2:C2",
    "E2:F2",
    "B3:C3",
    "E3:F3",
    "A4:A6",
    "E4:F4",
    "G4:G6",
    "E5:F5",
    "E6:F6",
    "A7:A11",
    "B7:C7",
    "D7:F7",
    "G7:G11",
    "B8:C8",
    "D8:F8",
    "B9:C9",
    "D9:F9",
    "B10:C10",
    "D10:F10",
    "B11:C11",
    "D11:F11",
    "A12:A21",
    "B13:B19",
    "C13:C18",
    "B20:B21",
    "C20:C21",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "食品监管补助资金",
    "department": "市场监管总局",
    "unit": None,
    "year": 2021,
    "budget": {
        "annual": 2.38,
        "executed": 2.38,
        "rate": 1.0,
        "weight": None,
        "self_score": 20,
        "review_score": 10.0,
    },  # weight not written -> default 10; 2.38/2.38 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "食品安全监管人员培训",
            "target": "已完成",
            "actual": "已完成",
            "weight": None,
            "self_score": 5,
            "review_score": None,
            "row": 13,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "违法案件查办率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": 4,
            "review_score": None,
            "row": 14,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "食品经营环节风险分级",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": 5,
            "review_score": None,
            "row": 15,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "开展食品安全宣传周等科普宣传活",
            "target": "已完成",
            "actual": "已完成",
            "weight": None,
            "self_score": 3,
            "review_score": None,
            "row": 16,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "进口冷链食品新冠肺炎疫情应急处置示范演练",
            "target": "已完成",
            "actual": "已完成",
            "weight": None,
            "self_score": 3,
            "review_score": None,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "食品安全投诉举报处置率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": 3,
            "review_score": None,
            "row": 18,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "食品监管专项工作整体完成时间",
            "target": "2021年12月31日",
            "actual": "2021年12月31日",
            "weight": None,
            "self_score": 5,
            "review_score": None,
            "row": 19,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "辖区内与补助资金相关的重大食品安全监管责任事故发生数",
            "target": "0次",
            "actual": "0次",
            "weight": None,
            "self_score": 3,
            "review_score": None,
            "row": 20,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "辖区内公众食品安全科普知识素养",
            "target": "逐步提高",
            "actual": "逐步提高",
            "weight": None,
            "self_score": 3,
            "review_score": None,
            "row": 21,
        },
    ],
    "not_indicators": [8, 9, 10, 11],
    "self_total": 100,
    "review_total": None,  # no-weights: indicators not scored
    "grade": None,
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: Reader choices: the year is not on the form (title, 年度 cell and project name hold none): year None, not inferred from an indicator's deadline. The only 主管部门 label read is 中央主管部门; there is no 实施单位 label: missing-field (pointing at D2, the identity block). The side-by-side budget row (预算数: 2.38 | 执行数: 2.38) is read as the total row, with the default weight 10 (no weight on the form). Column G has no header in the indicator table (G12 holds the number 50) and the 自评得分 at G2 is far above the table: the reader does not guess it is the self-score column (no key words, not weights: they do not add up) and says so with unknown-column at G12; so budget and indicator self scores are None and no self total is formed. No-weights form: scoring.md says a form with error-level problems is still scored where it can be, so the indicators get review 0.00 (listed with target and actual, weight None), the total is the budget score alone and the grade follows from it; the no-weights error is what tells the reviewer the total is not final (review_score/review_total/grade changed from None). Here: 10.00 -> 差."""
EXPECTED["self_total"] = None
EXPECTED["problems"] = [
    "missing-field@D2",
    "no-weights@D12",
    "unknown-column@G12",
]
EXPECTED["review_total"] = 10.0
EXPECTED["grade"] = "差"
for _i in EXPECTED["indicators"]:
    _i["review_score"] = 0.0
    _i["self_score"] = None
EXPECTED["budget"]["weight"] = 10
EXPECTED["budget"]["self_score"] = None
EXPECTED["year"] = None
EXPECTED["unit"] = ""
