SOURCE = "http://www.lfsp.cn/newsinfo/1158053.html"
PROVINCE = "河北"
YEAR = 2019
TITLE = "办公宿舍楼、食堂及餐厅暖通改造经费 绩效自评表(修改) — 廊坊市食品工程学校（附件1 项目支出绩效自评表 2019年度)）"
NOTES = """School website page (廊坊市食品工程学校) publishing the 2019 项目支出绩效自评表 as a Word-like table; the text
arrives one cell per paragraph (empty cells as blank paragraphs), so cell order is reliable; colspans INFERRED.
This table has NO left-hand '绩效指标' label column: the indicator header starts with '一级指标' in column A, so I used
8 columns (A..H): funds block '项目资金\\n(万元)' | label | 年初\\n预算数 | 全年\\n预算数 | 全年\\n执行数 | 分值 | 执行率 | 得分.
Cut: the page stops after '满意度…指标1学生满意度 100 100 10 10 0 | 指标2' — the final '指标2' row (whose other cells are
not shown) is dropped, so no 总分 row.

This is (as far as I can tell) the Hebei 2019 form the spec cites: year line '2019年度)' with a BROKEN bracket,
bare targets 43.2 / actual 37.24, 执行率 86% with 得分 9, the SAME 一级 '效益指标' written twice in unmerged cells
(before 经济效益 and again before 可持续影响), template placeholders '指标2' / '……' left in every 二级 block,
'指标1' prefixes without a colon ('指标1工程资金金额'), a '0' in the reason column meaning 'no reason', and the
goals block holding bare numbers (预期目标 43.2, 实际完成情况 37.24) instead of text. Header cells carry line breaks
('年度\\n指标值', '实际\\n完成值', '经济效益\\n指标').
Scoring: budget 37.24/43.2 = 86.20% -> 8.62 (self 9, within 0.5; low-execution warning). 指标1工程资金金额: bare
43.2 vs 37.24 under 数量指标 -> exactly, pro rata 10 × 37.24/43.2 = 8.62 (self 9). 指标1成本控制率 100/100 under 成本
-> at most -> 10. All other rows 100/100 -> full. Weights 10 + 50 + 30 + 10 = 100. Review total 97.24 -> 优."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["附件1", _, _, _, _, _, _, _],
    ["项目支出绩效自评表", _, _, _, _, _, _, _],
    ["2019年度)", _, _, _, _, _, _, _],
    ["项目名称", "办公宿舍楼、食堂及餐厅暖通改造经费", _, _, _, _, _, _],
    ["主管部门", "廊坊市发改委", _, _, "实施单位", "廊坊市食品工程学校", _, _],
    [
        "项目资金\n(万元)",
        _,
        "年初\n预算数",
        "全年\n预算数",
        "全年\n执行数",
        "分值",
        "执行率",
        "得分",
    ],
    [_, "年度资金总额", 43.2, 43.2, 37.24, 10, "86%", 9],
    [_, "其中:当年财政拨款", 43.2, 43.2, 37.24, _, _, _],
    [_, "      上年结转资金", _, _, _, _, _, _],
    [_, "  其他资金", _, _, _, _, _, _],
    ["年度总体目标", "预期目标", _, _, "实际完成情况", _, _, _],
    [_, 43.2, _, _, 37.24, _, _, _],
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
    [
        "产出指标",
        "数量指标",
        "指标1工程资金金额",
        43.2,
        37.24,
        10,
        9,
        "已完工,剩余3%尾款未付,且最高限价低于预算金额。提高预算准确度。",
    ],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    [_, "质量指标", "指标1工程完工率", 100, 100, 10, 10, _],
    [_, _, "指标2工程验收合格率", 100, 100, 10, 10, _],
    [_, _, "……", _, _, _, _, _],
    [_, "时效指标", "指标1项目完成及时率", 100, 100, 10, 10, _],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    [_, "成本指标", "指标1成本控制率", 100, 100, 10, 10, _],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    ["效益指标", "经济效益\n指标", "指标1安全率", 100, 100, 10, 10, 0],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    [_, "社会效益\n指标", "指标1学校发展能力", 100, 100, 10, 10, 0],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    [_, "生态效益\n指标", "指标1", _, _, _, _, _],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    ["效益指标", "可持续影响\n指标", "指标1长期使用性", 100, 100, 10, 10, _],
    [_, _, "指标2", _, _, _, _, _],
    [_, _, "……", _, _, _, _, _],
    ["满意度\n指标", "服务对象满意度指标", "指标1学生满意度", 100, 100, 10, 10, 0],
]
del _
MERGES = [
    "A2:H2",
    "A3:H3",
    "B4:H4",
    "B5:D5",
    "F5:H5",
    "A6:A10",
    "A11:A12",
    "B11:D11",
    "E11:H11",
    "B12:D12",
    "E12:H12",
    "A14:A25",
    "B14:B16",
    "B17:B19",
    "B20:B22",
    "B23:B25",
    "A26:A34",
    "B26:B28",
    "B29:B31",
    "B32:B34",
    "A35:A37",
    "B35:B37",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "办公宿舍楼、食堂及餐厅暖通改造经费",
    "department": "廊坊市发改委",
    "unit": "廊坊市食品工程学校",
    "year": 2019,
    "budget": {
        "annual": 43.2,
        "executed": 37.24,
        "rate": 0.862037,
        "weight": 10,
        "self_score": 9,
        "review_score": 8.62,
    },  # 37.24/43.2 = 0.86204 -> 8.62
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "工程资金金额",
            "target": 43.2,
            "actual": 37.24,
            "weight": 10,
            "self_score": 9,
            "review_score": 8.62,
            "row": 14,
        },  # exactly 43.2, 10*37.24/43.2 = 8.62
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "工程完工率",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "工程验收合格率",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 18,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "项目完成及时率",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 20,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "成本控制率",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 23,
        },  # bare under 成本 -> at most; 100 <= 100
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "安全率",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 26,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "学校发展能力",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 29,
        },
        {
            "level1": "效益指标",
            "level2": "可持续影响指标",
            "name": "长期使用性",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 35,
        },
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "学生满意度",
            "target": 100,
            "actual": 100,
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 38,
        },
    ],
    "not_indicators": [15, 16, 19, 21, 22, 24, 25, 27, 28, 30, 31, 32, 33, 34, 36, 37],
    "self_total": None,
    "review_total": 97.24,  # 8.62 + (8.62 + 40) + 30 + 10
    "grade": "优",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md, model.ProjectScore.self_total), not None = 9 + 9 + 80 = 98 (98 - 97.24 < 1: no total-differs). Weights 10 + 50 + 30 + 10 = 100 and 50/30/10: no weight finding. '86%' vs 86.20% and self 9 vs 8.62 are within the tolerances."""
EXPECTED["self_total"] = 98.0
EXPECTED["problems"] = [
    "low-execution@G7",
    "empty-category@B32",
]
