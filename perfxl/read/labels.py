"""Label normalisation and the synonym table: the one place that knows how the
form's labels are spelled in real files.

Real forms put stray spaces, line breaks, full-width punctuation and unit
suffixes inside labels; :func:`normalize_label` removes all that so a label
compares equal to its canonical spelling. The table can be extended from the
rules file (``[labels]``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from perfxl.rules.schema import DEFAULT, Rules

# canonical key -> spellings after normalisation (the first is the display name)
SYNONYMS: dict[str, tuple[str, ...]] = {
    # identity
    "项目名称": ("项目名称", "项目名", "项目全称"),
    "主管部门": (
        "主管部门",
        "主管部门及代码",
        "市级主管部门",
        "县级主管部门",
        "省级主管部门",
        "区级主管部门",
        "主管单位",
        "预算部门",
        "主管部门名称",
    ),
    "实施单位": ("实施单位", "项目实施单位", "承担处室", "执行单位", "实施单位名称", "项目单位"),
    # funds block
    "funds": (
        "项目资金",
        "资金情况",
        "项目资金情况",
        "项目资金万元",
        "资金情况万元",
        "预算执行情况",
    ),
    "initial": ("年初预算数", "年初预算", "年初预算金额"),
    "budget": ("全年预算数", "调整后预算数", "调整后预算", "预算数", "全年预算", "全年预算金额"),
    "executed": ("全年执行数", "全年实际值", "预算执行数", "实际执行数", "执行数", "全年执行金额"),
    "fund_weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率", "资金执行率"),
    "fund_score": ("得分",),
    # the budget row's reason (四川: 预算执行率未达到90%的需说明原因)
    "fund_reason": ("原因", "执行偏差原因", "原因说明", "执行率偏低原因"),
    "total": ("年度资金总额", "资金总额", "年度资金合计", "资金合计"),
    "fiscal": ("当年财政拨款", "本年财政拨款", "财政拨款", "财政资金", "财政拨款资金"),
    "carryover": ("上年结转资金", "上年结转", "上年结余", "上年结余资金", "上年结转结余资金"),
    "other": ("其他资金", "单位资金", "财政专户管理资金", "中央补助", "中央补助资金", "自筹资金"),
    # overall goal
    "goal": ("年度总体目标", "总体目标", "年度绩效目标", "项目年度总体目标"),
    "goal_expected": ("预期目标", "年初预期目标", "项目年度目标", "年初设定目标", "年度目标"),
    "goal_actual": (
        "实际完成情况",
        "年度实际完成情况",
        "年度目标完成情况",
        "目标实际完成情况",
        "年度总体目标完成情况综述",
        "总体目标完成情况",
        "年度总体目标完成情况",
    ),
    # indicator header
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": (
        "年度指标值",
        "预期实现值",
        "指标值",
        "年度目标值",
        "预期指标值",
        "目标值",
        "年初目标值",
    ),
    "actual": ("实际完成值", "完成值", "实际值", "全年实际完成值", "实际完成情况值"),
    "weight": ("分值", "权重"),
    "score": ("得分", "自评得分"),
    "reason": (
        "偏差原因分析及改进措施",
        "未完成原因分析",
        "偏差原因",
        "未完成原因及拟采取的改进措施",
        "偏差原因分析",
        "原因分析",
        "未完成原因分析及改进措施",
        "偏差原因分析及改进措施说明",
        "原因",
    ),
    "nature": ("指标性质", "指标方向"),
    "unit": ("度量单位", "计量单位", "单位"),
    # footer
    "sum": ("总分", "合计", "总计"),
    "grade": ("自评等级", "评价结论", "自评结论", "评价等级", "绩效等级"),
    "footer": (
        "存在问题",
        "改进措施",
        "其他需要说明事项",
        "项目负责人",
        "财务负责人",
        "负责人及电话",
        "填报人",
        "联系电话",
        "填表人",
        "填报日期",
        "单位负责人",
        "审核人",
    ),
}

_SUFFIXES = re.compile(r"\((?:A|B|B/A|%|万元|元|C|D)\)$|[:：]$")
_WEIGHT = re.compile(r"[(（\[【]?(\d+(?:\.\d+)?)\s*分[)）\]】]?$")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[(（][一二三四五六七八九十\d]+[)）])"
)


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """Canonical form of a label: NFKC (full-width → half-width), no whitespace,
    no unit/A-B suffixes, no trailing colon."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    prev = None
    while prev != s:
        prev = s
        s = _SUFFIXES.sub("", s)
    return s


def split_weight(label: str) -> tuple[str, float | None]:
    """``产出指标(50分)`` → (``产出指标``, 50.0); other labels unchanged."""
    s = normalize_label(label)
    m = _WEIGHT.search(s)
    if m and m.start() > 0:
        return s[: m.start()], float(m.group(1))
    return s, None


def strip_numbering(label: str) -> str:
    """Drop an outline number in front of a category (``一、产出指标``)."""
    return _NUMBERING.sub("", label)


class LabelTable:
    """Synonyms merged with a rules file's ``[labels]`` additions, for lookups."""

    def __init__(self, rules: Rules = DEFAULT) -> None:
        table: dict[str, set[str]] = {k: set(v) for k, v in SYNONYMS.items()}
        for key, extra in rules.labels.items():
            table.setdefault(key, set()).update(normalize_label(e) for e in extra)
        self._table = table
        self._index: dict[str, set[str]] = {}
        for key, spellings in table.items():
            for s in spellings:
                self._index.setdefault(s, set()).add(key)

    def keys_of(self, text: str) -> set[str]:
        """Canonical keys whose spelling equals the normalised text."""
        return self._index.get(normalize_label(text), set())

    def is_(self, text: str, key: str) -> bool:
        return normalize_label(text) in self._table[key]

    def spellings(self, key: str) -> set[str]:
        return self._table[key]


@lru_cache(maxsize=8)
def label_table(rules: Rules = DEFAULT) -> LabelTable:
    return LabelTable(rules)
