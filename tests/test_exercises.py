"""Exercises: every solution passes its check, every blank exercise fails it with feedback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kit import paths

BLANKS = sorted(paths.exercises_dir("fi").glob("*/*.ipynb"))


def check_outcome(execute, path: Path) -> str:
    """Run an exercise notebook and return the state its check cell showed."""
    ran = execute(path, lang=path.parts[-3] if path.parts[-3] in ("fi", "sv", "en") else "fi")
    states = [
        o["data"]["text/html"]
        for o in ran.outputs
        if "text/html" in o.get("data", {}) and "data-check=" in o["data"]["text/html"]
    ]
    assert len(states) == 1, "the check cell showed no result"
    return states[0]


def solution_of(blank: Path) -> Path:
    return paths.exercises_dir("fi", solutions=True) / blank.parent.name / blank.name


def test_every_exercise_has_a_solution_kept_apart():
    assert len(BLANKS) >= 5
    for lang in ("fi", "sv", "en"):
        blanks = sorted(paths.exercises_dir(lang).glob("*/*.ipynb"))
        assert [b.relative_to(paths.exercises_dir(lang)) for b in blanks] == [
            b.relative_to(paths.exercises_dir("fi")) for b in BLANKS
        ]
        for blank in blanks:
            solution = paths.exercises_dir(lang, solutions=True) / blank.parent.name / blank.name
            assert solution.exists(), blank
            assert "YOUR CODE HERE" in blank.read_text()
            assert "YOUR CODE HERE" not in solution.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("blank", BLANKS, ids=lambda p: p.stem)
def test_blank_fails_and_solution_passes(execute, blank):
    failed = check_outcome(execute, blank)
    assert 'data-check="fail"' in failed and "✘" in failed
    passed = check_outcome(execute, solution_of(blank))
    assert 'data-check="pass"' in passed


def test_checks_name_the_case_that_went_wrong():
    from kit.workshops.dashboards import checks

    def off_by_threshold(rate, period):
        return 1 / rate if rate >= 0.75 else 1.5  # wrong threshold and wrong formula

    result = checks.correction_factor(off_by_threshold)
    assert not result and "0.05" in result.message and "2018-19" in result.message

    def crashes(rate, period):
        raise ZeroDivisionError("oops")

    result = checks.correction_factor(crashes)
    assert not result and "ZeroDivisionError" in result.message
