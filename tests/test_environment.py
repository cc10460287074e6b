"""pyproject.toml and environment.yml list the same packages with the same version ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from kit import envcheck

ROOT = Path(__file__).resolve().parent.parent


def pyproject_requirements() -> dict[str, SpecifierSet]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    return {Requirement(r).name.lower(): Requirement(r).specifier for r in reqs}


def conda_requirements() -> dict[str, SpecifierSet]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out: dict[str, SpecifierSet] = {}
    for dep in env["dependencies"]:
        specs = dep["pip"] if isinstance(dep, dict) else [dep]
        for spec in specs:
            if spec.startswith("-e") or re.match(r"^(python|pip)\b", spec):
                continue
            req = Requirement(spec.replace(" ", ""))
            out[req.name.lower()] = req.specifier
    return out


def test_the_two_environment_files_agree():
    py, conda = pyproject_requirements(), conda_requirements()
    assert set(py) == set(conda), f"only in pyproject: {set(py) - set(conda)}; " \
                                  f"only in environment.yml: {set(conda) - set(py)}"
    for name in py:
        assert py[name] == conda[name], f"{name}: {py[name]} vs {conda[name]}"


def test_design_card_packages_and_known_pitfalls():
    py = pyproject_requirements()
    for name in ("jupyterlab", "pandas", "seaborn", "ipywidgets", "voila", "papermill", "nbval"):
        assert name in py
    assert not py["voila"].contains("0.5.5")  # CVE-2024-30265: file read before 0.5.6
    assert not py["matplotlib"].contains("3.13.0")  # seaborn 0.13.2 boxplot breaks on 3.13


def test_python_version_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.11"
    assert "python=3.11" in env["dependencies"]


def test_this_environment_is_complete():
    """The check the start notebook shows: nothing missing here (make setup installed it)."""
    problems = envcheck.problems("en", include_test=True)
    assert problems == [], problems
