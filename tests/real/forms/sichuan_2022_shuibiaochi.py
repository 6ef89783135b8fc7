SOURCE = "https://chacewang.com/newsdetail/news242266.html"
PROVINCE = "四川"
YEAR = 2022
TITLE = "中江县2022年衔接资金实施项目绩效目标自评（附件：2022年财政衔接资金实施项目绩效自评表，中江县水利局）"
NOTES = """Re-post (chacewang.com) of 中江县水利局's public notice of 2022-12-30 with the 衔接资金 self-evaluation form.
The page text is fully CONCATENATED (no separators at all: '年度资金总额:202010100.00%10'), so cell boundaries were
recovered from the known 衔接 template (分值 before 年度指标值) and the numbers' formats; layout/merges INFERRED on
9 columns. '绩效目标自评表(2022年度)' is kept as one cell (it may have been two rows). The goals text splits
ambiguously; I split it at the repeated clause: 年初设定目标 = '对农村地区供水计量设施设备进行改进,对项目区农业用水计量,
为项目区农业生产夯实基础,' and 完成情况综述 = '对项目区农业用水计量,为项目区农业生产夯实基础,'.
The footnote '注:1.一级指标分值统一设置为:…' after 总分 is cut mid-text and dropped.

What it exercises:
- THE 110-POINT FORM: 一级 labels say 产出指标(70分) + 效益指标(20分) + 满意度指标(10分) = 100 and the budget row adds
  分值 10 -> weights sum 110 -> weights-not-100 error; review total is the plain sum 110.00 (not rescaled).
  The unit wrote 总分 100 / 100 (self total 100 vs sum of its own scores 110 -> total-differs).
- actuals that repeat the operator: '≥266米' vs '≥266米', '≥90%' vs '≥90%', '≥1000人' vs '≥1000人' (operator in an
  actual carries no meaning).
- unit 厘米; cost target '20万元' (bare, under 成本指标 -> at most) with actual '20万元'.
- qualitative equal texts '显著提升' / '显著提升' (actual equal to target text -> 达成).
- empty 二级 row 经济效益指标; '……' placeholder; project leader name+phone cell.
- 产出 block = 70, not 50 -> level1-weights warning does NOT apply literally (budget 10 but split 70/20/10); a
  reviewer would still want it flagged.
Scoring: budget 20/20 -> 10.00; every indicator full. Review total 110.00 -> 优 (error-level weights-not-100)."""
SHEET = "Sheet1"
ROWS = [
    ["绩效目标自评表(2022年度)", None, None, None, None, None, None, None, None],
    [
        "项目名称",
        "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装",
        None,
        None,
        "项目负责人及电话",
        None,
        "谢凯13990260322(办公)",
        None,
        None,
    ],
    ["主管部门", "中江县水利局", None, None, "实施单位", None, "中江县水利局", None, None],
    [
        "资金情况(万元)",
        None,
        "全年预算数(A)",
        "全年执行数(B)",
        "分值",
        "执行率(B/A)",
        "得分",
        None,
        None,
    ],
    [None, "年度资金总额:", 20, 20, 10, "100.00%", 10, None, None],
    [None, "其中:本年财政拨款", 20, 20, None, None, None, None, None],
    [None, "其他资金", None, None, None, None, None, None, None],
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
        "对农村地区供水计量设施设备进行改进,对项目区农业用水计量,为项目区农业生产夯实基础,",
        None,
        None,
        None,
        "对项目区农业用水计量,为项目区农业生产夯实基础,",
        None,
        None,
        None,
    ],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "年度指标值",
        "全年实际值",
        "得分",
        "未完成原因及拟采取的改进措施",
    ],
    [None, "产出指标(70分)", "数量指标", "安装坡面水标尺", 10, "≥266米", "≥266米", 10, None],
    [None, None, None, "水标尺宽度", 10, "≥50厘米", "≥50厘米", 10, None],
    [None, None, "质量指标", "项目(工程)验收合格率", 20, "100%", "100%", 20, None],
    [None, None, "时效指标", "及时(按期)开工率", 10, "≥90%", "≥90%", 10, None],
    [None, None, None, "及时(按期)完工率", 10, "≥90%", "≥90%", 10, None],
    [None, None, "成本指标", "项目计划总投资", 10, "20万元", "20万元", 10, None],
    [None, "效益指标(20分)", "经济效益指标", None, None, None, None, None, None],
    [
        None,
        None,
        "社会效益指标",
        "受益脱贫(含监测对象)户人口数",
        10,
        "≥1000人",
        "≥1000人",
        10,
        None,
    ],
    [None, None, None, "群众生产生活条件改善状况", 10, "显著提升", "显著提升", 10, None],
    [
        None,
        "满意度指标(10分)",
        "服务对象满意度指标",
        "受益脱贫(含监测对象)户满意度",
        10,
        "≥95%",
        "≥95%",
        10,
        None,
    ],
    [None, None, None, "……", None, None, None, None, None],
    ["总分", None, None, None, 100, None, None, 100, None],
]
MERGES = [
    "A1:I1",
    "B2:D2",
    "E2:F2",
    "G2:I2",
    "B3:D3",
    "E3:F3",
    "G3:I3",
    "A4:A7",
    "A8:A9",
    "B8:E8",
    "F8:I8",
    "B9:E9",
    "F9:I9",
    "A10:A21",
    "B11:B16",
    "C11:C12",
    "C14:C15",
    "B17:B19",
    "C18:C19",
    "B20:B21",
    "C20:C21",
    "A22:D22",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装",
    "department": "中江县水利局",
    "unit": "中江县水利局",
    "year": 2022,
    "budget": {
        "annual": 20,
        "executed": 20,
        "rate": 1.0,
        "weight": 10,
        "self_score": 10,
        "review_score": 10.0,
    },  # 20/20 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "安装坡面水标尺",
            "target": "≥266米",
            "actual": "≥266米",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 11,
        },  # 266 >= 266 -> 10
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "水标尺宽度",
            "target": "≥50厘米",
            "actual": "≥50厘米",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 12,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "项目(工程)验收合格率",
            "target": "100%",
            "actual": "100%",
            "weight": 20,
            "self_score": 20,
            "review_score": 20.0,
            "row": 13,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "及时(按期)开工率",
            "target": "≥90%",
            "actual": "≥90%",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 14,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "及时(按期)完工率",
            "target": "≥90%",
            "actual": "≥90%",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 15,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "项目计划总投资",
            "target": "20万元",
            "actual": "20万元",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 16,
        },  # at most 20, actual 20 -> 10
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "受益脱贫(含监测对象)户人口数",
            "target": "≥1000人",
            "actual": "≥1000人",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 18,
        },
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "群众生产生活条件改善状况",
            "target": "显著提升",
            "actual": "显著提升",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 19,
        },  # equal text -> 达成
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "受益脱贫(含监测对象)户满意度",
            "target": "≥95%",
            "actual": "≥95%",
            "weight": 10,
            "self_score": 10,
            "review_score": 10.0,
            "row": 20,
        },
    ],
    "not_indicators": [17, 21],
    "self_total": 100,
    "review_total": 110.0,  # 10 + 70 + 20 + 10 = 110 (weights-not-100 error; not rescaled)
    "grade": "优",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: Agreed. level1-weights applies as written in checks.md (three 一级, 10-point budget, 70/20/10 != 50/30/10)."""
EXPECTED["problems"] = [
    "weights-not-100@E22",
    "level1-weights@E22",
    "total-differs@H22",
    "total-differs@H22",
    "empty-category@C17",
]
