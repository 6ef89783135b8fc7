"""The typed rules schema: what a rules file may say, how a wrong one is refused
(one Chinese line naming the key), GBK files, named sets and ``base``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import KASHGAR_2019
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.rules.files import named_sets
from perfxl.rules.schema import DEFAULT, Rules, RulesError

runner = CliRunner()


def load(tmp_path: Path, text: str, encoding: str = "utf-8") -> Rules:
    f = tmp_path / "规则.toml"
    f.write_bytes(text.encode(encoding))
    return Rules.load(f)


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(RulesError) as info:
        load(tmp_path, text)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_rules_are_attributes_of_typed_tables():
    assert DEFAULT.budget.low_execution == 0.9
    assert DEFAULT.budget.tiers[0].min_rate == 0.95
    assert DEFAULT.indicators.band_ranges["部分达成"] == (0.6, 0.8)
    assert DEFAULT.grades.thresholds[0] == (90.0, "优")
    assert DEFAULT.checks.skip == () and DEFAULT.totals.caps == ()
    assert DEFAULT.grade_of(89.99) == "良" and DEFAULT.grade(59.99) == "差"
    assert not hasattr(DEFAULT, "get")  # no dotted strings


def test_unknown_key_inside_a_list_of_tables_is_refused(tmp_path: Path):
    msg = refused(tmp_path, '[budget]\nrule = "tiers"\ntiers = [{min = 0.95, share = 1.0}]\n')
    assert msg.startswith("规则文件中有未知的键：budget.tiers[1].min")
    assert "min_rate" in msg  # says what is allowed there


def test_unknown_keys_in_tables_and_at_the_top(tmp_path: Path):
    assert "limits.max_rows" in refused(tmp_path, "[limits]\nmax_rows = 5\n")
    assert "warnings.red_light.colour" in refused(tmp_path, "[warnings.red_light]\ncolour = 1\n")
    assert "未知的键：scoring" in refused(tmp_path, "[scoring]\nx = 1\n")


def test_tiers_and_grades_out_of_order_are_refused(tmp_path: Path):
    tiers = "[budget]\ntiers = [{min_rate = 0.8, share = 0.6}, {min_rate = 0.9, share = 0.8}]\n"
    assert "budget.tiers 应按最低执行率 min_rate从高到低排列" in refused(tmp_path, tiers)
    grades = '[grades]\nthresholds = [[60.0, "中"], [90.0, "优"], [80.0, "良"]]\n'
    assert "grades.thresholds 应按分数从高到低排列" in refused(tmp_path, grades)
    caps = "[totals]\ncaps = [{below_rate = 0.6, max_total = 69}, {below_rate = 0.8, max_total = 89}]\n"
    assert "totals.caps" in refused(tmp_path, caps)


def test_a_percentage_written_as_a_whole_number_is_refused(tmp_path: Path):
    msg = refused(tmp_path, "[budget]\nlow_execution = 90\n")
    assert msg == (
        "规则文件的键 budget.low_execution 应为 0～1 之间的比例（90% 写作 0.9），实际为 90"
    )
    assert "indicators.band_scores.达成" in refused(
        tmp_path, '[indicators]\nband_scores = { "达成" = 100 }\n'
    )
    assert "indicators.late_share_per_month" in refused(
        tmp_path, "[indicators]\nlate_share_per_month = 10\n"
    )


def test_wrong_types_and_choices_are_named(tmp_path: Path):
    assert "类型错误" in refused(tmp_path, '[budget]\nlow_execution = "高"\n')
    msg = refused(tmp_path, '[indicators]\nreverse_rule = "inverse"\n')
    assert "indicators.reverse_rule 应为 “linear” 或 “ratio”" in msg
    assert "band_scores 的键 优秀" in refused(
        tmp_path, '[indicators]\nband_scores = { "优秀" = 1.0 }\n'
    )


def test_labels_keys_must_be_known_form_labels(tmp_path: Path):
    assert "labels.项目编号" in refused(tmp_path, '[labels]\n"项目编号" = ["编号"]\n')
    rules = load(tmp_path, '[labels]\n"项目名称" = ["项目"]\n')
    assert rules.labels == {"项目名称": ("项目",)}


def test_checks_table_names_known_codes_only(tmp_path: Path):
    rules = load(
        tmp_path, '[checks]\nskip = ["level1-weights"]\nseverity = { "low-execution" = "info" }\n'
    )
    assert rules.checks.skip == ("level1-weights",)
    assert rules.checks.severity == {"low-execution": "info"}
    assert "不是已知的问题代码" in refused(tmp_path, '[checks]\nskip = ["no-such-check"]\n')
    assert "“error” 或 “warning” 或 “info”" in refused(
        tmp_path, '[checks]\nseverity = { "low-execution" = "fatal" }\n'
    )


def test_toml_syntax_error_in_chinese_with_the_line(tmp_path: Path):
    msg = refused(tmp_path, "[budget]\nlow_execution = 0.8\nrule = proportional\n")
    assert "第 3 行" in msg and "格式错误" in msg and "引号" in msg


def test_a_rules_file_saved_as_gbk_is_read(tmp_path: Path):
    rules = load(tmp_path, '# 省里的规则\n[grades]\nlowest = "较差"\n', encoding="gbk")
    assert rules.grades.lowest == "较差"
    assert "省里的规则" in rules.text


def test_named_sets_and_base(tmp_path: Path):
    names = [s.name for s in named_sets()]
    assert names[0] == "全国默认" and {"四川", "预算20分", "绩效平台", "广西"} <= set(names)
    sichuan = Rules.load("四川")
    assert sichuan.title == "四川" and sichuan.budget.reason_required_below == 0.9
    assert Rules.load("sichuan").budget.reason_required_below == 0.9  # the file stem too
    rules = load(tmp_path, 'base = "四川"\n[budget]\nlow_execution = 0.8\n')
    assert rules.budget.reason_required_below == 0.9 and rules.budget.low_execution == 0.8
    assert not rules.weights.check_level1_split
    assert rules.title.endswith("，基于四川")
    assert "base 应为内置规则集之一" in refused(tmp_path, 'base = "火星"\n')
    with pytest.raises(RulesError, match="找不到规则文件或规则集「火星」"):
        Rules.load("火星")


def test_every_named_set_cites_its_source_and_what_was_inferred():
    for s in named_sets()[1:]:
        assert s.description, s.name
        assert "Source" in s.text and ("http" in s.text or "id " in s.text), s.name
        assert "Inferred" in s.text, s.name


def test_cli_lists_sets_prints_one_and_uses_a_name():
    r = runner.invoke(app, ["rules", "--list"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert len(lines) == len(named_sets()) and lines[0].startswith("全国默认\t")
    r = runner.invoke(app, ["rules", "四川"])
    assert r.exit_code == 0 and "scqs.gov.cn" in r.output
    r = runner.invoke(app, ["rules", "火星"])
    assert r.exit_code == 2 and "没有名为「火星」的规则集" in r.output
    r = runner.invoke(app, ["check", str(KASHGAR_2019), "--rules", "四川", "--json"])
    assert r.exit_code == 0 and "missing-execution-reason" in r.output
    r = runner.invoke(app, ["check", str(KASHGAR_2019), "--rules", "火星"])
    assert r.exit_code == 2 and "找不到规则文件或规则集「火星」" in r.output


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("低执行率 = 0.9\n", "第 1 行第 1 列格式错误：这一行不是“键 = 值”"),
        ("[budget\n", "第 1 行第 8 列格式错误：表名缺少右方括号"),
        ('[grades]\nlowest = "差\n', "第 2 行第 12 列格式错误：引号没有在同一行闭合"),
        ("[budget]\nlow_execution = 90%\n", "第 2 行第 19 列格式错误：值后面有多余的内容"),
        ("[budget]\n[budget]\n", "第 2 行第 8 列格式错误：同一个表写了两次"),
    ],
)
def test_common_toml_mistakes_are_explained_in_chinese(tmp_path: Path, text: str, says: str):
    assert says in refused(tmp_path, text)
