"""Regenerate samples/ and templates/ deterministically (builders: perfxl/testing/samples.py)."""

from pathlib import Path

from perfxl.testing.samples import main

main(Path(__file__).resolve().parent.parent)
