"""The fidelity table of benchmarks/README.md: which features of a unit's
workbook survive the completed copy, written by editing the package (today's
writer) and through openpyxl's object model (the old writer, now the
fallback).

    python benchmarks/fidelity.py

It builds the feature workbook of the tests (perfxl/testing/feature_book.py,
as .xlsx and .xlsm), completes it both ways, and looks for each feature's
part (and marker) in each copy; it also runs the structural check and, where
LibreOffice is installed, converts each copy to PDF.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def main() -> int:
    from conftest import KASHGAR_2019

    from perfxl.batch.worker import review_file
    from perfxl.rules.schema import DEFAULT
    from perfxl.testing.feature_book import FEATURES, build_feature_book
    from perfxl.testing.package_check import check_package
    from perfxl.write.completed import make_plan, write_completed
    from perfxl.write.fill_plan import plan_marks
    from perfxl.write.libreoffice import soffice
    from perfxl.write.openpyxl_copy import openpyxl_copy
    from perfxl.write.review_sheet import ReviewSheet

    rows: dict[str, dict[str, str]] = {f: {} for f in FEATURES}
    sound: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        _, reviews = review_file(KASHGAR_2019, KASHGAR_2019.name)
        cell = make_plan(reviews).fills[0].cell
        for suffix in (".xlsx", ".xlsm"):
            src = tmp / f"特性{suffix}"
            build_feature_book(src, KASHGAR_2019, cell, tmp / "build")
            result, reviews = review_file(src, src.name)
            new = tmp / f"package{suffix}"
            write_completed(src, new, reviews, list(result.problems))
            old = tmp / f"openpyxl{suffix}"
            plan = make_plan(reviews)
            lines = ReviewSheet(DEFAULT).compose(src.name, plan.lines, [], "openpyxl")
            openpyxl_copy(src.read_bytes(), None, plan.fills, plan_marks([]), lambda n: "复核",
                          lambda lines=lines: lines, old, dt.datetime(2024, 1, 1))  # fmt: skip
            for label, path in (("package", new), ("openpyxl", old)):
                names = zipfile.ZipFile(path).namelist()
                for feature, where in FEATURES.items():
                    part, _, marker = where.partition(":")
                    if part == "xl/vbaProject.bin" and suffix == ".xlsx":
                        continue
                    kept = part in names and (
                        not marker or marker.encode() in zipfile.ZipFile(path).read(part)
                    )
                    key = f"{label}{suffix}"
                    rows[feature][key] = "kept" if kept else "**lost**"
                problems = check_package(path.read_bytes())
                sound[f"{label}{suffix}"] = "sound" if not problems else "; ".join(problems[:2])
                if soffice():
                    done = subprocess.run(
                        [soffice(), f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless",
                         "--convert-to", "pdf", "--outdir", str(tmp / "pdf"), str(path)],
                        capture_output=True, timeout=300, check=False,
                    )  # fmt: skip
                    pdf = tmp / "pdf" / f"{path.stem}.pdf"
                    sound[f"{label}{suffix}"] += (
                        ", LibreOffice opens it" if done.returncode == 0 and pdf.exists()
                        else ", LibreOffice FAILED"
                    )  # fmt: skip
    keys = ["package.xlsx", "package.xlsm", "openpyxl.xlsx", "openpyxl.xlsm"]
    print("| feature (part checked) | " + " | ".join(keys) + " |")
    print("| --- | " + " | ".join("---" for _ in keys) + " |")
    for feature, where in FEATURES.items():
        print(
            f"| {feature} (`{where}`) | "
            + " | ".join(rows[feature].get(k, "–") for k in keys)
            + " |"
        )
    print("| structure / LibreOffice | " + " | ".join(sound[k] for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
