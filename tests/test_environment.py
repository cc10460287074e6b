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
    assert set(py) == set(conda), (
        f"only in pyproject: {set(py) - set(conda)}; "
        f"only in environment.yml: {set(conda) - set(py)}"
    )
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


def test_this_environment_is_complete(demo):
    """The check the start notebook shows: nothing missing here (make setup installed it)."""
    problems = envcheck.problems("en", include_test=True)
    assert problems == [], problems


def locked_versions() -> dict[str, list[tuple[str, str]]]:
    """requirements.lock as ``{name: [(version, marker), ...]}``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        req = Requirement(line)
        (spec,) = list(req.specifier)
        assert spec.operator == "==", line
        out.setdefault(req.name.lower().replace("_", "-"), []).append(
            (spec.version, str(req.marker or ""))
        )
    return out


def test_the_lock_pins_every_requirement_within_its_range():
    """requirements.lock (uv pip compile pyproject.toml --extra test --universal) has an exact
    version of every package pyproject.toml asks for, inside the declared range."""
    header = (ROOT / "requirements.lock").read_text().splitlines()[:3]
    assert any("pip compile pyproject.toml" in line and "--extra test" in line for line in header)
    locked = locked_versions()
    for name, spec in pyproject_requirements().items():
        key = name.replace("_", "-")
        assert key in locked, f"{name} is not in requirements.lock: run make upgrade"
        for version, _marker in locked[key]:
            assert spec.contains(version, prereleases=True), f"{name}=={version} not in {spec}"


def test_this_environment_is_the_locked_one():
    """make setup installed the locked versions (for this Python)."""
    from importlib import metadata

    from packaging.markers import Marker

    mismatched = []
    for name, pins in locked_versions().items():
        wanted = [v for v, marker in pins if not marker or Marker(marker).evaluate()]
        if not wanted:
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatched.append(f"{name}: missing")
            continue
        if installed not in wanted:
            mismatched.append(f"{name}: {installed} installed, {wanted[0]} locked")
    assert not mismatched, mismatched
