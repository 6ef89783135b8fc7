"""Read one inbox item, whatever it is: a workbook on disk, a form inside an
archive, an archive that gives no forms, or a WPS ``.et`` file.

A pure function of (path, display name, member chain): pool workers call it,
and the same item always gives the same :class:`ReadResult`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from perfxl.checks.codes import problem
from perfxl.inbox.archive import ArchiveRefused, is_archive, member_bytes, refusal
from perfxl.model import ReadResult
from perfxl.read.sniff import skip_reason
from perfxl.read.workbook import read_bytes, read_workbook
from perfxl.rules.schema import DEFAULT, Rules

ET_ADVICE = "WPS 表格文件（.et）的内容不是 Excel 格式，无法读取；请在 WPS 中另存为 .xlsx 后报送"


def read_source(
    path: Path, display: str, chain: tuple[str, ...] = (), rules: Rules = DEFAULT
) -> ReadResult:
    """The forms of one inbox item, or why it has none."""
    name = chain[-1] if chain else path.name
    if is_archive(name):
        why = refusal(path, chain, rules)
        status = "skipped" if why.code == "skipped-file" else "failed"
        return ReadResult(display, status, problems=(problem(why.code, why.message, file=display),))
    if not chain:
        result = read_workbook(path, display=display, rules=rules)
    else:
        reason = skip_reason(Path(name))
        if reason:
            skipped = problem("skipped-file", reason, file=display)
            return ReadResult(display, "skipped", problems=(skipped,))
        try:
            data = member_bytes(path, chain, rules)
        except ArchiveRefused as exc:
            refused = problem(exc.code, exc.message, file=display)
            return ReadResult(display, "failed", problems=(refused,))
        result = read_bytes(data, display, rules=rules)
    if name.lower().endswith(".et") and result.status == "failed":
        problems = tuple(
            dataclasses.replace(p, message=ET_ADVICE) if p.code == "file-unreadable" else p
            for p in result.problems
        )
        result = dataclasses.replace(result, problems=problems)
    return result
