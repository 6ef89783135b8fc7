SOURCE = "https://www.ahxx.gov.cn/grassroots/275/159708041.html"
PROVINCE = "安徽"
YEAR = 2023
TITLE = "2023年杨楼社区特色种养殖补贴到户项目资金使用情况 — 萧县杨楼镇人民政府"
NOTES = """Government page (萧县杨楼镇, 2023-09-28) whose table is rendered as plain text, one table row per line, cells
separated by spaces. Rebuilt on the same 9-column 衔接 layout as anhui_2023_hexi (分值 before 年度指标值); column
positions and merges INFERRED. The page shows NO title row: the table starts at '项目名称' (the year is only in the
project name '2023年杨楼社区…' and the page title) -> year detection cannot use a '（2023年度）' line.

The 一级 cell of the 产出 block is shown as '\\n\\n\\n\\n(50分)': the characters 产出指标 are missing from the page text
(probably a vertical label), only the weight survives. Kept as shown. EXPECTED level1 = 产出指标 is INFERRED from the
二级 labels (数量指标/质量指标); a reader may instead report level-missing.

Parent indicator rows carry only 分值 and 得分 ('★补助各类粮食作物种植面积 10 10'): I placed them in 分值 (E) and 得分 (H)
with 年度指标值/全年实际值 empty (as in the sibling 河西村 form the parent row is '分值 | target | actual | 得分', here the
target/actual are absent). The breakdown rows below have target/actual but NO '其中' prefix — only leading spaces
('        红薯种植面积') mark them as sub-rows. Leading spaces are kept as shown.

Cut: the page ends inside '质量指标 ★种植作物成活率 10 9' (the row may continue '95% …'), dropped.

What it exercises: no title/year row; '资金情况\\n(万元)'; A/B suffixes; source row 其中:本年财政拨款 repeating
分值/执行率/得分; '100.00%' text; indented sub-rows without 其中; weighted parent rows with EMPTY target/actual.
Scoring (spec-literal, my choice): each parent row is an indicator (it has a name and a 分值) whose 年度指标值 and
实际完成值 are empty -> missing-field + missing-actual errors and review 0.00 (scoring.md: 'an indicator with no
readable actual scores 0'). A reviewer would more likely accept the breakdown rows (all achieved) and give 10 each;
that reading gives 10 + 30 = 40. Spec gap worth deciding: parent-with-breakdown rows. Either way the sub-rows are
not indicators. Budget 8.408/8.408 -> 10. Review total 10.00 -> 差 (weights present 10 + 30 = 40, cut)."""
SHEET = "Sheet1"
ROWS = [
    [
        "项目名称",
        "2023年杨楼社区特色种养殖补贴到户项目",
        None,
        None,
        "项目负责人及电话",
        None,
        "黄蓓蓓0557-5271001",
        None,
        None,
    ],
    ["主管部门", "县农业农村局", None, None, "实施单位", None, "杨楼镇人民政府", None, None],
    [
        "资金情况\n(万元)",
        None,
        "全年预算数(A)",
        "全年执行数(B)",
        "分值",
        "执行率(B/A)",
        "得分",
        None,
        None,
    ],
    [None, "年度资金总额:", 8.408, 8.408, 10, "100.00%", 10, None, None],
    [None, "其中:本年财政拨款", 8.408, 8.408, 10, "100.00%", 10, None, None],
    [None, "      其他资金", 0, 0, None, None, None, None, None],
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
        " 以产业补助的形式对64户脱贫户进行补助,鼓励发展特色产业,激发脱贫人口内生动力,增加脱贫户收入10.9304万元。",
        None,
        None,
        None,
        "落实64户特色种养业奖补政策,增加脱贫户家庭收入10.9304万元",
        None,
        None,
        None,
    ],
    [
        "绩效指标",
        "一级\n指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "全年实际值",
        "得分",
        "未完成原因及拟采取的改进措施",
    ],
    [None, "\n\n\n\n(50分)", "数量指标", "★补助各类粮食作物种植面积", 10, None, None, 10, None],
    [None, None, None, "        红薯种植面积", None, "5.5亩", "5.5亩", None, None],
    [None, None, None, "★补助各类瓜果蔬菜种植面积", 10, None, None, 10, None],
    [None, None, None, "         梨树种植面积", None, "6亩", "6亩", None, None],
    [None, None, None, "        桃种植面积", None, "1亩", "1亩", None, None],
    [None, None, None, "        葡萄种植面积", None, "4.5亩", "4.5亩", None, None],
    [None, None, None, "        苹果种植面积", None, "4.7亩", "4.7亩", None, None],
    [None, None, None, "★补助家畜家禽养殖数量", 10, None, None, 10, None],
    [None, None, None, "        猪养殖数量", None, "80头", "80头", None, None],
    [None, None, None, "        牛养殖数量", None, "3头", "3头", None, None],
    [None, None, None, "        鸡养殖数量", None, "500只", "500只", None, None],
    [None, None, None, "        羊养殖数量", None, "283只", "283只", None, None],
]
MERGES = [
    "B1:D1",
    "E1:F1",
    "G1:I1",
    "B2:D2",
    "E2:F2",
    "G2:I2",
    "A3:A6",
    "A7:A8",
    "B7:E7",
    "F7:I7",
    "B8:E8",
    "F8:I8",
    "A9:A21",
    "B10:B21",
    "C10:C21",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "2023年杨楼社区特色种养殖补贴到户项目",
    "department": "县农业农村局",
    "unit": "杨楼镇人民政府",
    "year": 2023,
    "budget": {
        "annual": 8.408,
        "executed": 8.408,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 8.408/8.408 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助各类粮食作物种植面积",
            "target": None,
            "actual": None,
            "weight": 10,
            "self_score": 10,
            "review_score": 0.0,
            "row": 10,
        },  # no target/actual -> missing-actual -> 0 (alt reading: 10)
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助各类瓜果蔬菜种植面积",
            "target": None,
            "actual": None,
            "weight": 10,
            "self_score": 10,
            "review_score": 0.0,
            "row": 12,
        },  # idem
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "★补助家畜家禽养殖数量",
            "target": None,
            "actual": None,
            "weight": 10,
            "self_score": 10,
            "review_score": 0.0,
            "row": 17,
        },  # idem
    ],
    "not_indicators": [11, 13, 14, 15, 16, 18, 19, 20, 21],
    "self_total": None,
    "review_total": 10.0,  # 10 + 0 + 0 + 0 (alt reading 40.00)
    "grade": "差",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md 'self 总分 − review 总分', model.ProjectScore.self_total), not None. = 10 + 30 = 40, so total-differs (自评得分偏高, 40 vs 10) is reported. Agreed with the spec-literal reading of the parent rows (missing-field + missing-actual, review 0). The 一级 cell '(50分)' is read as 产出指标 from its 二级 数量指标 (template.md's categories). The indented rows are breakdown rows."""
EXPECTED["self_total"] = 40.0
EXPECTED["problems"] = [
    "weights-not-100@E9",
    "missing-field@F10",
    "missing-actual@G10",
    "missing-field@F12",
    "missing-actual@G12",
    "missing-field@F17",
    "missing-actual@G17",
    "total-differs@H9",
    "missing-deviation-reason@I10",
    "missing-deviation-reason@I12",
    "missing-deviation-reason@I17",
]
