"""Checks as data: the registry is the one source of codes and severities, the
README's table is generated from it, every check is a declaration the one
runner executes, and a rules file switches checks off or changes severities."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest
from conftest import KASHGAR_2019, ROOT

import perfxl
from perfxl.batch.run import run_batch
from perfxl.checks.catalog import CHECKS
from perfxl.checks.codes import CODES, check_severity, with_code_table
from perfxl.checks.runner import Check, fill
from perfxl.cli import app
from perfxl.rules.schema import Rules, RulesError

PACKAGE = Path(perfxl.__file__).parent


def _calls() -> list[tuple[str, str, ast.Call]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                out.append((str(path.relative_to(PACKAGE)), name, node))
    return out


def test_every_code_in_the_code_is_registered_and_every_registered_code_is_used() -> None:
    used = set()
    for where, name, call in _calls():
        if name in ("problem", "Check", "_fail", "ArchiveRefused") and call.args:
            first = call.args[0 if name != "_fail" else 1]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                used.add(first.value)
                assert first.value in CODES, (where, first.value)
    used |= {c.code for c in CHECKS}
    assert used == set(CODES), set(CODES) ^ used


def test_problems_take_their_severity_from_the_registry() -> None:
    """No module but the registry makes a Problem with a severity of its own
    (the runner only rebuilds Problems from rows it made)."""
    makers = {w for w, name, _ in _calls() if name == "Problem"}
    assert makers == {"checks/codes.py", "checks/runner.py"}, makers
    for check in CHECKS:
        assert check_severity(check.code, check.milder) in ("error", "warning", "info")


def test_severities_in_a_batch_are_the_registry_s(tmp_path: Path) -> None:
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "~$锁.xlsx").write_bytes(b"lock")
    items = [
        (KASHGAR_2019, "k.xlsx"),
        (tmp_path / "坏.xlsx", "坏.xlsx"),
        (tmp_path / "~$锁.xlsx", "~$锁.xlsx"),
    ]
    problems = run_batch(items, jobs=1).problems
    assert {"low-execution", "file-unreadable", "skipped-file"} <= set(problems["code"])
    for code, severity in zip(problems["code"], problems["severity"], strict=True):
        assert severity in (CODES[code].severity, CODES[code].milder), code


def test_readme_code_table_is_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_code_table(readme) == readme, "run: python -m perfxl.checks.codes README.md"
    assert all(f"| `{code}` |" in readme for code in CODES)


def _rules(tmp_path: Path, text: str) -> Rules:
    path = tmp_path / "省规则.toml"
    path.write_text(text, encoding="utf-8")
    return Rules.load(path)


def test_rules_file_switches_checks_off_and_changes_severities(tmp_path: Path) -> None:
    (tmp_path / "坏.xlsx").write_bytes(b"not a workbook")
    items = [(KASHGAR_2019, "k.xlsx"), (tmp_path / "坏.xlsx", "坏.xlsx")]
    before = run_batch(items, jobs=1).problems
    rules = _rules(
        tmp_path,
        '[checks]\nskip = ["missing-deviation-reason", "file-unreadable"]\n'
        'severity = { "low-execution" = "error", "empty-category" = "warning" }\n',
    )
    after = run_batch(items, jobs=1, rules=rules).problems
    assert not after["code"].isin(["missing-deviation-reason", "file-unreadable"]).any()
    kept = before[~before["code"].isin(["missing-deviation-reason", "file-unreadable"])]
    assert sorted(kept["cell"] + kept["code"]) == sorted(after["cell"] + after["code"])
    severity = dict(zip(after["code"], after["severity"], strict=False))
    assert severity["low-execution"] == "error" and severity["empty-category"] == "warning"
    assert severity["self-score-differs"] == "warning"  # untouched codes keep theirs
    assert after.iloc[0]["code"] == "low-execution"  # errors first in the report order


def test_a_changed_severity_changes_the_exit_code(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    path = tmp_path / "省规则.toml"
    path.write_text('[checks]\nseverity = { "low-execution" = "error" }\n', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(KASHGAR_2019)]).exit_code == 0
    assert runner.invoke(app, ["check", str(KASHGAR_2019), "--rules", str(path)]).exit_code == 1


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[checks]\nskip = ["no-such-code"]\n', "checks.skip"),
        ('[checks]\nseverity = { "no-such-code" = "info" }\n', "checks.severity"),
        ('[checks]\nseverity = { "low-execution" = "fatal" }\n', "checks.severity.low-execution"),
    ],
)
def test_bad_checks_table_names_the_key(tmp_path: Path, text: str, names: str) -> None:
    with pytest.raises(RulesError, match=names.replace(".", r"\.")):
        _rules(tmp_path, text)


def test_message_templates_fill_columns_and_values() -> None:
    rows = pd.DataFrame({"name": ["甲", "乙"], "x": [4.3, float("nan")], "r": [0.86, 1.025]})
    got = fill("「{name}」{x:num} 万元，{r:pct}，{k}", rows, {"k": "常数"})
    assert got == ["「甲」4.3 万元，86%，常数", "「乙」空 万元，102.5%，常数"]


def test_a_check_of_an_unregistered_code_or_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unregistered"):
        Check("no-such-code", "forms", lambda f, r: f["file"] == "", "", "cell", "field")
    with pytest.raises(ValueError, match="unknown table"):
        Check("low-execution", "sheets", lambda f, r: f["file"] == "", "", "cell", "field")
