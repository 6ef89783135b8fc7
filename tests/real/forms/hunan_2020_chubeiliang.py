SOURCE = "https://taowenge.com/p-72820237.html"
PROVINCE = "湖南"
YEAR = 2020
TITLE = "2020年度县级专项资金绩效目标自评表.docx — 县级储备粮（衡山县商务和粮食局）"
NOTES = """Document-sharing site (淘文阁) preview of a .docx uploaded by a user: the 衡山县 (衡阳, Hunan) 2020 county special-fund
self-evaluation for 县级储备粮. It is a real filled form but re-hosted, not on a .gov.cn site. Text is a Word
extraction: cells run together, words broken by in-cell line wraps appear with a space ('5000吨稻谷、500吨成 品粮储备到位率',
'产 出 指 标', '年度指标 值'); I kept those spaces exactly as the page shows them (they stand for visual wraps).
The preview is split into chunks marked '1、', '2、', '3、' (site artefacts, removed). Layout rebuilt on 7 columns
(A..G), merges INFERRED. The final '注:1、其他资金包括…' note is cut mid-sentence -> dropped.

What it exercises:
- NO 分值 and NO 得分 columns anywhere: indicator table is 一级|二级|三级|年度指标值|全年完成值|未完成原因和改进措施,
  funds block is 全年预算数(A)|全年执行数(B)|执行率(B/A) with no 分值/得分 -> no-weights error, nothing to score.
- labels: '专项资金名称' (= 项目名称), '县级主管部门', '负责人及电话', '年度 总体 目标', '年初设定目标'/'全年实际完成情况',
  '全年 完成值' (= 实际完成值), '未完成原因和 改进措施', source row '其中:中央、省、市补助县级资金', '说明' footer.
- the Word table breaks across pages: on page 2 the left label '绩效 指标' and the 一级 '效 益 指 标' are written AGAIN
  (same 一级 twice, unmerged) — the first 效益 block is labelled '效益 指标', the second '效 益 指 标'.
- a garbled operator: '市民满意度调查 290% / 100%' — the page shows '290%' where the original was almost certainly
  '≥90%' (the '≥' glyph extracted as '2'; the same artefact appears on other re-hosted forms). Kept as shown; a
  reader should flag 290% as implausible (target > 100% for a satisfaction rate).
- actual '无' with reason '没有轮换、动用库存' (not applicable, not zero); zero targets '0' / '0起'; qualitative '高'/'高'.
Scoring choice: budget weight not written -> default 10 -> 194.9/194.9 -> 10.00 (self None). Indicators listed
but not scored (weight None, review None). review_total None, grade None, self_total None."""
SHEET = "Sheet1"
_ = None
ROWS = [
    ["2020年度县级专项资金绩效目标自评表", _, _, _, _, _, _],
    ["专项资金名称", "县级储备粮", _, "负责人及电话", "旷建成、向建军", _, _],
    ["县级主管部门", "衡山县商务和粮食局", _, "实施单位", "粮食调控储备与产业发展股", _, _],
    ["项目资金(万元)", _, _, "全年预算数(A)", "全年执行数(B)", "执行率(B/A)", _],
    ["年度资金总额", _, _, 194.9, 194.9, "100%", _],
    ["其中:中央、省、市补助县级资金", _, _, 194.9, 194.9, "100%", _],
    ["其他资金", _, _, _, _, _, _],
    ["年度 总体 目标", "年初设定目标", _, _, "全年实际完成情况", _, _],
    [_, "保持和稳定地方粮食储备机制", _, _, "地方储备粮食规模达标", _, _],
    [
        "绩 效 指 标",
        "一级 指标",
        "二级 指标",
        "三级指标",
        "年度指标 值",
        "全年 完成值",
        "未完成原因和 改进措施",
    ],
    [_, "产 出 指 标", "数量 指标", "5000吨稻谷、500吨成 品粮储备到位率", "100%", "100%", _],
    [_, _, _, "库存数量真实率", "100%", "100%", _],
    [_, _, "质量 指标", "县级储备粮管理制 度严格执行率", "100%", "100%", _],
    [_, _, _, "储备粮管理专户管 理率", "100%", "100%", _],
    [_, _, _, "县级储备粮库存粮 食明显变质比例", 0, 0, _],
    [_, _, "时效 指标", "县级储备粮贷款付 息及时率", "100%", "100%", _],
    [_, _, _, "县级储备粮应急保 障率", "100%", "100%", _],
    [_, _, "成本 指标", "国家政策性粮收购 价格执行率", "100%", "100%", _],
    [_, _, _, "县级储备粮库存成 本核算率", "100%", "100%", _],
    [_, "效益 指标", "经济 效益 指标", "利息费用保障率", "100%", "100%", _],
    [_, _, _, "政策性挂账利息补 贴保障率", "100%", "无", "没有轮换、动用库存"],
    [
        "绩效 指标",
        "效 益 指 标",
        "生态 效益 指标",
        "低温、低氧、低剂量 科学保粮率",
        "100%",
        "100%",
        _,
    ],
    [_, _, _, "食品安全指标达标 率", "100%", "100%", _],
    [_, _, "可持 续影 响指标", "粮食储备设备维 护及安全性", "高", "高", _],
    [
        _,
        "满意 度指 标",
        "服务 对象 满意 度指 标",
        "因粮食市场波动引 起的粮食安全事件 发生数",
        "0起",
        "0起",
        _,
    ],
    [_, _, _, "市民满意度调查", "290%", "100%", _],
    ["说明", "无", _, _, _, _, _],
]
del _
MERGES = [
    "A1:G1",
    "B2:C2",
    "E2:G2",
    "B3:C3",
    "E3:G3",
    "A4:C4",
    "F4:G4",
    "A5:C5",
    "F5:G5",
    "A6:C6",
    "F6:G6",
    "A7:C7",
    "A8:A9",
    "B8:D8",
    "E8:G8",
    "B9:D9",
    "E9:G9",
    "A10:A21",
    "B11:B19",
    "C11:C12",
    "C13:C15",
    "C16:C17",
    "C18:C19",
    "B20:B21",
    "C20:C21",
    "A22:A26",
    "B22:B24",
    "C22:C23",
    "B25:B26",
    "C25:C26",
    "B27:G27",
]
PERCENT_CELLS = []
EXPECTED = {
    "project": "县级储备粮",
    "department": "衡山县商务和粮食局",
    "unit": "粮食调控储备与产业发展股",
    "year": 2020,
    "budget": {
        "annual": 194.9,
        "executed": 194.9,
        "rate": 1.0,
        "weight": None,
        "self_score": None,
        "review_score": 10.0,
    },  # no 分值 on the form -> default 10; 194.9/194.9 -> 10.00
    "indicators": [
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "5000吨稻谷、500吨成品粮储备到位率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 11,
        },
        {
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "库存数量真实率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 12,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "县级储备粮管理制度严格执行率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 13,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "储备粮管理专户管理率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 14,
        },
        {
            "level1": "产出指标",
            "level2": "质量指标",
            "name": "县级储备粮库存粮食明显变质比例",
            "target": 0,
            "actual": 0,
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 15,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "县级储备粮贷款付息及时率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 16,
        },
        {
            "level1": "产出指标",
            "level2": "时效指标",
            "name": "县级储备粮应急保障率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 17,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "国家政策性粮收购价格执行率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 18,
        },
        {
            "level1": "产出指标",
            "level2": "成本指标",
            "name": "县级储备粮库存成本核算率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 19,
        },
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "利息费用保障率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 20,
        },
        {
            "level1": "效益指标",
            "level2": "经济效益指标",
            "name": "政策性挂账利息补贴保障率",
            "target": "100%",
            "actual": "无",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 21,
        },
        {
            "level1": "效益指标",
            "level2": "生态效益指标",
            "name": "低温、低氧、低剂量科学保粮率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 22,
        },
        {
            "level1": "效益指标",
            "level2": "生态效益指标",
            "name": "食品安全指标达标率",
            "target": "100%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 23,
        },
        {
            "level1": "效益指标",
            "level2": "可持续影响指标",
            "name": "粮食储备设备维护及安全性",
            "target": "高",
            "actual": "高",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 24,
        },
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "因粮食市场波动引起的粮食安全事件发生数",
            "target": "0起",
            "actual": "0起",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 25,
        },
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "市民满意度调查",
            "target": "290%",
            "actual": "100%",
            "weight": None,
            "self_score": None,
            "review_score": None,
            "row": 26,
        },
    ],
    "not_indicators": [],
    "self_total": None,
    "review_total": None,  # no-weights
    "grade": None,
}

# -- verified against the spec by the reader's engineer (see the note) --
NOTES += """

Reader check: No-weights form: scoring.md says a form with error-level problems is still scored where it can be, so the indicators get review 0.00 (listed with target and actual, weight None), the total is the budget score alone and the grade follows from it; the no-weights error is what tells the reviewer the total is not final (review_score/review_total/grade changed from None). Here: budget 194.9/194.9 with the default weight 10 (the form writes none; budget weight changed from None to 10, scoring.md '10 when it is empty') -> total 10.00 -> 差. Indicator names are read as one line: whitespace between two CJK characters is a wrap inside the cell ('成 品粮' -> '成品粮'). The '290%' target is read as written (no plausibility check exists)."""
EXPECTED["self_total"] = None
EXPECTED["problems"] = [
    "no-weights@D10",
]
EXPECTED["review_total"] = 10.0
EXPECTED["grade"] = "差"
for _i in EXPECTED["indicators"]:
    _i["review_score"] = 0.0
EXPECTED["budget"]["weight"] = 10
