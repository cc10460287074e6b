"""Exercises: every solution passes its check, every blank exercise fails it with feedback."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest

ROOT = Path(__file__).resolve().parent.parent
BLANKS = sorted((ROOT / "exercises").glob("[0-9]*/*.ipynb"))
SOLUTIONS = ROOT / "exercises" / "solutions"


def check_outcome(path: Path, tmp_path: Path) -> str:
    """Run an exercise notebook and return the state its check cell showed."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / path.name
    pm.execute_notebook(str(path), str(out), parameters={"lang": "en"}, cwd=str(path.parent),
                        progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    states = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
              if "text/html" in o.get("data", {}) and "data-check=" in o["data"]["text/html"]]
    assert len(states) == 1, "the check cell showed no result"
    return states[0]


def test_every_exercise_has_a_solution_kept_apart():
    assert len(BLANKS) >= 3
    for blank in BLANKS:
        solution = SOLUTIONS / blank.parent.name / blank.name
        assert solution.exists(), blank
        assert "YOUR CODE HERE" in blank.read_text() and "YOUR CODE HERE" not in solution.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("blank", BLANKS, ids=lambda p: p.stem)
def test_blank_fails_and_solution_passes(tmp_path, demo, blank):
    failed = check_outcome(blank, tmp_path / "blank")
    assert 'data-check="fail"' in failed and "✘" in failed
    passed = check_outcome(SOLUTIONS / blank.parent.name / blank.name, tmp_path / "solution")
    assert 'data-check="pass"' in passed


def test_checks_name_the_case_that_went_wrong():
    from kit import checks

    def off_by_threshold(rate, period):
        return 1 / rate if rate >= 0.75 else 1.5  # wrong threshold and wrong formula

    result = checks.correction_factor(off_by_threshold)
    assert not result and "0.05" in result.message and "2018-19" in result.message

    def crashes(rate, period):
        raise ZeroDivisionError("oops")

    result = checks.correction_factor(crashes)
    assert not result and "ZeroDivisionError" in result.message
