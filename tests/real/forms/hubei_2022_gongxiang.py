SOURCE = "https://www.hsslib.org.cn/info/72903.jspx"
PROVINCE = "湖北"
YEAR = 2022
TITLE = "附表2 2022年度共享工程项目自评表 — 黄石市图书馆（填报日期 2023.6.28）"
NOTES = """Library website (黄石市图书馆) publishing the Hubei municipal 项目自评表 (市直 template, 预算执行 20 分 + 年度绩效目标
80 分). Table rendered with '|' separators and rows padded to 10 cells -> cell order reliable, colspans/rowspans
INFERRED; 7 used columns (A..G) + padding. The pre-table lines (附表2, title, 项目单位(盖章)…, 填报日期) are kept as rows.
Cut: the page ends inside '满意度指标(10分) | 读者 | 在网络上设置读者满意度调查…' -> dropped; no 总分 row.

This template has NO 分值/权重 column at all: the only score column is '得分', filled once per 二级 group and
merged down over the group's rows (数量指标 10 over 2 rows, 时效指标 10 over 2 rows, 经济效益 10 apparently over
经济+社会 rows, 环境效益 10 over 2 rows). Group weights exist only as text in the 一级 labels ('产出指标(40分)',
'效益指标(30分)', '满意度指标(10分)') and in '年度绩效目标1 (80分)'. Budget weight only in the label
'预算执行情况(万元) (20分)' and '得分 (20分*执行率)'. Row 21 '促进黄石文化经济发展,丰富市民文化活动' has a 三级 text but no
target/actual on the page (probably a second 社会效益 item sharing merged cells); kept as shown.

What it exercises: no-weights (error) with self scores per 二级 group on merged cells; 20-point budget written in a
label; '年度财政资金总额' (total-row label variant); A/B headers '预算数(A)', '执行数(B)', '年初目标值(A)',
'实际完成值(B)'; '项目实施单位'; checkbox rows (项目类别/项目属性/项目类型 with ☑ □); qualitative targets
('资源采购期以当年为主', '全天候可用' vs '全天候', '良好', '公益性事业'); '5万' without 元; '25TB'; '100%覆盖'.
Scoring choice: budget weight 20 read from the label -> 5/5 -> 20.00. Indicators: weight None, review None
(no-weights: listed, not scored); self scores attached to the first row of each merged group, None for the others.
review_total None, grade None; self_total None (总分 cut)."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["附表2", _, _, _, _, _, _, _, _, _],
    ["2022年度共享工程项目自评表", _, _, _, _, _, _, _, _, _],
    ["项目单位(盖章):黄石市图书馆 主要领导签字:", _, _, _, _, _, _, _, _, _],
    ["填报日期:2023.6.28", _, _, _, _, _, _, _, _, _],
    ["项目名称", "共享工程", _, _, _, _, _, _, _, _],
    ["主管部门", "黄石市文化和旅游局", _, "项目实施单位", "黄石市图书馆", _, _, _, _, _],
    ["项目类别", "1、部门预算项目 ☑ 2、市直专项", _, _, _, _, _, _, _, _],
    ["项目属性", "1、持续性项目 ☑ 2、新增性项目 □", _, _, _, _, _, _, _, _],
    ["项目类型", "1、常年性项目 ☑ 2、延续性项目 □ 3、一次性项目 □", _, _, _, _, _, _, _, _],
    [
        "预算执行情况(万元) (20分)",
        "预算数(A)",
        _,
        "执行数(B)",
        "执行率(B/A)",
        "得分 (20分*执行率)",
        _,
        _,
        _,
        _,
    ],
    ["年度财政资金总额", 5, _, 5, "100%", 20, _, _, _, _],
    [
        "年度绩效目标1 (80分)",
        "一级指标",
        "二级指标",
        "三级指标",
        "年初目标值(A)",
        "实际完成值(B)",
        "得分",
        _,
        _,
        _,
    ],
    [_, "产出指标(40分)", "数量指标", "一个存储备份器", "25TB", "25TB", 10, _, _, _],
    [_, _, _, "WIFI布点全覆盖", "100%覆盖", "100%覆盖", _, _, _, _],
    [
        _,
        _,
        "质量指标",
        "以最新资源面市",
        "资源采购期以当年为主",
        "资源采购期以当年为主",
        10,
        _,
        _,
        _,
    ],
    [_, _, "时效指标", "可保证读者使用时长", "全天候可用", "全天候", 10, _, _, _],
    [_, _, _, "2022年全年", "≥360天", "≥360天", _, _, _, _],
    [_, _, "成本指标", "以低价位高质量为采购原则", "5万", "5万", 10, _, _, _],
    [
        _,
        "效益指标(30分)",
        "经济效益",
        "社会公益服务无经济效益",
        "公益性事业",
        "公益性事业",
        10,
        _,
        _,
        _,
    ],
    [
        _,
        _,
        "社会效益",
        "使读者更方便快捷查找检阅",
        "独有数据资源查询,查询范围可扩展到省图",
        "独有数据资源查询,查询范围可扩展到省图",
        _,
        _,
        _,
        _,
    ],
    [_, _, _, "促进黄石文化经济发展,丰富市民文化活动", _, _, _, _, _, _],
    [_, _, "环境效益", "数字图书馆环境优良无污染", "良好", "良好", 10, _, _, _],
    [_, _, _, "WIFI全覆盖,绿色环保", "良好", "良好", _, _, _, _],
    [_, _, "可持续影响指标", "≥360天服务读者", "≥360天", "≥360天", 10, _, _, _],
]
del _
MERGES = [
    "A1:G1",
    "A2:G2",
    "A3:G3",
    "A4:G4",
    "B5:G5",
    "B6:C6",
    "E6:G6",
    "B7:G7",
    "B8:G8",
    "B9:G9",
    "B10:C10",
    "F10:G10",
    "B11:C11",
    "F11:G11",
    "A12:A24",
    "B13:B18",
    "C13:C14",
    "G13:G14",
    "C16:C17",
    "G16:G17",
    "B19:B24",
    "G19:G21",
    "C20:C21",
    "C22:C23",
    "G22:G23",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "共享工程",
    "department": "黄石市文化和旅游局",
    "unit": "黄石市图书馆",
    "year": 2022,
    "budget": {
        "annual": 5,
        "executed": 5,
        "rate": 1.0,
        "weight": 20,
        "self_score": 20,
        "review_score": 20.0,
    },  # weight 20 from the label; 5/5 -> 20.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "一个存储备份器",
            "target": "25TB",
            "actual": "25TB",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 13,
        },
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "WIFI布点全覆盖",
            "target": "100%覆盖",
            "actual": "100%覆盖",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 14,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "以最新资源面市",
            "target": "资源采购期以当年为主",
            "actual": "资源采购期以当年为主",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 15,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "可保证读者使用时长",
            "target": "全天候可用",
            "actual": "全天候",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 16,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "2022年全年",
            "target": "≥360天",
            "actual": "≥360天",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "以低价位高质量为采购原则",
            "target": "5万",
            "actual": "5万",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 18,
        },
        {
            "level1": "效益指标",
            "level2": "经济效益",
            "name": "社会公益服务无经济效益",
            "target": "公益性事业",
            "actual": "公益性事业",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 19,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益",
            "name": "使读者更方便快捷查找检阅",
            "target": "独有数据资源查询,查询范围可扩展到省图",
            "actual": "独有数据资源查询,查询范围可扩展到省图",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 20,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益",
            "name": "促进黄石文化经济发展,丰富市民文化活动",
            "target": None,
            "actual": None,
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 21,
        },
        {
            "level1": "效益指标",
            "level2": "环境效益",
            "name": "数字图书馆环境优良无污染",
            "target": "良好",
            "actual": "良好",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 22,
        },
        {
            "level1": "效益指标",
            "level2": "环境效益",
            "name": "WIFI全覆盖,绿色环保",
            "target": "良好",
            "actual": "良好",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 23,
        },
        {
            "level1": "效益指标",
            "level2": "可持续影响指标",
            "name": "≥360天服务读者",
            "target": "≥360天",
            "actual": "≥360天",
            "weight": None,
            "self_score": 10,
            "review_score": None,
            "row": 24,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": None,  # no-weights: not scored
    "grade": None,
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: No-weights form: scoring.md says a form with error-level problems is still scored where it can be, so the indicators get review 0.00 (listed with target and actual, weight None), the total is the budget score alone and the grade follows from it; the no-weights error is what tells the reviewer the total is not final (review_score/review_total/grade changed from None). Here: 20.00 (budget 5/5 with the weight 20 read from the label 预算执行情况(万元) (20分)) -> 差. The 得分 cells merged down over a 二级 group count once, on the group's first row (self_score None on the others), so no self total can be formed (None). Row 21 has a name but no target/actual: missing-field + missing-actual; '全天候' vs '全天候可用' is not in the grade table: qualitative-unknown."""
EXPECTED["self_total"] = None
EXPECTED["problems"] = [
    "no-weights@D12",
    "missing-field@E21",
    "missing-actual@F21",
    "qualitative-unknown@F16",
]
EXPECTED["review_total"] = 20.0
EXPECTED["grade"] = "差"
for _i in EXPECTED["indicators"]:
    _i["review_score"] = 0.0
