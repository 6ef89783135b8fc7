SOURCE = "http://m.jjiadianqingjie.com.cn/changyong/13241.html"
PROVINCE = "云南"
YEAR = 2020
TITLE = (
    "2020年云南省級自然資源衛片執法補助經費（2020年度項目支出績效自評表，麗江市古城區自然資源局）"
)
NOTES = """CAUTION — re-hosted copy: a spam/mirror site reproducing a WeChat article (公众号 yn2553) about 丽江市古城区's
2020 项目支出绩效自评表. The mirror converted the whole text to TRADITIONAL characters (項目名稱, 績效指標, 萬元 …).
The underlying form is the Yunnan national-style form (same template as yunnan_2022_yingyang); I kept the
traditional characters exactly as the page shows them, so this file also tests what a reader does with
traditional-script labels — a case that should be rare in real Excel files (low priority for reader work; the
other Yunnan forms cover the layout). Table arrives '|'-separated (11 cells per row), layout rebuilt on the
two-row-header, split-notation grid (A..J), merges INFERRED. '其中:當年財政撥款 | 7.29 | 7.29 | 7.29 | 100%': I put 100% under
執行率 with 分值 empty (position ambiguous). Cut: the last row ('滿意度 … 95 | 10.00 |') ends before its 得分 -> dropped.

What it exercises:
- operator '﹦' (U+FE66 SMALL EQUALS SIGN, not in notation.md) in the 指標性質 column, and '≥'.
- money target inside an indicator in 元 with a separate unit cell: 指標值 72890 | 度量單位 元, actual 72890.
- decimals written as '10.00' / '9.00' for weights and scores; weights 10, 20, 20 in one 一级, 30 for a single
  效益 indicator (level weights 50/30 so far).
- self scores below full on every row although every actual meets its target (9/10, 19/20, 19/20, 27/30): the
  unit applied a blanket 90% rule -> self-score-differs on each (|diff| >= 1 > 0.5); self total lower than review.
- 項目名稱 cell holds a title-like string ('2020年省級自然資源衛片執法補助經費支出績效自評表').
Scoring: budget 7.29/7.29 -> 10; all indicators full. Weights present 10 + 50 + 30 = 90 (cut). Review total 90.00
-> 优. self_total None (no 總分 row; self sum 84)."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["2020年度項目支出績效自評表", _, _, _, _, _, _, _, _, _],
    ["項目名稱", "2020年省級自然資源衛片執法補助經費支出績效自評表", _, _, _, _, _, _, _, _],
    ["主管部門", "麗江市自然資源和規劃局", _, _, _, "實施單位", "麗江市古城區自然資源局", _, _, _],
    [
        "項目資金 (萬元)",
        _,
        _,
        "年初預算數",
        "全年預算數",
        "全年執行數",
        "分值",
        "執行率",
        "得分",
        _,
    ],
    [_, "年度資金總額", _, 7.29, 7.29, 7.29, 10.0, "100%", 10.0, _],
    [_, "其中:當年財政撥款", _, 7.29, 7.29, 7.29, _, "100%", _, _],
    [_, "上年結轉資金", _, _, _, _, _, _, _, _],
    [_, "其他資金", _, _, _, _, _, _, _, _],
    ["年度 總體 目標", "預期目標", _, _, _, "實際完成情況", _, _, _, _],
    [_, "自然資源衛片執法補助經費", _, _, _, "自然資源衛片執法補助經費", _, _, _, _],
    ["績效指標", _, _, "年度指標值", _, _, "實際完成值", "分值", "得分", "偏差原因分析及改進措施"],
    ["一級 指標", "二級指標", "三級指標", "指標性質", "指標值", "度量單位", _, _, _, _],
    ["產出指標", "數量指標", "衛片執法補助經費", "﹦", 72890, "元", 72890, 10.0, 9.0, _],
    [_, "質量指標", "項目驗收合格率", "﹦", 100, "%", 100, 20, 19, _],
    [_, "時效指標", "項目完成及時率", "﹦", 100, "%", 100, 20.0, 19.0, _],
    ["效益指標", "社會效益指標", "違法行為責停率", "≥", 95, "%", 95, 30.0, 27.0, _],
]
del _
MERGES = [
    "A1:J1",
    "B2:J2",
    "B3:E3",
    "G3:J3",
    "A4:A8",
    "B4:C4",
    "B5:C5",
    "B6:C6",
    "B7:C7",
    "B8:C8",
    "A9:A10",
    "B9:E9",
    "F9:J9",
    "B10:E10",
    "F10:J10",
    "A11:C11",
    "D11:F11",
    "G11:G12",
    "H11:H12",
    "I11:I12",
    "J11:J12",
    "A13:A15",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "2020年省級自然資源衛片執法補助經費支出績效自評表",
    "department": "麗江市自然資源和規劃局",
    "unit": "麗江市古城區自然資源局",
    "year": 2020,
    "budget": {
        "annual": 7.29,
        "executed": 7.29,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 7.29/7.29 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "衛片執法補助經費",
            "target": 72890,
            "nature": "﹦",
            "unit": "元",
            "actual": 72890,
            "weight": 10,
            "self_score": 9,
            "review_score": 10.0,
            "row": 13,
        },  # = 72890 元, actual 72890 -> 10
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "項目驗收合格率",
            "target": 100,
            "nature": "﹦",
            "unit": "%",
            "actual": 100,
            "weight": 20,
            "self_score": 19,
            "review_score": 20.0,
            "row": 14,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "項目完成及時率",
            "target": 100,
            "nature": "﹦",
            "unit": "%",
            "actual": 100,
            "weight": 20,
            "self_score": 19,
            "review_score": 20.0,
            "row": 15,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "違法行為責停率",
            "target": 95,
            "nature": "≥",
            "unit": "%",
            "actual": 95,
            "weight": 30,
            "self_score": 27,
            "review_score": 30.0,
            "row": 16,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": 90.0,  # 10 + 50 + 30
    "grade": "优",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total: with no 总分 row the unit's self total is the sum of its own scores (budget 得分 + indicator 得分; scoring.md, model.ProjectScore.self_total), not None = 10 + 9 + 19 + 19 + 27 = 84 (info total-differs). The traditional-script labels are read (labels are translated to simplified characters before matching; names stay as written); the money unit 萬元 is 万元. Targets compared as the cells hold them (指标值 with 指标性质 and 度量单位, EXPECTED changed from the joined text). Problems point at the header cells H11/I11 (merged over both header rows)."""
EXPECTED["self_total"] = 84.0
EXPECTED["problems"] = [
    "weights-not-100@H11",
    "self-score-differs@I13",
    "self-score-differs@I14",
    "self-score-differs@I15",
    "self-score-differs@I16",
    "total-differs@I11",
]
