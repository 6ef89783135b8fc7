SOURCE = "https://www.ahxx.gov.cn/grassroots/279/158998981.html"
PROVINCE = "安徽"
YEAR = 2023
TITLE = "绩效目标自评表（2023年度）河西村特色种养补贴到户项目 — 萧县张庄寨镇人民政府"
NOTES = """Government page (萧县, 宿州; phone area code 0557) with the table rendered as '|'-separated cells; each row
is padded with empty cells to 11 columns, so cell ORDER is reliable but colspans are lost. I rebuilt it on 9 columns
(A..I) in the 衔接资金/扶贫 '绩效目标自评表' layout where 分值 comes BEFORE 年度指标值: 一级|二级|三级|分值|年度指标值|
全年实际值|得分|未完成原因及拟采取的改进措施. Merges are inferred from rowspans (rows that start at 二级 or 三级).
In the funds header the page shows no empty cell between '资金情况 (万元)' and '全年预算数(A)'; I put the label column
B5 empty as in the template (assumption). Labels with spaces ('一级 指标', '产 出 指 标 (50分)', '经济效益 指标') are kept
exactly as the page text shows them (originally line-wrapped cells).

Cut: the page ends at '满意' (start of the 满意度 block) -> dropped; no 满意度 rows, no 总分 row.

What it exercises:
- title '绩效目标自评表' + separate '(2023年度)' row; A/B suffixes: 全年预算数(A), 全年执行数(B), 执行率(B/A).
- the 其中:本年财政拨款 source row ALSO carries 分值 10, 执行率 100%, 得分 10 (must not be read as a second budget row).
- 其他资金 with '-' placeholders.
- 其中 breakdown rows INSIDE the indicator table (其中桃树种植面积 1.5亩 ...) with target/actual but no 分值/得分:
  they are not indicators (rows 13-16, 18, 20-21).
- '★' prefix on indicator names (core indicators) - should be stripped or tolerated.
- empty 二级 rows (质量指标 row with nothing else; 经济效益 指标; 生态效益 指标; 可持续影响指标) and '……' placeholders.
- bare-number-with-unit targets ('29.5亩' = exactly), '≥11.376万元' vs '12万元', 95% vs 100% (over, capped).
Scoring: budget 9.48/9.48 -> 10; every indicator full. Weights present 10 + 50 + 30 = 90 (满意度 cut ->
weights-not-100 expected). Review total 90.00 -> 优. No 总分 -> self_total None (self sum on the form 90)."""
SHEET = "Sheet1"
ROWS = [
    ["绩效目标自评表", None, None, None, None, None, None, None, None],
    ["(2023年度)", None, None, None, None, None, None, None, None],
    [
        "项目名称",
        "河西村特色种养补贴到户项目",
        None,
        None,
        "项目负责人及电话",
        None,
        "李宁0557-5788003",
        None,
        None,
    ],
    ["主管部门", "县农业农村局", None, None, "实施单位", None, "张庄寨镇人民政府", None, None],
    [
        "资金情况 (万元)",
        None,
        "全年预算数(A)",
        "全年执行数(B)",
        "分值",
        "执行率(B/A)",
        "得分",
        None,
        None,
    ],
    [None, "年度资金总额:", 9.48, 9.48, 10, "100%", 10, None, None],
    [None, "其中:本年财政拨款", 9.48, 9.48, 10, "100%", 10, None, None],
    [None, "其他资金", "-", "-", None, None, None, None, None],
    [
        "年度总体目标",
        "年初设定目标",
        None,
        None,
        None,
        "年度总体目标完成情况综述",
        None,
        None,
        None,
    ],
    [
        None,
        "落实39户特色种养业奖补政策,增加脱贫户家庭收入",
        None,
        None,
        None,
        "落实39户特色种养业奖补政策,增加脱贫户家庭收入",
        None,
        None,
        None,
    ],
    [
        "绩效指标",
        "一级 指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "全年实际值",
        "得分",
        "未完成原因及拟采取的改进措施",
    ],
    [
        None,
        "产 出 指 标 (50分)",
        "数量指标",
        "★补助各类瓜果蔬菜种植面积",
        20,
        "29.5亩",
        "29.5亩",
        20,
        None,
    ],
    [None, None, None, "其中桃树种植面积", None, "1.5亩", "1.5亩", None, None],
    [None, None, None, "其中苹果树种植面积", None, "5亩", "5亩", None, None],
    [None, None, None, "其中露天蔬菜", None, "20亩", "20亩", None, None],
    [None, None, None, "其中大棚蔬菜", None, "3亩", "3亩", None, None],
    [None, None, None, "★补助鱼塘面积", 10, "3亩", "3亩", 10, None],
    [None, None, None, "其中鱼塘养殖面积", None, "3亩", "3亩", None, None],
    [None, None, None, "★补助家畜家禽养殖数量", 10, "192只", "192只", 10, None],
    [None, None, None, "其中羊养殖数量", None, "180只", "180只", None, None],
    [None, None, None, "其中猪养殖数量", None, "12头", "12头", None, None],
    [None, None, "质量指标", None, None, None, None, None, None],
    [None, None, None, "种植作物成活率", 5, "95%", "95%", 5, None],
    [None, None, None, "养殖家畜家禽成活率", 5, "95%", "100%", 5, None],
    [None, None, None, "……", None, None, None, None, None],
    [None, "效 益 指 标 (30分)", "经济效益 指标", None, None, None, None, None, None],
    [
        None,
        None,
        None,
        "特色产业带动增加受益农户收入(总收入)",
        20,
        "≥11.376万元",
        "12万元",
        20,
        None,
    ],
    [None, None, "社会效益 指标", "受益人口数量", 10, "90人", "90人", 10, None],
    [None, None, "生态效益 指标", None, None, None, None, None, None],
    [None, None, "可持续影响指标", None, None, None, None, None, None],
    [None, None, None, "……", None, None, None, None, None],
]
MERGES = [
    "A1:I1",
    "A2:I2",
    "B3:D3",
    "E3:F3",
    "G3:I3",
    "B4:D4",
    "E4:F4",
    "G4:I4",
    "A5:A8",
    "A9:A10",
    "B9:E9",
    "F9:I9",
    "B10:E10",
    "F10:I10",
    "A11:A31",
    "B12:B25",
    "C12:C21",
    "C22:C25",
    "B26:B31",
    "C26:C27",
    "C30:C31",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "河西村特色种养补贴到户项目",
    "department": "县农业农村局",
    "unit": "张庄寨镇人民政府",
    "year": 2023,
    "budget": {
        "annual": 9.48,
        "executed": 9.48,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 9.48/9.48 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助各类瓜果蔬菜种植面积",
            "target": "29.5亩",
            "actual": "29.5亩",
            "weight": 20,
            "self_score": 20,
            "review_score": 20.0,
            "row": 12,
        },  # exactly 29.5, actual 29.5 -> 20
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助鱼塘面积",
            "target": "3亩",
            "actual": "3亩",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助家畜家禽养殖数量",
            "target": "192只",
            "actual": "192只",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 19,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "种植作物成活率",
            "target": "95%",
            "actual": "95%",
            "weight": 5,
            "self_score": 5,
            "review_score": 5.0,
            "row": 23,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "养殖家畜家禽成活率",
            "target": "95%",
            "actual": "100%",
            "weight": 5,
            "self_score": 5,
            "review_score": 5.0,
            "row": 24,
        },  # exactly 95%, actual 100% -> capped 5 (ratio 1.05 < 1.2, no flag)
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "特色产业带动增加受益农户收入(总收入)",
            "target": "≥11.376万元",
            "actual": "12万元",
            "weight": 20,
            "self_score": 20,
            "review_score": 20.0,
            "row": 27,
        },  # 12 >= 11.376 -> 20
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "受益人口数量",
            "target": "90人",
            "actual": "90人",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 28,
        },
    ],
    "not_indicators": [13, 14, 15, 16, 18, 20, 21, 22, 25, 26, 29, 30, 31],
    "self_total": None,
    "review_total": 90.0,  # 10 + 50 + 30
    "grade": "优",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md 'self 总分 − review 总分', model.ProjectScore.self_total), not None. = 10 + 80 = 90. The 全年实际值 header is the actual column (it is also a spelling of 全年执行数 in the budget block). The 其中 rows and the …… rows are skipped."""
EXPECTED["self_total"] = 90.0
EXPECTED["problems"] = [
    "weights-not-100@E11",
    "empty-category@C29",
    "empty-category@C30",
]
