"""Is this environment ready for the workshop? Versions, what is missing, and how to fix it.

The requirements are read from the installed kit's metadata (``pyproject.toml``), so this check
and the install can never disagree.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata

import pandas as pd
from packaging.requirements import Requirement

from kit import datasets, paths
from kit.i18n import t

DIST = "quality-workshop-kit"
PYTHON_MIN = (3, 11)


def requirements(include_test: bool = False) -> list[Requirement]:
    """The kit's declared requirements (optionally with the ``test`` extra)."""
    try:
        raw = metadata.requires(DIST) or []
    except metadata.PackageNotFoundError:
        project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        raw = list(project["project"]["dependencies"])
        raw += [
            f'{r}; extra == "test"' for r in project["project"]["optional-dependencies"]["test"]
        ]
    reqs = [Requirement(r) for r in raw]
    wanted = {"extra": "test"} if include_test else {"extra": ""}
    return [r for r in reqs if r.marker is None or r.marker.evaluate(wanted)]


def report(lang: str | None = None, include_test: bool = False) -> pd.DataFrame:
    """One row per requirement (and Python itself): required, installed, ok, how to fix."""
    rows = [_python_row(lang)]
    for req in requirements(include_test):
        try:
            installed = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            installed = None
        ok = installed is not None and req.specifier.contains(installed, prereleases=True)
        if installed is None:
            fix = t("env.fix_missing", lang, spec=str(req))
        elif not ok:
            fix = t("env.fix_version", lang, spec=str(req))
        else:
            fix = ""
        rows.append(_row(lang, req.name, _range(req), installed or "–", ok, fix))
    for name in ("demo",):
        built = datasets.is_built(name)
        rows.append(
            _row(
                lang,
                t("env.demo_data", lang),
                "",
                t("data.yes" if built else "data.no", lang),
                built,
                "" if built else t("env.fix_demo", lang),
            )
        )
    return pd.DataFrame(rows)


def _range(req: Requirement) -> str:
    """A version range as people write it: lower bound first (``>=3.0,<4``)."""
    specs = sorted(req.specifier, key=lambda s: (not s.operator.startswith(">"), s.operator))
    return ",".join(str(s) for s in specs)


def _python_row(lang: str | None) -> dict:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= PYTHON_MIN
    fix = "" if ok else t("env.fix_python", lang)
    return _row(lang, "Python", ">=" + ".".join(map(str, PYTHON_MIN)), version, ok, fix)


def _row(lang: str | None, name: str, required: str, installed: str, ok: bool, fix: str) -> dict:
    return {
        t("env.col_package", lang): name,
        t("env.col_required", lang): required,
        t("env.col_installed", lang): installed,
        t("env.col_ok", lang): "✔" if ok else "✘",
        t("env.col_fix", lang): fix,
    }


def problems(lang: str | None = None, include_test: bool = False) -> list[str]:
    """The fixes still needed; empty when everything is in place."""
    table = report(lang, include_test)
    bad = table[table[t("env.col_ok", lang)] != "✔"]
    return [
        f"{r[t('env.col_package', lang)]}: {r[t('env.col_fix', lang)]}" for _, r in bad.iterrows()
    ]
