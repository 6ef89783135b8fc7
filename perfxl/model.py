"""The data model: what a 项目支出绩效自评表 holds, independent of its layout.

Every layout variant of the form (national 2020, single budget column, A/B
suffixes, split notation columns) is read into these same dataclasses, so the
scorer, the checks and the writers never see a layout. Every value keeps the
Excel address it came from, so any problem leads straight to a cell like
``F23``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from perfxl.text import cell_sort_key  # noqa: F401 - importable from here, as before

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}

FUND_KINDS = ("total", "fiscal", "carryover", "other")


@dataclass(frozen=True)
class Problem:
    """One finding, located to file, sheet and cell, with a Chinese message.

    ``code`` is a stable kebab-case code of the registry
    (:mod:`perfxl.checks.codes`, listed in the README); ``field`` names
    the form field or the indicator (三级 name) concerned.
    """

    code: str
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "severity": self.severity,
            "code": self.code,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True)
class CellValue:
    """A value as it stands in the workbook, with where it stands.

    ``value`` is what the cell holds (str, float, int, date, datetime or None);
    ``percent`` is True when the cell's number format shows a percentage (so
    0.95 means 95%); ``formula`` holds the formula text when the cell is a
    formula whose cached result is missing (files last saved by a program
    rather than by Excel/WPS) — such a cell is *not* empty, its value is
    unknown.
    """

    value: Any = None
    cell: str = ""
    percent: bool = False
    formula: str | None = None

    @property
    def empty(self) -> bool:
        if self.formula:
            return False
        v = self.value
        return v is None or (isinstance(v, str) and not v.strip())

    @property
    def text(self) -> str:
        """The value as stripped text ('' when empty)."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()


EMPTY = CellValue()


@dataclass(frozen=True)
class FundRow:
    """One row of the funds block (项目资金). Amounts are raw cells; the form's
    ``money_factor`` converts them to 万元."""

    kind: str  # one of FUND_KINDS
    label: str
    row: int  # Excel row number
    initial: CellValue = EMPTY  # 年初预算数
    budget: CellValue = EMPTY  # 全年预算数 / 调整后预算数 / 预算数
    executed: CellValue = EMPTY  # 全年执行数
    weight: CellValue = EMPTY  # 分值 / 权重 (total row only)
    rate: CellValue = EMPTY  # 执行率 (total row only)
    score: CellValue = EMPTY  # 得分 (total row only)
    reason: CellValue = EMPTY  # 原因 of the execution rate (total row only, 四川 form)


@dataclass(frozen=True)
class Indicator:
    """One 三级 indicator row, after merged 一级/二级 cells were inherited."""

    level1: str  # normalised category name, e.g. 产出指标
    level2: str  # e.g. 数量指标
    name: str  # 三级 name, numbering prefix stripped
    row: int
    name_cell: str = ""
    level1_cell: str = ""
    level2_cell: str = ""
    target: CellValue = EMPTY  # 年度指标值 (in the split variant: 指标值)
    actual: CellValue = EMPTY  # 实际完成值
    weight: CellValue = EMPTY  # 分值 / 权重
    score: CellValue = EMPTY  # self 得分
    reason: CellValue = EMPTY  # 偏差原因分析及改进措施
    nature: CellValue = EMPTY  # 指标性质 (split variant): = ≥ ≤ 定性
    unit: CellValue = EMPTY  # 度量单位 (split variant)


@dataclass(frozen=True)
class ProjectForm:
    """One filled form (one sheet) in layout-independent terms."""

    file: str  # path as given to the reader (relative to the inbox in a batch)
    sheet: str
    variant: str  # national-2020 | single-column | ab-suffix | split
    year: int | None = None
    year_cell: str = ""
    title: str = ""
    project_name: CellValue = EMPTY
    department: CellValue = EMPTY  # name only; a leading code goes to department_code
    department_code: str = ""
    implementer: CellValue = EMPTY
    money_unit: str = "万元"  # as written in the funds label
    money_factor: float = 1.0  # multiply an amount by this to get 万元
    funds: tuple[FundRow, ...] = ()
    goal_expected: CellValue = EMPTY
    goal_actual: CellValue = EMPTY
    indicators: tuple[Indicator, ...] = ()
    # every (一级, 二级) pair present on the form, empty categories included,
    # in form order: units count 二级 this way.
    categories: tuple[tuple[str, str], ...] = ()
    category_cells: tuple[str, ...] = ()  # the 二级 cell of each category, parallel to categories
    level1_declared: dict[str, float] = field(default_factory=dict)  # 产出指标(50分)
    total_self: CellValue = EMPTY  # self 总分
    total_row: int = 0
    grade: CellValue = EMPTY  # 自评等级 / 评价结论, when the form has the cell
    # the footer's 填报人 and 联系电话: personal data, for the unit's own return list only
    filler: str = ""
    phone: str = ""
    # columns found (header name -> column letter), for the writer
    indicator_columns: dict[str, str] = field(default_factory=dict)
    fund_columns: dict[str, str] = field(default_factory=dict)

    def fund(self, kind: str) -> FundRow | None:
        for row in self.funds:
            if row.kind == kind:
                return row
        return None


@dataclass(frozen=True)
class ReadResult:
    """What reading one file gave: its forms, or why it gave none."""

    path: str
    status: Literal["read", "failed", "skipped"]
    forms: tuple[ProjectForm, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class IndicatorScore:
    """The review of one indicator: how it was read and what it earns."""

    indicator: Indicator
    rule: str  # ">=", "=", "<=", "time", "qualitative", "na", "unscored"
    target_op: str  # operator as read ('' for qualitative)
    target_number: float | None
    actual_number: float | None
    unit: str
    band: str | None  # qualitative band of the actual
    weight: float  # 分值 written on the form (0 when unreadable)
    effective_weight: float  # after redistributing not-applicable weights
    self_score: float | None
    review: float  # rounded to 2 decimals
    achieved: bool | None  # None: not applicable
    over_achieved: bool = False
    target_kind: str = ""  # notation Reading.kind of the target
    actual_kind: str = ""  # and of the actual
    target_unit: str = ""
    actual_unit: str = ""
    ambiguous_percent: bool = False
    explicit_op: bool = False
    # the review score's arithmetic with the form's own numbers, one Chinese line
    # (实际 90% < 目标 100% → 15 × 90 ÷ 100 = 13.50)
    explanation: str = ""


@dataclass(frozen=True)
class ProjectScore:
    """The review of one form: budget execution, indicators, total and grade."""

    budget_initial: float | None  # 万元
    budget: float | None  # 全年预算数, 万元
    executed: float | None  # 全年执行数, 万元
    rate: float | None  # fraction, uncapped (1.025 = 102.5%)
    budget_weight: float
    budget_score: float
    budget_self: float | None
    indicators: tuple[IndicatorScore, ...]
    indicator_total: float
    total: float
    grade: str
    self_total: float | None  # the 总分 the unit wrote (or the sum of its scores)
    level1_count: int
    level2_count: int
    level3_count: int
    achieved_count: int
    applicable_count: int
    budget_explanation: str = ""  # 执行率 97.81% → 10 × 0.9781 = 9.78
    total_explanation: str = ""  # a cap on the total by execution rate, when one applied

    @property
    def completion_rate(self) -> float | None:
        if not self.applicable_count:
            return None
        return self.achieved_count / self.applicable_count
