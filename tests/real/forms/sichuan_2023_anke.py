SOURCE = "https://dyxrmt.cn/article-157795-21.html"
PROVINCE = "四川"
YEAR = 2023
TITLE = "部门预算项目支出绩效自评表(2023年度) 2023年全县安可替代补助资金项目 — 大英县司法局（大英县融媒体转载，分页第 21 页）"
NOTES = """County media site (大英县融媒体, 遂宁) republishing a department's 决算 with many Sichuan 2023 自评表 in a row; this is
page 21 of the article. Table cells are '|'-separated with row padding (11 columns), so cell order is reliable;
layout = Sichuan 2023 11-column grid (as sichuan_2023_gongzi), merges INFERRED.
The page starts in the MIDDLE of the previous form (its title, project and budget are on page 20): rows 1-7 are
that form's last indicator, 合计, 评价结论/存在问题/改进措施 and the signature row. Then the 安可替代 form starts at
row 8 and is cut right after its indicator header (the first indicator row '产出指标 | 质量指标 |
完成安可产品购买并按要求支付资金 | = | 100 |' is partial -> dropped). Names in the signature row are kept as published.

What it exercises:
- two forms STACKED on one sheet, the first one headless (no title/项目名称/budget) -> the reader must not attach
  row 2 to the 安可替代 form, and should report the fragment (no-form / level or identity missing), not crash.
- the fragment's only indicator: '产出指标 | 经济成本指标 | 成本控制数 | ≤ | 30 | 万元 | 完成 | 90 | 90' — 二级
  经济成本指标 under 一级 产出指标 (2021+ 成本 categories mixed into the old layout), numeric target with a WORD
  actual '完成', and a single indicator weighted 90 ('合计 | 100').
- budget: 年初预算 0.00, 调整后预算数 3.36, 预算执行数 3.36, 100.00%, 权重 10, 得分 10 -> budget-changed (年初 0).
- project name with code prefix '51092324T000010263357-'; '大英县司法局部门' as 主管部门.
- a form with ZERO readable indicators (cut) -> the reader should say so (no indicators / missing-field), and
  weights-not-100 (only the budget's 10).
EXPECTED describes the 安可替代 form (rows 8-20). Scoring: budget 3.36/3.36 -> 10; no indicators; review total
10.00 -> 差 (incomplete). self_total None."""
SHEET = "Sheet1"
_ = None
ROWS = [
    [
        "绩效指标(90分)",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ],
    [_, "产出指标", "经济成本指标", "成本控制数", "≤", 30, "万元", "完成", 90, 90, _],
    ["合计", _, _, _, _, _, _, _, 100, _, _],
    [
        "评价结论",
        "根据财政局资金下达的管理办法,将资金支付给项目施工方。",
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
    ],
    ["存在问题", "无", _, _, _, _, _, _, _, _, _],
    ["改进措施", "无", _, _, _, _, _, _, _, _, _],
    ["项目负责人:查小兵", _, _, _, _, "财务负责人:唐勇", _, _, _, _, _],
    ["部门预算项目支出绩效自评表(2023年度)", _, _, _, _, _, _, _, _, _, _],
    ["项目名称", "51092324T000010263357-2023年全县安可替代补助资金项目", _, _, _, _, _, _, _, _, _],
    ["主管部门", "大英县司法局部门", _, _, _, "实施单位", _, "大英县司法局", _, _, _],
    [
        "项目基本情况",
        "1.项目年度目标完成情况",
        "项目年度目标",
        _,
        _,
        _,
        "年度目标完成情况",
        _,
        _,
        _,
        _,
    ],
    [_, _, "根据要求购买安可设备,并完成项目资金支付。", _, _, _, "完成", _, _, _, _],
    [
        _,
        "2.项目实施内容及过程概述",
        "2023年购买13台安可电脑,并于12月前完成资金支付。",
        _,
        _,
        _,
        _,
        _,
        _,
        _,
        _,
    ],
    [
        "预算执行情况(10分)",
        "年度预算数(万元)",
        "年初预算",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
        "原因",
        _,
        _,
    ],
    [
        _,
        "总额",
        0.0,
        3.36,
        3.36,
        "100.00%",
        10,
        10,
        "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.",
        _,
        _,
    ],
    [_, "其中:财政资金", 0.0, 3.36, 3.36, "100.00%", "/", "/", _, _, _],
    [_, "财政专户管理资金", 0.0, 0.0, 0.0, "0.00%", "/", "/", _, _, _],
    [_, "单位资金", 0.0, 0.0, 0.0, "0.00%", "/", "/", _, _, _],
    [_, "其他资金", _, _, _, _, "/", "/", _, _, _],
    [
        "绩效指标(90分)",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "指标值",
        "度量单位",
        "完成值",
        "权重",
        "得分",
        "未完成原因分析",
    ],
]
del _
MERGES = [
    "A3:H3",
    "B4:K4",
    "B5:K5",
    "B6:K6",
    "A7:E7",
    "F7:K7",
    "A8:K8",
    "B9:K9",
    "B10:E10",
    "F10:G10",
    "H10:K10",
    "A11:A13",
    "B11:B12",
    "C11:F11",
    "G11:K11",
    "C12:F12",
    "G12:K12",
    "C13:K13",
    "A14:A19",
    "I14:K14",
    "I15:K19",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "2023年全县安可替代补助资金项目",
    "department": "大英县司法局部门",
    "unit": "大英县司法局",
    "year": 2023,
    "budget": {
        "annual": 3.36,
        "executed": 3.36,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 3.36/3.36 -> 10.00 (年初 0.00 -> budget-changed)
    "indicators": [],
    "not_indicators": [2],  # belongs to the previous, headless form on the same sheet
    "self_total": None,
    "review_total": 10.0,
    "grade": "差",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: The indicator header of the fragment above 项目名称 (row 1) is left out and listed as skipped (perfxl inspect); the form's own header is row 20. With no indicator row, the reader reports missing-field at the header D20 (no indicators read); weights-not-100 is not computed on a form with no indicators (checks count only forms with 三级 rows), the missing-field error says it instead. 年初 0.00 vs 调整后 3.36 gives budget-changed."""
EXPECTED["problems"] = [
    "missing-field@D20",
    "budget-changed@D15",
]
