"""Shared fixtures: the shipped samples and a scratch folder of them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
KASHGAR_2018 = SAMPLES / "2018-喀什地区质量技术监督局-认证认可监管专项经费.xlsx"
KASHGAR_2019 = SAMPLES / "2019-喀什地区质量技术监督局-认证认可监管专项经费-偏差.xlsx"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """A copy of samples/ that tests may add files to."""
    dst = tmp_path / "收件箱"
    shutil.copytree(SAMPLES, dst)
    return dst
