SOURCE = "https://www.scqs.gov.cn/info/13206/211004.htm"
PROVINCE = "四川"
YEAR = 2023
TITLE = "部门预算项目支出绩效自评表(2023年度) 51000021R000000019951-工资性支出 — 青神县发展和改革局"
NOTES = """Government page (青神县, 眉山) with the table rendered one cell per line ('cell |'), so the cell ORDER is
reliable; column positions/colspans are INFERRED on the 11-column Sichuan 2023 layout (spec 'split notation columns'):
预算 header 年初预算|调整后预算数|预算执行数|预算执行率|权重|得分|原因 and indicator header
一级|二级|三级|指标性质|指标值|度量单位|完成值|权重|得分|未完成原因分析. '报表编号:510000_0013zp' sits in the first
row (its real position, top-right in the template, is unknown; put in A1).

The form is PUBLISHED UNFILLED for the indicator part: 完成值, 得分 (indicators) and the budget 得分 are empty, the
评价结论/存在问题/改进措施 cells still hold the template's instructions ('结合自评情况,…(200字以内)'), and the
年度目标完成情况 cell holds the instruction '对照年度目标,说明相关任务目标的完成情况(100字以内)'.
'合计 | 100' -> 100 placed in the 权重 column (sum of weights 10+60+30), 得分 empty.

What it exercises:
- Sichuan labels: '部门预算项目支出绩效自评表(2023年度)' (year inside title), '预算执行情况(10分)', '年度预算数(万元)',
  '总额' (instead of 年度资金总额), '调整后预算数' (= 全年预算数), '预算执行数', '权重' (= 分值), '实施单位 (盖章)',
  '绩效指标(90分)', '合计' (instead of 总分), footer '项目负责人:'/'财务负责人:'.
- project name with the 22-char project code prefix '51000021R000000019951-'.
- budget change 238.93 -> 251.89 (budget-changed info), '100.00%' / '0.00%' text, '/' placeholders in 权重/得分 of
  source rows, source rows 财政专户管理资金 / 单位资金 with zeros.
- split notation: 指标性质 '=' | 指标值 100 | 度量单位 '%'.
- missing actuals and missing self scores everywhere (missing-actual errors, missing-self-score warning).
Scoring: budget 251.89/251.89 -> 10.00 (self empty). Indicators have no 完成值 -> review 0 each (spec: no readable
actual scores 0). Review total 10.00 -> 差. self_total None (得分 of 合计 empty)."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["报表编号:510000_0013zp", _, _, _, _, _, _, _, _, _, _],
    ["部门预算项目支出绩效自评表(2023年度)", _, _, _, _, _, _, _, _, _, _],
    ["项目名称", "51000021R000000019951-工资性支出", _, _, _, _, _, _, _, _, _],
    [
        "主管部门",
        "青神县发展和改革局本级",
        _,
        _,
        _,
        "实施单位 (盖章)",
        _,
        "青神县发展和改革局",
        _,
        _,
        _,
    ],
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
    [
        _,
        _,
        "严格执行相关政策,保障工资及时、足额发放或社保及时、足额缴纳,预算编制科学合理,减少结余资金。",
        _,
        _,
        _,
        "对照年度目标,说明相关任务目标的完成情况(100字以内)",
        _,
        _,
        _,
        _,
    ],
    [_, "2.项目实施内容及过程概述", _, _, _, _, _, _, _, _, _],
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
        238.93,
        251.89,
        251.89,
        "100.00%",
        10,
        _,
        "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);2.年中发生预算调整的(追加或调减),应单独说明理由;3.其他资金包括:社会投入资金、银行贷款.",
        _,
        _,
    ],
    [_, "其中:财政资金", 238.93, 251.89, 251.89, "100.00%", "/", "/", _, _, _],
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
    [_, "产出指标", "数量指标", "发放(缴纳)覆盖率", "=", 100, "%", _, 60, _, _],
    [_, "效益指标", "社会效益指标", "足额保障率(参保率)", "=", 100, "%", _, 30, _, _],
    ["合计", _, _, _, _, _, _, _, 100, _, _],
    [
        "评价结论",
        "结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)",
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
    ["存在问题", "结合自评情况,分析存在的问题及原因。(200字以内)", _, _, _, _, _, _, _, _, _],
    [
        "改进措施",
        "针对项目自评中发现的问题,提出下一步改进完善的意见及有关政策性建议。(200字以内)",
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
    ["项目负责人:", _, _, _, _, "财务负责人:", _, _, _, _, _],
]
del _
MERGES = [
    "A1:K1",
    "A2:K2",
    "B3:K3",
    "B4:E4",
    "F4:G4",
    "H4:K4",
    "A5:A7",
    "B5:B6",
    "C5:F5",
    "G5:K5",
    "C6:F6",
    "G6:K6",
    "C7:K7",
    "A8:A13",
    "I8:K8",
    "I9:K13",
    "A14:A16",
    "A17:H17",
    "B18:K18",
    "B19:K19",
    "B20:K20",
    "A21:E21",
    "F21:K21",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "工资性支出",
    "department": "青神县发展和改革局本级",
    "unit": "青神县发展和改革局",
    "year": 2023,
    "budget": {
        "annual": 251.89,
        "executed": 251.89,
        "rate": 1.0,
        "weight": 10,
        "self_score": None,
        "review_score": 10.0,
    },  # 251.89/251.89 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "发放(缴纳)覆盖率",
            "target": 100,
            "nature": "=",
            "unit": "%",
            "actual": None,
            "weight": 60,
            "self_score": None,
            "review_score": 0.0,
            "row": 15,
        },  # no 完成值 -> 0
        {
            "level1": "效益指标",
            "level2": "社会效益指标",
            "name": "足额保障率(参保率)",
            "target": 100,
            "nature": "=",
            "unit": "%",
            "actual": None,
            "weight": 30,
            "self_score": None,
            "review_score": 0.0,
            "row": 16,
        },  # no 完成值 -> 0
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": 10.0,  # 10 + 0 + 0
    "grade": "差",
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: self_total stays None (合计 得分 empty and no self score anywhere). The project code 51000021R000000019951 is kept apart from the name (ProjectForm.project_code). Targets are compared as the cells hold them: 指标值 100 with 指标性质 '=' and 度量单位 '%' (EXPECTED target changed from the joined text '= 100 %'). Every indicator below full score with an empty reason gets missing-deviation-reason (checks.md); the unit left every 得分 (budget H9, indicators J15/J16, 合计 J17) empty: missing-self-score, as the transcriber expected."""
EXPECTED["problems"] = [
    "missing-actual@H15",
    "missing-actual@H16",
    "missing-deviation-reason@K15",
    "missing-deviation-reason@K16",
    "budget-changed@D9",
    "missing-self-score@H9",
]
