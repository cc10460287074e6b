"""Workshop 4's synthetic work-period list.

The demo work-period list is **synthetic**: for each partner, one jakso per instructor survey
the demo's response counts say was sent in 2024-25 (answered as often as they say), plus the
jaksot that got no survey (no instructor contact, no part-time information, saved late, no
end date, wholly interrupted) and some still running. Durations are 2–26 weeks; some students
have two overlapping jaksot, some have an interruption. It lives beside the demo data
(``work_periods.csv`` in the demo folder, whose manifest says synthetic).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from kit import files, paths

SEED = 2026_4
PERIOD = "2024-25"
NAME = "work_periods.csv"
#: how often each problem is written into the demo list (share of the surveyed jaksot)
PROBLEMS = {
    "no_contact": 0.05,
    "no_part_time": 0.025,
    "saved_late": 0.03,
    "no_end": 0.008,
    "interrupted": 0.006,
}


def work_periods_path() -> Path:
    """Where the demo work-period list is (made by :func:`prepare`)."""
    return paths.demo_dir() / NAME


def build(response: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """The synthetic work-period list for the providers of ``response`` (the long response
    form), in eHOKS's field names."""
    rng = np.random.default_rng(seed)
    first = dt.date(2024, 7, 1)
    rows = []
    tpo = response[
        (response["survey"] == "tyopaikkaohjaajakysely") & (response["period"] == PERIOD)
    ]
    for _, r in tpo.sort_values("y_tunnus").iterrows():
        surveyed, answered = int(r["targeted"]), int(r["answered"] or 0)
        extra = {k: int(rng.binomial(surveyed, p)) for k, p in PROBLEMS.items()}
        running = int(rng.binomial(surveyed, 0.03))
        n = surveyed + sum(extra.values()) + running
        kesto = np.clip(np.round(rng.gamma(3.0, 20.0, n)), 14, 182).astype(int)
        end = np.array([first + dt.timedelta(days=int(d)) for d in rng.integers(0, 364, n)])
        problem = np.array(
            ["ok"] * surveyed
            + [k for k, c in extra.items() for _ in range(c)]
            + ["running"] * running
        )
        weight = kesto[:surveyed] ** 0.4
        chosen = rng.choice(
            surveyed, size=min(answered, surveyed), replace=False, p=weight / weight.sum()
        )
        did = np.zeros(n, bool)
        did[chosen] = True
        students = rng.integers(0, int(n * 0.92), n)
        code = r["y_tunnus"].replace("-", "")[:4]
        for i in range(n):
            loppu = (
                end[i]
                if problem[i] != "running"
                else dt.date(2027, 1, 15) + dt.timedelta(days=int(rng.integers(0, 120)))
            )
            alku = loppu - dt.timedelta(days=int(kesto[i]) - 1)
            row = {
                "yksiloiva-tunniste": f"J{code}-{i + 1:05d}",
                "hoks-id": f"H{code}-{students[i]:05d}",
                "koulutustoimija": r["y_tunnus"],
                "osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_oppisopimus"
                if rng.random() < 0.25
                else "osaamisenhankkimistapa_koulutussopimus",
                "alku": alku.isoformat(),
                "loppu": loppu.isoformat(),
                "osa-aikaisuustieto": int(rng.choice([100, 100, 100, 80, 60])),
                "vastuullinen-tyopaikka-ohjaaja.sahkoposti": f"ohjaaja{i + 1}@example.invalid",
                "vastuullinen-tyopaikka-ohjaaja.puhelinnumero": "",
                "keskeytymisajanjaksot": "",
                "tallennettu": (alku - dt.timedelta(days=int(rng.integers(3, 30)))).isoformat(),
                "vastattu": "kyllä" if did[i] else "ei",
            }
            kind = problem[i]
            if kind == "no_contact":
                row["vastuullinen-tyopaikka-ohjaaja.sahkoposti"] = ""
            elif kind == "no_part_time":
                row["osa-aikaisuustieto"] = ""
            elif kind == "saved_late":
                row["tallennettu"] = (
                    loppu + dt.timedelta(days=int(rng.integers(0, 20)))
                ).isoformat()
            elif kind == "no_end":
                row["loppu"] = ""
            elif kind == "interrupted":
                row["keskeytymisajanjaksot"] = f"{alku.isoformat()}/{loppu.isoformat()}"
            elif kind == "ok" and rng.random() < 0.05:
                cut = alku + dt.timedelta(days=int(kesto[i]) // 3)
                row["keskeytymisajanjaksot"] = (
                    f"{cut.isoformat()}/{(cut + dt.timedelta(days=6)).isoformat()}"
                )
            if kind == "running":
                row["tallennettu"] = ""  # planned: not a date to judge yet
            if kind != "ok":
                row["vastattu"] = "ei"
            rows.append(row)
    return pd.DataFrame(rows)


def prepare() -> None:
    """The demo's synthetic work-period list (built on first use, beside the demo data)."""
    from kit import datasets

    datasets.ensure("demo")  # built first if missing
    target = work_periods_path()
    manifest = paths.demo_dir() / "manifest.json"
    if target.exists() and target.stat().st_mtime_ns >= manifest.stat().st_mtime_ns:
        return
    with files.locked("build-wbl-periods"):
        files.write_table(build(datasets.load("demo").response), target)
