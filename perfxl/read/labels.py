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
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rules loader checks [labels] keys against SYNONYMS: no import cycle
    from perfxl.rules.schema import Rules

# canonical key -> spellings after normalisation (the first is the display name)
SYNONYMS: dict[str, tuple[str, ...]] = {
    # identity
    "项目名称": ("项目名称", "项目名", "项目全称", "专项名称", "专项资金名称", "资金名称"),
    "主管部门": (
        "主管部门",
        "主管部门及代码",
        "中央主管部门",
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
    "total": (
        "年度资金总额",
        "资金总额",
        "年度资金合计",
        "资金合计",
        "总额",
        "项目资金总额",
        "资金总计",
        "合计",
    ),
    "fiscal": (
        "当年财政拨款",
        "本年财政拨款",
        "财政拨款",
        "财政资金",
        "财政拨款资金",
        "本级财政资金",
        "财政补助资金",
        "一般公共预算资金",
    ),
    "carryover": ("上年结转资金", "上年结转", "上年结余", "上年结余资金", "上年结转结余资金"),
    "other": (
        "其他资金",
        "单位资金",
        "财政专户管理资金",
        "中央补助",
        "中央补助资金",
        "自筹资金",
        "上级补助资金",
        "社会投入资金",
    ),
    # the form's year, when a cell says it apart from the title
    "year": ("年度", "项目年度", "预算年度", "评价年度", "所属年度", "绩效年度"),
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
        "全年实际完成情况",
        "实际完成情况综述",
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
    "actual": (
        "实际完成值",
        "完成值",
        "实际值",
        "全年实际完成值",
        "实际完成情况值",
        "全年实际值",
        "实际完成",
        "年度实际完成值",
    ),
    "weight": ("分值", "权重", "标准分", "指标分值"),
    "score": ("得分", "自评得分", "评分", "实际得分"),
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
        "说明",
        "备注",
    ),
}

# a bracketed annotation of any kind: (A), (B/A), (万元), (盖章), (20分), [118], 【注】
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕|〈[^〈〉]*〉")
_WEIGHT = re.compile(r"[(\[【〔]?\s*(\d+(?:\.\d+)?)\s*分\s*[)\]】〕]?$")
# outline numbers and marks in front of a label: 一、 1. 1、 (一) ① ★ 第一部分
_NUMBERING = re.compile(
    r"^(?:[★☆※*#]+|[一二三四五六七八九十]+[、.]|\d+(?:\.\d+)*[、.)](?!\d)"
    r"|[(][一二三四五六七八九十\d]+[)]|第[一二三四五六七八九十\d]+(?:部分|项|条|章|节)?[、.:]?)"
)
_COLONS = re.compile(r"^[:]+|[:]+$")


# traditional → simplified for the characters of the form's labels: a form
# copied through a traditional-script page or system (項目名稱, 績效指標) still
# reads. Only labels are translated; names and values stay as written.
_TRADITIONAL = str.maketrans(
    "項稱門實單資萬預數執額結轉撥財當績標產質時濟會態續響滿對級總體際與進後調劃計補評價論負責聯電話說備註處經費規範據類屬報達編應決營務業發環護圍現義條擬採種養導區縣鎮開關問題們來為從這個後於無減餘準則級優差較況設綜專證測驗維蓋險狀監間內權損",
    "项称门实单资万预数执额结转拨财当绩标产质时济会态续响满对级总体际与进后调划计补评价论负责联电话说备注处经费规范据类属报达编应决营务业发环护围现义条拟采种养导区县镇开关问题们来为从这个后于无减余准则级优差较况设综专证测验维盖险状监间内权损",
)


def plain(text: str) -> str:
    """A label with only its spelling unified (full-width, traditional,
    whitespace), brackets and numbers kept: for reading a unit out of it."""
    return _basic(text)


def _basic(text: str) -> str:
    """NFKC (full-width → half-width, ① → 1, ideographic space → space),
    simplified characters, and no whitespace at all (line breaks inside a
    wrapped label included)."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_TRADITIONAL).split())


@lru_cache(maxsize=65536)
def normalize_label(text: str) -> str:
    """Canonical form of a label, for every label and header the reader looks
    for: NFKC, no whitespace, no bracketed annotation anywhere (a unit, a seal
    note, (A)/(B/A), a weight), no outline number or mark in front, no colon
    at either end. ``项目资金\n(万元)`` and ``一、项目资金：`` both give ``项目资金``."""
    s = _basic(text)
    if not s:
        return s
    prev = None
    while prev != s:
        prev = s
        s = _BRACKETED.sub("", s)
        s = _NUMBERING.sub("", s)
        s = _COLONS.sub("", s)
    return s


def split_weight(label: str) -> tuple[str, float | None]:
    """``产出指标(50分)`` → (``产出指标``, 50.0); ``(50分)`` alone → ('', 50.0)
    (a vertical label whose words were lost); other labels → (normalised, None)."""
    s = _basic(label).rstrip(":")  # 产出指标(40分)：
    m = _WEIGHT.search(s)
    if m:
        return normalize_label(s[: m.start()]), float(m.group(1))
    return normalize_label(s), None


@lru_cache(maxsize=4096)
def category_name(label: str) -> tuple[str, float | None]:
    """A 一级 or 二级 label as its canonical name and declared weight:
    ``一、产出指标(50分)`` → (产出指标, 50.0); ``服务对象满意度指标等`` → 服务对象满意度指标."""
    name, weight = split_weight(strip_numbering(label))
    if name.endswith("等") and name[:-1] in LEVEL2_PARENT:
        name = name[:-1]
    return name, weight


def strip_numbering(label: str) -> str:
    """Drop an outline number in front of a category (``一、产出指标``)."""
    return _NUMBERING.sub("", _basic(label))


# 二级 → its 一级 (template.md), for a 一级 cell that holds only its weight
LEVEL2_PARENT: dict[str, str] = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
    "满意度指标": "满意度指标",
    "经济成本指标": "成本指标",
    "社会成本指标": "成本指标",
    "生态环境成本指标": "成本指标",
}

# A header no synonym names is matched by meaning: the first role whose key
# words occur in it (and none of its excluded words). Order matters: 预算执行率
# is a rate before it is an amount, 全年实际值 an actual before a target.
HEADER_WORDS: dict[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]] = {
    "indicators": (
        ("reason", ("原因", "改进措施", "整改措施", "偏差"), ()),
        ("score", ("得分", "评分", "自评分"), ()),
        ("weight", ("分值", "权重", "标准分", "满分", "指标分"), ()),
        ("level1", ("一级",), ()),
        ("level2", ("二级",), ()),
        ("level3", ("三级",), ()),
        ("nature", ("性质", "指标方向", "符号"), ()),
        ("actual", ("实际", "完成", "实现情况", "达成"), ("预期", "计划", "年初", "设定")),
        ("target", ("指标值", "目标值", "预期", "计划", "年初", "设定", "目标"), ()),
        ("unit", ("单位",), ("实施", "主管")),
    ),
    "funds": (
        ("rate", ("执行率", "完成率", "支出率"), ()),
        ("fund_reason", ("原因", "说明"), ()),
        ("initial", ("年初",), ()),
        ("executed", ("执行", "实际", "支出", "决算", "完成"), ()),
        ("budget", ("预算", "调整后", "全年"), ()),
        ("fund_weight", ("分值", "权重", "满分", "标准分"), ()),
        ("fund_score", ("得分", "评分"), ()),
    ),
}


def _rules(rules: Rules | None) -> Rules:
    if rules is not None:
        return rules
    from perfxl.rules.schema import DEFAULT

    return DEFAULT


@lru_cache(maxsize=4096)
def _role_by_words(norm: str, block: str) -> str | None:
    """The first rule of ``HEADER_WORDS[block]`` the normalised header fits."""
    if not norm:
        return None
    for role, words, excluded in HEADER_WORDS[block]:
        if any(w in norm for w in words) and not any(x in norm for x in excluded):
            return role
    return None


# what each [labels] key stands for, for a clerk (perfxl rules --labels)
LABEL_KEYS_ZH: dict[str, str] = {
    "项目名称": "项目名称（标签，值在其右侧）",
    "主管部门": "主管部门（标签）",
    "实施单位": "实施单位（标签）",
    "year": "年度（单独写年份的标签，如「年度 | 2023」）",
    "funds": "预算表的总标签（项目资金、资金情况、预算执行情况；可带分值，如（20分））",
    "initial": "预算表：年初预算数栏",
    "budget": "预算表：全年预算数栏（调整后预算数）",
    "executed": "预算表：全年执行数栏",
    "fund_weight": "预算表：分值栏",
    "rate": "预算表：执行率栏",
    "fund_score": "预算表：得分栏",
    "fund_reason": "预算表：原因栏（执行率偏低的原因）",
    "total": "预算表：年度资金总额行",
    "fiscal": "预算表：财政拨款行",
    "carryover": "预算表：上年结转资金行",
    "other": "预算表：其他资金行",
    "goal": "年度总体目标（标签）",
    "goal_expected": "年度总体目标：预期目标",
    "goal_actual": "年度总体目标：实际完成情况",
    "level1": "指标表：一级指标栏",
    "level2": "指标表：二级指标栏",
    "level3": "指标表：三级指标栏（找到它才算找到指标表）",
    "target": "指标表：年度指标值栏",
    "actual": "指标表：实际完成值栏",
    "weight": "指标表：分值（权重）栏",
    "score": "指标表：得分栏",
    "reason": "指标表：偏差原因分析栏",
    "nature": "指标表：指标性质栏（=、≥、≤、定性）",
    "unit": "指标表：度量单位栏",
    "sum": "指标表下的总分行",
    "grade": "自评等级（评价结论）",
    "footer": "表尾的标签（存在问题、填报人等）：指标表到此为止",
}


def describe_labels(rules: Rules | None = None) -> str:
    """The [labels] keys in Chinese with their built-in spellings and the
    rules file's additions: what ``perfxl rules --labels`` prints."""
    extra = _rules(rules).labels
    lines = [
        "规则文件 [labels] 的键：每个键是表单上的一个标签或栏目，值是追加的写法（文本列表）。",
        "内置写法始终有效。比较前会统一全角/半角和繁简、去掉空格和换行、括号中的注释",
        "（如（万元）（A）（盖章）（20分））、前面的编号（一、1.）和冒号。表头与下列写法都不同时，",
        "还会按关键词判断（如含「实际」「完成」的表头作为实际完成值），并在问题清单中说明。",
        "",
    ]
    for key, zh in LABEL_KEYS_ZH.items():
        lines.append(f"{key}：{zh}")
        lines.append("  内置：" + "、".join(SYNONYMS.get(key, ())))
        words = [w for rules_ in HEADER_WORDS.values() for k, w, _ in rules_ if k == key]
        if words:
            lines.append("  表头关键词：" + "、".join(words[0]))
        if extra.get(key):
            lines.append("  规则文件追加：" + "、".join(extra[key]))
    lines += [
        "",
        "示例（实际完成值一栏写作「全年完成数」，年初预算写作「年初安排数」）：",
        "[labels]",
        'actual = ["全年完成数"]',
        'initial = ["年初安排数"]',
    ]
    return "\n".join(lines)


class LabelTable:
    """Synonyms merged with a rules file's ``[labels]`` additions, for lookups."""

    def __init__(self, rules: Rules | None = None) -> None:
        rules = _rules(rules)
        table: dict[str, set[str]] = {k: set(v) for k, v in SYNONYMS.items()}
        for key, extra in rules.labels.items():
            table.setdefault(key, set()).update(normalize_label(e) for e in extra)
        self._table = table
        # lookups that depend only on a label's text and this table, kept across forms
        self.memo: dict[str, dict[str, object]] = {}
        self._index: dict[str, set[str]] = {}
        for key, spellings in table.items():
            for s in spellings:
                self._index.setdefault(s, set()).add(key)

    def keys_of(self, text: str) -> set[str]:
        """Canonical keys whose spelling equals the normalised text."""
        return self._index.get(normalize_label(text), set())

    def role_by_words(self, text: str, block: str, roles: Iterable[str]) -> str | None:
        """The role a header plays by the key words in it (``HEADER_WORDS``),
        among ``roles``; None when no rule fits. Only asked about header cells."""
        role = _role_by_words(normalize_label(text), block)
        return role if role is not None and role in roles else None

    def is_(self, text: str, key: str) -> bool:
        return normalize_label(text) in self._table[key]

    def spellings(self, key: str) -> set[str]:
        return self._table[key]


@lru_cache(maxsize=8)
def label_table(rules: Rules | None = None) -> LabelTable:
    return LabelTable(rules)
