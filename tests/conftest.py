"""Shared fixtures: the real counts file, the demo data set, and file writers for bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kit import datasets, paths

REAL_COUNTS = paths.reference_dir() / "opiskelijapalaute_vahvistetut_2020_2021.csv"


@pytest.fixture(scope="session")
def demo():
    """The synthetic demo data set (built once if missing)."""
    return datasets.load("demo")


@pytest.fixture(scope="session")
def real_rows() -> list[list[str]]:
    """The real confirmed-counts file as rows of text, header first."""
    with REAL_COUNTS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_csv(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> Path:
    """Write ``rows`` as CSV with the given separator and encoding."""
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=sep).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """Write ``rows`` as an Excel sheet, numbers as numbers (as Excel would keep them)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([int(c) if c.isdigit() and (c == "0" or not c.startswith("0")) else c for c in row])
    book.save(path)
    return path
