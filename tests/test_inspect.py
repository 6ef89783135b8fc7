"""``perfxl inspect`` shows a clerk how a form was mapped, and ``perfxl rules
--labels`` documents the label keys a rules file may extend."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from conftest import KASHGAR_2018
from real.build import build, load
from typer.testing import CliRunner

from perfxl.cli import app
from perfxl.read.labels import LABEL_KEYS_ZH, SYNONYMS
from perfxl.rules.schema import default_text

runner = CliRunner()


def test_inspect_lists_fields_columns_rows_and_skipped_rows(tmp_path: Path):
    path = build(load("anhui_2023_hexi"), tmp_path)
    r = runner.invoke(app, ["inspect", str(path)])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "项目名称：B3「河西村特色种养补贴到户项目」，标签 A3「项目名称」" in out
    assert "指标表 实际完成值：G 列，表头 G11「全年实际值」（表头文字与同义词表一致）" in out
    assert "预算表 全年预算数：C 列，表头 C5「全年预算数(A)」" in out
    assert "四、指标行（共 7 个指标）" in out
    assert "第 24 行「养殖家畜家禽成活率」：三级指标 D24=养殖家畜家禽成活率｜分值 E24=5" in out
    assert (
        "第 13 行 D13「其中桃树种植面积」：「其中」分项行（没有自己的分值，属于上一个指标）" in out
    )
    assert "第 25 行 D25「……」：空白模板行（占位符，未填写）" in out
    # a 其中 source row shows only its amounts, not the 分值 it repeats
    assert "第 7 行「其中:本年财政拨款」：全年预算数 C7=9.48｜全年执行数 D7=9.48\n" in out


def test_inspect_says_what_it_did_not_use(tmp_path: Path):
    path = build(load("sichuan_2021_shipin"), tmp_path)
    r = runner.invoke(app, ["inspect", str(path)])
    assert r.exit_code == 1  # no-weights is an error
    assert "指标表 G 列，表头 G12「50」（有数据）" in r.output
    assert "[no-weights] Sheet1!D12" in r.output
    assert "实施单位：未找到" in r.output


def test_inspect_json_for_programs(tmp_path: Path):
    r = runner.invoke(app, ["inspect", "--json", str(KASHGAR_2018)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["status"] == "read" and len(data["forms"]) == 1
    form = data["forms"][0]
    roles = {(c["block"], c["role"]): c["cell"] for c in form["columns"]}
    assert (roles[("indicators", "target")], roles[("funds", "budget")]) == ("E12", "E5")
    first = [row for row in form["rows"] if row["block"] == "indicators"][0]
    assert set(first["cells"]) >= {"level3", "target", "actual", "weight", "score"}
    assert all(set(c) == {"cell", "value"} for c in first["cells"].values())


def test_inspect_missing_file_is_one_line_exit_2(tmp_path: Path):
    r = runner.invoke(app, ["inspect", str(tmp_path / "无.xlsx")])
    assert r.exit_code == 2 and "找不到文件" in r.output and "Traceback" not in r.output


def test_rules_labels_documents_every_key_with_its_builtin_spellings():
    r = runner.invoke(app, ["rules", "--labels"])
    assert r.exit_code == 0
    for key in LABEL_KEYS_ZH:
        assert f"\n{key}：" in r.output
    assert "、".join(SYNONYMS["actual"]) in r.output
    assert "表头关键词：实际、完成" in r.output
    # every key it documents is listed in the default rules file's [labels] comment
    text = default_text()
    listed = text[text.index("可用的键：") : text.index("[labels]")]
    keys = {k.strip().strip('"') for line in listed.splitlines()[1:] for k in line[1:].split(",")}
    assert keys == set(LABEL_KEYS_ZH)
    assert tomllib.loads(text)["labels"] == {}
